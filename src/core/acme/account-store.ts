// Where the ACME account lives between runs: a 0600 file in the local config dir, or a
// Secret in the cluster. One account per directory URL; created once, reused afterwards.
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile, rename } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { KubeClient } from '../kube/client.js';
import { R, path as kpath } from '../kube/paths.js';

export interface StoredAccount {
  directoryUrl: string;
  accountUrl: string;
  /** PKCS#8 PEM. Never printed. */
  accountKeyPem: string;
  email?: string;
  eabKid?: string;
  createdAt: string;
}

export interface AccountStore {
  /** Human-readable location ("~/.config/…/account.json", "Secret ns/name"). */
  readonly location: string;
  load(): Promise<StoredAccount | null>;
  save(account: StoredAccount): Promise<void>;
  remove(): Promise<void>;
}

export function serverHash(directoryUrl: string): string {
  return createHash('sha256').update(directoryUrl).digest('hex').slice(0, 16);
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VIBECTL_TLS_CONFIG_DIR) return env.VIBECTL_TLS_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'vibectl-tls');
}

export function localAccountPath(directoryUrl: string, env?: NodeJS.ProcessEnv): string {
  return join(configDir(env), 'acme', serverHash(directoryUrl), 'account.json');
}

export class LocalAccountStore implements AccountStore {
  readonly location: string;
  constructor(directoryUrl: string, env?: NodeJS.ProcessEnv) {
    this.location = localAccountPath(directoryUrl, env);
  }

  async load(): Promise<StoredAccount | null> {
    let text: string;
    try {
      text = await readFile(this.location, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return parseAccount(text, this.location);
  }

  async save(account: StoredAccount): Promise<void> {
    const dir = dirname(this.location);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    const tmp = `${this.location}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(account, null, 2) + '\n', { mode: 0o600 });
    await rename(tmp, this.location);
  }

  async remove(): Promise<void> {
    await rm(this.location, { force: true });
  }
}

export function accountSecretName(directoryUrl: string): string {
  return `vibectl-tls-acme-account-${serverHash(directoryUrl).slice(0, 10)}`;
}

export class SecretAccountStore implements AccountStore {
  readonly location: string;
  readonly #kube: KubeClient;
  readonly #namespace: string;
  readonly #name: string;
  readonly #directoryUrl: string;

  constructor(options: { kube: KubeClient; namespace: string; directoryUrl: string }) {
    this.#kube = options.kube;
    this.#namespace = options.namespace;
    this.#directoryUrl = options.directoryUrl;
    this.#name = accountSecretName(options.directoryUrl);
    this.location = `Secret ${this.#namespace}/${this.#name}`;
  }

  async load(): Promise<StoredAccount | null> {
    const s = await this.#kube.get<{ data?: Record<string, string> }>(kpath(R.secrets, { namespace: this.#namespace, name: this.#name }));
    const raw = s?.data?.['account.json'];
    if (!raw) return null;
    return parseAccount(Buffer.from(raw, 'base64').toString('utf8'), this.location);
  }

  async save(account: StoredAccount): Promise<void> {
    await this.#kube.apply(kpath(R.secrets, { namespace: this.#namespace, name: this.#name }), {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: this.#name,
        namespace: this.#namespace,
        labels: { 'app.kubernetes.io/managed-by': 'vibectl-tls', 'vibectl-tls.io/kind': 'acme-account' },
        annotations: { 'vibectl-tls.io/acme-directory': this.#directoryUrl },
      },
      type: 'Opaque',
      data: { 'account.json': Buffer.from(JSON.stringify(account)).toString('base64') },
    }, { force: true });
  }

  async remove(): Promise<void> {
    await this.#kube.delete(kpath(R.secrets, { namespace: this.#namespace, name: this.#name }));
  }
}

function parseAccount(text: string, where: string): StoredAccount {
  const a = JSON.parse(text) as Partial<StoredAccount>;
  if (!a.accountUrl || !a.accountKeyPem || !a.directoryUrl) throw new Error(`the saved ACME account at ${where} is incomplete`);
  return a as StoredAccount;
}
