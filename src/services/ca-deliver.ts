// Delivery of CA material into the cluster: a leaf as a kubernetes.io/tls Secret (written in one
// request, after checking the certificate matches the key), wiring a Secret into a workload
// (volume, mount, and vibectl-server's tls.cert_file/tls.key_file), and the init-container variant.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { InvalidInputError, UsageError } from '../core/errors.js';
import { looksLikeVibectlServer } from '../core/cluster/facts.js';
import type { KubeClient, KubeObject } from '../core/kube/client.js';
import { path, R, type ResourceRef } from '../core/kube/paths.js';
import { loadSigner, readCa } from '../core/pki/ca-state.js';
import type { CaStore } from '../core/pki/ca-store.js';
import { initContainerScript } from '../core/pki/init-container.js';
import { exportPrivateKeyPem } from '../core/pki/keys.js';
import { MANAGED_BY, tlsSecret } from '../core/pki/manifests.js';

type WorkloadRef = ResourceRef & { kind: string };

export const WORKLOAD_KINDS: Record<string, WorkloadRef> = {
  deployment: { ...R.deployments, kind: 'Deployment' },
  statefulset: { ...R.statefulsets, kind: 'StatefulSet' },
  daemonset: { group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet' },
};

export function parseTarget(target: string): { ref: WorkloadRef; name: string } {
  const m = /^(deployment|deploy|statefulset|sts|daemonset|ds)(?:\.apps)?\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/i.exec(target.trim());
  if (!m) throw new InvalidInputError(`--target "${target}" is not KIND/NAME`, { hint: 'use deployment/NAME, statefulset/NAME or daemonset/NAME' });
  const k = m[1]!.toLowerCase();
  const kind = k.startsWith('deploy') ? 'deployment' : k === 'sts' || k === 'statefulset' ? 'statefulset' : 'daemonset';
  return { ref: WORKLOAD_KINDS[kind]!, name: m[2]! };
}

/** Throws unless the first certificate of the chain belongs to the private key. */
export function assertChainMatchesKey(chainPem: string, keyPem: string, what: string): void {
  const leaf = new X509Certificate(chainPem);
  const key = createPrivateKey(keyPem);
  if (!leaf.checkPrivateKey(key)) {
    throw new InvalidInputError(`the certificate and key for ${what} do not belong together; nothing was written`, { hint: 'issue the certificate again' });
  }
}

export interface DeliverSecretOptions {
  kube: KubeClient;
  namespace: string;
  name: string;
  chainPem: string;
  keyPem: string;
  caPem: string;
  serial?: string | undefined;
  dryRun?: boolean | undefined;
}

/** One server-side apply carrying tls.crt, tls.key and ca.crt together: consumers never see them disagree. */
export async function deliverTlsSecret(o: DeliverSecretOptions): Promise<{ namespace: string; name: string }> {
  assertChainMatchesKey(o.chainPem, o.keyPem, `Secret ${o.namespace}/${o.name}`);
  const body = tlsSecret(o);
  await o.kube.apply(path(R.secrets, { namespace: o.namespace, name: o.name }), body, { dryRun: o.dryRun });
  return { namespace: o.namespace, name: o.name };
}

interface PodSpec {
  containers?: Array<{ name: string; image?: string; volumeMounts?: Array<{ name: string; mountPath: string }> }>;
  volumes?: Array<{ name: string; configMap?: { name?: string }; secret?: { secretName?: string } }>;
}
interface Workload extends KubeObject {
  spec?: { template?: { metadata?: { labels?: Record<string, string> }; spec?: PodSpec } };
}

export interface WireOptions {
  kube: KubeClient;
  namespace: string;
  target: string;
  secretName: string;
  container?: string | undefined;
  mountPath?: string | undefined;
  /** Changes the pod template so pods restart and read the new certificate. */
  rolloutToken?: string | undefined;
  /** vibectl-server only: also set its `tls.hsts` block (inside `tls`, where the server reads it). */
  hsts?: { max_age: number; include_subdomains: boolean; preload: boolean } | undefined;
  dryRun?: boolean | undefined;
}

export interface WireResult {
  workload: string;
  container: string;
  vibectlServer: boolean;
  mountPath: string;
  files: { cert: string; key: string; ca: string };
  /** The vibectl-server settings to use; `configMap` says where we wrote them, if we could. */
  serverConfig?: { 'tls.enabled': true; 'tls.cert_file': string; 'tls.key_file': string; 'tls.ca_bundle_file': string; configMap?: string | undefined } | undefined;
}

async function getWorkload(kube: KubeClient, namespace: string, target: string) {
  const { ref, name } = parseTarget(target);
  const w = await kube.get<Workload>(path(ref, { namespace, name }));
  if (!w) throw new InvalidInputError(`${ref.kind.toLowerCase()}/${name} not found in namespace ${namespace}`, { hint: 'check the name and -n NAMESPACE (kubectl get deploy,sts,ds -n …)' });
  return { ref, name, w };
}

function pickContainer(w: Workload, wanted: string | undefined, isVibectl: boolean): string {
  const containers = w.spec?.template?.spec?.containers ?? [];
  if (wanted) {
    if (!containers.some((c) => c.name === wanted)) throw new InvalidInputError(`container "${wanted}" not found`, { hint: `containers: ${containers.map((c) => c.name).join(', ')}` });
    return wanted;
  }
  if (isVibectl) {
    const c = containers.find((x) => x.name === 'vibectl-server') ?? containers.find((x) => (x.image ?? '').includes('vibectl'));
    if (c) return c.name;
  }
  if (containers.length === 1) return containers[0]!.name;
  const names = containers.map((c) => c.name).join(', ');
  throw new UsageError(`${w.metadata?.name ?? 'the workload'} has ${containers.length} containers; say which one reads the certificate`, { hint: `pass --container (one of: ${names})` });
}

function serverConfigFor(files: WireResult['files']): NonNullable<WireResult['serverConfig']> {
  return { 'tls.enabled': true, 'tls.cert_file': files.cert, 'tls.key_file': files.key, 'tls.ca_bundle_file': files.ca };
}

export async function wireSecretIntoWorkload(o: WireOptions): Promise<WireResult> {
  const { ref, name, w } = await getWorkload(o.kube, o.namespace, o.target);
  const isVibectl = Boolean(looksLikeVibectlServer(w as never));
  const container = pickContainer(w, o.container, isVibectl);
  const mountPath = o.mountPath ?? (isVibectl ? '/etc/vibectl-server/tls' : `/etc/tls/${o.secretName}`);
  const volume = `tls-${o.secretName}`.slice(0, 63).replace(/-+$/, '');
  const patch: KubeObject = {
    apiVersion: 'apps/v1',
    kind: ref.kind,
    metadata: { name, namespace: o.namespace },
    spec: {
      template: {
        ...(o.rolloutToken ? { metadata: { annotations: { 'vibectl-tls.dev/certificate': o.rolloutToken } } } : {}),
        spec: {
          containers: [{ name: container, volumeMounts: [{ name: volume, mountPath, readOnly: true }] }],
          volumes: [{ name: volume, secret: { secretName: o.secretName } }],
        },
      },
    },
  };
  await o.kube.apply(path(ref, { namespace: o.namespace, name }), patch, { dryRun: o.dryRun });
  const files = { cert: `${mountPath}/tls.crt`, key: `${mountPath}/tls.key`, ca: `${mountPath}/ca.crt` };
  const result: WireResult = { workload: `${ref.kind.toLowerCase()}/${name}`, container, vibectlServer: isVibectl, mountPath, files };
  if (isVibectl) result.serverConfig = { ...serverConfigFor(files), configMap: await updateServerConfig(o, w, container, files) };
  return result;
}

/** If the vibectl-server container mounts a ConfigMap with config.yaml, set its tls.* keys there. */
async function updateServerConfig(o: { kube: KubeClient; namespace: string; dryRun?: boolean | undefined; hsts?: WireOptions['hsts'] }, w: Workload, container: string, files: WireResult['files']): Promise<string | undefined> {
  const spec = w.spec?.template?.spec;
  const mounts = spec?.containers?.find((c) => c.name === container)?.volumeMounts ?? [];
  for (const m of mounts) {
    const cmName = spec?.volumes?.find((v) => v.name === m.name)?.configMap?.name;
    if (!cmName) continue;
    const cm = await o.kube.get<KubeObject & { data?: Record<string, string> }>(path(R.configmaps, { namespace: o.namespace, name: cmName }));
    const key = Object.keys(cm?.data ?? {}).find((k) => k === 'config.yaml' || k === 'config.yml');
    if (!cm || !key) continue;
    const YAML = await import('yaml');
    const doc = (YAML.parse(cm.data![key]!) ?? {}) as Record<string, unknown>;
    const tls: Record<string, unknown> = { ...((doc.tls as Record<string, unknown> | undefined) ?? {}), enabled: true, cert_file: files.cert, key_file: files.key, ca_bundle_file: files.ca };
    if (o.hsts) tls.hsts = o.hsts;
    const body: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: cmName, namespace: o.namespace }, data: { [key]: YAML.stringify({ ...doc, tls }) } };
    await o.kube.apply(path(R.configmaps, { namespace: o.namespace, name: cmName }), body, { dryRun: o.dryRun });
    return `${o.namespace}/${cmName}`;
  }
  return undefined;
}

