// Proof that the harness runs the real thing: the pinned kube-apiserver with RBAC and the real
// cert-manager CRDs and controllers, Pebble with ARI, BIND accepting only TSIG-signed updates, and the
// plugin's `context` command reading all of it.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  httpRequest,
  installCertManagerCRDs,
  loadManifest,
  program,
  startCertManagerController,
  startControlPlane,
  startDns,
  startPebble,
  stopAll,
  waitFor,
  type ControlPlane,
  type DnsServer,
  type InstalledCrds,
  type Pebble,
} from '../harness/index.js';
import { KubeApiError, type KubeClient, type KubeObject } from '../../src/core/kube/client.js';
import { path, R } from '../../src/core/kube/paths.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

let cp: ControlPlane;
let dns: DnsServer;
let pebble: Pebble;
let crds: InstalledCrds;
let admin: KubeClient;

beforeAll(async () => {
  cp = await startControlPlane();
  dns = await startDns({ zone: 'example.test.' });
  [crds, pebble] = await Promise.all([installCertManagerCRDs(cp), startPebble({ dnsServer: dns.hostPort })]);
  admin = await cp.client('admin');
});

afterAll(async () => {
  await stopAll();
});

describe('kube-apiserver', () => {
  it('the built kubectl reports the pinned version from /version', async () => {
    const kubectl = program('kubectl');
    const { stdout } = await run(kubectl.path, ['--kubeconfig', cp.kubeconfigPath, 'get', '--raw', '/version']);
    const v = JSON.parse(stdout) as { gitVersion: string };
    expect(v.gitVersion).toBe(program('kube-apiserver').version);
  });

  it('stores a Namespace and a kubernetes.io/tls Secret through the project KubeClient', async () => {
    await admin.create(path(R.namespaces), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'roundtrip' } });
    const data = { 'tls.crt': Buffer.from('cert').toString('base64'), 'tls.key': Buffer.from('key').toString('base64') };
    await admin.create(path(R.secrets, { namespace: 'roundtrip' }), {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'web-tls', namespace: 'roundtrip' },
      type: 'kubernetes.io/tls',
      data,
    });
    const back = await admin.get<KubeObject & { type?: string; data?: Record<string, string> }>(path(R.secrets, { namespace: 'roundtrip', name: 'web-tls' }));
    expect(back?.type).toBe('kubernetes.io/tls');
    expect(back?.data).toEqual(data);
    // The API server itself validates the type: a TLS Secret without tls.key is refused.
    await expect(
      admin.create(path(R.secrets, { namespace: 'roundtrip' }), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bad' }, type: 'kubernetes.io/tls', data: { 'tls.crt': data['tls.crt'] } }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it('the readonly user may list namespaces but is forbidden to create Secrets', async () => {
    const ro = await cp.client('readonly');
    const names = (await ro.list(path(R.namespaces))).map((n) => n.metadata?.name);
    expect(names).toContain('cert-manager');
    const err = await ro.create(path(R.secrets, { namespace: 'default' }), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'nope' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).status).toBe(403);
    expect(await ro.can({ verb: 'create', resource: 'secrets', namespace: 'default' })).toBe(false);
    expect(await admin.can({ verb: 'create', resource: 'secrets', namespace: 'default' })).toBe(true);
  });
});

describe('cert-manager CRDs', () => {
  const certificate = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'web', namespace: 'default' }, spec });

  it('installs the pinned CRDs, labelled with the cert-manager version', async () => {
    expect(crds.names).toEqual(expect.arrayContaining(['certificates.cert-manager.io', 'clusterissuers.cert-manager.io', 'orders.acme.cert-manager.io', 'challenges.acme.cert-manager.io']));
    const crd = await admin.get(path(R.crds, { name: 'certificates.cert-manager.io' }));
    expect(crd?.metadata?.labels?.['app.kubernetes.io/version']).toBe(loadManifest().programs['cert-manager-controller']?.version);
  });

  it('accepts a valid Certificate and rejects invalid ones by the real schema (server-side dry run)', async () => {
    const p = path(R.certificates, { namespace: 'default' });
    const ok = await admin.create(p, certificate({ secretName: 'web-tls', dnsNames: ['web.example.test'], issuerRef: { name: 'x', kind: 'ClusterIssuer' } }), { dryRun: true });
    expect(ok.metadata?.name).toBe('web');
    const missing = await admin.create(p, certificate({ dnsNames: ['web.example.test'], issuerRef: { name: 'x' } }), { dryRun: true }).catch((e: unknown) => e);
    expect((missing as KubeApiError).status).toBe(422);
    expect((missing as KubeApiError).message).toContain('spec.secretName');
    const wrongType = await admin.create(p, certificate({ secretName: 'web-tls', dnsNames: 'web.example.test', issuerRef: { name: 'x' } }), { dryRun: true }).catch((e: unknown) => e);
    expect((wrongType as KubeApiError).status).toBe(422);
    expect((wrongType as KubeApiError).message).toContain('spec.dnsNames');
  });
});

