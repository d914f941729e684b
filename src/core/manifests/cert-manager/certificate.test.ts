import { describe, expect, it } from 'vitest';
import { certificate, goDuration } from './certificate.js';
import { ingressIssuerPatch } from './ingress-annotation.js';
import { validateWithModels } from '../../../../test/support/cert-manager-models.js';

const DAY = 86_400_000;
const base = { name: 'app', namespace: 'web', secretName: 'app-tls', dnsNames: ['app.example.com', '*.app.example.com'], issuerRef: { kind: 'ClusterIssuer' as const, name: 'letsencrypt' } };

describe('certificate', () => {
  it('defaults: ECDSA P-256, rotationPolicy Always, server usages', () => {
    const c = certificate(base);
    expect(c).toEqual({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'app', namespace: 'web', labels: { 'app.kubernetes.io/managed-by': 'vibectl-tls' } },
      spec: {
        secretName: 'app-tls',
        dnsNames: ['app.example.com', '*.app.example.com'],
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt' },
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        usages: ['digital signature', 'key encipherment', 'server auth'],
      },
    });
    expect(validateWithModels([c])).toBe(1);
  });

  it('RSA 3072, 30 d lifetime renewed 10 d before, client+server usages, IP SANs', () => {
    const c = certificate({ ...base, keyAlgorithm: 'rsa-3072', durationMs: 30 * DAY, renewBeforeMs: 10 * DAY, usages: ['server auth', 'client auth'], ipAddresses: ['10.0.0.1', '::1'], rotationPolicy: 'Never' });
    expect(c.spec).toMatchObject({ privateKey: { algorithm: 'RSA', size: 3072, rotationPolicy: 'Never' }, duration: '720h', renewBefore: '240h', usages: ['server auth', 'client auth'], ipAddresses: ['10.0.0.1', '::1'] });
    validateWithModels([c]);
  });

  it('refuses what cert-manager would refuse later', () => {
    expect(() => certificate({ ...base, dnsNames: [] })).toThrow(/no DNS names/);
    expect(() => certificate({ ...base, dnsNames: ['bad_name.example.com'] })).toThrow(/not a valid DNS name/);
    expect(() => certificate({ ...base, dnsNames: ['a.example.com', 'A.example.com'] })).toThrow(/twice/);
    expect(() => certificate({ ...base, durationMs: 30 * 60_000 })).toThrow(/minimum of 1h/);
    expect(() => certificate({ ...base, durationMs: 10 * DAY, renewBeforeMs: 10 * DAY })).toThrow(/not shorter than the certificate duration/);
    expect(() => certificate({ ...base, usages: ['server-auth' as never] })).toThrow(/usage/);
    expect(() => certificate({ ...base, ipAddresses: ['999.1.1.1'] })).toThrow(/not an IP address/);
    expect(() => certificate({ ...base, secretName: 'App_TLS' })).toThrow(/--secret-name/);
  });

  it('writes Go durations the way cert-manager echoes them', () => {
    expect(goDuration(90 * DAY)).toBe('2160h');
    expect(goDuration(90 * 60_000)).toBe('90m');
    expect(goDuration(1500)).toBe('2s');
  });
});

describe('ingressIssuerPatch', () => {
  const ingress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'shop', namespace: 'web', labels: { 'app.kubernetes.io/managed-by': 'Helm' } },
    spec: { rules: [{ host: 'shop.example.com' }, { host: 'api.example.com' }], tls: [{ hosts: ['legacy.example.com'], secretName: 'legacy' }] },
  };

  it('annotates, keeps the other TLS entries, and does not claim the Ingress with a managed-by label', () => {
    const { patch, notes } = ingressIssuerPatch({ ingress, issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt' } });
    expect(patch).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'shop', namespace: 'web', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } },
      spec: { tls: [{ hosts: ['legacy.example.com'], secretName: 'legacy' }, { hosts: ['shop.example.com', 'api.example.com'], secretName: 'shop-tls' }] },
    });
    expect(notes.join(' ')).toMatch(/managed by Helm/);
  });

  it('namespaced issuer and key settings become ingress-shim annotations; refused before 1.13', () => {
    const { patch } = ingressIssuerPatch({ ingress, issuerRef: { kind: 'Issuer', name: 'le' }, keyAlgorithm: 'ecdsa-p384', rotationPolicy: 'Always', durationMs: 30 * DAY });
    expect(patch.metadata?.annotations).toEqual({
      'cert-manager.io/issuer': 'le',
      'cert-manager.io/private-key-algorithm': 'ECDSA',
      'cert-manager.io/private-key-size': '384',
      'cert-manager.io/private-key-rotation-policy': 'Always',
      'cert-manager.io/duration': '720h',
    });
    expect(() => ingressIssuerPatch({ ingress, issuerRef: { kind: 'Issuer', name: 'le' }, keyAlgorithm: 'ecdsa-p384' }, { installed: true, version: 'v1.12.9' })).toThrow(/1.13.0/);
  });

  it('is stable: applying its own output again gives the same patch', () => {
    const first = ingressIssuerPatch({ ingress, issuerRef: { kind: 'ClusterIssuer', name: 'le' } }).patch;
    const updated = { ...ingress, spec: { ...ingress.spec, tls: (first.spec as { tls: unknown[] }).tls } };
    expect(ingressIssuerPatch({ ingress: updated as typeof ingress, issuerRef: { kind: 'ClusterIssuer', name: 'le' } }).patch).toEqual(first);
  });

  it('refuses an Ingress without hosts', () => {
    expect(() => ingressIssuerPatch({ ingress: { ...ingress, spec: { rules: [{}] } }, issuerRef: { kind: 'ClusterIssuer', name: 'le' } })).toThrow(/no host rules/);
  });
});
