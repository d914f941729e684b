// doctor's cluster and cert-manager checks against a real kube-apiserver with the real cert-manager
// CRDs. Each trap is built as real objects (status written through the status subresource, so the
// CRD schema validates it), with no controller running, so nothing rewrites them; then the real
// controller issues one healthy Certificate that doctor must find clean. A read-only user sees the
// Secret checks skipped with the verb and resource named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAddonCRDs, installCertManagerCRDs, startCertManagerController, startControlPlane, stopAll, waitFor, type ControlPlane } from '../harness/index.js';
import type { KubeClient, KubeObject } from '../../src/core/kube/client.js';
import { path, R, type ResourceRef } from '../../src/core/kube/paths.js';
import { doctorRbac, runDoctor, type DoctorReport } from '../../src/services/doctor.js';
import { certificateStatusText } from '../../src/ui/text/cert-manager-status.js';
import { makePki, tlsSecretData } from '../support/doctor-pki.js';
import { runCli } from '../cli/run.js';
import { palette } from '../../src/ui/colors.js';

const NS = 'traps';
const HOUR = 3_600_000;
let cp: ControlPlane;
let admin: KubeClient;

const plain = palette(false);

type Obj = KubeObject & { status?: Record<string, unknown> };

async function create(ref: ResourceRef, body: Obj, status?: Record<string, unknown>): Promise<Obj> {
  const namespaced = ref !== R.clusterissuers;
  const created = await admin.create<Obj>(path(ref, { namespace: namespaced ? NS : undefined }), body);
  if (!status) return created;
  // Through the status subresource, as a controller writes it: the CRD schema validates it.
  return admin.request<Obj>('PUT', `${path(ref, { namespace: namespaced ? NS : undefined, name: created.metadata!.name! })}/status`, { body: { ...created, status } });
}

const cond = (type: string, status: string, reason: string, message = '') => ({ type, status, reason, message, lastTransitionTime: new Date(Date.now() - 600_000).toISOString().replace(/\.\d+Z$/, 'Z') });
const owner = (o: Obj) => [{ apiVersion: o.apiVersion!, kind: o.kind!, name: o.metadata!.name!, uid: o.metadata!.uid!, controller: true }];
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function certificate(name: string, issuer: { name: string; kind: string }, dnsNames = [`${name}.traps.test`]): Obj {
  return { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name }, spec: { secretName: `${name}-tls`, dnsNames, issuerRef: issuer } };
}

function request(name: string, cert: Obj, revision: number): Obj {
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'CertificateRequest',
    metadata: { name, ownerReferences: owner(cert), annotations: { 'cert-manager.io/certificate-revision': String(revision), 'cert-manager.io/certificate-name': cert.metadata!.name! } },
    spec: { request: Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\n-----END CERTIFICATE REQUEST-----\n').toString('base64'), issuerRef: { name: 'acme', kind: 'ClusterIssuer' } },
  };
}

/** Certificate → CertificateRequest (approved, pending) → Order → Challenge carrying `reason`. */
async function acmeChain(name: string, o: { type: 'HTTP-01' | 'DNS-01'; challengeReason?: string; orderState?: string; orderReason?: string; requestFailed?: string }): Promise<void> {
  const cert = await create(R.certificates, certificate(name, { name: 'acme', kind: 'ClusterIssuer' }), {
    conditions: [cond('Ready', 'False', 'DoesNotExist', 'Issuing certificate as Secret does not exist'), cond('Issuing', 'True', 'DoesNotExist', 'Issuing certificate as Secret does not exist')],
  });
  const cr = await create(R.certificaterequests, request(`${name}-1`, cert, 1), {
    conditions: [
      cond('Approved', 'True', 'cert-manager.io', 'Certificate request has been approved by cert-manager.io'),
      o.requestFailed ? cond('Ready', 'False', 'Failed', o.requestFailed) : cond('Ready', 'False', 'Pending', `Waiting on certificate issuance from order ${NS}/${name}-1-1: "pending"`),
    ],
  });
  const order = await create(
    R.orders,
    { apiVersion: 'acme.cert-manager.io/v1', kind: 'Order', metadata: { name: `${name}-1-1`, ownerReferences: owner(cr) }, spec: { request: (cr.spec as { request: string }).request, issuerRef: { name: 'acme', kind: 'ClusterIssuer' }, dnsNames: [`${name}.traps.test`] } },
    { state: o.orderState ?? 'pending', ...(o.orderReason ? { reason: o.orderReason } : {}), url: 'https://acme.test/order/1' },
  );
  if (!o.challengeReason) return;
  const solver = o.type === 'HTTP-01' ? { http01: { ingress: { ingressClassName: 'nginx' } } } : { dns01: { rfc2136: { nameserver: '127.0.0.1:53' } } };
  await create(
    R.challenges,
    {
      apiVersion: 'acme.cert-manager.io/v1',
      kind: 'Challenge',
      metadata: { name: `${name}-1-1-1`, ownerReferences: owner(order) },
      spec: { authorizationURL: 'https://acme.test/authz/1', dnsName: `${name}.traps.test`, issuerRef: { name: 'acme', kind: 'ClusterIssuer' }, key: 'k', solver, token: 't', type: o.type, url: 'https://acme.test/chall/1' },
    },
    { state: 'pending', presented: true, processing: true, reason: o.challengeReason },
  );
}

