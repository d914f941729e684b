// Private CA delivery against the real kube-apiserver of the harness: the CA kept as a Secret (root
// key local unless asked), leaves as kubernetes.io/tls Secrets, the bundle ConfigMap, wiring into
// a vibectl-server Deployment (volume, mount, tls.cert_file/tls.key_file in its config), rotation
// updating what was delivered, and the init-container variant — whose script we also run here.
import { execFile } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../harness/index.js';
import type { KubeClient, KubeObject } from '../../src/core/kube/client.js';
import { path, R } from '../../src/core/kube/paths.js';
import { LocalCaStore } from '../../src/core/pki/ca-store.js';
import { ClusterCaStore } from '../../src/core/pki/ca-store-cluster.js';
import { initCa, issueCertificates, listCa } from '../../src/services/ca.js';
import { exportCa } from '../../src/services/ca-export.js';
import { deliverTlsSecret, wireInitContainer, wireSecretIntoWorkload } from '../../src/services/ca-deliver.js';
import { rotateCa } from '../../src/services/ca-rotate.js';
import { handshake, openssl, startServer, tempDir } from './ca-helpers.js';
import { builtCli, BUILD_TIMEOUT_MS, runCli } from '../cli/run.js';

const exec = promisify(execFile);

let cp: ControlPlane;
let admin: KubeClient;
let store: ClusterCaStore;
let localDir: string;

type Secret = KubeObject & { type?: string; data?: Record<string, string> };
type Deployment = KubeObject & { spec: { template: { metadata?: { annotations?: Record<string, string> }; spec: Record<string, unknown> & { containers: Array<Record<string, unknown>>; volumes?: Array<Record<string, unknown>>; initContainers?: Array<Record<string, unknown>> } } } };
const decode = (s: Secret, k: string) => Buffer.from(s.data![k]!, 'base64').toString('utf8');

async function ensureNamespace(name: string) {
  if (!(await admin.get(path(R.namespaces, { name })))) await admin.create(path(R.namespaces), { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

function deployment(o: { namespace: string; name: string; labels: Record<string, string>; container: string; configMap?: string }): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: o.name, namespace: o.namespace, labels: o.labels },
    spec: {
      selector: { matchLabels: { app: o.name } },
      template: {
        metadata: { labels: { app: o.name, ...o.labels } },
        spec: {
          containers: [
            {
              name: o.container,
              image: `ghcr.io/example/${o.name}:1.0`,
              ports: [{ containerPort: 50051 }],
              ...(o.configMap ? { volumeMounts: [{ name: 'config', mountPath: '/root/.config/vibectl/server' }] } : {}),
            },
          ],
          ...(o.configMap ? { volumes: [{ name: 'config', configMap: { name: o.configMap } }] } : {}),
        },
      },
    },
  };
}

beforeAll(async () => {
  cp = await startControlPlane();
  admin = await cp.client('admin');
  localDir = join(tempDir('ca-cluster'), 'ca');
  store = new ClusterCaStore({ kube: admin, local: new LocalCaStore({ dir: localDir }) });
  await initCa({ store });
  await ensureNamespace('llm');
  await ensureNamespace('apps');
});

afterAll(async () => {
  await cp?.stop();
});

beforeAll(() => builtCli(), BUILD_TIMEOUT_MS);

