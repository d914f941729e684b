import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ctQueries, ctQueryUrl, mergeRows, parseCtDomain, retryAfterMs, searchCt, type CrtShRow } from './crtsh.js';
import { ExitCode, TlsError } from '../errors.js';
import { issuerForAcmeServer, issuerMatchFromDn, matchIssuer, mergeExpected } from './issuers.js';

const row = (o: Partial<CrtShRow> & { id: number; serial_number: string }): CrtShRow => ({
  issuer_name: "C=US, O=Let's Encrypt, CN=R11",
  common_name: 'www.example.com',
  name_value: 'example.com\nwww.example.com',
  not_before: '2026-11-01T00:00:00',
  not_after: '2027-01-30T00:00:00',
  entry_timestamp: '2026-11-01T01:02:03.456',
  ...o,
});

describe('crt.sh rows', () => {
  it('merges a precertificate and its certificate (same issuer and serial) and keeps the first log time', () => {
    const entries = mergeRows([
      row({ id: 20, serial_number: '04aa', entry_timestamp: '2026-11-01T01:05:00' }),
      row({ id: 19, serial_number: '04AA', entry_timestamp: '2026-11-01T01:02:03.456' }),
      row({ id: 30, serial_number: '0bb', issuer_name: 'C=US, O=Google Trust Services, CN=WR1', name_value: 'api.example.com' }),
    ]);
    expect(entries).toHaveLength(2);
    const le = entries.find((e) => e.serial === '04aa')!;
    expect(le.ids).toEqual([19, 20]);
    expect(le.loggedAt?.toISOString()).toBe('2026-11-01T01:02:03.456Z');
    expect(le.names).toEqual(['example.com', 'www.example.com']);
    expect(le.notAfter.toISOString()).toBe('2027-01-30T00:00:00.000Z');
  });

  it('skips rows it cannot read instead of failing', () => {
    expect(mergeRows([{ id: 1 } as CrtShRow, row({ id: 2, serial_number: '01', not_before: 'garbage' }), row({ id: 3, serial_number: '02' })])).toHaveLength(1);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('1', 0)).toBe(1000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs(null, 0)).toBeUndefined();
    expect(retryAfterMs('soon', 0)).toBeUndefined();
  });

  it('queries subdomains and the apex, or subdomains only for *.domain', () => {
    expect(ctQueries('Example.COM.')).toEqual(['%.example.com', 'example.com']);
    expect(ctQueries('*.example.com')).toEqual(['%.example.com']);
    expect(ctQueryUrl('https://crt.sh/', '%.example.com')).toBe('https://crt.sh/?q=%25.example.com&output=json&exclude=expired&deduplicate=Y');
    expect(() => parseCtDomain('localhost')).toThrow(/not a domain name/);
    expect(() => parseCtDomain('exa mple.com')).toThrow(/not a domain name/);
    expect(() => ctQueryUrl('ftp://x', 'a.b')).toThrow(/not an http/);
  });
});

describe('expected issuers', () => {
  it('maps ACME servers of public CAs to their organisation, and not staging', () => {
    expect(issuerForAcmeServer('https://acme-v02.api.letsencrypt.org/directory')).toBe("Let's Encrypt");
    expect(issuerForAcmeServer('https://acme-staging-v02.api.letsencrypt.org/directory')).toBeUndefined();
    expect(issuerForAcmeServer('https://acme.zerossl.com/v2/DV90')).toBe('ZeroSSL');
    expect(issuerForAcmeServer('https://dv.acme-v02.api.pki.goog/directory')).toBe('Google Trust Services');
    expect(issuerForAcmeServer('https://pebble.test:14000/dir')).toBeUndefined();
  });

  it('takes the organisation from Node and CT DN forms, else the CN', () => {
    expect(issuerMatchFromDn("C=US\nO=Let's Encrypt\nCN=R11")).toBe("Let's Encrypt");
    expect(issuerMatchFromDn('C=US, O=Google Trust Services, CN=WR1')).toBe('Google Trust Services');
    expect(issuerMatchFromDn('CN=vibectl private CA')).toBe('vibectl private CA');
  });

  it('matches case-insensitively and merges duplicates', () => {
    const exp = mergeExpected([
      { match: "Let's Encrypt", source: 'a' },
      { match: "let's encrypt", source: 'b' },
    ]);
    expect(exp).toEqual([{ match: "Let's Encrypt", source: 'a, b' }]);
    expect(matchIssuer("C=US, O=LET'S ENCRYPT, CN=E6", exp)).toBeDefined();
    expect(matchIssuer('C=US, O=Sectigo Limited, CN=Sectigo RSA DV', exp)).toBeUndefined();
  });
});

