// A real Kubernetes control plane on loopback for integration tests: etcd + kube-apiserver (built
// from the pinned modules) with TLS, client-certificate authentication and RBAC. No nodes, no
// controller-manager, no scheduler: objects are stored and validated, nothing runs them.
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadManifest, program } from './manifest.js';
import { createCa, issueCert, writePair, type TestCa } from './pki.js';
import { httpGet } from './http.js';
import { freePort, makeDir, spawnManaged, waitFor, type ManagedProcess } from './processes.js';
import { KubeClient } from '../../src/core/kube/client.js';
import { loadKubeConfig } from '../../src/core/kube/kubeconfig.js';

export type HarnessUser = 'admin' | 'readonly';

export interface ControlPlane {
  /** Kubeconfig of the admin user (group system:masters). */
  kubeconfigPath: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** Kubeconfig for a user: admin (system:masters) or readonly (ClusterRole `view`: no Secrets, no cluster-scoped reads but namespaces). */
  kubeconfigFor(user: HarnessUser): string;
  /** The CA that signed the API server's serving certificate and the users' client certificates. */
  caFile: string;
  /** Kubernetes version of the running API server (the pin, e.g. v1.36.3). */
  version: string;
  /** A KubeClient (the project's own) for a user. */
  client(user?: HarnessUser): Promise<KubeClient>;
  processes: { etcd: ManagedProcess; apiserver: ManagedProcess };
  /** The directory holding certificates, kubeconfigs and etcd data. */
  dir: string;
  /** Milliseconds each start-up phase took: etcd (to /health), kube-apiserver (to /readyz), bootstrap (RBAC, namespaces). */
  startupMs: { etcd: number; apiserver: number; bootstrap: number };
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  /** Context name written into the kubeconfigs (default `vibectl-tls-harness`). */
  contextName?: string;
  /** Extra kube-apiserver flags. */
  apiserverArgs?: string[];
  startTimeoutMs?: number;
}

export const READONLY_BINDING = 'vibectl-tls-harness-readonly-view';