describe('the CA kept in the cluster', () => {
  it('is one Secret in vibectl-tls-system without the root key, which stays local', async () => {
    const s = (await admin.get<Secret>(path(R.secrets, { namespace: 'vibectl-tls-system', name: 'vibectl-tls-ca' })))!;
    expect(s.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('vibectl-tls');
    expect(Object.keys(s.data!).sort()).toEqual(['bundle.pem', 'ca.json', 'crl.pem', 'intermediate.crt', 'intermediate.key', 'root.crt']);
    expect(readFileSync(join(localDir, 'root.key'), 'utf8')).toContain('PRIVATE KEY');
    expect(existsSync(join(localDir, 'ca.json'))).toBe(false);
    const again = new ClusterCaStore({ kube: admin, local: new LocalCaStore({ dir: localDir }) });
    await expect(initCa({ store: again })).rejects.toMatchObject({ exitCode: 6 });
  });

  it('uploads the root key only with includeRootKey', async () => {
    const s2 = new ClusterCaStore({ kube: admin, namespace: 'ca-with-root', local: new LocalCaStore({ dir: join(tempDir('ca-cluster-root'), 'ca') }), includeRootKey: true });
    await initCa({ store: s2 });
    const s = (await admin.get<Secret>(path(R.secrets, { namespace: 'ca-with-root', name: 'vibectl-tls-ca' })))!;
    expect(Object.keys(s.data!)).toContain('root.key');
  });

  it('a user who may not read Secrets gets a forbidden error (exit 5), not a crash', async () => {
    const ro = new ClusterCaStore({ kube: await cp.client('readonly'), local: new LocalCaStore({ dir: localDir }) });
    await expect(listCa({ store: ro })).rejects.toMatchObject({ exitCode: 5 });
  });
});

describe('delivery', () => {
  it('a leaf as a kubernetes.io/tls Secret: tls.crt = chain, tls.key matches, ca.crt = bundle', async () => {
    const r = await issueCertificates({
      store,
      names: ['api.apps.svc'],
      sans: ['api.apps.svc.cluster.local'],
      noFiles: true,
      deliver: (leaf) => deliverTlsSecret({ kube: admin, namespace: 'apps', name: 'api-tls', chainPem: leaf.chainPem, keyPem: leaf.keyPem, caPem: leaf.bundlePem, serial: leaf.entry.serial }),
    });
    expect(r.issued[0]!.secret).toEqual({ namespace: 'apps', name: 'api-tls' });
    const s = (await admin.get<Secret>(path(R.secrets, { namespace: 'apps', name: 'api-tls' })))!;
    expect(s.type).toBe('kubernetes.io/tls');
    const chain = decode(s, 'tls.crt');
    expect(chain.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(new X509Certificate(chain).checkPrivateKey(createPrivateKey(decode(s, 'tls.key')))).toBe(true);
    expect(decode(s, 'ca.crt')).toBe((await exportCa({ store, format: 'pem' })).content.toString());
    const d = tempDir('ca-cluster-verify');
    writeFileSync(join(d, 'chain.pem'), chain);
    writeFileSync(join(d, 'ca.pem'), decode(s, 'ca.crt'));
    expect((await openssl(['verify', '-CAfile', join(d, 'ca.pem'), '-untrusted', join(d, 'chain.pem'), join(d, 'chain.pem')])).code).toBe(0);
  });

  it('refuses to write a Secret whose certificate does not match the key, and writes nothing', async () => {
    const a = await issueCertificates({ store, names: ['a.apps.svc'], noFiles: true });
    const b = await issueCertificates({ store, names: ['b.apps.svc'], noFiles: true });
    await expect(deliverTlsSecret({ kube: admin, namespace: 'apps', name: 'mismatch', chainPem: a.leaves[0]!.chainPem, keyPem: b.leaves[0]!.keyPem, caPem: a.leaves[0]!.bundlePem })).rejects.toMatchObject({ exitCode: 3 });
    expect(await admin.get(path(R.secrets, { namespace: 'apps', name: 'mismatch' }))).toBeNull();
  });

  it('the bundle ConfigMap is applied; a trust-manager Bundle is refused when trust-manager is absent', async () => {
    const r = await exportCa({ store, format: 'configmap', namespace: 'apps', kube: admin });
    expect(r.applied).toEqual({ kind: 'ConfigMap', name: 'vibectl-tls-ca-bundle', namespace: 'apps' });
    const cm = (await admin.get<KubeObject & { data: Record<string, string> }>(path(R.configmaps, { namespace: 'apps', name: 'vibectl-tls-ca-bundle' })))!;
    expect(cm.data['ca.crt']).toContain('BEGIN CERTIFICATE');
    await expect(exportCa({ store, format: 'bundle', kube: admin })).rejects.toMatchObject({ message: expect.stringContaining('trust-manager is not installed') });
  });

  it('applies a trust-manager Bundle once the trust-manager API is served', async () => {
    // trust-manager's own CRD is not available offline: a structural stand-in with the same name and scope.
    await admin.create(path(R.crds), {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'bundles.trust.cert-manager.io' },
      spec: {
        group: 'trust.cert-manager.io',
        scope: 'Cluster',
        names: { plural: 'bundles', singular: 'bundle', kind: 'Bundle', listKind: 'BundleList' },
        versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    const bundlePath = '/apis/trust.cert-manager.io/v1alpha1/bundles/vibectl-tls-ca-bundle';
    let r: Awaited<ReturnType<typeof exportCa>> | undefined;
    // The new API appears in discovery a moment after the CRD is created.
    for (let i = 0; i < 100 && !r; i++) {
      r = await exportCa({ store, format: 'bundle', kube: admin }).catch(async (err: { status?: number }) => {
        if (err.status !== 404) throw err;
        await new Promise((res) => setTimeout(res, 100));
        return undefined;
      });
    }
    expect(r?.applied).toEqual({ kind: 'Bundle', name: 'vibectl-tls-ca-bundle' });
    const b = (await admin.get<KubeObject & { spec: { sources: Array<{ inLine?: string }>; target: { configMap: { key: string } } } }>(bundlePath))!;
    expect(b.spec.sources[0]!.inLine).toBe(await store.read('bundle.pem'));
    expect(b.spec.target.configMap.key).toBe('ca.crt');
  });

  it('wires the Secret into vibectl-server: volume, mount, and tls.cert_file/tls.key_file in its config', async () => {
    await admin.create(path(R.configmaps, { namespace: 'llm' }), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'vibectl-server-config', namespace: 'llm' },
      data: { 'config.yaml': 'server:\n  port: 50051\ntls:\n  enabled: false\n  hsts:\n    max_age: 31536000\n' },
    });
    await admin.create(path(R.deployments, { namespace: 'llm' }), deployment({ namespace: 'llm', name: 'vibectl-server', labels: { 'app.kubernetes.io/name': 'vibectl-server' }, container: 'vibectl-server', configMap: 'vibectl-server-config' }));
    const issued = await issueCertificates({
      store,
      names: ['vibectl-server.llm.svc'],
      sans: ['vibectl-server', 'vibectl-server.llm.svc.cluster.local'],
      noFiles: true,
      deliver: (leaf) => deliverTlsSecret({ kube: admin, namespace: 'llm', name: 'vibectl-server-tls', chainPem: leaf.chainPem, keyPem: leaf.keyPem, caPem: leaf.bundlePem }),
    });
    const w = await wireSecretIntoWorkload({ kube: admin, namespace: 'llm', target: 'deployment/vibectl-server', secretName: 'vibectl-server-tls', rolloutToken: issued.issued[0]!.serial });
    expect(w.vibectlServer).toBe(true);
    expect(w.serverConfig?.configMap).toBe('llm/vibectl-server-config');
    const d = (await admin.get<Deployment>(path(R.deployments, { namespace: 'llm', name: 'vibectl-server' })))!;
    const pod = d.spec.template.spec;
    expect(pod.volumes).toContainEqual(expect.objectContaining({ name: 'tls-vibectl-server-tls', secret: expect.objectContaining({ secretName: 'vibectl-server-tls' }) }));
    expect(pod.volumes).toContainEqual(expect.objectContaining({ name: 'config' }));
    expect(pod.containers[0]!.volumeMounts).toContainEqual(expect.objectContaining({ name: 'tls-vibectl-server-tls', mountPath: '/etc/vibectl-server/tls', readOnly: true }));
    expect(d.spec.template.metadata?.annotations?.['vibectl-tls.dev/certificate']).toBe(issued.issued[0]!.serial);
    const cm = (await admin.get<KubeObject & { data: Record<string, string> }>(path(R.configmaps, { namespace: 'llm', name: 'vibectl-server-config' })))!;
    const config = parseYaml(cm.data['config.yaml']!) as { server: { port: number }; tls: Record<string, unknown> };
    expect(config.server.port).toBe(50051);
    expect(config.tls).toMatchObject({ enabled: true, cert_file: '/etc/vibectl-server/tls/tls.crt', key_file: '/etc/vibectl-server/tls/tls.key', ca_bundle_file: '/etc/vibectl-server/tls/ca.crt', hsts: { max_age: 31536000 } });
  });

  it('rotation re-issues the delivered Secrets and updates the published bundle ConfigMap', async () => {
    const before = (await admin.get<Secret>(path(R.secrets, { namespace: 'llm', name: 'vibectl-server-tls' })))!;
    const r = await rotateCa({ store, start: 'intermediate', kube: async () => admin });
    expect(r.reissued.map((c) => c.name)).toContain('vibectl-server.llm.svc');
    expect(r.published).toContain('ConfigMap apps/vibectl-tls-ca-bundle');
    const after = (await admin.get<Secret>(path(R.secrets, { namespace: 'llm', name: 'vibectl-server-tls' })))!;
    const serial = (s: Secret) => new X509Certificate(decode(s, 'tls.crt')).serialNumber;
    expect(serial(after)).not.toBe(serial(before));
    const inter = await store.read('intermediate.crt');
    expect(decode(after, 'tls.crt')).toContain(inter!.trim());
    expect(new X509Certificate(decode(after, 'tls.crt')).checkPrivateKey(createPrivateKey(decode(after, 'tls.key')))).toBe(true);
    const cm = (await admin.get<KubeObject & { data: Record<string, string> }>(path(R.configmaps, { namespace: 'apps', name: 'vibectl-tls-ca-bundle' })))!;
    expect(cm.data['ca.crt']).toBe(await store.read('bundle.pem'));
  });
});

describe('the init-container variant', () => {
  it('issues the pod certificate at start from the intermediate in a Secret, with Service names and pod IP', async () => {
    await admin.create(path(R.deployments, { namespace: 'apps' }), deployment({ namespace: 'apps', name: 'web', labels: {}, container: 'web' }));
    const w = await wireInitContainer({ kube: admin, store, namespace: 'apps', target: 'deployment/web', service: 'web' });
    expect(w.issuerSecret).toBe('vibectl-tls-issuer');
    const d = (await admin.get<Deployment>(path(R.deployments, { namespace: 'apps', name: 'web' })))!;
    const init = d.spec.template.spec.initContainers![0]! as { name: string; command: string[]; env: Array<{ name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }> };
    expect(init.name).toBe('vibectl-tls-issue');
    expect(init.env).toContainEqual({ name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } });
    expect(init.command.join(' ')).not.toMatch(/ca init|genpkey.*-x509/);
    expect(d.spec.template.spec.volumes).toContainEqual(expect.objectContaining({ name: 'vibectl-tls-pod-cert', emptyDir: expect.anything() }));
    expect(d.spec.template.spec.containers[0]!.volumeMounts).toContainEqual(expect.objectContaining({ name: 'vibectl-tls-pod-cert', mountPath: '/etc/tls/pod' }));
    const issuer = (await admin.get<Secret>(path(R.secrets, { namespace: 'apps', name: 'vibectl-tls-issuer' })))!;
    expect(decode(issuer, 'tls.crt')).toBe(await store.read('intermediate.crt'));
    expect(Object.keys(issuer.data!)).not.toContain('root.key');

    // Run the very script from the Deployment, with the Secret's files, as the kubelet would.
    const work = tempDir('ca-init');
    const caDir = join(work, 'issuer');
    const outDir = join(work, 'out');
    mkdirSync(caDir);
    mkdirSync(outDir);
    for (const k of ['tls.crt', 'tls.key', 'ca.crt']) writeFileSync(join(caDir, k), decode(issuer, k));
    const { stdout } = await exec(init.command[0]!, init.command.slice(1), { env: { ...process.env, NAMESPACE: 'apps', POD_IP: '127.0.0.1', CA_DIR: caDir, OUT_DIR: outDir } });
    expect(stdout).toContain('issued the pod certificate');
    const { out: text } = await openssl(['x509', '-in', join(outDir, 'tls.crt'), '-noout', '-text']);
    expect(text).toContain('DNS:web, DNS:web.apps, DNS:web.apps.svc, DNS:web.apps.svc.cluster.local, DNS:localhost, IP Address:127.0.0.1');
    expect(text).toMatch(/Extended Key Usage:\s+TLS Web Server Authentication/);
    const srv = await startServer({ cert: readFileSync(join(outDir, 'tls.crt')), key: readFileSync(join(outDir, 'tls.key')) });
    try {
      const r = await handshake({ port: srv.port, servername: 'web.apps.svc.cluster.local', ca: readFileSync(join(outDir, 'ca.crt')) });
      expect(r).toEqual({ ok: true, protocol: 'TLSv1.3', alpn: 'h2' });
    } finally {
      srv.server.close();
    }
  });
});

describe('the commands against the cluster', () => {
  it('ca init/issue --store cluster, --secret and --target: one Secret per leaf, workload wired, no key on disk or stdout', async () => {
    const caDir = join(tempDir('ca-cli-cluster'), 'ca');
    const kc = cp.kubeconfigPath;
    const cli = (...args: string[]) => runCli(['ca', ...args, '--store', 'cluster', '--ca-namespace', 'cli-ca', '--ca-dir', caDir, '--kubeconfig', kc], { env: { NO_COLOR: '1' }, timeoutMs: 60_000 });
    const init = await cli('init');
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('Secret cli-ca/vibectl-tls-ca (root key in');
    await admin.create(path(R.deployments, { namespace: 'apps' }), deployment({ namespace: 'apps', name: 'billing', labels: {}, container: 'billing' }));
    const issue = await cli('issue', 'billing.apps.svc', '--secret', 'billing-tls', '--target', 'deployment/billing', '-n', 'apps', '-o', 'json');
    expect(issue.code, issue.stderr).toBe(0);
    expect(issue.stdout + issue.stderr).not.toContain('PRIVATE KEY');
    const doc = JSON.parse(issue.stdout) as { issued: Array<{ secret: unknown; files?: unknown }>; wired: { workload: string; files: { cert: string } } };
    expect(doc.issued[0]!.secret).toEqual({ namespace: 'apps', name: 'billing-tls' });
    expect(doc.issued[0]!.files).toBeUndefined();
    expect(existsSync(join(caDir, 'leaves'))).toBe(false);
    expect(doc.wired).toMatchObject({ workload: 'deployment/billing', files: { cert: '/etc/tls/billing-tls/tls.crt' } });
    const s = (await admin.get<Secret>(path(R.secrets, { namespace: 'apps', name: 'billing-tls' })))!;
    expect(s.type).toBe('kubernetes.io/tls');
    const status = await cli('status', '-o', 'json');
    expect(status.code, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as { certificates: Array<{ name: string; secret?: unknown }> }).certificates.find((c) => c.name === 'billing.apps.svc')?.secret).toEqual({ namespace: 'apps', name: 'billing-tls' });
  });
});