describe('searchCt against a loopback crt.sh stand-in', () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  async function serve(handler: http.RequestListener): Promise<string> {
    server = http.createServer(handler);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  /** Sleeps are recorded, not waited: the test proves the backoff without taking its time. */
  function fakeClock() {
    let t = 0;
    const waits: number[] = [];
    return { waits, clock: { now: () => t, sleep: async (ms: number) => void (waits.push(ms), (t += ms)) } };
  }

  it('retries 429 (honouring Retry-After) and 503, then merges both queries', async () => {
    const seen: string[] = [];
    let n = 0;
    const url = await serve((req, res) => {
      seen.push(req.url!);
      n += 1;
      if (n === 1) return res.writeHead(429, { 'Retry-After': '1' }).end('slow down');
      if (n === 2) return res.writeHead(503).end('<html>busy</html>');
      const q = new URL(req.url!, 'http://x').searchParams.get('q');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(q === '%.example.com' ? [row({ id: 1, serial_number: '01' }), row({ id: 2, serial_number: '01' })] : [row({ id: 3, serial_number: '02', name_value: 'example.com' })]));
    });
    const { clock, waits } = fakeClock();
    const retries: string[] = [];
    const result = await searchCt({ baseUrl: url, domain: 'example.com', clock, onRetry: (r) => retries.push(r.reason) });
    expect(seen.map((u) => new URL(u, 'http://x').searchParams.get('q'))).toEqual(['%.example.com', '%.example.com', '%.example.com', 'example.com']);
    for (const u of seen) expect(new URL(u, 'http://x').searchParams.get('output')).toBe('json');
    expect(retries).toEqual(['HTTP 429', 'HTTP 503']);
    expect(waits).toEqual([1000, 4000]); // Retry-After, then the doubled backoff
    expect(result.requests).toBe(4);
    expect(result.entries.map((e) => e.serial).sort()).toEqual(['01', '02']);
  });

  it('gives up with exit code 7 when the deadline runs out', async () => {
    const url = await serve((_req, res) => res.writeHead(503).end());
    const { clock, waits } = fakeClock();
    const err = await searchCt({ baseUrl: url, domain: 'example.com', clock, deadlineMs: 10_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TlsError);
    expect((err as TlsError).exitCode).toBe(ExitCode.ExternalService);
    expect((err as Error).message).toMatch(/did not answer for "%.example.com" \(HTTP 503; the 10s deadline ran out after 3 attempt\(s\)\)/);
    expect(waits).toEqual([2000, 4000]);
  });

  it('does not retry a 400 and says what --ct-url must be', async () => {
    let n = 0;
    const url = await serve((_req, res) => void (n++, res.writeHead(400).end('bad query')));
    const err = await searchCt({ baseUrl: url, domain: 'example.com', clock: fakeClock().clock }).catch((e: unknown) => e);
    expect(n).toBe(1);
    expect((err as TlsError).exitCode).toBe(ExitCode.ExternalService);
    expect((err as TlsError).hint).toMatch(/crt.sh-compatible/);
  });

  it('reports a refused connection after bounded retries', async () => {
    const url = await serve(() => undefined);
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
    const { clock, waits } = fakeClock();
    const err = await searchCt({ baseUrl: url, domain: 'example.com', clock, maxAttempts: 3 }).catch((e: unknown) => e);
    expect((err as TlsError).exitCode).toBe(ExitCode.ExternalService);
    expect((err as Error).message).toMatch(/ECONNREFUSED; after 3 attempts/);
    expect(waits).toHaveLength(2);
  });
});
