// The sandbox stack (started by scripts/sandbox.mjs): control plane, cert-manager CRDs + controller,
// Pebble, BIND, and a stand-in vibectl-server endpoint, with a kubeconfig in the user's state dir.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import {
  createCa,
  freePort,
  installCertManagerCRDs,
  issueCert,
  markFailed,
  rssKiB,
  startCertManagerController,
  startControlPlane,
  startDns,
  startPebble,
  startWorkload,
  stopAll,
  type ManagedProcess,
} from '../test/harness/index.js';
import { path, R } from '../src/core/kube/paths.js';
import type { KubeClient, KubeObject } from '../src/core/kube/client.js';

const root = join(import.meta.dirname, '..');
const exitAfterReady = process.argv.includes('--exit-after-ready') || process.env.VIBECTL_TLS_SANDBOX_EXIT_AFTER_READY === '1';
const log = (s: string): void => void process.stderr.write(s + '\n');
/** The DNS name the stand-in endpoint's certificate is for (the sandbox BIND zone resolves it to 127.0.0.1). */
const ENDPOINT_NAME = 'vibectl-server.example.test';
const WORKLOAD = { namespace: 'vibectl', deployment: 'vibectl-server', service: 'vibectl-server', secret: 'vibectl-server-tls' } as const;

function stateDir(): string {
  const base = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  const dir = join(base, 'vibectl-tls', 'sandbox');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

async function timed<T>(what: string, timings: Array<[string, number]>, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const v = await fn();
  timings.push([what, performance.now() - t0]);
  return v;
}

async function main(): Promise<void> {
  let stopping: Promise<void> | undefined;
  // Filled in as the stack comes up; shutdown undoes what is there.
  const up: { sandboxJson?: string; closeWorkload?: () => Promise<void> } = {};
  const shutdown = (why: string, code: number): void => {
    if (stopping) return; // a terminal's Ctrl+C reaches us twice (directly and forwarded)
    log(`\n${why}: stopping the sandbox…`);
    // Present only while the sandbox is up: scripts read it to find the stack.
    if (up.sandboxJson) rmSync(up.sandboxJson, { force: true });
    stopping = (up.closeWorkload?.() ?? Promise.resolve()).then(stopAll).then(
      () => {
        log('sandbox stopped.');
        process.exit(code);
      },
      (err: unknown) => {
        log(`error while stopping: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => shutdown(sig, 0));

  // A sandbox.json left by a sandbox that was killed would point at dead ports.
  rmSync(join(stateDir(), 'sandbox.json'), { force: true });
  const t0 = performance.now();
  const timings: Array<[string, number]> = [];
  log('starting the sandbox (etcd, kube-apiserver, BIND, Pebble, cert-manager)…');
  const cp = await timed('etcd + kube-apiserver', timings, () => startControlPlane({ contextName: 'vibectl-tls-sandbox' }));
  timings.push(
    ['  etcd (to /health)', cp.startupMs.etcd],
    ['  kube-apiserver (to /readyz)', cp.startupMs.apiserver],
    ['  RBAC view role, namespaces', cp.startupMs.bootstrap],
  );
  const dns = await timed('BIND (named)', timings, () => startDns({ zone: 'example.test.' }));
  const [crds, pebble] = await Promise.all([
    timed('cert-manager CRDs', timings, () => installCertManagerCRDs(cp)),
    timed('Pebble', timings, () => startPebble({ dnsServer: dns.hostPort })),
  ]);
  const cm = await timed('cert-manager controller', timings, () => startCertManagerController(cp, { dnsServer: dns.hostPort }));
  const endpoint = await timed('stand-in endpoint + API objects', timings, () => startEndpoint(cp));
  up.closeWorkload = () => endpoint.workload.close();
  const total = performance.now() - t0;

  const admin = await cp.client('admin');
  const state = stateDir();
  const files = {
    kubeconfig: join(state, 'kubeconfig'),
    pebbleCa: join(state, 'pebble-https-ca.crt'),
    tsigKey: join(state, 'tsig.key'),
    tsigSecret: join(state, 'tsig.secret'),
    endpointCa: join(state, 'endpoint-ca.crt'),
    sandboxJson: join(state, 'sandbox.json'),
  };
  writeFileSync(files.kubeconfig, mergedKubeconfig(cp.kubeconfigFor('admin'), cp.kubeconfigFor('readonly')), { mode: 0o600 });
  chmodSync(files.kubeconfig, 0o600);
  copyFileSync(pebble.caFile, files.pebbleCa);
  copyFileSync(dns.tsig.keyFile, files.tsigKey);
  copyFileSync(dns.tsig.secretFile, files.tsigSecret);
  chmodSync(files.tsigKey, 0o600);
  chmodSync(files.tsigSecret, 0o600);
  writeFileSync(files.endpointCa, endpoint.caPem);

  // A ready-made ACME ClusterIssuer against Pebble, solving DNS-01 through the sandbox BIND.
  await admin.apply(path(R.secrets, { namespace: 'cert-manager', name: 'sandbox-tsig' }), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'sandbox-tsig', namespace: 'cert-manager' },
    stringData: { secret: dns.tsig.secret },
  });
  await admin.apply(path(R.clusterissuers, { name: 'sandbox-pebble' }), {
    apiVersion: 'cert-manager.io/v1',
    kind: 'ClusterIssuer',
    metadata: { name: 'sandbox-pebble' },
    spec: {
      acme: {
        server: pebble.directoryUrl,
        caBundle: Buffer.from(readFileSync(pebble.caFile)).toString('base64'),
        email: 'sandbox@example.test',
        privateKeySecretRef: { name: 'sandbox-pebble-account' },
        solvers: [{ dns01: { rfc2136: { nameserver: dns.hostPort, tsigKeyName: dns.tsig.name, tsigAlgorithm: 'HMACSHA256', tsigSecretSecretRef: { name: 'sandbox-tsig', key: 'secret' } } } }],
      },
    },
  });

  const procs: ManagedProcess[] = [cp.processes.etcd, cp.processes.apiserver, dns.process, pebble.process, cm.process];
  log('\nstart-up times:');
  for (const [what, ms] of timings) log(`  ${what.padEnd(32)} ${(ms / 1000).toFixed(2)} s`);
  log(`  ${'whole stack'.padEnd(32)} ${(total / 1000).toFixed(2)} s`);
  log('memory (RSS):');
  for (const p of procs) log(`  ${p.name.padEnd(32)} ${((rssKiB(p.pid) ?? 0) / 1024).toFixed(0)} MiB`);

  process.stdout.write(`
vibectl-tls sandbox is up (Kubernetes ${cp.version}, cert-manager ${crds.version}, Pebble ${pebble.version}).

  export KUBECONFIG=${files.kubeconfig}
      contexts: vibectl-tls-sandbox (admin, system:masters), vibectl-tls-sandbox-readonly (ClusterRole view)
  kubectl vibectl-tls context

  ACME (Pebble):   ${pebble.directoryUrl}
                   --acme-server ${pebble.directoryUrl} --acme-ca-bundle ${files.pebbleCa}
                   http-01 is checked on 127.0.0.1:${pebble.httpPort}; ClusterIssuer sandbox-pebble is ready to use
  DNS (BIND):      ${dns.hostPort}, zone ${dns.zone} (every name resolves to 127.0.0.1)
                   --rfc2136-server ${dns.hostPort} --tsig-key-name ${dns.tsig.name} --tsig-algorithm hmac-sha256 --tsig-secret-file ${files.tsigSecret}
                   nsupdate -k ${files.tsigKey}
  Workload:        Deployment + Service ${WORKLOAD.namespace}/${WORKLOAD.deployment}, stand-in TLS endpoint https://127.0.0.1:${endpoint.port}
                   --endpoint 127.0.0.1:${endpoint.port}/${ENDPOINT_NAME} --ca-bundle ${files.endpointCa}
                   it serves the Secret the Deployment mounts (reloaded within a second of a change)
  Logs:            ${cp.dir.replace(/\/control-plane-[^/]+$/, '')}
  Machine-readable: ${files.sandboxJson}

`);

  log('$ kubectl vibectl-tls context');
  const ctx = spawnSync(process.execPath, [join(root, 'bin', 'kubectl-vibectl_tls'), 'context', '--kubeconfig', files.kubeconfig, '-n', 'vibectl'], { stdio: 'inherit', cwd: root });
  if (ctx.status !== 0) log(`(context exited with ${ctx.status})`);

  // Written last and atomically: once it exists, everything in it is up.
  const description = {
    pid: process.pid,
    kubeconfig: files.kubeconfig,
    context: 'vibectl-tls-sandbox',
    readonlyContext: 'vibectl-tls-sandbox-readonly',
    kubernetesVersion: cp.version,
    namespace: WORKLOAD.namespace,
    deployment: WORKLOAD.deployment,
    service: WORKLOAD.service,
    secret: WORKLOAD.secret,
    endpoint: { hostPort: `127.0.0.1:${endpoint.port}`, serverName: ENDPOINT_NAME, caFile: files.endpointCa },
    pebble: { directoryUrl: pebble.directoryUrl, caFile: files.pebbleCa, httpPort: pebble.httpPort, version: pebble.version },
    dns: { server: dns.hostPort, zone: dns.zone, tsigKeyName: dns.tsig.name, tsigAlgorithm: 'hmac-sha256', tsigSecretFile: files.tsigSecret, tsigKeyFile: files.tsigKey },
    certManager: { version: crds.version, clusterIssuer: 'sandbox-pebble' },
  };
  writeFileSync(`${files.sandboxJson}.tmp`, JSON.stringify(description, null, 2) + '\n', { mode: 0o600 });
  renameSync(`${files.sandboxJson}.tmp`, files.sandboxJson);
  up.sandboxJson = files.sandboxJson;

  if (exitAfterReady) {
    shutdown('--exit-after-ready', ctx.status === 0 ? 0 : 1);
    return;
  }
  log('\nthe sandbox stays up until Ctrl+C.');
}

/**
 * The stand-in for vibectl-server: a Deployment + Service + TLS Secret in the API, and a Node TLS
 * server on loopback that plays the pod (serves the Secret the Deployment mounts, reloading it).
 */
async function startEndpoint(cp: Awaited<ReturnType<typeof startControlPlane>>) {
  const ca = await createCa('vibectl-tls sandbox endpoint CA');
  const leaf = await issueCert(ca, { commonName: ENDPOINT_NAME, dnsNames: [ENDPOINT_NAME, 'localhost'], ips: ['127.0.0.1'], usage: 'server' });
  const port = await freePort();
  const { namespace, deployment } = WORKLOAD;
  const admin = await cp.client('admin');
  const labels = { 'app.kubernetes.io/name': 'vibectl-server', 'app.kubernetes.io/instance': 'sandbox' };
  const annotations = { 'vibectl-tls.dev/sandbox-endpoint': `127.0.0.1:${port}` };
  await admin.apply(path(R.namespaces, { name: namespace }), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  await asUser(admin, path(R.deployments, { namespace, name: deployment }), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: deployment, namespace, labels, annotations },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'vibectl-server', image: 'vibectl-server:sandbox', ports: [{ name: 'grpc', containerPort: 50051 }] }] },
      },
    },
  });
  await asUser(admin, path(R.services, { namespace, name: deployment }), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: deployment, namespace, labels, annotations },
    spec: { selector: labels, ports: [{ name: 'grpc', port: 443, targetPort: 'grpc' }] },
  });
  await asUser(admin, path(R.secrets, { namespace, name: WORKLOAD.secret }), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: WORKLOAD.secret, namespace, labels },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': Buffer.from(leaf.certPem + ca.certPem).toString('base64'), 'tls.key': Buffer.from(leaf.keyPem).toString('base64'), 'ca.crt': Buffer.from(ca.certPem).toString('base64') },
  });
  const workload = await startWorkload({
    kube: admin,
    namespace,
    deployment,
    port,
    initial: { certPem: leaf.certPem + ca.certPem, keyPem: leaf.keyPem },
    onEvent: (e) => log(e.kind === 'serving' ? `stand-in endpoint 127.0.0.1:${port} now serves Secret ${e.secret} (serial ${e.serial}, ${e.subject.replace(/\n/g, ', ')})` : `stand-in endpoint: ${e.message}`),
  });
  return { workload, port, caPem: ca.certPem };
}

/**
 * Server-side apply as `kubectl apply --server-side` would, not as vibectl-tls: the plugin patches
 * these objects with its own field manager, and an apply by the same manager that omits fields it
 * owned deletes them (the plugin's wiring patch would strip the Deployment's selector and image).
 */
async function asUser(kube: KubeClient, objectPath: string, body: KubeObject): Promise<void> {
  await kube.request('PATCH', objectPath, { body, contentType: 'application/apply-patch+yaml', query: { fieldManager: 'kubectl', force: true } });
}

/** One kubeconfig with the admin context (current) and a `-readonly` context. */
function mergedKubeconfig(adminFile: string, readonlyFile: string): string {
  type Kc = { clusters: unknown[]; users: unknown[]; contexts: Array<{ name: string; context: Record<string, unknown> }>; 'current-context': string };
  const a = parse(readFileSync(adminFile, 'utf8')) as Kc;
  const r = parse(readFileSync(readonlyFile, 'utf8')) as Kc;
  const roContext = r.contexts.map((c) => ({ ...c, name: `${c.name}-readonly` }));
  return stringify({ ...a, users: [...a.users, ...r.users], contexts: [...a.contexts, ...roContext] });
}

main().catch(async (err: unknown) => {
  log(`✖ the sandbox did not start: ${err instanceof Error ? err.message : String(err)}`);
  markFailed(); // keep the logs
  await stopAll().catch(() => undefined);
  process.exit(1);
});
