import { describe, expect, it } from 'vitest';
import { ALB_TLS13_POLICY, ALB_WEAK_DEFAULT_POLICY, albIngress, parseAcmArn } from './eks.js';
import { gkeManagedCertificate } from './gke.js';
import { appRoutingIngress, parseKeyVaultUri, secretProviderClass } from './aks.js';
import { InvalidInputError } from '../../errors.js';

const arn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-111122223333';

describe('EKS / ALB', () => {
  it('never leaves the ALB on its TLS 1.0 default policy, redirects and sends HSTS', () => {
    const ing = albIngress({ name: 'web', namespace: 'apps', hosts: ['app.corp.example.net'], certificateArns: [arn], service: { name: 'web', port: 8080 }, profile: 'intermediate', hsts: { enabled: true }, region: 'eu-west-1' });
    const a = ing.metadata!.annotations!;
    expect(a['alb.ingress.kubernetes.io/ssl-policy']).toBe(ALB_TLS13_POLICY);
    expect(a['alb.ingress.kubernetes.io/ssl-policy']).not.toBe(ALB_WEAK_DEFAULT_POLICY);
    expect(a['alb.ingress.kubernetes.io/ssl-redirect']).toBe('443');
    expect(JSON.parse(a['alb.ingress.kubernetes.io/listen-ports']!)).toEqual([{ HTTP: 80 }, { HTTPS: 443 }]);
    expect(a['alb.ingress.kubernetes.io/listener-attributes.HTTPS-443']).toContain('max-age=63072000; includeSubDomains');
    expect(ing.spec).toMatchObject({ ingressClassName: 'alb' });
  });

  it('refuses an ACM certificate from another region, naming both regions', () => {
    expect(() => albIngress({ name: 'w', namespace: 'a', hosts: ['x.corp.example.net'], certificateArns: [arn], service: { name: 'w', port: 80 }, profile: 'modern', hsts: { enabled: false }, region: 'us-east-1' })).toThrow(/eu-west-1.*us-east-1/);
    expect(() => parseAcmArn('arn:aws:iam::123:role/x')).toThrow(InvalidInputError);
    expect(parseAcmArn(arn)).toEqual({ partition: 'aws', region: 'eu-west-1', account: '123456789012' });
  });
});

describe('GKE managed certificates', () => {
  it('builds ManagedCertificate, FrontendConfig (SSL policy + redirect) and the annotated Ingress', () => {
    const [cert, fe, ing] = gkeManagedCertificate({ name: 'web', namespace: 'apps', domains: ['a.corp.example.net'], service: { name: 'web', port: 80 }, sslPolicy: 'tls12-restricted', profile: 'intermediate' });
    expect(cert).toMatchObject({ kind: 'ManagedCertificate', spec: { domains: ['a.corp.example.net'] } });
    expect(fe).toMatchObject({ kind: 'FrontendConfig', spec: { sslPolicy: 'tls12-restricted', redirectToHttps: { enabled: true } } });
    expect(ing!.metadata!.annotations).toMatchObject({ 'networking.gke.io/managed-certificates': 'web-cert', 'networking.gke.io/v1beta1.FrontendConfig': 'web-frontend' });
  });
  it('refuses wildcards with the Certificate Manager / DNS-01 alternative', () => {
    expect(() => gkeManagedCertificate({ name: 'w', namespace: 'a', domains: ['*.corp.example.net'], service: { name: 'w', port: 80 }, sslPolicy: 'p', profile: 'intermediate' })).toThrow(/wildcard/);
  });
});

describe('AKS Key Vault', () => {
  it('syncs a kubernetes.io/tls Secret from objectType secret', () => {
    const spc = secretProviderClass({ name: 'web-kv', namespace: 'apps', keyvaultUri: 'https://corpvault.vault.azure.net/certificates/web-tls', tenantId: 't', clientId: 'c', secretName: 'web-tls' });
    expect(spc.spec).toMatchObject({ provider: 'azure', secretObjects: [{ secretName: 'web-tls', type: 'kubernetes.io/tls' }], parameters: { keyvaultName: 'corpvault' } });
    expect((spc.spec as { parameters: { objects: string } }).parameters.objects).toContain('objectType: secret');
  });
  it('parses vault URIs and refuses others', () => {
    expect(parseKeyVaultUri('https://corpvault.vault.azure.net/certificates/web-tls/0123456789abcdef0123456789abcdef')).toEqual({ vault: 'corpvault', name: 'web-tls', version: '0123456789abcdef0123456789abcdef' });
    expect(() => parseKeyVaultUri('https://example.net/x')).toThrow(InvalidInputError);
  });
  it('app-routing Ingress uses the keyvault-<ingress> Secret name', () => {
    const ing = appRoutingIngress({ name: 'web', namespace: 'apps', host: 'a.corp.example.net', keyvaultUri: 'https://corpvault.vault.azure.net/certificates/web-tls', service: { name: 'web', port: 80 } });
    expect(ing.spec).toMatchObject({ ingressClassName: 'webapprouting.kubernetes.azure.com', tls: [{ secretName: 'keyvault-web' }] });
  });
});
