// doctor's Secret checks, scoping and inventory against a real kube-apiserver: Secrets are
// stored and read back through the API, paging and RBAC are the server's own.
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../harness/index.js';
import type { KubeClient } from '../../src/core/kube/client.js';
import { path, R } from '../../src/core/kube/paths.js';
import { runDoctor, runInventory, type DoctorReport } from '../../src/services/doctor.js';
import { tlsSecretInventory } from '../../src/core/inventory/tls-secrets.js';
import { TlsError } from '../../src/core/errors.js';
import { makePki, tlsSecretData, type TestPki } from '../support/doctor-pki.js';

const DAY = 86_400_000;
let cp: ControlPlane;
let admin: KubeClient;
let pki: TestPki;
const servers: net.Server[] = [];

async function namespace(name: string): Promise<void> {
  await admin.create(path(R.namespaces), { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

async function tlsSecret(ns: string, name: string, data: Record<string, string>, annotations: Record<string, string> = {}): Promise<void> {
  await admin.create(path(R.secrets, { namespace: ns }), { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name, namespace: ns, annotations }, data } as never);
}

const byCode = (r: DoctorReport, subject: string) => new Map(r.results.filter((x) => x.subject === subject).map((x) => [x.code, x]));

beforeAll(async () => {
  [cp, pki] = await Promise.all([startControlPlane(), makePki('Cluster Doctor')]);
  admin = await cp.client('admin');
}, 240_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await cp?.stop();
});

describe('doctor on Secrets in a real cluster', () => {
  it('checks every kubernetes.io/tls Secret of the namespace, and only those', async () => {
    await namespace('shop');
    const good = await pki.leaf({ cn: 'shop.test', dnsNames: ['shop.test'] });
    const expired = await pki.leaf({ cn: 'old.test', dnsNames: ['old.test'], notBefore: new Date(Date.now() - 90 * DAY), notAfter: new Date(Date.now() - DAY) });
    const other = await pki.leaf({ cn: 'x.test', dnsNames: ['x.test'] });
    await tlsSecret('shop', 'good', tlsSecretData({ cert: good.certPem + pki.intermediate.certPem, key: good.keyPem, ca: pki.root.certPem }));
    await tlsSecret('shop', 'expired', tlsSecretData({ cert: expired.certPem + pki.intermediate.certPem, key: expired.keyPem }));
    await tlsSecret('shop', 'mismatch', tlsSecretData({ cert: good.certPem + pki.intermediate.certPem, key: other.keyPem }));
    await admin.create(path(R.secrets, { namespace: 'shop' }), { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'not-tls' }, data: { password: 'eA==' } } as never);

    const r = await runDoctor({ kube: async () => admin, namespace: 'shop' });
    // The cluster subject (CLU/CM checks) comes first; the Secrets are the ones of this namespace.
    expect(r.subjects.filter((s) => s.kind === 'secret').map((s) => s.id).sort()).toEqual(['secret shop/expired', 'secret shop/good', 'secret shop/mismatch']);
    expect([...byCode(r, 'secret shop/good').values()].filter((x) => x.status !== 'ok')).toEqual([]);
    expect(byCode(r, 'secret shop/expired').get('SEC110')!.status).toBe('error');
    expect(byCode(r, 'secret shop/mismatch').get('SEC104')!.status).toBe('error');
    expect(r.success).toBe(false);
    expect(r.results.find((x) => x.code === 'SEC110')!.objects).toEqual([{ kind: 'Secret', namespace: 'shop', name: 'expired' }]);
  });

  it('--secret checks one Secret; a missing one is "could not run" (exit 8), not a finding', async () => {
    const r = await runDoctor({ kube: async () => admin, namespace: 'shop', secret: 'good' });
    expect(r.subjects.map((s) => s.id)).toEqual(['secret shop/good']);
    const err = await runDoctor({ kube: async () => admin, namespace: 'shop', secret: 'nope' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TlsError);
    expect((err as TlsError).exitCode).toBe(8);
    expect((err as TlsError).message).toContain('Secret shop/nope');
  });

  it('--ingress checks its Secrets against the hosts it serves (SEC107)', async () => {
    await namespace('web');
    const leaf = await pki.leaf({ cn: 'a.web.test', dnsNames: ['a.web.test'] });
    await tlsSecret('web', 'web-tls', tlsSecretData({ cert: leaf.certPem + pki.intermediate.certPem, key: leaf.keyPem }));
    await admin.create(path(R.ingresses, { namespace: 'web' }), {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web' },
      spec: { tls: [{ hosts: ['a.web.test', 'b.web.test'], secretName: 'web-tls' }], defaultBackend: { service: { name: 'web', port: { number: 80 } } } },
    } as never);
    const r = await runDoctor({ kube: async () => admin, namespace: 'web', ingress: 'web' });
    const sec107 = byCode(r, 'secret web/web-tls').get('SEC107')!;
    expect(sec107).toMatchObject({ status: 'error', message: 'does not cover b.web.test' });
    expect(sec107.objects).toContainEqual({ kind: 'Ingress', namespace: 'web', name: 'web' });
    expect(r.notes.join('\n')).toContain('no load-balancer address');
  });

  it('--target service/NAME scans the load-balancer ports the Service reports', async () => {
    await namespace('grpc');
    const leaf = await pki.leaf({ cn: 'vibectl.test', dnsNames: ['vibectl.test'], ips: ['127.0.0.1'] });
    const server = tls.createServer({ key: leaf.keyPem, cert: leaf.certPem + pki.intermediate.certPem, minVersion: 'TLSv1.3', ALPNProtocols: ['h2'] }, (s) => s.end());
    servers.push(server);
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as net.AddressInfo).port;
    const svcPath = path(R.services, { namespace: 'grpc', name: 'vibectl-server' });
    await admin.create(path(R.services, { namespace: 'grpc' }), {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'vibectl-server' },
      spec: { type: 'LoadBalancer', ports: [{ name: 'grpc', port, targetPort: 50051 }] },
    } as never);
    const svc = await admin.get<{ status?: unknown }>(svcPath);
    await admin.replace(`${svcPath}/status`, { ...(svc as object), status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } } } as never);
    const r = await runDoctor({ kube: async () => admin, namespace: 'grpc', target: 'service/vibectl-server' });
    expect(r.endpoints.map((e) => [e.endpoint, e.mode])).toEqual([[`127.0.0.1:${port}`, 'grpc']]);
    const c = byCode(r, `endpoint 127.0.0.1:${port}`);
    expect(c.get('GRPC101')!.status).toBe('ok');
    expect(c.get('GRPC102')!.status).toBe('ok');
    expect(c.get('TLS101')!.objects).toContainEqual({ kind: 'service', namespace: 'grpc', name: 'vibectl-server' });
  });

  it('--ca-bundle configmap/NAME:KEY: the bundle clients get from the cluster must verify the endpoint (TRU101/TRU102)', async () => {
    await namespace('trust');
    const leaf = await pki.leaf({ cn: 'api.trust.test', dnsNames: ['api.trust.test'] });
    const server = tls.createServer({ key: leaf.keyPem, cert: leaf.certPem + pki.intermediate.certPem }, (s) => s.end());
    servers.push(server);
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as net.AddressInfo).port;
    const other = await makePki('Somebody Else');
    await admin.create(path(R.configmaps, { namespace: 'trust' }), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'good-bundle' }, data: { 'ca.pem': pki.root.certPem } } as never);
    await admin.create(path(R.configmaps, { namespace: 'trust' }), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stale-bundle' }, data: { 'bundle.crt': other.root.certPem } } as never);
    const run = (bundle: string) => runDoctor({ kube: async () => admin, namespace: 'trust', endpoints: [`127.0.0.1:${port}/api.trust.test`], caBundleFile: bundle });
    const good = byCode(await run('configmap/good-bundle:ca.pem'), `endpoint 127.0.0.1:${port}/api.trust.test`);
    expect(good.get('TRU101')).toMatchObject({ status: 'ok', message: 'ConfigMap trust/good-bundle[ca.pem] holds Cluster Doctor Root' });
    expect(good.get('TRU102')!.status).toBe('ok');
    const stale = byCode(await run('configmap/stale-bundle'), `endpoint 127.0.0.1:${port}/api.trust.test`);
    expect(stale.get('TRU101')).toMatchObject({ status: 'error', message: expect.stringContaining('ConfigMap trust/stale-bundle[bundle.crt]') });
    expect(stale.get('TRU102')).toMatchObject({ status: 'error', message: expect.stringContaining('verification failed') });
    const missing = await run('configmap/nope').catch((e: unknown) => e);
    expect((missing as TlsError).exitCode).toBe(8);
  });

  it('a user who may not read Secrets gets the Secret checks skipped with the permission named, not an empty report', async () => {
    const readonly = await cp.client('readonly');
    const r = await runDoctor({ kube: async () => readonly, namespace: 'shop' });
    const skipped = r.results.filter((x) => x.subject === 'secrets in namespace shop');
    expect(skipped.map((x) => x.code)).toContain('SEC110');
    expect(new Set(skipped.map((x) => `${x.status} ${x.message}`))).toEqual(new Set(['skipped skipped: forbidden: list secrets in namespace shop']));
    // The command turns this into exit 5 (see docs/exit-codes.md).
    expect(r.forbidden).toEqual(['list secrets in namespace shop']);
    // --secret NAME asks for one Secret by name: still the forbidden error (exit 5).
    const err = await runDoctor({ kube: async () => readonly, namespace: 'shop', secret: 'good' }).catch((e: unknown) => e);
    expect((err as TlsError).exitCode).toBe(5);
  });
});

