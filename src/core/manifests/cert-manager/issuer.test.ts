import { describe, expect, it } from 'vitest';
import { acmeIssuer, caIssuer, normaliseEabKey, selfSignedCaBootstrap, type SolverInput } from './issuer.js';
import { DNS01_PROVIDER_IDS } from './solvers/dns01/index.js';
import { MissingInputError, InvalidInputError } from '../../errors.js';
import { validateWithModels } from '../../../../test/support/cert-manager-models.js';
import type { KubeObject } from '../../kube/client.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ==\n-----END CERTIFICATE-----';
const TSIG = Buffer.alloc(32, 7).toString('base64');
const b64 = (s: string) => Buffer.from(s).toString('base64');
const spec = (o: KubeObject | undefined) => (o as { spec: { acme: Record<string, unknown> } }).spec.acme;
const issuerOf = (objects: KubeObject[]) => objects.find((o) => o.kind === 'ClusterIssuer' || o.kind === 'Issuer');

describe('acmeIssuer', () => {
  it("Let's Encrypt production with HTTP-01 via ingressClassName: one ClusterIssuer, labelled, no Secrets", () => {
    const r = acmeIssuer({ kind: 'ClusterIssuer', name: 'letsencrypt', server: 'letsencrypt', email: 'ops@example.com', solvers: [{ type: 'http01', via: 'ingress', ingressClassName: 'nginx' }] });
    expect(r.objects).toHaveLength(1);
    expect(r.objects[0]).toEqual({
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'letsencrypt', labels: { 'app.kubernetes.io/managed-by': 'vibectl-tls', 'vibectl-tls.io/component': 'letsencrypt' } },
      spec: {
        acme: {
          server: 'https://acme-v02.api.letsencrypt.org/directory',
          email: 'ops@example.com',
          privateKeySecretRef: { name: 'letsencrypt-account-key' },
          solvers: [{ http01: { ingress: { ingressClassName: 'nginx' } } }],
        },
      },
    });
    expect(validateWithModels(r.objects)).toBe(1);
  });

  it('staging server, legacy class field, and a Gateway solver are each spelled as cert-manager wants', () => {
    const r = acmeIssuer({
      kind: 'ClusterIssuer',
      name: 'le-staging',
      server: 'letsencrypt-staging',
      solvers: [
        { type: 'http01', via: 'ingress-class-annotation', class: 'traefik', selector: { dnsZones: ['old.example.com'] } },
        { type: 'http01', via: 'gateway', gateway: { name: 'public', namespace: 'infra' } },
      ],
    });
    const acme = spec(r.objects[0]);
    expect(acme.server).toBe('https://acme-staging-v02.api.letsencrypt.org/directory');
    expect(acme.solvers).toEqual([
      { http01: { ingress: { class: 'traefik' } }, selector: { dnsZones: ['old.example.com'] } },
      { http01: { gatewayHTTPRoute: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'infra' }] } } },
    ]);
    expect(r.notes.join(' ')).toMatch(/untrusted test certificates/);
    expect(r.notes.join(' ')).toMatch(/enable-gateway-api/);
    validateWithModels(r.objects);
  });

  it('ZeroSSL without EAB is refused and names the flags', () => {
    expect(() => acmeIssuer({ kind: 'ClusterIssuer', name: 'zerossl', server: 'zerossl', solvers: [{ type: 'http01', via: 'ingress', ingressClassName: 'nginx' }] })).toThrow(MissingInputError);
    try {
      acmeIssuer({ kind: 'ClusterIssuer', name: 'zerossl', server: 'zerossl', solvers: [{ type: 'http01', via: 'ingress', ingressClassName: 'nginx' }] });
    } catch (err) {
      expect((err as MissingInputError).hint).toBe('pass --eab-kid ID --eab-hmac-key-file FILE');
    }
  });

  it('Google Trust Services with EAB: the HMAC key goes to a Secret in the cluster resource namespace, as unpadded base64url', () => {
    const hmac = 'ab+/cd' + 'x'.repeat(40) + '==';
    const r = acmeIssuer({ kind: 'ClusterIssuer', name: 'google', server: 'google', clusterResourceNamespace: 'cm', eab: { keyId: 'kid-1', hmacKey: hmac }, solvers: [{ type: 'http01', via: 'ingress', ingressClassName: 'nginx' }] });
    const [secret, issuer] = r.objects;
    expect(secret).toMatchObject({ kind: 'Secret', metadata: { name: 'google-eab', namespace: 'cm' }, type: 'Opaque' });
    const stored = Buffer.from((secret as { data: Record<string, string> }).data['eab-hmac-key']!, 'base64').toString();
    expect(stored).toBe('ab-_cd' + 'x'.repeat(40));
    expect(spec(issuer).externalAccountBinding).toEqual({ keyID: 'kid-1', keySecretRef: { name: 'google-eab', key: 'eab-hmac-key' } });
    expect(spec(issuer).server).toBe('https://dv.acme-v02.api.pki.goog/directory');
    validateWithModels(r.objects);
  });

  it('custom server: caBundle base64 of the PEM; profile allowed on 1.18, refused on 1.17', () => {
    const base = { kind: 'ClusterIssuer' as const, name: 'pebble', server: 'https://127.0.0.1:14000/dir', caBundlePem: PEM, profile: 'shortlived', solvers: [{ type: 'http01', via: 'ingress', ingressClassName: 'nginx' }] as SolverInput[] };
    const ok = acmeIssuer(base, { installed: true, version: 'v1.18.1' });
    expect(Buffer.from(spec(ok.objects[0]).caBundle as string, 'base64').toString()).toBe(PEM + '\n');
    expect(spec(ok.objects[0]).profile).toBe('shortlived');
    expect(() => acmeIssuer(base, { installed: true, version: 'v1.17.4' })).toThrow(/ACME profile needs cert-manager 1.18.0 or newer; this cluster runs v1.17.4/);
    expect(() => acmeIssuer({ ...base, profile: undefined }, { installed: true, version: 'v1.12.0' })).toThrow(/ACME server CA bundle needs cert-manager 1.13.0/);
    expect(() => acmeIssuer({ ...base, server: 'http://insecure/dir' })).toThrow(/not https/);
  });

  it('ingressClassName is refused before 1.12; the legacy class field is not', () => {
    const solvers: SolverInput[] = [{ type: 'http01', via: 'ingress', ingressClassName: 'nginx' }];
    expect(() => acmeIssuer({ kind: 'ClusterIssuer', name: 'le', server: 'letsencrypt', solvers }, { installed: true, version: 'v1.11.0' })).toThrow(/ingressClassName needs cert-manager 1.12.0/);
    expect(() => acmeIssuer({ kind: 'ClusterIssuer', name: 'le', server: 'letsencrypt', solvers: [{ type: 'http01', via: 'ingress-class-annotation', class: 'nginx' }] }, { installed: true, version: 'v1.11.0' })).not.toThrow();
  });

  it('a namespaced Issuer keeps its credential Secrets in its own namespace', () => {
    const r = acmeIssuer({ kind: 'Issuer', name: 'le', namespace: 'web', server: 'letsencrypt', solvers: [{ type: 'dns01', provider: 'cloudflare', apiToken: 'x'.repeat(40) }] });
    expect(r.objects.map((o) => `${o.kind} ${o.metadata?.namespace}/${o.metadata?.name}`)).toEqual(['Secret web/le-cloudflare-token', 'Issuer web/le']);
    expect(() => acmeIssuer({ kind: 'Issuer', name: 'le', server: 'letsencrypt', solvers: [{ type: 'http01', via: 'ingress', ingressClassName: 'nginx' }] })).toThrow(MissingInputError);
  });

  it('refuses a missing solver and a malformed email', () => {
    expect(() => acmeIssuer({ kind: 'ClusterIssuer', name: 'le', server: 'letsencrypt', solvers: [] })).toThrow(/solver/);
    expect(() => acmeIssuer({ kind: 'ClusterIssuer', name: 'le', server: 'letsencrypt', email: 'not-an-email', solvers: [{ type: 'http01', via: 'ingress', ingressClassName: 'nginx' }] })).toThrow(InvalidInputError);
  });
});

