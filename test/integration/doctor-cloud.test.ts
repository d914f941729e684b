// doctor's cloud-path traps (CLD1xx) against a real kube-apiserver: ALB Ingresses and Nodes with
// region labels through the core API, GKE ManagedCertificates/FrontendConfigs and AKS
// SecretProviderClasses on minimal CRDs written here, with status set through the /status
// subresource as the cloud controllers would. The real CRDs are not available as Go modules from
// the proxy here (sigs.k8s.io/secrets-store-csi-driver, github.com/kubernetes-sigs/secrets-store-csi-driver
// and github.com/GoogleCloudPlatform/gke-managed-certs all answer 403), so these schemas preserve
// unknown fields; the checks read only fields the real CRDs define.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, stopAll, waitFor, type ControlPlane } from '../harness/index.js';
import type { KubeClient, KubeObject } from '../../src/core/kube/client.js';
import { path, R, type ResourceRef } from '../../src/core/kube/paths.js';
import { doctorRbac, runDoctor, type DoctorReport } from '../../src/services/doctor.js';
import { CLOUD_RESOURCES } from '../../src/core/checks/cloud/subject.js';
import { makePki, tlsSecretData } from '../support/doctor-pki.js';

const NS = 'cloud';
let cp: ControlPlane;
let admin: KubeClient;

const ARN_EU = 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const ARN_US = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-666666666666';

type Obj = KubeObject & { status?: Record<string, unknown> };