export interface InitContainerOptions {
  kube: KubeClient;
  store: CaStore;
  namespace: string;
  target: string;
  service: string;
  /** Secret holding the issuer (intermediate cert + key + bundle) in the workload's namespace. */
  issuerSecret?: string | undefined;
  image?: string | undefined;
  container?: string | undefined;
  mountPath?: string | undefined;
  validityDays?: number | undefined;
  passphrase?: string | undefined;
  dryRun?: boolean | undefined;
}

/** Any image with /bin/sh and openssl ≥ 1.1.1 works; pin a digest in production (--init-image). */
export const DEFAULT_INIT_IMAGE = 'docker.io/alpine/openssl:latest';

export async function wireInitContainer(o: InitContainerOptions): Promise<WireResult & { issuerSecret: string; image: string }> {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(o.service)) throw new InvalidInputError(`--service "${o.service}" is not a Service name`, { hint: 'pass the name of the Service in front of the workload' });
  const { ref, name, w } = await getWorkload(o.kube, o.namespace, o.target);
  const isVibectl = Boolean(looksLikeVibectlServer(w as never));
  const container = pickContainer(w, o.container, isVibectl);
  const ca = await readCa(o.store);
  const inter = await loadSigner(o.store, 'intermediate', o.passphrase);
  // openssl in the init container cannot be handed a passphrase: the key goes unencrypted into a
  // Secret that only the init container mounts.
  const keyPem = await exportPrivateKeyPem(inter.keys.privateKey);
  const issuerSecret = o.issuerSecret ?? 'vibectl-tls-issuer';
  await o.kube.apply(
    path(R.secrets, { namespace: o.namespace, name: issuerSecret }),
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: issuerSecret, namespace: o.namespace, labels: { ...MANAGED_BY, 'app.kubernetes.io/component': 'issuer' } },
      data: { 'tls.crt': b64(ca.intermediatePem), 'tls.key': b64(keyPem), 'ca.crt': b64(ca.bundlePem) },
    },
    { dryRun: o.dryRun },
  );
  const mountPath = o.mountPath ?? (isVibectl ? '/etc/vibectl-server/tls' : '/etc/tls/pod');
  const image = o.image ?? DEFAULT_INIT_IMAGE;
  const patch: KubeObject = {
    apiVersion: 'apps/v1',
    kind: ref.kind,
    metadata: { name, namespace: o.namespace },
    spec: {
      template: {
        spec: {
          initContainers: [
            {
              name: 'vibectl-tls-issue',
              image,
              command: ['/bin/sh', '-c', initContainerScript({ service: o.service, validityDays: o.validityDays })],
              env: [
                { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
                { name: 'CA_DIR', value: '/vibectl-tls/issuer' },
                { name: 'OUT_DIR', value: '/vibectl-tls/out' },
              ],
              volumeMounts: [
                { name: 'vibectl-tls-issuer', mountPath: '/vibectl-tls/issuer', readOnly: true },
                { name: 'vibectl-tls-pod-cert', mountPath: '/vibectl-tls/out' },
              ],
              securityContext: { runAsNonRoot: true, runAsUser: 65532, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
          containers: [{ name: container, volumeMounts: [{ name: 'vibectl-tls-pod-cert', mountPath, readOnly: true }] }],
          volumes: [
            { name: 'vibectl-tls-issuer', secret: { secretName: issuerSecret, defaultMode: 0o440 } },
            { name: 'vibectl-tls-pod-cert', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
          ],
          securityContext: { fsGroup: 65532 },
        },
      },
    },
  };
  await o.kube.apply(path(ref, { namespace: o.namespace, name }), patch, { dryRun: o.dryRun });
  const files = { cert: `${mountPath}/tls.crt`, key: `${mountPath}/tls.key`, ca: `${mountPath}/ca.crt` };
  const result: WireResult & { issuerSecret: string; image: string } = { workload: `${ref.kind.toLowerCase()}/${name}`, container, vibectlServer: isVibectl, mountPath, files, issuerSecret, image };
  if (isVibectl) result.serverConfig = { ...serverConfigFor(files), configMap: await updateServerConfig(o, w, container, files) };
  return result;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