describe('DNS-01 solvers', () => {
  const ctx = { kind: 'ClusterIssuer' as const, name: 'dns', server: 'letsencrypt' };
  const build = (s: SolverInput) => {
    const r = acmeIssuer({ ...ctx, solvers: [s] });
    validateWithModels(r.objects);
    return { solver: (spec(issuerOf(r.objects)).solvers as unknown[])[0], secrets: r.objects.filter((o) => o.kind === 'Secret'), notes: r.notes };
  };
  const data = (o: KubeObject | undefined, k: string) => Buffer.from((o as { data: Record<string, string> }).data[k]!, 'base64').toString();

  it('covers the five providers CLI.md lists', () => {
    expect(DNS01_PROVIDER_IDS.sort()).toEqual(['azuredns', 'clouddns', 'cloudflare', 'rfc2136', 'route53']);
  });

  it('rfc2136: TSIG secret in a Secret, algorithm in cert-manager spelling, default port 53', () => {
    const r = build({ type: 'dns01', provider: 'rfc2136', nameserver: '10.0.0.53', tsigKeyName: 'acme-key', tsigAlgorithm: 'hmac-sha512', tsigSecret: TSIG });
    expect(r.solver).toEqual({ dns01: { rfc2136: { nameserver: '10.0.0.53:53', tsigKeyName: 'acme-key', tsigAlgorithm: 'HMACSHA512', tsigSecretSecretRef: { name: 'dns-rfc2136-tsig', key: 'tsig-secret' } } } });
    expect(r.secrets).toHaveLength(1);
    expect(data(r.secrets[0], 'tsig-secret')).toBe(TSIG);
    expect(r.secrets[0]?.metadata?.namespace).toBe('cert-manager');
    expect(build({ type: 'dns01', provider: 'rfc2136', nameserver: '[::1]:5353' }).solver).toEqual({ dns01: { rfc2136: { nameserver: '[::1]:5353' } } });
    expect(() => build({ type: 'dns01', provider: 'rfc2136', nameserver: '10.0.0.53:99999' })).toThrow(/port/);
    expect(() => build({ type: 'dns01', provider: 'rfc2136', nameserver: '10.0.0.53', tsigKeyName: 'k', tsigSecret: 'short' })).toThrow(/base64 key/);
  });

  it('route53: access keys in a Secret, or ambient credentials with a note', () => {
    const keys = build({ type: 'dns01', provider: 'route53', region: 'eu-west-1', hostedZoneId: 'Z123', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'sekrit' });
    expect(keys.solver).toEqual({ dns01: { route53: { region: 'eu-west-1', hostedZoneID: 'Z123', accessKeyIDSecretRef: { name: 'dns-route53-credentials', key: 'access-key-id' }, secretAccessKeySecretRef: { name: 'dns-route53-credentials', key: 'secret-access-key' } } } });
    expect(data(keys.secrets[0], 'secret-access-key')).toBe('sekrit');
    const ambient = build({ type: 'dns01', provider: 'route53', region: 'us-east-1' });
    expect(ambient.secrets).toHaveLength(0);
    expect(ambient.notes.join(' ')).toMatch(/IRSA/);
    expect(() => build({ type: 'dns01', provider: 'route53', region: 'us-east-1', accessKeyId: 'AKIA' })).toThrow(/both/);
    expect(() => build({ type: 'dns01', provider: 'route53', region: 'Europe' })).toThrow(/not an AWS region/);
  });

  it('cloudDNS: service-account JSON in a Secret, checked to be one', () => {
    const json = JSON.stringify({ type: 'service_account', project_id: 'my-proj' });
    const r = build({ type: 'dns01', provider: 'clouddns', project: 'my-project-1', serviceAccountJson: json });
    expect(r.solver).toEqual({ dns01: { cloudDNS: { project: 'my-project-1', serviceAccountSecretRef: { name: 'dns-clouddns-key', key: 'key.json' } } } });
    expect(data(r.secrets[0], 'key.json')).toBe(json);
    expect(() => build({ type: 'dns01', provider: 'clouddns', project: 'my-project-1', serviceAccountJson: '{"type":"authorized_user"}' })).toThrow(/service-account key/);
  });

  it('azureDNS: managed identity by default, service principal secret when given', () => {
    const sub = '11111111-2222-3333-4444-555555555555';
    const mi = build({ type: 'dns01', provider: 'azuredns', subscriptionId: sub, resourceGroup: 'rg', hostedZoneName: 'example.com', managedIdentityClientId: 'cid' });
    expect(mi.solver).toEqual({ dns01: { azureDNS: { subscriptionID: sub, resourceGroupName: 'rg', hostedZoneName: 'example.com', environment: 'AzurePublicCloud', managedIdentity: { clientID: 'cid' } } } });
    const sp = build({ type: 'dns01', provider: 'azuredns', subscriptionId: sub, resourceGroup: 'rg', hostedZoneName: 'example.com', clientId: 'app', clientSecret: 'pw', tenantId: 'tenant' });
    expect(sp.solver).toMatchObject({ dns01: { azureDNS: { clientID: 'app', tenantID: 'tenant', clientSecretSecretRef: { name: 'dns-azuredns-sp', key: 'client-secret' } } } });
    expect(() => build({ type: 'dns01', provider: 'azuredns', subscriptionId: 'nope', resourceGroup: 'rg', hostedZoneName: 'example.com' })).toThrow(/GUID/);
  });

  it('cloudflare: API token in a Secret', () => {
    const r = build({ type: 'dns01', provider: 'cloudflare', apiToken: 'tok_' + 'a'.repeat(36), selector: { dnsZones: ['example.com'] } });
    expect(r.solver).toEqual({ dns01: { cloudflare: { apiTokenSecretRef: { name: 'dns-cloudflare-token', key: 'api-token' } } }, selector: { dnsZones: ['example.com'] } });
  });
});