const byCode = (r: DoctorReport, subject: string) => new Map(r.results.filter((x) => x.subject === subject).map((x) => [x.code, x]));

beforeAll(async () => {
  cp = await startControlPlane();
  await Promise.all([installCertManagerCRDs(cp), installAddonCRDs(cp, ['gateway-api'])]);
  admin = await cp.client('admin');
  for (const name of [NS, 'cert-manager', 'healthy']) await admin.apply(path(R.namespaces, { name }), { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}, 240_000);

afterAll(async () => {
  await stopAll();
});

describe('doctor finds each cert-manager trap by code (objects on the real CRDs, no controller)', () => {
  let report: DoctorReport;

  beforeAll(async () => {
    const selfSigned = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', spec: { selfSigned: {} } };
    await create(R.clusterissuers, { ...selfSigned, metadata: { name: 'ready-ci' } }, { conditions: [cond('Ready', 'True', 'IsReady', '')] });
    await create(
      R.clusterissuers,
      { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'acme' }, spec: { acme: { server: 'https://acme.test/dir', privateKeySecretRef: { name: 'acme-key' }, solvers: [{ http01: { ingress: { class: 'nginx' } } }] } } },
      { conditions: [cond('Ready', 'True', 'ACMEAccountRegistered', 'The ACME account was registered with the ACME server')] },
    );
    await create(R.clusterissuers, { ...selfSigned, metadata: { name: 'broken-ci' } }, { conditions: [cond('Ready', 'False', 'ErrRegisterACMEAccount', 'Failed to register ACME account: 400 urn:ietf:params:acme:error:invalidContact')] });

    // Ready=True, but notAfter has passed.
    await create(R.certificates, certificate('expired', { name: 'ready-ci', kind: 'ClusterIssuer' }), {
      conditions: [cond('Ready', 'True', 'Ready', 'Certificate is up to date and has not expired')],
      notBefore: rfc3339(Date.now() - 90 * 24 * HOUR),
      notAfter: rfc3339(Date.now() - 24 * HOUR),
      renewalTime: rfc3339(Date.now() - 30 * 24 * HOUR),
      revision: 1,
    });
    // Backing off after a failure (second attempt, 10 minutes ago → 2 h backoff).
    await create(R.certificates, certificate('backoff', { name: 'ready-ci', kind: 'ClusterIssuer' }), {
      conditions: [cond('Ready', 'False', 'DoesNotExist', 'Issuing certificate as Secret does not exist'), cond('Issuing', 'False', 'Failed', 'The certificate request has failed to complete and will be retried: boom')],
      lastFailureTime: rfc3339(Date.now() - 600_000),
      failedIssuanceAttempts: 2,
    });
    await create(R.certificates, certificate('no-issuer', { name: 'missing-ci', kind: 'ClusterIssuer' }));
    await create(R.certificates, certificate('issuer-down', { name: 'broken-ci', kind: 'ClusterIssuer' }));
    // A request nobody approves (the built-in approver disabled, no policy).
    const unapproved = await create(R.certificates, certificate('unapproved', { name: 'ready-ci', kind: 'ClusterIssuer' }), {
      conditions: [cond('Ready', 'False', 'DoesNotExist', 'Issuing certificate as Secret does not exist'), cond('Issuing', 'True', 'DoesNotExist', 'Issuing certificate as Secret does not exist')],
    });
    await create(R.certificaterequests, request('unapproved-1', unapproved, 1));

    await acmeChain('http404', { type: 'HTTP-01', challengeReason: "Waiting for HTTP-01 challenge propagation: wrong status code '404', expected '200'" });
    await acmeChain('dnswait', { type: 'DNS-01', challengeReason: 'Waiting for DNS-01 challenge propagation: DNS record for "dnswait.traps.test" not yet propagated' });
    const limited = 'Failed to wait for order resource "ratelimited-1-1" to become ready: order is in "errored" state: Failed to create Order: 429 urn:ietf:params:acme:error:rateLimited: too many certificates (5) already issued for this exact set of identifiers in the last 168h0m0s';
    await acmeChain('ratelimited', { type: 'HTTP-01', orderState: 'errored', orderReason: 'Failed to create Order: 429 urn:ietf:params:acme:error:rateLimited: too many certificates (5) already issued', requestFailed: limited });

    // Ingresses: an annotation naming a missing issuer, a TLS Secret that does not exist, hosts not covered.
    const pki = await makePki('Trap PKI');
    const a = await pki.leaf({ cn: 'a.traps.test', dnsNames: ['a.traps.test'] });
    await admin.create(path(R.secrets, { namespace: NS }), { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'a-tls' }, data: tlsSecretData({ cert: a.certPem + pki.intermediate.certPem, key: a.keyPem }) } as never);
    const ingress = (name: string, tls: Array<{ hosts: string[]; secretName: string }>, annotations: Record<string, string> = {}) =>
      admin.create(path(R.ingresses, { namespace: NS }), {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name, annotations },
        spec: { ingressClassName: 'nginx', tls, rules: tls.flatMap((t) => t.hosts).map((host) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } })) },
      } as never);
    await ingress('shim-missing', [{ hosts: ['shim.traps.test'], secretName: 'shim-tls' }], { 'cert-manager.io/cluster-issuer': 'nope' });
    await ingress('no-secret', [{ hosts: ['x.traps.test'], secretName: 'absent-tls' }]);
    await ingress('uncovered', [{ hosts: ['a.traps.test', 'b.traps.test'], secretName: 'a-tls' }]);

    // Gateways: a listener whose Secret does not cover its hostname, and one whose Secret is missing.
    const gateway = (name: string, listeners: Array<{ name: string; hostname: string; secret: string }>) =>
      admin.create(path(R.gateways, { namespace: NS }), {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name },
        spec: { gatewayClassName: 'eg', listeners: listeners.map((l) => ({ name: l.name, hostname: l.hostname, port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: [{ name: l.secret }] } })) },
      } as never);
    await gateway('gw-uncovered', [{ name: 'a', hostname: 'a.traps.test', secret: 'a-tls' }, { name: 'c', hostname: 'c.traps.test', secret: 'a-tls' }]);
    await gateway('gw-missing', [{ name: 'https', hostname: 'm.traps.test', secret: 'gw-missing-tls' }]);

    report = await runDoctor({ kube: async () => admin, namespace: NS });
  }, 120_000);

  it('cluster: API and permissions pass; no Deployments and no webhook are said, not crashed on', () => {
    const c = byCode(report, report.subjects.find((s) => s.kind === 'cluster')!.id);
    expect(c.get('CLU101')).toMatchObject({ status: 'ok', message: expect.stringMatching(/^Kubernetes v1\./) });
    expect(c.get('CLU102')!.status).toBe('ok');
    expect(c.get('CM101')!.status).toBe('ok');
    expect(c.get('CM102')!.message).toMatch(/^cert-manager v1\.\d+/);
    expect(c.get('CM103')).toMatchObject({ status: 'warning', message: "cert-manager's Deployments not found (the controller may run elsewhere)" });
    // The harness runs no webhook: the dry run passes on the CRD schema alone, and CM105 says so.
    expect(c.get('CM104')!.status).toBe('ok');
    expect(c.get('CM105')).toMatchObject({ status: 'warning', message: expect.stringContaining('no ValidatingWebhookConfiguration') });
    expect(c.get('CM110')).toMatchObject({ status: 'error', message: 'not Ready: ClusterIssuer broken-ci' });
    expect(c.get('CM110')!.details.join('\n')).toContain('ErrRegisterACMEAccount');
    expect(c.get('CM111')).toMatchObject({ status: 'warning', message: expect.stringContaining('uses class "nginx"') });
  });

  it('Ready=True past notAfter (CRT102)', () => {
    const c = byCode(report, `certificate ${NS}/expired`);
    expect(c.get('CRT101')!.status).toBe('ok');
    expect(c.get('CRT102')).toMatchObject({ status: 'error', message: expect.stringMatching(/^Ready=True but status.notAfter .* passed 1d 0h ago$/) });
  });

  it('backing off after lastFailureTime, with the exact retry-now command that works (CRT103)', async () => {
    const c = byCode(report, `certificate ${NS}/backoff`);
    const f = c.get('CRT103')!;
    expect(f.status).toBe('error');
    expect(f.message).toMatch(/\(attempt 2\); cert-manager retries at .* \(in 1h (49|50)m\)$/);
    expect(f.details).toContain(`retry now: cmctl renew -n ${NS} backoff   (or: kubectl cert-manager renew -n ${NS} backoff)`);
    // The kubectl fallback is a real JSON patch on the status subresource: apply it as given.
    const patch = /-p '(.+)'$/.exec(f.details.find((d) => d.startsWith('without cmctl'))!)![1]!;
    await admin.request('PATCH', `${path(R.certificates, { namespace: NS, name: 'backoff' })}/status`, { body: patch, contentType: 'application/json-patch+json' });
    const after = byCode(await runDoctor({ kube: async () => admin, namespace: NS, certificate: 'backoff' }), `certificate ${NS}/backoff`);
    expect(after.get('CRT103')).toMatchObject({ status: 'ok', message: expect.stringContaining('issuing again') });
  });

  it('issuer missing, issuer not Ready (CRT104)', () => {
    expect(byCode(report, `certificate ${NS}/no-issuer`).get('CRT104')).toMatchObject({ status: 'error', message: 'ClusterIssuer missing-ci does not exist' });
    expect(byCode(report, `certificate ${NS}/issuer-down`).get('CRT104')).toMatchObject({ status: 'error', message: expect.stringContaining('ClusterIssuer broken-ci is not Ready: False (ErrRegisterACMEAccount)') });
    // A Certificate no controller has touched says so.
    expect(byCode(report, `certificate ${NS}/no-issuer`).get('CRT101')!.details).toContain('no conditions at all: no cert-manager controller has processed this Certificate (see CM103)');
  });

  it('request not approved (CRT105)', () => {
    expect(byCode(report, `certificate ${NS}/unapproved`).get('CRT105')).toMatchObject({ status: 'error', message: expect.stringMatching(/^CertificateRequest unapproved-1 \(revision 1\) is not approved after \d+s: nothing approved or denied it$/) });
  });

  it('HTTP-01 self-check 404 (CRT111), DNS-01 not propagated (CRT112), rate limited (CRT113)', () => {
    const h = byCode(report, `certificate ${NS}/http404`);
    expect(h.get('CRT111')).toMatchObject({ status: 'error', message: expect.stringContaining("wrong status code '404'") });
    expect(h.get('CRT111')!.details[0]).toMatch(/^cause: .*the solver Ingress has the wrong class/);
    expect(h.get('CRT112')!.status).toBe('ok');
    expect(h.get('CRT105')!.status).toBe('ok');
    const d = byCode(report, `certificate ${NS}/dnswait`);
    expect(d.get('CRT112')).toMatchObject({ status: 'error', message: expect.stringContaining('not yet propagated') });
    expect(d.get('CRT111')!.status).toBe('ok');
    const r = byCode(report, `certificate ${NS}/ratelimited`);
    expect(r.get('CRT113')).toMatchObject({ status: 'error', message: expect.stringContaining('urn:ietf:params:acme:error:rateLimited') });
    expect(r.get('CRT106')).toMatchObject({ status: 'error', message: expect.stringContaining('failed') });
    // Classified failures are not reported twice under the generic Order check.
    expect(r.get('CRT110')!.status).toBe('ok');
  });

  it('Ingress: issuer annotation naming a missing issuer (ING101), missing TLS Secret (ING102), hosts not covered (ING103)', () => {
    expect(byCode(report, `ingress ${NS}/shim-missing`).get('ING101')).toMatchObject({ status: 'error', message: expect.stringContaining('ClusterIssuer nope, which does not exist') });
    expect(byCode(report, `ingress ${NS}/no-secret`).get('ING102')).toMatchObject({ status: 'error', message: `spec.tls[0]: Secret ${NS}/absent-tls does not exist: nothing creates it` });
    const u = byCode(report, `ingress ${NS}/uncovered`);
    expect(u.get('ING102')!.status).toBe('ok');
    expect(u.get('ING103')).toMatchObject({ status: 'error', message: 'spec.tls[0]: Secret a-tls does not cover b.traps.test (it has a.traps.test)' });
    expect(report.success).toBe(false);
  });

  it('Gateway listeners: Secret missing (ING102), hostname not covered (ING103)', () => {
    expect(byCode(report, `gateway ${NS}/gw-missing`).get('ING102')).toMatchObject({ status: 'error', message: `listener https: Secret ${NS}/gw-missing-tls does not exist: nothing creates it` });
    expect(byCode(report, `gateway ${NS}/gw-missing`).get('ING103')!.status).toBe('skipped');
    expect(byCode(report, `gateway ${NS}/gw-uncovered`).get('ING103')).toMatchObject({ status: 'error', message: 'listener c: Secret a-tls does not cover c.traps.test (it has a.traps.test)' });
  });

  it('--certificate walks Certificate → CertificateRequest → Order → Challenge, with the last finished request', async () => {
    const cert = (await admin.get<Obj>(path(R.certificates, { namespace: NS, name: 'http404' })))!;
    // A finished earlier revision: cmctl would hide it once nothing is in flight.
    await admin.request('PUT', `${path(R.certificates, { namespace: NS, name: 'http404' })}/status`, { body: { ...cert, status: { ...cert.status, revision: 0 } } });
    await create(R.certificaterequests, request('http404-0', cert, 0), { conditions: [cond('Approved', 'True', 'cert-manager.io', 'approved'), cond('Ready', 'True', 'Issued', 'Certificate fetched from issuer successfully')] });
    const r = await runDoctor({ kube: async () => admin, namespace: NS, certificate: 'http404' });
    expect(r.certificates?.map((w) => w.name)).toEqual(['http404']);
    const w = r.certificates![0]!;
    expect(w.current!.name).toBe('http404-1');
    expect(w.lastFinished!.name).toBe('http404-0');
    const text = certificateStatusText(w, plain, new Date());
    expect(text).toContain(`Certificate ${NS}/http404`);
    expect(text).toContain('In flight: CertificateRequest http404-1');
    expect(text).toContain('Order http404-1-1');
    expect(text).toContain('Challenge http404-1-1-1');
    expect(text).toContain("reason: Waiting for HTTP-01 challenge propagation: wrong status code '404'");
    expect(text).toContain('Last finished: CertificateRequest http404-0');
    expect(text).toContain('Ready: True (Issued)');
  });
});

