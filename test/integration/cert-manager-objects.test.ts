// Every object the cert-manager service generates, sent to a real kube-apiserver with the real
// cert-manager CRDs: server-side dry run of all variants, idempotent apply (second run unchanged),
// a field diff on changed input, --dry-run never writing, one bad object stopping the whole plan,
// version detection from the installed CRDs (including CRDs older than the controller), and
// `trust sync` keeping ConfigMaps current.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, installCertManagerCRDs, startControlPlane, stopAll, type ControlPlane } from '../harness/index.js';
import type { KubeClient, KubeObject } from '../../src/core/kube/client.js';
import { path, R } from '../../src/core/kube/paths.js';
import { applyPlan } from '../../src/core/kube/apply-plan.js';
import { detectCertManager } from '../../src/core/cert-manager/version.js';
import { buildCertManagerPlan, CertManagerNotInstalledError, planCertManager, type CertManagerOptions } from '../../src/services/cert-manager.js';
import type { SolverInput } from '../../src/core/manifests/cert-manager/issuer.js';
import { trustSync } from '../../src/services/trust.js';
import { BUILD_TIMEOUT_MS, builtCli, runCli } from '../cli/run.js';

let cp: ControlPlane;
let admin: KubeClient;
let caPem: string;
let caKeyPem: string;
const TSIG = Buffer.alloc(32, 3).toString('base64');

