// The CA kept in the cluster: every item in one Opaque Secret (one request per write, guarded by
// resourceVersion so two writers conflict instead of interleaving), except the root key, backups
// and archives, which stay in the local directory unless --include-root-key says otherwise.
import { ConflictError } from '../errors.js';
import { isNotFound, KubeApiError, type KubeClient, type KubeObject } from '../kube/client.js';
import { path, R } from '../kube/paths.js';
import type { CaFiles, CaStore, LocalCaStore } from './ca-store.js';
import { MANAGED_BY } from './manifests.js';

export const DEFAULT_CA_NAMESPACE = 'vibectl-tls-system';
export const DEFAULT_CA_SECRET = 'vibectl-tls-ca';

interface SecretObject extends KubeObject {
  data?: Record<string, string>;
}

export interface ClusterStoreOptions {
  kube: KubeClient;
  namespace?: string | undefined;
  name?: string | undefined;
  local: LocalCaStore;
  includeRootKey?: boolean | undefined;
}

export class ClusterCaStore implements CaStore {
  readonly location: string;
  readonly namespace: string;
  readonly name: string;
  readonly #kube: KubeClient;
  readonly #local: LocalCaStore;
  readonly #includeRootKey: boolean;
  #secret: SecretObject | null | undefined;

  constructor(o: ClusterStoreOptions) {
    this.#kube = o.kube;
    this.namespace = o.namespace ?? DEFAULT_CA_NAMESPACE;
    this.name = o.name ?? DEFAULT_CA_SECRET;
    this.#local = o.local;
    this.#includeRootKey = o.includeRootKey ?? false;
    this.location = `Secret ${this.namespace}/${this.name}` + (this.#includeRootKey ? '' : ` (root key in ${o.local.dir})`);
  }

  /** The local directory that keeps the root key (and backups, archives, default leaf output). */
  get localDir(): string {
    return this.#local.dir;
  }

  #isLocal(name: string): boolean {
    return name.startsWith('backups/') || name.startsWith('archive/') || (name.endsWith('root.key') && !this.#includeRootKey);
  }

  async #load(): Promise<SecretObject | null> {
    if (this.#secret === undefined) this.#secret = await this.#kube.get<SecretObject>(path(R.secrets, { namespace: this.namespace, name: this.name }));
    return this.#secret;
  }

  async exists(): Promise<boolean> {
    return (await this.read('ca.json')) !== undefined;
  }

  async read(name: string): Promise<string | undefined> {
    if (this.#isLocal(name)) return this.#local.read(name);
    const v = (await this.#load())?.data?.[name];
    return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
  }

  async write(files: CaFiles): Promise<void> {
    const local: CaFiles = {};
    const remote: CaFiles = {};
    for (const [k, v] of Object.entries(files)) (this.#isLocal(k) ? local : remote)[k] = v;
    if (Object.keys(local).length) await this.#local.write(local);
    if (!Object.keys(remote).length) return;
    const current = await this.#load();
    const data: Record<string, string> = { ...(current?.data ?? {}) };
    for (const [k, v] of Object.entries(remote)) {
      if (v === null) delete data[k];
      else data[k] = Buffer.from(v).toString('base64');
    }
    await this.#put(data, current);
  }

  async #put(data: Record<string, string>, current: SecretObject | null, name = this.name): Promise<void> {
    const body: SecretObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name, namespace: this.namespace, labels: { ...MANAGED_BY, 'app.kubernetes.io/component': 'private-ca' } },
      data,
    };
    try {
      if (current && name === this.name) {
        body.metadata!.resourceVersion = current.metadata?.resourceVersion;
        this.#secret = await this.#kube.replace<SecretObject>(path(R.secrets, { namespace: this.namespace, name }), body);
      } else {
        await this.#ensureNamespace();
        const created = await this.#kube.create<SecretObject>(path(R.secrets, { namespace: this.namespace }), body);
        if (name === this.name) this.#secret = created;
      }
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 409) {
        throw new ConflictError(`Secret ${this.namespace}/${name} was changed by someone else while this command ran`, { hint: 'run the command again', cause: err });
      }
      throw err;
    }
  }

  async #ensureNamespace(): Promise<void> {
    if (await this.#kube.get(path(R.namespaces, { name: this.namespace }))) return;
    try {
      await this.#kube.create(path(R.namespaces), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: this.namespace, labels: { ...MANAGED_BY } } });
    } catch (err) {
      if (!(err instanceof KubeApiError && err.status === 409)) throw err;
    }
  }

  async backup(label: string): Promise<string> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').toLowerCase();
    const current = await this.#load();
    const where: string[] = [];
    if (current?.data) {
      const name = `${this.name}-backup-${stamp}`.slice(0, 253);
      await this.#put(current.data, null, name);
      where.push(`Secret ${this.namespace}/${name}`);
    }
    if (await this.#local.exists().catch(() => false)) where.push(await this.#local.backup(label));
    else if (await this.#local.read('root.key')) where.push(await this.#local.backup(label));
    return where.join(' and ') || 'nothing to back up';
  }

  async locked<T>(fn: () => Promise<T>): Promise<T> {
    return this.#local.locked(async () => {
      this.#secret = undefined;
      return fn();
    });
  }
}

export { isNotFound };