describe('doctor as a read-only user', () => {
  it('skips the Secret checks naming the verb and resource, and exits 5 (forbidden), without crashing', { timeout: 300_000 }, async () => {
    const readonly = await cp.client('readonly');
    const r = await runDoctor({ kube: async () => readonly, namespace: NS });
    const secrets = r.results.filter((x) => x.subject === `secrets in namespace ${NS}`);
    expect(secrets.length).toBeGreaterThan(5);
    expect(secrets.every((x) => x.status === 'skipped' && x.message === `skipped: forbidden: list secrets in namespace ${NS}`)).toBe(true);
    const clu102 = r.results.find((x) => x.code === 'CLU102')!;
    expect(clu102.status).toBe('warning');
    expect(clu102.details).toContain(`cannot list secrets in namespace ${NS}: Secret checks (SEC1xx) and Ingress TLS checks (ING102, ING103) skipped`);
    expect(r.forbidden).toContain(`list secrets in namespace ${NS}`);

    const out = await runCli(['doctor', '-n', NS, '--kubeconfig', cp.kubeconfigFor('readonly'), '-o', 'json'], { timeoutMs: 60_000 });
    expect(out.code, out.stderr).toBe(5);
    const doc = JSON.parse(out.stdout) as DoctorReport;
    expect(doc.kind).toBe('doctor');
    expect(doc.forbidden).toContain(`list secrets in namespace ${NS}`);
  });
});