export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const manifest = loadManifest();
  const etcdBin = program('etcd', manifest);
  const apiserverBin = program('kube-apiserver', manifest);
  const dir = makeDir('control-plane');
  const timeoutMs = opts.startTimeoutMs ?? 90_000;

  const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const t0 = performance.now();
  const etcd = spawnManaged({
    name: 'etcd',
    command: etcdBin.path,
    args: [
      '--name=harness',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=harness=http://127.0.0.1:${peerPort}`,
      // Test data is thrown away: skip fsync, which dominates etcd latency on a shared disk.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
  });

  // Certificates while etcd starts.
  const ca = await createCa('vibectl-tls harness CA');
  const caFile = join(dir, 'ca.crt');
  writeFileSync(caFile, ca.certPem);
  const serving = writePair(dir, 'apiserver', await issueCert(ca, { commonName: 'kube-apiserver', dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'], ips: ['127.0.0.1', '10.0.0.1'], usage: 'server' }));
  const sa = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const saKey = join(dir, 'sa.key');
  const saPub = join(dir, 'sa.pub');
  writeFileSync(saKey, sa.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(saPub, sa.publicKey.export({ type: 'spki', format: 'pem' }));

  const server = `https://127.0.0.1:${apiPort}`;
  const contextName = opts.contextName ?? 'vibectl-tls-harness';
  const kubeconfigs = {
    admin: await writeKubeconfig({ dir, ca, server, contextName, user: 'admin', groups: ['system:masters'] }),
    readonly: await writeKubeconfig({ dir, ca, server, contextName, user: 'readonly', groups: [] }),
  };

  await waitFor(async () => (await httpGet(`http://127.0.0.1:${etcdPort}/health`)).body.includes('"health":"true"'), {
    what: 'etcd /health',
    proc: etcd,
    timeoutMs,
  });

  const t1 = performance.now();
  const apiserver = spawnManaged({
    name: 'kube-apiserver',
    command: apiserverBin.path,
    args: [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
      `--tls-cert-file=${serving.certFile}`,
      `--tls-private-key-file=${serving.keyFile}`,
      `--client-ca-file=${caFile}`,
      '--authorization-mode=RBAC',
      '--anonymous-auth=true',
      `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--allow-privileged=true',
      // No controller-manager runs to create service-account tokens for pods.
      '--disable-admission-plugins=ServiceAccount',
      // Fewer background goroutines on a 2-core machine; nothing here tests flow control.
      '--enable-priority-and-fairness=false',
      '--endpoint-reconciler-type=none',
      ...(opts.apiserverArgs ?? []),
    ],
  });

  const adminPair = kubeconfigs.admin.pair;
  await waitFor(
    async () => {
      const r = await httpGet(`${server}/readyz`, { ca: ca.certPem, cert: adminPair.certPem, key: adminPair.keyPem });
      return r.status === 200;
    },
    { what: 'kube-apiserver /readyz', proc: apiserver, timeoutMs },
  );

  const t2 = performance.now();
  const client = async (user: HarnessUser = 'admin'): Promise<KubeClient> => new KubeClient(await loadKubeConfig({ kubeconfig: kubeconfigs[user].path }), { timeoutMs: 30_000 });
  const admin = await client('admin');
  const version = (await admin.request<{ gitVersion: string }>('GET', '/version')).gitVersion;
  // `view` is an aggregated role, normally filled by kube-controller-manager, which doesn't run here.
  await aggregateClusterRole(admin, 'view');
  await admin.apply(`/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${READONLY_BINDING}`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: READONLY_BINDING },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'readonly' }],
  });
  // `default` is created by the API server itself, a moment after /readyz.
  await waitFor(async () => (await admin.get('/api/v1/namespaces/default')) !== null, { what: 'namespace default', proc: apiserver, timeoutMs });
  await admin.apply('/api/v1/namespaces/cert-manager', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cert-manager' } });
  const startupMs = { etcd: t1 - t0, apiserver: t2 - t1, bootstrap: performance.now() - t2 };

  return {
    kubeconfigPath: kubeconfigs.admin.path,
    server,
    kubeconfigFor: (user) => kubeconfigs[user].path,
    caFile,
    version,
    client,
    processes: { etcd, apiserver },
    dir,
    startupMs,
    async stop() {
      await apiserver.stop();
      await etcd.stop();
    },
  };
}

interface ClusterRole {
  metadata?: { name?: string; resourceVersion?: string; [k: string]: unknown };
  aggregationRule?: { clusterRoleSelectors?: Array<{ matchLabels?: Record<string, string> }> };
  rules?: unknown[];
  [k: string]: unknown;
}

/** Does once what the clusterrole-aggregation controller does continuously: rules of the role = union of the selected roles' rules. */
async function aggregateClusterRole(admin: KubeClient, name: string): Promise<void> {
  const p = `/apis/rbac.authorization.k8s.io/v1/clusterroles/${name}`;
  const role = await waitFor(() => admin.get<ClusterRole>(p), { what: `ClusterRole ${name}` });
  const rules: unknown[] = [];
  const seen = new Set<string>();
  for (const sel of role.aggregationRule?.clusterRoleSelectors ?? []) {
    const labelSelector = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    for (const r of await admin.list<ClusterRole>('/apis/rbac.authorization.k8s.io/v1/clusterroles', { query: { labelSelector } })) {
      for (const rule of r.rules ?? []) {
        const key = JSON.stringify(rule);
        if (seen.has(key)) continue;
        seen.add(key);
        rules.push(rule);
      }
    }
  }
  await admin.replace(p, { ...role, rules } as never);
}

async function writeKubeconfig(o: { dir: string; ca: TestCa; server: string; contextName: string; user: HarnessUser; groups: string[] }) {
  const pair = await issueCert(o.ca, { commonName: o.user, organizations: o.groups, usage: 'client' });
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'vibectl-tls-harness', cluster: { server: o.server, 'certificate-authority-data': b64(o.ca.certPem) } }],
    users: [{ name: o.user, user: { 'client-certificate-data': b64(pair.certPem), 'client-key-data': b64(pair.keyPem) } }],
    contexts: [{ name: o.contextName, context: { cluster: 'vibectl-tls-harness', user: o.user, namespace: 'default' } }],
    'current-context': o.contextName,
  };
  const path = join(o.dir, `kubeconfig-${o.user}.yaml`);
  writeFileSync(path, stringify(doc), { mode: 0o600 });
  return { path, pair };
}