function crd(ref: ResourceRef, kind: string): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${ref.plural}.${ref.group}` },
    spec: {
      group: ref.group,
      scope: 'Namespaced',
      names: { kind, plural: ref.plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [{ name: ref.version, served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }, subresources: { status: {} } }],
    },
  };
}

async function installCrds(list: Array<[ResourceRef, string]>): Promise<void> {
  for (const [ref, kind] of list) await admin.apply(path(R.crds, { name: `${ref.plural}.${ref.group}` }), crd(ref, kind));
  for (const [ref] of list) {
    await waitFor(
      async () => (await admin.get<Obj & { status?: { conditions?: Array<{ type: string; status: string }> } }>(path(R.crds, { name: `${ref.plural}.${ref.group}` })))?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'),
      { what: `CRD ${ref.plural}.${ref.group} Established`, timeoutMs: 30_000 },
    );
  }
  // Discovery of a new group can lag behind Established: wait until a list answers.
  for (const [ref] of list) await waitFor(async () => (await admin.list(path(ref, { namespace: NS })).then(() => true, () => false)), { what: `list ${ref.plural}`, timeoutMs: 30_000 });
}

async function create(ref: ResourceRef, body: Obj, status?: Record<string, unknown>): Promise<Obj> {
  const created = await admin.create<Obj>(path(ref, { namespace: NS }), body);
  if (!status) return created;
  return admin.request<Obj>('PUT', `${path(ref, { namespace: NS, name: created.metadata!.name! })}/status`, { body: { ...created, status } });
}

function ingress(name: string, o: { className?: string; annotations?: Record<string, string>; tls?: Array<{ hosts: string[]; secretName?: string }> }): Obj {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, annotations: o.annotations ?? {} },
    spec: {
      ...(o.className ? { ingressClassName: o.className } : {}),
      defaultBackend: { service: { name: 'web', port: { number: 80 } } },
      ...(o.tls ? { tls: o.tls } : {}),
    },
  };
}

const bySubject = (r: DoctorReport, subject: string) => new Map(r.results.filter((x) => x.subject === subject && /^CLD/.test(x.code)).map((x) => [x.code, x]));
const doctor = (o: { ingress?: string; user?: 'admin' | 'readonly' } = {}) =>
  runDoctor({ kube: () => cp.client(o.user ?? 'admin'), namespace: NS, ...(o.ingress ? { ingress: o.ingress } : {}) });

const https = { 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]' };

beforeAll(async () => {
  cp = await startControlPlane();
  admin = await cp.client('admin');
  await admin.apply(path(R.namespaces, { name: NS }), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await create(R.ingresses, ingress('alb-default', { className: 'alb', annotations: { ...https, 'alb.ingress.kubernetes.io/certificate-arn': `${ARN_EU},${ARN_US}` } }));
  await create(
    R.ingresses,
    ingress('alb-tls12', {
      annotations: { 'kubernetes.io/ingress.class': 'alb', ...https, 'alb.ingress.kubernetes.io/certificate-arn': ARN_EU, 'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS-1-2-2017-01', 'alb.ingress.kubernetes.io/ssl-redirect': '443' },
    }),
  );
  // IngressGroup: the policy set on one member applies to the shared listener.
  await create(R.ingresses, ingress('alb-group-a', { className: 'alb', annotations: { 'alb.ingress.kubernetes.io/group.name': 'shop', 'alb.ingress.kubernetes.io/certificate-arn': ARN_EU } }));
  await create(
    R.ingresses,
    ingress('alb-group-b', { className: 'alb', annotations: { 'alb.ingress.kubernetes.io/group.name': 'shop', 'alb.ingress.kubernetes.io/certificate-arn': ARN_EU, 'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06' } }),
  );
  await create(R.ingresses, ingress('nginx-web', { className: 'nginx', tls: [{ hosts: ['web.cloud.test'], secretName: 'web-tls' }] }));
}, 240_000);

afterAll(async () => {
  await stopAll();
});

describe('doctor cloud checks against the API server', () => {
  it('before any Node or cloud CRD exists: ALB traps found, region unknown is info, GKE/AKS checks do not apply', async () => {
    const report = await doctor();
    const d = bySubject(report, `ingress ${NS}/alb-default`);
    expect(d.get('CLD101')).toMatchObject({ status: 'error', message: expect.stringContaining('ELBSecurityPolicy-2016-08 accepts TLS 1.0 and 1.1') });
    expect(d.get('CLD102')!.status).toBe('skipped');
    expect(d.get('CLD103')).toMatchObject({ status: 'info', message: expect.stringContaining('the cluster has no nodes') });
    expect(d.get('CLD104')!.status).toBe('warning');
    expect(report.subjects.some((s) => s.kind === 'cloud' && !s.id.startsWith('ingress '))).toBe(false);
    expect(report.results.filter((r) => r.subject === `ingress ${NS}/nginx-web` && /^CLD/.test(r.code))).toEqual([]);
    expect(report.success).toBe(false);
  });

  it('with Nodes labelled eu-west-1: a us-east-1 ACM ARN is an error; policies judged, group policy inherited', async () => {
    for (const [name, labels] of [
      ['node-a', { 'topology.kubernetes.io/region': 'eu-west-1' }],
      ['node-b', {}],
    ] as const) {
      await admin.create(path(R.nodes), { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: { providerID: `aws:///eu-west-1b/i-0${name === 'node-a' ? 'a' : 'b'}000000000000000` } });
    }
    const report = await doctor();
    const d = bySubject(report, `ingress ${NS}/alb-default`);
    expect(d.get('CLD103')).toMatchObject({ status: 'error', message: "1 ACM certificate(s) are not in the cluster's region eu-west-1", details: [`${ARN_US} is in us-east-1`] });
    const t = bySubject(report, `ingress ${NS}/alb-tls12`);
    expect(t.get('CLD101')!.status).toBe('ok');
    expect(t.get('CLD102')).toMatchObject({ status: 'warning', message: expect.stringContaining('ELBSecurityPolicy-TLS-1-2-2017-01 is not a TLS13 policy') });
    expect(t.get('CLD103')!.status).toBe('ok');
    expect(t.get('CLD104')!.status).toBe('ok');
    const g = bySubject(report, `ingress ${NS}/alb-group-a`);
    expect(g.get('CLD101')).toMatchObject({ status: 'ok', message: `ELBSecurityPolicy-TLS13-1-2-2021-06 (from Ingress ${NS}/alb-group-b of group shop): TLS 1.2 and up` });
    expect(g.get('CLD102')!.status).toBe('ok');
  });

  it('a read-only user cannot list nodes: the region is unknown (info), not an error', async () => {
    const report = await doctor({ user: 'readonly' });
    expect(bySubject(report, `ingress ${NS}/alb-default`).get('CLD103')).toMatchObject({ status: 'info', message: expect.stringContaining('forbidden: list nodes') });
  });

  describe('GKE and AKS objects on their CRDs', () => {
    beforeAll(async () => {
      await installCrds([
        [CLOUD_RESOURCES.managedCertificates, 'ManagedCertificate'],
        [CLOUD_RESOURCES.frontendConfigs, 'FrontendConfig'],
        [CLOUD_RESOURCES.secretProviderClasses, 'SecretProviderClass'],
      ]);
      const mc = (name: string, domains: string[]): Obj => ({ apiVersion: 'networking.gke.io/v1', kind: 'ManagedCertificate', metadata: { name }, spec: { domains } });
      await create(CLOUD_RESOURCES.managedCertificates, mc('stuck', ['a.cloud.test', 'b.cloud.test']), {
        certificateStatus: 'Provisioning',
        certificateName: 'mcrt-1',
        domainStatus: [
          { domain: 'a.cloud.test', status: 'FailedNotVisible' },
          { domain: 'b.cloud.test', status: 'Active' },
        ],
      });
      await create(CLOUD_RESOURCES.managedCertificates, mc('active', ['c.cloud.test']), { certificateStatus: 'Active', expireTime: '2027-02-01T00:00:00Z', domainStatus: [{ domain: 'c.cloud.test', status: 'Active' }] });
      await create(CLOUD_RESOURCES.managedCertificates, mc('orphan', ['d.cloud.test']), { certificateStatus: 'Provisioning', domainStatus: [{ domain: 'd.cloud.test', status: 'Provisioning' }] });
      const fc = (name: string, spec: Record<string, unknown>): Obj => ({ apiVersion: 'networking.gke.io/v1beta1', kind: 'FrontendConfig', metadata: { name }, spec });
      await create(CLOUD_RESOURCES.frontendConfigs, fc('no-policy', { redirectToHttps: { enabled: true } }));
      await create(CLOUD_RESOURCES.frontendConfigs, fc('restricted', { sslPolicy: 'tls12-restricted', redirectToHttps: { enabled: true } }));
      await create(R.ingresses, ingress('gke-web', { annotations: { 'kubernetes.io/ingress.class': 'gce', 'networking.gke.io/managed-certificates': 'stuck,missing-cert' } }));
      await create(R.ingresses, ingress('gke-nopolicy', { annotations: { 'kubernetes.io/ingress.class': 'gce', 'networking.gke.io/v1beta1.FrontendConfig': 'no-policy', 'networking.gke.io/managed-certificates': 'active' } }));
      await create(R.ingresses, ingress('gke-good', { annotations: { 'networking.gke.io/v1beta1.FrontendConfig': 'restricted', 'networking.gke.io/managed-certificates': 'active' } }));

      const spc = (name: string, secretName: string): Obj => ({
        apiVersion: 'secrets-store.csi.x-k8s.io/v1',
        kind: 'SecretProviderClass',
        metadata: { name },
        spec: {
          provider: 'azure',
          secretObjects: [{ secretName, type: 'kubernetes.io/tls', data: [{ objectName: 'web', key: 'tls.key' }, { objectName: 'web', key: 'tls.crt' }] }],
          parameters: { keyvaultName: 'shopvault', tenantId: '00000000-0000-0000-0000-000000000000', objects: 'array:\n  - |\n    objectName: web\n    objectType: secret\n' },
        },
      });
      await create(CLOUD_RESOURCES.secretProviderClasses, spc('kv-orphan', 'orphan-tls'));
      await create(CLOUD_RESOURCES.secretProviderClasses, spc('kv-mounted', 'mounted-tls'));
      await create(CLOUD_RESOURCES.secretProviderClasses, spc('kv-synced', 'synced-tls'));
      await create(CLOUD_RESOURCES.secretProviderClasses, { apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', metadata: { name: 'kv-mount-only' }, spec: { provider: 'azure', parameters: {} } });
      await admin.create(path(R.secrets, { namespace: NS }), { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'synced-tls' }, data: { 'tls.crt': '' } } as never);
      // A pod (never scheduled: no kubelet here) that mounts kv-mounted.
      await admin.create(path(R.pods, { namespace: NS }), {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web-1' },
        spec: { containers: [{ name: 'web', image: 'nginx' }], volumes: [{ name: 'kv', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'kv-mounted' } } }] },
      });
      await create(
        R.ingresses,
        ingress('approuting', { className: 'webapprouting.kubernetes.azure.com', annotations: { 'kubernetes.azure.com/tls-cert-keyvault-uri': 'https://shopvault.vault.azure.net/certificates/web' }, tls: [{ hosts: ['e.cloud.test'], secretName: 'keyvault-approuting' }] }),
      );
      await create(R.ingresses, ingress('approuting-bad', { className: 'webapprouting.kubernetes.azure.com', annotations: { 'kubernetes.azure.com/tls-cert-keyvault-uri': 'https://shopvault.example.com/web' } }));
    }, 120_000);

    it('finds each GKE and AKS trap by code', async () => {
      const report = await doctor();
      const stuck = bySubject(report, `managedcertificate ${NS}/stuck`);
      expect(stuck.get('CLD110')).toMatchObject({ status: 'warning', message: expect.stringMatching(/^Provisioning \(created \d+ min ago\)/), details: ['a.cloud.test: FailedNotVisible'] });
      expect(bySubject(report, `managedcertificate ${NS}/orphan`).get('CLD110')!.details).toContain(`no Ingress in ${NS} names it in networking.gke.io/managed-certificates: it stays Provisioning until one does`);
      expect(bySubject(report, `managedcertificate ${NS}/active`).get('CLD110')).toMatchObject({ status: 'ok', message: 'Active, expires 2027-02-01T00:00:00Z' });

      const web = bySubject(report, `ingress ${NS}/gke-web`);
      expect(web.get('CLD112')).toMatchObject({ status: 'error', message: `ManagedCertificate missing-cert does not exist in ${NS}` });
      expect(web.get('CLD113')).toMatchObject({ status: 'warning', message: "no FrontendConfig annotation: GCP's default SSL policy (COMPATIBLE) accepts TLS 1.0" });
      expect(bySubject(report, `ingress ${NS}/gke-nopolicy`).get('CLD113')!.message).toBe("FrontendConfig no-policy sets no sslPolicy: GCP's default SSL policy (COMPATIBLE) accepts TLS 1.0");
      const good = bySubject(report, `ingress ${NS}/gke-good`);
      expect(good.get('CLD112')!.status).toBe('ok');
      expect(good.get('CLD113')!.status).toBe('ok');

      expect(bySubject(report, `secretproviderclass ${NS}/kv-orphan`).get('CLD120')).toMatchObject({
        status: 'error',
        message: `Secret orphan-tls does not exist and no pod in ${NS} mounts SecretProviderClass kv-orphan: the synced Secret exists only while a pod mounts the volume`,
      });
      expect(bySubject(report, `secretproviderclass ${NS}/kv-mounted`).get('CLD120')!.message).toBe('Secret mounted-tls does not exist although pod/web-1 (Pending) mount(s) the volume');
      expect(bySubject(report, `secretproviderclass ${NS}/kv-synced`).get('CLD120')!.status).toBe('ok');
      expect(report.subjects.some((s) => s.id === `secretproviderclass ${NS}/kv-mount-only`)).toBe(false);

      const ar = bySubject(report, `ingress ${NS}/approuting`);
      expect(ar.get('CLD121')!.status).toBe('ok');
      expect(ar.get('CLD122')).toMatchObject({ status: 'warning', message: expect.stringContaining(`Secret ${NS}/keyvault-approuting does not exist`) });
      const bad = bySubject(report, `ingress ${NS}/approuting-bad`);
      expect(bad.get('CLD121')!.status).toBe('error');
      expect(bad.get('CLD122')!.status).toBe('skipped');
    });

    it('the Secret appearing clears CLD122', async () => {
      await admin.create(path(R.secrets, { namespace: NS }), { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'keyvault-approuting' }, data: { x: '' } } as never);
      const report = await doctor({ ingress: 'approuting' });
      expect(bySubject(report, `ingress ${NS}/approuting`).get('CLD122')!.status).toBe('ok');
    });

    it('--ingress NAME checks that Ingress and the ManagedCertificates it names, nothing else', async () => {
      const report = await doctor({ ingress: 'gke-web' });
      const cloud = report.subjects.filter((s) => s.kind === 'cloud').map((s) => s.id);
      expect(cloud.sort()).toEqual([`ingress ${NS}/gke-web`, `managedcertificate ${NS}/stuck`]);
      expect(bySubject(report, `managedcertificate ${NS}/stuck`).get('CLD110')!.status).toBe('warning');
    });

    it('--ct: expected issuers come from what the cluster uses (TLS Secret CA, ALB → Amazon, ManagedCertificate → Google)', async () => {
      const pki = await makePki('Cloud CA');
      const leaf = await pki.leaf({ cn: 'web.cloud.test', dnsNames: ['web.cloud.test'] });
      await admin.create(path(R.secrets, { namespace: NS }), { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'web-tls' }, data: tlsSecretData({ cert: leaf.certPem + pki.intermediate.certPem, key: leaf.keyPem }) } as never);
      const day = 86_400_000;
      const ts = (ms: number) => new Date(ms).toISOString().slice(0, 19);
      const row = (id: number, issuer: string, name: string) => ({ id, issuer_name: issuer, common_name: name, name_value: name, not_before: ts(Date.now() - 5 * day), not_after: ts(Date.now() + 60 * day), serial_number: id.toString(16).padStart(4, '0'), entry_timestamp: ts(Date.now() - 5 * day) });
      const queries: string[] = [];
      // A loopback stand-in for crt.sh: tests never ask the real one.
      const server = http.createServer((req, res) => {
        const q = new URL(req.url!, 'http://x').searchParams.get('q') ?? '';
        queries.push(q);
        const rows =
          q === '%.cloud.test'
            ? [
                row(1, 'C=US, O=Amazon, CN=Amazon RSA 2048 M02', 'a.cloud.test'),
                row(2, 'CN=Cloud CA Intermediate', 'web.cloud.test'),
                row(3, 'C=US, O=Google Trust Services, CN=WR1', 'c.cloud.test'),
                row(4, 'C=PL, O=Unizeto Technologies S.A., CN=Certum DV TLS G2 R39 CA', 'shop.cloud.test'),
              ]
            : [];
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(rows));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const report = await runDoctor({ kube: () => cp.client('admin'), namespace: NS, ct: { domains: ['cloud.test'], url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` } });
        expect(queries).toEqual(['%.cloud.test', 'cloud.test']);
        // --ct alone: only the CT subject, but the cluster was read for what to expect.
        expect(report.subjects.map((x) => x.id)).toEqual(['ct cloud.test']);
        const ct101 = report.results.find((r) => r.code === 'CT101')!;
        expect(ct101).toMatchObject({ status: 'warning', message: '1 of 4 valid certificate(s) for cloud.test come from an issuer the cluster does not use' });
        expect(ct101.details[0]).toMatch(/^serial 0004 · C=PL, O=Unizeto Technologies S\.A\., CN=Certum DV TLS G2 R39 CA · shop\.cloud\.test · /);
        const expected = ct101.details.at(-1)!;
        expect(expected).toContain(`"Cloud CA Intermediate" (Secret ${NS}/web-tls)`);
        expect(expected).toContain(`"Amazon" (ALB Ingress ${NS}/alb-default (ACM)`);
        expect(expected).toContain(`"Google Trust Services" (ManagedCertificate ${NS}/`);
        expect(report.results.find((r) => r.code === 'CT102')).toMatchObject({ status: 'info', message: '4 certificate(s) logged in the last 30 day(s)' });
      } finally {
        server.close();
      }
    });

    it("doctor's --print-rbac ClusterRole is enough for every cloud lookup", async () => {
      const role = doctorRbac();
      await admin.apply(`/apis/rbac.authorization.k8s.io/v1/clusterroles/${role.metadata!.name!}`, role);
      await admin.apply('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/vibectl-tls-doctor-cloud', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'vibectl-tls-doctor-cloud' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata!.name! },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'readonly' }],
      });
      // RBAC changes reach the authorizer's cache shortly after the write.
      const report = await waitFor(
        async () => {
          const r = await doctor({ user: 'readonly' });
          return bySubject(r, `ingress ${NS}/alb-default`).get('CLD103')?.status === 'error' ? r : undefined;
        },
        { what: 'nodes readable with the doctor ClusterRole', timeoutMs: 30_000, intervalMs: 500 },
      );
      expect(report.notes.filter((n) => n.startsWith('cloud checks:'))).toEqual([]);
      expect(report.results.filter((r) => /^CLD/.test(r.code) && r.message.includes('forbidden'))).toEqual([]);
      expect(bySubject(report, `secretproviderclass ${NS}/kv-mounted`).get('CLD120')!.message).toContain('although pod/web-1 (Pending)');
      expect(bySubject(report, `managedcertificate ${NS}/stuck`).get('CLD110')!.status).toBe('warning');
    });
  });
});