describe("doctor's own --print-rbac ClusterRole", () => {
  it('is enough: bound to the read-only user, nothing in scope is forbidden and CLU102 passes', async () => {
    const role = doctorRbac();
    await admin.apply(`/apis/rbac.authorization.k8s.io/v1/clusterroles/${role.metadata!.name!}`, role);
    await admin.apply('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/vibectl-tls-doctor-test', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'vibectl-tls-doctor-test' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata!.name! },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'readonly' }],
    });
    const readonly = await cp.client('readonly');
    // RBAC changes reach the authorizer's cache shortly after the write.
    const r = await waitFor(
      async () => {
        const rep = await runDoctor({ kube: async () => readonly, namespace: NS });
        return rep.results.find((x) => x.code === 'CLU102')?.status === 'ok' ? rep : undefined;
      },
      { what: 'CLU102 ok for the bound user', timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(r.forbidden).toEqual([]);
    expect(r.results.filter((x) => x.message.startsWith('skipped: forbidden') && x.code !== 'CM104')).toEqual([]);
    // The dry-run create is the one thing a read-only role leaves out; it is named, not hidden.
    expect(r.results.find((x) => x.code === 'CM104')).toMatchObject({ status: 'skipped', message: 'skipped: forbidden: create certificates.cert-manager.io (dry run)' });
    expect(r.results.find((x) => x.code === 'CLU102')!.details.join('\n')).toContain('may not create certificates.cert-manager.io in namespace traps (not part of the read-only role)');
  });
});

