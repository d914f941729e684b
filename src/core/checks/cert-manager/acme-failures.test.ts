import { describe, expect, it } from 'vitest';
import { classifyAcmeText } from './acme-failures.js';
import { backoffDelayMs } from './certificate.js';

describe('ACME failure classification (cert-manager reasons as users report them)', () => {
  it.each([
    ["Waiting for HTTP-01 challenge propagation: wrong status code '404', expected '200'", 'HTTP-01', 'http01-404'],
    [`Waiting for HTTP-01 challenge propagation: failed to perform self check GET request 'http://a.test/.well-known/acme-challenge/x': Get "http://a.test/.well-known/acme-challenge/x": dial tcp 10.0.0.1:80: i/o timeout`, 'http-01', 'http01-timeout'],
    [`Waiting for HTTP-01 challenge propagation: failed to perform self check GET request 'http://a.test/.well-known/acme-challenge/x': Get "https://a.test/.well-known/acme-challenge/x": tls: failed to verify certificate: x509: certificate is valid for ingress.local, not a.test`, 'http-01', 'http01-redirect'],
    ['Waiting for DNS-01 challenge propagation: DNS record for "a.test" not yet propagated', 'DNS-01', 'dns01-propagation'],
    ['Error presenting challenge: could not find the zone for "_acme-challenge.a.test."', 'dns-01', 'dns01-zone'],
    ['Failed to create Order: 429 urn:ietf:params:acme:error:rateLimited: too many certificates (5) already issued', undefined, 'rate-limit'],
  ])('%s → %s', (text, type, kind) => {
    expect(classifyAcmeText(text, type)?.kind).toBe(kind);
  });

  it('leaves unknown failures to the generic check', () => {
    expect(classifyAcmeText('Accepting challenge authorization failed: acme: authorization error for a.test: 403 urn:ietf:params:acme:error:unauthorized', 'http-01')).toBeUndefined();
  });

  it('backs off 1 h after the first failure, doubling to at most 32 h', () => {
    const h = 3_600_000;
    expect([undefined, 1, 2, 3, 6, 7, 20].map((n) => backoffDelayMs(n) / h)).toEqual([1, 1, 2, 4, 32, 32, 32]);
  });
});

describe('dry-run Certificate errors, translated as cmctl check api does', async () => {
  const { classifyDryRunError } = await import('../cluster/subject.js');
  it.each([
    ['the server could not find the requested resource (post certificates.cert-manager.io)', 404, 'crds'],
    ['Internal error occurred: failed calling webhook "webhook.cert-manager.io": Post "https://cert-manager-webhook.cert-manager.svc:443/mutate?timeout=10s": service "cert-manager-webhook" not found', 500, 'webhook-service'],
    ['Internal error occurred: failed calling webhook "webhook.cert-manager.io": Post "https://cert-manager-webhook.cert-manager.svc:443/mutate?timeout=10s": dial tcp 10.96.38.90:443: connect: connection refused', 500, 'webhook-refused'],
    ['Internal error occurred: failed calling webhook "webhook.cert-manager.io": Post "https://cert-manager-webhook.cert-manager.svc:443/mutate?timeout=10s": x509: certificate signed by unknown authority', 500, 'webhook-ca'],
    ['Internal error occurred: failed calling webhook "webhook.cert-manager.io": Post "https://cert-manager-webhook.cert-manager.svc:443/mutate?timeout=10s": context deadline exceeded', 500, 'webhook-timeout'],
    ['certificates.cert-manager.io is forbidden: User "x" cannot create resource', 403, 'forbidden'],
  ])('%s → %s', (message, status, kind) => {
    expect(classifyDryRunError(message, status)).toBe(kind);
  });
});
