import { describe, expect, it } from 'vitest';
import { ingressNginxTlsSettings } from './ingress-nginx.js';
import { envoyClientTrafficPolicy, gatewayWithTls, hstsValue } from './gateway.js';
import { vibectlServerTlsConfig } from './vibectl-server.js';

describe('ingress-nginx hardening', () => {
  it('intermediate: TLS 1.2+1.3, only the six AEAD ECDHE suites, HSTS two years with subdomains', () => {
    const d = ingressNginxTlsSettings('intermediate', { enabled: true });
    expect(d['ssl-protocols']).toBe('TLSv1.2 TLSv1.3');
    expect(d['ssl-ciphers']!.split(':')).toHaveLength(6);
    expect(d['ssl-ciphers']).not.toMatch(/CBC|SHA1|(^|:)DHE-|RC4/);
    expect(d['hsts-max-age']).toBe('63072000');
    expect(d['hsts-include-subdomains']).toBe('true');
    expect(d['hsts-preload']).toBe('false');
    expect(d['ssl-ecdh-curve']).toBe('X25519:prime256v1:secp384r1');
  });
  it('modern: TLS 1.3 only; HSTS off when asked', () => {
    const d = ingressNginxTlsSettings('modern', { enabled: false });
    expect(d['ssl-protocols']).toBe('TLSv1.3');
    expect(d.hsts).toBe('false');
    expect(d['hsts-max-age']).toBeUndefined();
  });
});

describe('Gateway API hardening', () => {
  it('terminates with the Secret and keeps a plain HTTP listener for redirects and HTTP-01', () => {
    const gw = gatewayWithTls({ gateway: { namespace: 'apps', name: 'web', className: 'eg' }, hostname: 'a.corp.example.net', secretName: 'a-tls' });
    const listeners = (gw.spec as { listeners: Array<Record<string, unknown>> }).listeners;
    expect(listeners.map((l) => l.protocol)).toEqual(['HTTP', 'HTTPS']);
    expect(listeners[1]).toMatchObject({ tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'a-tls' }] } });
  });
  it('HSTS preload only when asked; Envoy policy carries the profile', () => {
    expect(hstsValue({ enabled: true })).toBe('max-age=63072000; includeSubDomains');
    expect(hstsValue({ enabled: true, preload: true })).toBe('max-age=63072000; includeSubDomains; preload');
    expect(envoyClientTrafficPolicy({ namespace: 'a', gateway: 'g', profile: 'modern' }).spec).toMatchObject({ tls: { minVersion: '1.3' } });
    expect(envoyClientTrafficPolicy({ namespace: 'a', gateway: 'g', profile: 'intermediate' }).spec).toMatchObject({ tls: { minVersion: '1.2' } });
  });
});

describe('vibectl-server TLS config', () => {
  it('puts hsts inside tls (the demo had it at the wrong key, silently ignored)', () => {
    const c = vibectlServerTlsConfig({ mountPath: '/etc/vibectl/tls', hsts: { enabled: true } });
    expect(c).toEqual({ tls: { enabled: true, cert_file: '/etc/vibectl/tls/tls.crt', key_file: '/etc/vibectl/tls/tls.key', hsts: { max_age: 63072000, include_subdomains: true, preload: false } } });
  });
});