describe('a Certificate issued by the real controller', () => {
  it('is reported clean', async () => {
    await startCertManagerController(cp);
    await admin.apply(path(R.clusterissuers, { name: 'selfsigned' }), { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'selfsigned' }, spec: { selfSigned: {} } });
    await admin.apply(path(R.certificates, { namespace: 'healthy', name: 'web' }), {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'web', namespace: 'healthy' },
      spec: { secretName: 'web-tls', dnsNames: ['web.healthy.test'], issuerRef: { name: 'selfsigned', kind: 'ClusterIssuer' } },
    });
    await waitFor(
      async () => {
        const c = await admin.get<Obj>(path(R.certificates, { namespace: 'healthy', name: 'web' }));
        // Settled: Ready, and the issuing controller has recorded the revision (Ready can come first).
        return (c?.status?.conditions as Array<{ type: string; status: string }> | undefined)?.some((x) => x.type === 'Ready' && x.status === 'True') && c?.status?.revision === 1;
      },
      { what: 'Certificate healthy/web Ready at revision 1', timeoutMs: 90_000, intervalMs: 500 },
    );
    const r = await runDoctor({ kube: async () => admin, namespace: 'healthy', certificate: 'web' });
    const mine = r.results.filter((x) => x.subject === 'certificate healthy/web' || x.subject === 'secret healthy/web-tls');
    expect(mine.filter((x) => x.status === 'error' || x.status === 'warning')).toEqual([]);
    expect(mine.find((x) => x.code === 'CRT101')!.status).toBe('ok');
    expect(mine.find((x) => x.code === 'CRT104')).toMatchObject({ status: 'ok', message: 'ClusterIssuer selfsigned is Ready' });
    expect(r.certificates![0]!.lastFinished?.conditions.some((c) => c.type === 'Ready' && c.status === 'True')).toBe(true);
    // The self-signed leaf has no chain to a trusted root: only the Secret's trust findings may remain, none for the Certificate.
  });
});