describe('doctor --inventory in a real cluster', () => {
  it('lists TLS Secrets across namespaces, paging, soonest expiry first, unreadable ones on top', async () => {
    await namespace('inv-a');
    await namespace('inv-b');
    const days = [40, 5, 200, 12, 90, 1, 60];
    for (const [i, d] of days.entries()) {
      const leaf = await pki.leaf({ cn: `s${i}.inv.test`, dnsNames: [`s${i}.inv.test`], notAfter: new Date(Date.now() + d * DAY + 3600_000) });
      await tlsSecret(i % 2 ? 'inv-a' : 'inv-b', `s${i}`, tlsSecretData({ cert: leaf.certPem, key: leaf.keyPem }), { 'cert-manager.io/certificate-name': `cert-${i}` });
    }
    await tlsSecret('inv-a', 'broken', { 'tls.crt': Buffer.from('garbage').toString('base64'), 'tls.key': '' });
    const rows = (await tlsSecretInventory({ kube: admin, namespace: undefined, now: new Date(), pageSize: 3 })).filter((r) => r.namespace.startsWith('inv-'));
    expect(rows.map((r) => r.name)).toEqual(['broken', 's5', 's1', 's3', 's0', 's6', 's4', 's2']);
    expect(rows[0]!.error).toBe('tls.crt has no PEM certificate');
    expect(rows[1]).toMatchObject({ namespace: 'inv-a', daysLeft: 1, issuer: 'Cluster Doctor Intermediate', sans: ['s5.inv.test'], certificate: 'cert-5' });

    const report = await runInventory({ kube: async () => admin, namespace: 'inv-b' });
    expect(report.scope).toBe('namespace inv-b');
    expect(report.secrets.map((r) => r.name)).toEqual(['s0', 's6', 's4', 's2']);
  });
});