async function ns(name: string): Promise<void> {
  await admin.apply(path(R.namespaces, { name }), { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

beforeAll(async () => {
  cp = await startControlPlane();
  admin = await cp.client('admin');
  // Before the CRDs: the service must say cert-manager is missing and offer the command, not install it.
  await expect(planCertManager(admin, { issuer: { type: 'selfsigned-bootstrap', kind: 'ClusterIssuer', name: 'x', caCommonName: 'x' } })).rejects.toBeInstanceOf(CertManagerNotInstalledError);
  await installCertManagerCRDs(cp);
  for (const n of ['cert-manager', 'web', 'api', 'monitoring']) await ns(n);
  const ca = await createCa('vibectl-tls objects test CA');
  caPem = ca.certPem;
  caKeyPem = ca.keyPem;
});

afterAll(async () => {
  await stopAll();
});

const allSolvers: SolverInput[] = [
  { type: 'http01', via: 'ingress', ingressClassName: 'nginx', selector: { dnsNames: ['a.example.com'] } },
  { type: 'http01', via: 'ingress-class-annotation', class: 'traefik', selector: { dnsNames: ['b.example.com'] } },
  { type: 'http01', via: 'gateway', gateway: { name: 'public', namespace: 'infra', sectionName: 'http' }, selector: { dnsNames: ['c.example.com'] } },
  { type: 'dns01', provider: 'rfc2136', nameserver: '127.0.0.1:5353', tsigKeyName: 'acme.', tsigSecret: TSIG, selector: { dnsZones: ['rfc.example.com'] } },
  { type: 'dns01', provider: 'route53', region: 'eu-west-1', hostedZoneId: 'Z1', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 's3cr3t', selector: { dnsZones: ['aws.example.com'] } },
  { type: 'dns01', provider: 'route53', region: 'eu-west-1', role: 'arn:aws:iam::123456789012:role/dns', selector: { dnsZones: ['irsa.example.com'] } },
  { type: 'dns01', provider: 'clouddns', project: 'my-project-1', serviceAccountJson: '{"type":"service_account"}', selector: { dnsZones: ['gcp.example.com'] } },
  { type: 'dns01', provider: 'azuredns', subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroup: 'rg', hostedZoneName: 'az.example.com', managedIdentityClientId: 'cid', selector: { dnsZones: ['az.example.com'] } },
  { type: 'dns01', provider: 'azuredns', subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroup: 'rg', hostedZoneName: 'sp.example.com', clientId: 'app', clientSecret: 'pw', tenantId: 't', selector: { dnsZones: ['sp.example.com'] } },
  { type: 'dns01', provider: 'cloudflare', apiToken: 'cf_' + 'a'.repeat(37), selector: { dnsZones: ['cf.example.com'] } },
];

describe('server-side dry run against the real CRDs', () => {
  it('every issuer variant, every solver, Certificates, the Ingress patch and trust ConfigMaps are accepted; nothing is written', async () => {
    const caps = await detectCertManager(admin);
    // The user's Ingress, made by someone else (kubectl create): our patch must keep its rules.
    await admin.request('POST', path(R.ingresses, { namespace: 'web' }), {
      query: { fieldManager: 'kubectl-create' },
      body: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'shop', namespace: 'web' },
        spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop', port: { number: 80 } } } }] } }] },
      },
    });
    const ingress = await admin.get<KubeObject>(path(R.ingresses, { namespace: 'web', name: 'shop' }));
    const plans: CertManagerOptions[] = [
      { issuer: { type: 'acme', kind: 'ClusterIssuer', name: 'le-all', server: 'letsencrypt', email: 'ops@example.com', solvers: allSolvers }, capabilities: caps },
      { issuer: { type: 'acme', kind: 'ClusterIssuer', name: 'staging', server: 'letsencrypt-staging', solvers: [allSolvers[0]!] }, capabilities: caps },
      { issuer: { type: 'acme', kind: 'ClusterIssuer', name: 'zerossl', server: 'zerossl', eab: { keyId: 'kid', hmacKey: Buffer.alloc(32, 1).toString('base64url') }, solvers: [allSolvers[3]!] }, capabilities: caps },
      { issuer: { type: 'acme', kind: 'Issuer', namespace: 'web', name: 'gts', server: 'google', eab: { keyId: 'kid', hmacKey: Buffer.alloc(32, 2).toString('base64') }, solvers: [allSolvers[9]!] }, capabilities: caps },
      {
        issuer: { type: 'acme', kind: 'ClusterIssuer', name: 'private-acme', server: 'https://acme.internal.example/directory', caBundlePem: caPem, profile: 'tlsserver', solvers: [allSolvers[0]!] },
        certificate: { name: 'app', namespace: 'web', secretName: 'app-tls', dnsNames: ['app.example.com', '*.app.example.com'], ipAddresses: ['10.0.0.1'], keyAlgorithm: 'rsa-3072', durationMs: 30 * 86_400_000, renewBeforeMs: 10 * 86_400_000, usages: ['server auth', 'client auth'] },
        capabilities: caps,
      },
      { issuer: { type: 'ca', kind: 'ClusterIssuer', name: 'private-ca', secretName: 'private-ca', keyPair: { certPem: caPem, keyPem: caKeyPem } }, ingress: { ingress: ingress!, keyAlgorithm: 'ecdsa-p384', rotationPolicy: 'Always' }, capabilities: caps },
      { issuer: { type: 'selfsigned-bootstrap', kind: 'ClusterIssuer', name: 'internal', caCommonName: 'Internal CA' }, trust: { caPem, namespaces: ['web', 'api'], via: 'configmap' }, capabilities: caps },
      { issuer: { type: 'selfsigned-bootstrap', kind: 'Issuer', namespace: 'api', name: 'ns-internal', caCommonName: 'NS CA' }, certificate: { name: 'svc', namespace: 'api', secretName: 'svc-tls', dnsNames: ['svc.api.svc'] }, capabilities: caps },
    ];
    let count = 0;
    for (const o of plans) {
      const plan = await buildCertManagerPlan(o);
      const result = await applyPlan(admin, plan, { dryRun: true });
      expect(result.changes.map((c) => c.action).filter((a) => a !== 'create' && a !== 'update')).toEqual([]);
      count += plan.objects.length;
    }
    expect(count).toBeGreaterThanOrEqual(20);
    // dry run: nothing was created
    expect(await admin.get(path(R.clusterissuers, { name: 'le-all' }))).toBeNull();
    expect(await admin.get(path(R.secrets, { namespace: 'cert-manager', name: 'le-all-rfc2136-tsig' }))).toBeNull();
    const shop = await admin.get<KubeObject>(path(R.ingresses, { namespace: 'web', name: 'shop' }));
    expect(shop?.metadata?.annotations?.['cert-manager.io/cluster-issuer']).toBeUndefined();
  });

  it('the Ingress annotation path applied for real keeps the user\'s rules, and is idempotent', async () => {
    const ingress = (await admin.get<KubeObject>(path(R.ingresses, { namespace: 'web', name: 'shop' })))!;
    const o: CertManagerOptions = { issuer: { type: 'ca', kind: 'ClusterIssuer', name: 'shop-ca', secretName: 'shop-ca', keyPair: { certPem: caPem, keyPem: caKeyPem } }, ingress: { ingress } };
    const first = await planCertManager(admin, o);
    expect(first.result.changes.map((c) => `${c.action} ${c.ref}`)).toEqual(['create Secret cert-manager/shop-ca', 'create ClusterIssuer shop-ca', 'update Ingress web/shop']);
    expect(first.result.changes[2]!.changes.map((c) => `${c.op} ${c.path}`)).toEqual(['add metadata.annotations."cert-manager.io/cluster-issuer"', 'add spec.tls[0].hosts[0]', 'add spec.tls[0].secretName']);
    type Ing = KubeObject & { spec: { rules: Array<{ host: string }>; tls: Array<{ hosts: string[]; secretName: string }> } };
    const live = (await admin.get<Ing>(path(R.ingresses, { namespace: 'web', name: 'shop' })))!;
    expect(live.spec.rules.map((r) => r.host)).toEqual(['shop.example.com']);
    expect(live.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]);
    expect(live.metadata?.annotations?.['cert-manager.io/cluster-issuer']).toBe('shop-ca');
    expect(live.metadata?.labels?.['app.kubernetes.io/managed-by']).toBeUndefined();
    const again = await planCertManager(admin, { ...o, ingress: { ingress: live } });
    expect(again.result.summary).toBe('no changes: all 3 objects are already as desired');
  });

  it('one invalid object stops the whole plan before anything is written, naming the object and the field', async () => {
    const plan = await buildCertManagerPlan({ issuer: { type: 'selfsigned-bootstrap', kind: 'ClusterIssuer', name: 'half', caCommonName: 'Half CA' } });
    const bad: KubeObject = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'bad', namespace: 'web' }, spec: { secretName: 'bad', issuerRef: { name: 'half' }, privateKey: { algorithm: 'DSA' } } };
    await expect(applyPlan(admin, { objects: [...plan.objects, bad] })).rejects.toThrow(/refused 1 of 4 objects; nothing was applied:\n {2}Certificate web\/bad: .*spec.privateKey.algorithm/);
    expect(await admin.get(path(R.clusterissuers, { name: 'half-selfsigned' }))).toBeNull();
  });

  it('a field the CRD does not know is refused (strict field validation), not silently dropped', async () => {
    const typo: KubeObject = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'typo' }, spec: { selfSigned: {}, selfsigned: {} } };
    await expect(applyPlan(admin, { objects: [typo] }, { dryRun: true })).rejects.toThrow(/ClusterIssuer typo: .*\.spec\.selfsigned: field not declared in schema/);
  });

  it('a kind the cluster does not serve is named with the way out', async () => {
    const plan = await buildCertManagerPlan({ issuer: { type: 'selfsigned-bootstrap', kind: 'ClusterIssuer', name: 'x', caCommonName: 'x' }, alerts: { namespace: 'monitoring', via: 'prometheus-rule' } });
    await expect(applyPlan(admin, plan, { dryRun: true })).rejects.toThrow(/PrometheusRule .*does not serve monitoring.coreos.com\/v1 PrometheusRule.*write the alert rules to a file/);
  });
});