describe('cert-manager Deployments, when they run in the cluster', () => {
  it('names the one not ready (CM103) and CRDs older than the controller (CM102)', async () => {
    for (const [name, component, app] of [['cert-manager', 'controller', 'cert-manager'], ['cert-manager-webhook', 'webhook', 'webhook'], ['cert-manager-cainjector', 'cainjector', 'cainjector']] as const) {
      const labels = { 'app.kubernetes.io/name': app, 'app.kubernetes.io/instance': 'cert-manager', 'app.kubernetes.io/component': component, 'app.kubernetes.io/version': 'v1.99.0' };
      const d = await admin.create<Obj>(path(R.deployments, { namespace: 'cert-manager' }), {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, labels },
        spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: `quay.io/jetstack/${name}:v1.99.0` }] } } },
      });
      // No kubelet here: write the readiness a Deployment controller would report.
      const ready = component === 'webhook' ? 0 : 1;
      await admin.request('PUT', `${path(R.deployments, { namespace: 'cert-manager', name })}/status`, { body: { ...d, status: { replicas: 1, readyReplicas: ready, availableReplicas: ready, updatedReplicas: 1 } } });
    }
    const r = await runDoctor({ kube: async () => admin, namespace: 'healthy' });
    const c = byCode(r, r.subjects.find((s) => s.kind === 'cluster')!.id);
    expect(c.get('CM103')).toMatchObject({ status: 'warning', message: 'not ready: cert-manager/cert-manager-webhook' });
    expect(c.get('CM103')!.details).toContain('cert-manager/cert-manager (controller): 1/1 ready');
    expect(c.get('CM102')).toMatchObject({ status: 'warning', message: expect.stringMatching(/^CRDs are v1\.21\.\d+, the controller is v1\.99\.0/) });
  });
});