describe('CA issuers', () => {
  it('caIssuer from our key pair: a kubernetes.io/tls Secret and a CA ClusterIssuer, with a warning about the key', () => {
    const r = caIssuer({ kind: 'ClusterIssuer', name: 'private-ca', secretName: 'private-ca', keyPair: { certPem: PEM, keyPem: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----' } });
    expect(r.objects.map((o) => `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`)).toEqual(['Secret cert-manager/private-ca', 'ClusterIssuer /private-ca']);
    expect(r.objects[0]).toMatchObject({ type: 'kubernetes.io/tls' });
    expect(Object.keys((r.objects[0] as { data: object }).data)).toEqual(['tls.crt', 'tls.key', 'ca.crt']);
    expect((r.objects[1] as { spec: unknown }).spec).toEqual({ ca: { secretName: 'private-ca' } });
    expect(r.notes[0]).toMatch(/anyone who can read Secrets/);
    expect(() => caIssuer({ kind: 'ClusterIssuer', name: 'x', secretName: 'x', keyPair: { certPem: PEM, keyPem: '-----BEGIN ENCRYPTED PRIVATE KEY-----' } })).toThrow(/unencrypted/);
    validateWithModels(r.objects);
  });

  it('selfSigned → CA bootstrap: selfSigned issuer, isCA Certificate, CA issuer on its Secret', () => {
    const r = selfSignedCaBootstrap({ kind: 'ClusterIssuer', name: 'internal', caCommonName: 'Internal CA' });
    expect(r.objects.map((o) => `${o.kind} ${o.metadata?.name}`)).toEqual(['ClusterIssuer internal-selfsigned', 'Certificate internal-ca', 'ClusterIssuer internal']);
    const cert = r.objects[1] as { metadata: { namespace: string }; spec: Record<string, unknown> };
    expect(cert.metadata.namespace).toBe('cert-manager');
    expect(cert.spec).toMatchObject({ isCA: true, commonName: 'Internal CA', secretName: 'internal-ca', issuerRef: { kind: 'ClusterIssuer', name: 'internal-selfsigned' }, privateKey: { rotationPolicy: 'Never' } });
    expect((r.objects[2] as { spec: unknown }).spec).toEqual({ ca: { secretName: 'internal-ca' } });
    expect(r.issuerRef).toEqual({ kind: 'ClusterIssuer', name: 'internal' });
    expect(validateWithModels(r.objects)).toBe(3);
  });
});

describe('normaliseEabKey', () => {
  it('accepts either base64 alphabet and refuses short or non-base64 keys', () => {
    expect(normaliseEabKey(b64('k'.repeat(32)))).toBe(Buffer.from('k'.repeat(32)).toString('base64url'));
    expect(() => normaliseEabKey('short')).toThrow(/128 bits/);
    expect(() => normaliseEabKey('not base64!')).toThrow(/not base64/);
  });
});