describe('Pebble', () => {
  it('advertises ARI (renewalInfo) and the configured profiles in its directory', async () => {
    const r = await httpRequest(pebble.directoryUrl, { ca: readFileSync(pebble.caFile, 'utf8') });
    expect(r.status).toBe(200);
    const dir = JSON.parse(r.body) as { renewalInfo?: string; meta?: { profiles?: Record<string, string> } };
    expect(dir.renewalInfo).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/.*renewalInfo$/);
    expect(Object.keys(dir.meta?.profiles ?? {}).sort()).toEqual(['classic', 'shortlived', 'tlsserver']);
    expect(await pebble.rootPem()).toContain('-----BEGIN CERTIFICATE-----');
  });

  it('refuses connections from clients that do not trust the fixture CA', async () => {
    await expect(httpRequest(pebble.directoryUrl)).rejects.toThrow(/certificate/i);
  });
});

describe('BIND (RFC2136)', () => {
  const name = '_acme-challenge.web.example.test.';

  it('applies a TSIG-signed nsupdate and serves the TXT record', async () => {
    expect(await dns.query(name, 'TXT')).toEqual([]);
    const r = await dns.nsupdate([`update add ${name} 5 TXT "token-1"`]);
    expect(r.code, r.stderr).toBe(0);
    expect(await dns.query(name, 'TXT')).toEqual(['token-1']);
    const { stdout } = await run('dig', ['+short', '-p', String(dns.port), '@127.0.0.1', name, 'TXT']);
    expect(stdout.trim()).toBe('"token-1"');
    // Names in the zone resolve to loopback, for Pebble's HTTP-01 checks.
    expect(await dns.query('anything.example.test', 'A')).toEqual(['127.0.0.1']);
  });

  it('refuses an update signed with the wrong key', async () => {
    const r = await dns.nsupdate([`update add ${name} 5 TXT "forged"`], { name: dns.tsig.name, secret: Buffer.alloc(32, 7).toString('base64') });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/BADSIG|NOTAUTH|TSIG/);
    expect(await dns.query(name, 'TXT')).not.toContain('forged');
  });
});

describe('cert-manager controller', () => {
  it('starts and makes a selfSigned ClusterIssuer Ready', async () => {
    const controller = await startCertManagerController(cp, { dnsServer: dns.hostPort });
    await admin.apply(path(R.clusterissuers, { name: 'selfsigned' }), { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'selfsigned' }, spec: { selfSigned: {} } });
    type Issuer = KubeObject & { status?: { conditions?: Array<{ type: string; status: string }> } };
    const ready = await waitFor(
      async () => {
        const ci = await admin.get<Issuer>(path(R.clusterissuers, { name: 'selfsigned' }));
        return ci?.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
      },
      { what: 'ClusterIssuer selfsigned Ready', proc: controller.process, timeoutMs: 60_000 },
    );
    expect(ready.status).toBe('True');
  });

  it('issues a certificate from Pebble, solving DNS-01 with an RFC2136 update to BIND', async () => {
    await admin.apply(path(R.secrets, { namespace: 'cert-manager', name: 'tsig' }), {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'tsig', namespace: 'cert-manager' },
      stringData: { secret: dns.tsig.secret },
    });
    await admin.apply(path(R.clusterissuers, { name: 'pebble' }), {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'pebble' },
      spec: {
        acme: {
          server: pebble.directoryUrl,
          caBundle: Buffer.from(readFileSync(pebble.caFile)).toString('base64'),
          privateKeySecretRef: { name: 'pebble-account' },
          solvers: [
            {
              // Upstream sleeps a fixed 60 s after its own DNS-01 self-check; tests skip the self-check.
              waitInsteadOfSelfCheck: '1s',
              dns01: { rfc2136: { nameserver: dns.hostPort, tsigKeyName: dns.tsig.name, tsigAlgorithm: 'HMACSHA256', tsigSecretSecretRef: { name: 'tsig', key: 'secret' } } },
            },
          ],
        },
      },
    });
    await admin.apply(path(R.certificates, { namespace: 'default', name: 'acme-web' }), {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'acme-web', namespace: 'default' },
      spec: { secretName: 'acme-web-tls', dnsNames: ['acme-web.example.test'], issuerRef: { name: 'pebble', kind: 'ClusterIssuer' } },
    });
    type Secret = KubeObject & { data?: Record<string, string> };
    const secret = await waitFor(async () => (await admin.get<Secret>(path(R.secrets, { namespace: 'default', name: 'acme-web-tls' })))?.data?.['tls.crt'], {
      what: 'Secret acme-web-tls issued by Pebble',
      timeoutMs: 120_000,
    });
    const pems = Buffer.from(secret, 'base64').toString('utf8').match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
    const [leaf, intermediate] = pems.map((p) => new X509Certificate(p));
    expect(leaf?.subjectAltName).toContain('DNS:acme-web.example.test');
    expect(leaf && intermediate && leaf.checkIssued(intermediate)).toBe(true);
    expect(intermediate?.checkIssued(new X509Certificate(await pebble.rootPem()))).toBe(true);
  });
});