describe('apply: idempotent and explained', () => {
  const acme = (email: string): CertManagerOptions => ({
    issuer: { type: 'acme', kind: 'ClusterIssuer', name: 'le', server: 'letsencrypt', email, solvers: [allSolvers[0]!, allSolvers[3]!] },
    certificate: { name: 'app', namespace: 'web', secretName: 'app-tls', dnsNames: ['app.example.com'] },
  });

  it('first apply creates, the second changes nothing and says so', async () => {
    const first = await planCertManager(admin, acme('ops@example.com'));
    expect(first.result.changes.map((c) => `${c.action} ${c.ref}`)).toEqual(['create Secret cert-manager/le-rfc2136-tsig', 'create ClusterIssuer le', 'create Certificate web/app']);
    const live = await admin.get<KubeObject & { spec: { acme: { email: string } } }>(path(R.clusterissuers, { name: 'le' }));
    expect(live?.spec.acme.email).toBe('ops@example.com');
    expect(JSON.stringify(live?.metadata?.['managedFields'])).toContain('"manager":"vibectl-tls"');
    const second = await planCertManager(admin, acme('ops@example.com'));
    expect(second.result.changes.map((c) => c.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(second.result.summary).toBe('no changes: all 3 objects are already as desired');
  });

  it('a changed input shows the field diff first (dry run writes nothing), then applies it', async () => {
    const preview = await planCertManager(admin, acme('security@example.com'), { dryRun: true });
    const issuer = preview.result.changes.find((c) => c.kind === 'ClusterIssuer')!;
    expect(issuer.action).toBe('update');
    expect(issuer.changes).toEqual([{ path: 'spec.acme.email', op: 'change', before: 'ops@example.com', after: 'security@example.com' }]);
    expect(preview.result.summary).toBe('1 would be updated, 2 unchanged');
    const still = await admin.get<KubeObject & { spec: { acme: { email: string } } }>(path(R.clusterissuers, { name: 'le' }));
    expect(still?.spec.acme.email).toBe('ops@example.com');
    const applied = await planCertManager(admin, acme('security@example.com'));
    expect(applied.result.summary).toBe('1 updated, 2 unchanged');
    const now = await admin.get<KubeObject & { spec: { acme: { email: string } } }>(path(R.clusterissuers, { name: 'le' }));
    expect(now?.spec.acme.email).toBe('security@example.com');
  });

  it('a changed credential shows as changed without revealing either value', async () => {
    const o = acme('security@example.com');
    const solvers = [allSolvers[0]!, { ...allSolvers[3]!, tsigSecret: Buffer.alloc(32, 4).toString('base64') } as SolverInput];
    const r = await planCertManager(admin, { ...o, issuer: { ...o.issuer, solvers } as CertManagerOptions['issuer'] }, { dryRun: true });
    const secret = r.result.changes.find((c) => c.kind === 'Secret')!;
    expect(secret.changes).toEqual([{ path: 'data.tsig-secret', op: 'change', before: '<secret>', after: '<secret>' }]);
  });
});

describe('version awareness from the installed CRDs', () => {
  it('reads the version and fields of the harness cert-manager', async () => {
    const caps = await detectCertManager(admin);
    expect(caps.installed).toBe(true);
    expect(caps.version).toMatch(/^v1\.\d+\.\d+/);
    expect(caps.fields).toEqual({ acmeProfile: true, acmeCaBundle: true, http01IngressClassName: true, http01GatewayParentRefs: true });
  });

  it('refuses acme.profile when the CRD lacks it, even though the version label says 1.21 (CRDs not upgraded)', async () => {
    type Crd = KubeObject & { spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: { properties: { spec: { properties: { acme: { properties: Record<string, unknown> } } } } } } }> } };
    const crdPath = path(R.crds, { name: 'clusterissuers.cert-manager.io' });
    const crd = (await admin.get<Crd>(crdPath))!;
    const original = structuredClone(crd);
    delete crd.spec.versions[0]!.schema.openAPIV3Schema.properties.spec.properties.acme.properties.profile;
    await admin.replace(crdPath, crd);
    try {
      const o: CertManagerOptions = { issuer: { type: 'acme', kind: 'ClusterIssuer', name: 'old', server: 'letsencrypt', profile: 'shortlived', solvers: [allSolvers[0]!] } };
      await expect(planCertManager(admin, o, { dryRun: true })).rejects.toThrow(/should have spec.acme.profile, but the installed ClusterIssuer CRD does not: the CRDs are older than the controller/);
      // without the profile the same plan goes through
      const ok = await planCertManager(admin, { issuer: { ...o.issuer, profile: undefined } as CertManagerOptions['issuer'] }, { dryRun: true });
      expect(ok.result.changes.map((c) => c.action)).toEqual(['create']);
    } finally {
      const fresh = (await admin.get<Crd>(crdPath))!;
      await admin.replace(crdPath, { ...original, metadata: { ...original.metadata, resourceVersion: fresh.metadata?.resourceVersion } });
    }
  });
});

