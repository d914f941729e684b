import { describe, expect, it } from 'vitest';
import { runChecks, type CheckDefinition, type Subject } from '../framework.js';
import { albCertificateRegion, albPolicyMinTls, albSslPolicySet, albSslPolicyTls13, albSslRedirect, parseListenPorts, regionFromProviderId } from './eks.js';
import { gkeFrontendSslPolicy, gkeManagedCertificatesExist, managedCertificateActive, managedCertificateNotFailed } from './gke.js';
import { appRoutingKeyVaultUri, appRoutingSecretExists, podMountsProviderClass, syncedSecretExists } from './aks.js';
import { ingressPath, type AlbIngressSubject, type CloudIngress, type CloudSubject, type ManagedCertificateSubject, type RegionFact, type SecretProviderClassSubject } from './subject.js';

const clock = { now: () => new Date('2026-11-28T12:00:00Z'), sleep: async () => {} };
const all = [
  albSslPolicySet,
  albSslPolicyTls13,
  albCertificateRegion,
  albSslRedirect,
  managedCertificateActive,
  managedCertificateNotFailed,
  gkeManagedCertificatesExist,
  gkeFrontendSslPolicy,
  syncedSecretExists,
  appRoutingKeyVaultUri,
  appRoutingSecretExists,
] as CheckDefinition<Subject>[];

async function results(subject: CloudSubject) {
  return new Map((await runChecks({ checks: all, subjects: [subject], clock })).map((r) => [r.code, r]));
}

const ARN_EU = 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const ARN_US = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-666666666666';

function alb(annotations: Record<string, string>, o: { region?: RegionFact; inherited?: { policy: string; from: string } } = {}): AlbIngressSubject {
  const ingress: CloudIngress = { metadata: { name: 'web', namespace: 'shop', annotations }, spec: { ingressClassName: 'alb' } };
  return {
    kind: 'cloud',
    path: 'alb-ingress',
    id: 'ingress shop/web',
    objects: [],
    namespace: 'shop',
    name: 'web',
    ingress,
    region: async () => o.region ?? { regions: ['eu-west-1'] },
    inheritedPolicy: async () => o.inherited,
  };
}

describe('ALB helpers', () => {
  it("reads the minimum TLS version from AWS's policy names", () => {
    expect(albPolicyMinTls('ELBSecurityPolicy-2016-08')).toBe('1.0');
    expect(albPolicyMinTls('ELBSecurityPolicy-FS-2018-06')).toBe('1.0');
    expect(albPolicyMinTls('ELBSecurityPolicy-TLS13-1-0-2021-06')).toBe('1.0');
    expect(albPolicyMinTls('ELBSecurityPolicy-TLS-1-1-2017-01')).toBe('1.1');
    expect(albPolicyMinTls('ELBSecurityPolicy-FS-1-2-Res-2020-10')).toBe('1.2');
    expect(albPolicyMinTls('ELBSecurityPolicy-TLS13-1-2-2021-06')).toBe('1.2');
    expect(albPolicyMinTls('ELBSecurityPolicy-TLS13-1-3-2021-06')).toBe('1.3');
    expect(albPolicyMinTls('my-custom')).toBeUndefined();
  });

  it('parses listen-ports and AWS providerIDs', () => {
    expect(parseListenPorts('[{"HTTP": 80}, {"HTTPS": 443}]')).toEqual([
      { protocol: 'HTTP', port: 80 },
      { protocol: 'HTTPS', port: 443 },
    ]);
    expect(parseListenPorts('not json')).toBeUndefined();
    expect(regionFromProviderId('aws:///eu-west-1a/i-0123456789abcdef0')).toBe('eu-west-1');
    expect(regionFromProviderId('gce://project/europe-west1-b/node')).toBeUndefined();
  });

  it('tells the cloud path from the class and annotations', () => {
    const albs = new Set(['alb', 'internal-alb']);
    const ing = (spec: CloudIngress['spec'], annotations: Record<string, string> = {}): CloudIngress => ({ metadata: { name: 'x', annotations }, spec });
    expect(ingressPath(ing({ ingressClassName: 'internal-alb' }), albs)).toBe('alb-ingress');
    expect(ingressPath(ing({}, { 'kubernetes.io/ingress.class': 'alb' }), albs)).toBe('alb-ingress');
    expect(ingressPath(ing({}, { 'kubernetes.io/ingress.class': 'gce' }), albs)).toBe('gke-ingress');
    expect(ingressPath(ing({ ingressClassName: 'webapprouting.kubernetes.azure.com' }, { 'kubernetes.azure.com/tls-cert-keyvault-uri': 'https://v.vault.azure.net/certificates/c' }), albs)).toBe('app-routing-ingress');
    expect(ingressPath(ing({ ingressClassName: 'nginx' }), albs)).toBeUndefined();
  });
});