describe('kubectl vibectl-tls context against this cluster', () => {
  const bin = join(root, 'bin', 'kubectl-vibectl_tls');

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'commands', 'context.js'))) await run('npm', ['run', '--silent', 'build'], { cwd: root });
    await admin.apply(path(R.ingressclasses, { name: 'nginx' }), {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
      spec: { controller: 'k8s.io/ingress-nginx' },
    });
    await admin.apply(path(R.ingressclasses, { name: 'traefik' }), { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'traefik' }, spec: { controller: 'traefik.io/ingress-controller' } });
    await admin.create(path(R.namespaces), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ctx' } });
    for (const n of ['a-tls', 'b-tls']) {
      await admin.create(path(R.secrets, { namespace: 'ctx' }), {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: n },
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': Buffer.from('c').toString('base64'), 'tls.key': Buffer.from('k').toString('base64') },
      });
    }
    await admin.create(path(R.secrets, { namespace: 'ctx' }), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'opaque' }, stringData: { x: 'y' } });
    await admin.create(path(R.deployments, { namespace: 'ctx' }), {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'vibectl-server' },
      spec: {
        selector: { matchLabels: { app: 'vibectl-server' } },
        template: { metadata: { labels: { app: 'vibectl-server' } }, spec: { containers: [{ name: 'server', image: 'example/vibectl-server:1', ports: [{ containerPort: 50051 }] }] } },
      },
    });
  });

  const context = async (user: 'admin' | 'readonly', extra: string[] = []) => {
    const { stdout } = await run('node', [bin, 'context', '-o', 'json', '--kubeconfig', cp.kubeconfigFor(user), '-n', 'ctx', ...extra], { cwd: root });
    return JSON.parse(stdout) as Record<string, { known: boolean; value?: Record<string, unknown> & unknown; reason?: string }> & { server: string; context: string };
  };

  it('reports the version, cert-manager, ingress classes, TLS Secrets and the vibectl-server Deployment (admin)', async () => {
    const f = await context('admin');
    expect(f.server).toBe(cp.server);
    expect(f.kubernetesVersion).toEqual({ known: true, value: program('kube-apiserver').version });
    expect(f.certManager).toMatchObject({ known: true, value: { installed: true, version: crds.version } });
    expect(f.ingressClasses).toMatchObject({ known: true, value: { default: 'nginx' } });
    expect((f.ingressClasses?.value as { names: string[] }).names.sort()).toEqual(['nginx', 'traefik']);
    expect(f.tlsSecrets).toEqual({ known: true, value: { count: 2, scope: 'namespace ctx' } });
    expect(f.vibectlServers).toMatchObject({ known: true, value: [{ kind: 'Deployment', namespace: 'ctx', name: 'vibectl-server', ports: [50051] }] });
  });

  it('says what it cannot read as the readonly user instead of failing', async () => {
    const f = await context('readonly');
    expect(f.kubernetesVersion).toEqual({ known: true, value: program('kube-apiserver').version });
    expect(f.tlsSecrets?.known).toBe(false);
    expect(f.tlsSecrets?.reason).toMatch(/no permission/);
    // `view` still lets it find workloads.
    expect(f.vibectlServers).toMatchObject({ known: true, value: [{ name: 'vibectl-server' }] });
    const { stdout } = await run('node', [bin, 'context', '--no-color', '--kubeconfig', cp.kubeconfigFor('readonly'), '-n', 'ctx'], { cwd: root });
    expect(stdout).toMatch(/TLS Secrets\s+unknown \(no permission/);
  });
});