describe('trust sync (no trust-manager)', () => {
  it('creates the bundle ConfigMaps, refreshes them after a CA change, and prunes a namespace no longer named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trust-'));
    writeFileSync(join(dir, 'root.crt'), caPem);
    const first = await trustSync(admin, { ca: { dir }, namespaces: ['web', 'api'] });
    expect(first.changes.map((c) => `${c.action} ${c.ref}`)).toEqual(['create ConfigMap api/vibectl-tls-ca-bundle', 'create ConfigMap web/vibectl-tls-ca-bundle']);
    const cm = await admin.get<KubeObject & { data: Record<string, string> }>(path(R.configmaps, { namespace: 'web', name: 'vibectl-tls-ca-bundle' }));
    expect(cm?.data['ca.crt']).toBe(caPem.trim() + '\n');

    // rotate: bundle.pem now holds the new and the old root; no namespaces named = the ones that have it
    const next = await createCa('vibectl-tls objects test CA 2');
    writeFileSync(join(dir, 'bundle.pem'), next.certPem + caPem);
    const dry = await trustSync(admin, { ca: { dir }, dryRun: true });
    expect(dry.changes.map((c) => c.action)).toEqual(['update', 'update']);
    expect(dry.changes[0]!.changes[0]).toMatchObject({ path: 'data."ca.crt"', op: 'change' });
    const refreshed = await trustSync(admin, { ca: { dir } });
    expect(refreshed.summary).toBe('2 updated');
    expect((await trustSync(admin, { ca: { dir } })).summary).toBe('no changes: all 2 objects are already as desired');

    const pruned = await trustSync(admin, { ca: { dir }, namespaces: ['web'], prune: true });
    expect(pruned.pruned).toEqual(['api']);
    expect(await admin.get(path(R.configmaps, { namespace: 'api', name: 'vibectl-tls-ca-bundle' }))).toBeNull();
    await expect(trustSync(admin, { ca: { dir }, namespaces: ['nope'] })).rejects.toThrow(/namespace nope does not exist/);
  });
});