describe('EKS checks', () => {
  const https = { 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]', 'alb.ingress.kubernetes.io/certificate-arn': ARN_EU };

  it('no ssl-policy is an error naming the default; CLD102 is skipped behind it; no redirect warns', async () => {
    const r = await results(alb(https));
    expect(r.get('CLD101')).toMatchObject({ status: 'error', message: expect.stringContaining('ELBSecurityPolicy-2016-08 accepts TLS 1.0 and 1.1') });
    expect(r.get('CLD102')!.status).toBe('skipped');
    expect(r.get('CLD103')!.status).toBe('ok');
    expect(r.get('CLD104')!.status).toBe('warning');
  });

  it('a TLS 1.2-only policy warns; a TLS13 policy from the IngressGroup passes', async () => {
    const r = await results(alb({ ...https, 'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS-1-2-2017-01', 'alb.ingress.kubernetes.io/ssl-redirect': '443' }));
    expect(r.get('CLD101')!.status).toBe('ok');
    expect(r.get('CLD102')).toMatchObject({ status: 'warning', message: expect.stringContaining('not a TLS13 policy') });
    expect(r.get('CLD104')!.status).toBe('ok');
    const g = await results(alb(https, { inherited: { policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', from: 'Ingress shop/api of group shop' } }));
    expect(g.get('CLD101')).toMatchObject({ status: 'ok', message: expect.stringContaining('of group shop') });
    expect(g.get('CLD102')!.status).toBe('ok');
  });

  it('ARNs from another region are an error, an unknown region is info, a bad ARN is an error', async () => {
    const r = await results(alb({ 'alb.ingress.kubernetes.io/certificate-arn': `${ARN_EU}, ${ARN_US}` }));
    expect(r.get('CLD103')).toMatchObject({ status: 'error', details: [`${ARN_US} is in us-east-1`] });
    const unknown = await results(alb({ 'alb.ingress.kubernetes.io/certificate-arn': ARN_US }, { region: { regions: [], unknown: 'the cluster has no nodes' } }));
    expect(unknown.get('CLD103')).toMatchObject({ status: 'info', message: expect.stringContaining('the cluster has no nodes') });
    const bad = await results(alb({ 'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:iam::123456789012:server-certificate/x' }));
    expect(bad.get('CLD103')!.status).toBe('error');
    // HTTPS only (the default with a certificate): no HTTP listener, nothing to redirect
    expect(bad.get('CLD104')).toBeUndefined();
  });
});

describe('GKE checks', () => {
  function managed(status: ManagedCertificateSubject['object']['status'], referencedBy: string[] | undefined = ['web']): ManagedCertificateSubject {
    return { kind: 'cloud', path: 'managed-certificate', id: 'managedcertificate shop/web-cert', objects: [], namespace: 'shop', name: 'web-cert', object: { metadata: { name: 'web-cert', creationTimestamp: '2026-11-28T09:00:00Z' }, spec: { domains: ['a.example.com'] }, ...(status ? { status } : {}) }, referencedBy };
  }

  it('Provisioning warns with the domains not yet Active and an unreferenced certificate says so', async () => {
    const r = await results(managed({ certificateStatus: 'Provisioning', domainStatus: [{ domain: 'a.example.com', status: 'FailedNotVisible' }, { domain: 'b.example.com', status: 'Active' }] }, []));
    expect(r.get('CLD110')).toMatchObject({ status: 'warning', message: expect.stringContaining('Provisioning (created 3 h ago)') });
    expect(r.get('CLD110')!.details[0]).toBe('a.example.com: FailedNotVisible');
    expect(r.get('CLD110')!.details[1]).toMatch(/no Ingress in shop names it/);
    expect(r.has('CLD111')).toBe(false);
  });

  it('Active passes; a failed one is CLD111', async () => {
    expect((await results(managed({ certificateStatus: 'Active' }))).get('CLD110')!.status).toBe('ok');
    const failed = await results(managed({ certificateStatus: 'ProvisioningFailedPermanently' }));
    expect(failed.get('CLD111')!.status).toBe('error');
    expect(failed.has('CLD110')).toBe(false);
  });

  it('an Ingress without FrontendConfig warns; a missing ManagedCertificate is an error; no CRD: does not apply', async () => {
    const ingress = (annotations: Record<string, string>, managedCerts: string[] | null) => ({
      kind: 'cloud' as const,
      path: 'gke-ingress' as const,
      id: 'ingress shop/web',
      objects: [],
      namespace: 'shop',
      name: 'web',
      ingress: { metadata: { name: 'web', annotations: { 'kubernetes.io/ingress.class': 'gce', ...annotations } } },
      frontendConfig: async (name: string) => ({ ok: true as const, value: name === 'fc' ? { spec: {} } : null }),
      managedCertificates: async () => (managedCerts ? { ok: true as const, value: managedCerts } : { ok: false as const, error: 'not served' }),
    });
    const r = await results(ingress({ 'networking.gke.io/managed-certificates': 'web-cert,other' }, ['web-cert']));
    expect(r.get('CLD112')).toMatchObject({ status: 'error', message: 'ManagedCertificate other does not exist in shop' });
    expect(r.get('CLD113')).toMatchObject({ status: 'warning', message: expect.stringContaining('COMPATIBLE') });
    const fc = await results(ingress({ 'networking.gke.io/v1beta1.FrontendConfig': 'fc', 'networking.gke.io/managed-certificates': 'x' }, null));
    expect(fc.get('CLD113')!.message).toBe("FrontendConfig fc sets no sslPolicy: GCP's default SSL policy (COMPATIBLE) accepts TLS 1.0");
    expect(fc.has('CLD112')).toBe(false);
  });
});

describe('AKS checks', () => {
  function spc(o: { exists: boolean; pods: string[] }): SecretProviderClassSubject {
    return {
      kind: 'cloud',
      path: 'secret-provider-class',
      id: 'secretproviderclass shop/kv',
      objects: [],
      namespace: 'shop',
      name: 'kv',
      object: { metadata: { name: 'kv' }, spec: { provider: 'azure', secretObjects: [{ secretName: 'web-tls', type: 'kubernetes.io/tls' }] } },
      secretExists: async () => ({ ok: true, value: o.exists }),
      mountingPods: async () => ({ ok: true, value: o.pods }),
    };
  }

  it('a missing synced Secret with no mounting pod is an error that says why', async () => {
    const r = await results(spc({ exists: false, pods: [] }));
    expect(r.get('CLD120')).toMatchObject({ status: 'error', message: expect.stringContaining('the synced Secret exists only while a pod mounts the volume') });
    const mounted = await results(spc({ exists: false, pods: ['pod/web-1 (Running)'] }));
    expect(mounted.get('CLD120')!.message).toContain('although pod/web-1 (Running) mount(s) the volume');
    expect((await results(spc({ exists: true, pods: [] }))).get('CLD120')!.status).toBe('ok');
  });

  it('recognises CSI volumes of the Secrets Store driver', () => {
    const pod = { spec: { volumes: [{ csi: { driver: 'secrets-store.csi.k8s.io', volumeAttributes: { secretProviderClass: 'kv' } } }] } };
    expect(podMountsProviderClass(pod, 'kv')).toBe(true);
    expect(podMountsProviderClass(pod, 'other')).toBe(false);
  });

  it('app routing: a bad URI is an error and skips the Secret check; a missing keyvault-<ingress> warns', async () => {
    const sub = (uri: string, exists: boolean) => ({
      kind: 'cloud' as const,
      path: 'app-routing-ingress' as const,
      id: 'ingress shop/web',
      objects: [],
      namespace: 'shop',
      name: 'web',
      ingress: { metadata: { name: 'web' } },
      keyvaultUri: uri,
      secretExists: async () => ({ ok: true as const, value: exists }),
    });
    const bad = await results(sub('https://vault.example.com/web', false));
    expect(bad.get('CLD121')!.status).toBe('error');
    expect(bad.get('CLD122')!.status).toBe('skipped');
    const missing = await results(sub('https://myvault.vault.azure.net/certificates/web', false));
    expect(missing.get('CLD121')!.status).toBe('ok');
    expect(missing.get('CLD122')).toMatchObject({ status: 'warning', message: expect.stringContaining('shop/keyvault-web does not exist') });
  });
});