describe('trust sync and `ca export --format configmap`', () => {
  it('refreshes a bundle ConfigMap written by ca export (managed-by label only) as one of its own', async () => {
    await ns('exported');
    await admin.create(path(R.configmaps, { namespace: 'exported' }), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'vibectl-tls-ca-bundle', labels: { 'app.kubernetes.io/managed-by': 'vibectl-tls' } },
      data: { 'ca.crt': 'stale' },
    });
    const r = await trustSync(admin, { ca: { pem: caPem }, dryRun: true });
    expect(r.namespaces).toContain('exported');
    expect(r.changes.find((c) => c.namespace === 'exported')?.changes).toEqual([
      { path: 'metadata.labels."vibectl-tls.io/trust-bundle"', op: 'add', after: 'vibectl-tls-ca-bundle' },
      { path: 'metadata.labels."vibectl-tls.io/component"', op: 'add', after: 'trust' },
      { path: 'data."ca.crt"', op: 'change', before: 'stale', after: caPem.trim() + '\n' },
    ]);
  });
});

describe('kubectl vibectl-tls trust sync (the binary)', () => {
  beforeAll(() => builtCli(), BUILD_TIMEOUT_MS);

  it('shows the plan, applies it, and the second run says nothing changed; --dry-run writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trust-cli-'));
    writeFileSync(join(dir, 'ca.pem'), caPem);
    await ns('cli-a');
    const base = ['trust', 'sync', '--kubeconfig', cp.kubeconfigPath, '--ca-file', join(dir, 'ca.pem'), '--target-namespace', 'cli-a', '--bundle', 'cli-bundle'];
    const dry = await runCli([...base, '--dry-run']);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('+ ConfigMap cli-a/cli-bundle would be created');
    expect(dry.stdout).toContain('1 would be created (dry run: nothing written)');
    expect(await admin.get(path(R.configmaps, { namespace: 'cli-a', name: 'cli-bundle' }))).toBeNull();

    const first = await runCli([...base, '-o', 'json']);
    expect(first.code).toBe(0);
    const doc = JSON.parse(first.stdout) as { created: number; namespaces: string[] };
    expect(doc).toMatchObject({ created: 1, namespaces: ['cli-a'] });
    const second = await runCli(base);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('= ConfigMap cli-a/cli-bundle unchanged');
    expect(second.stdout).toContain('no changes: all 1 object is already as desired');

    const missing = await runCli(['trust', 'sync', '--kubeconfig', cp.kubeconfigPath, '--ca-file', join(dir, 'nope.pem'), '--target-namespace', 'cli-a']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^error: no CA certificate found \(looked for .*nope\.pem\)\n {2}next: check the path given to --ca-file/);
  });
});
