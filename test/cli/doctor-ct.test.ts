// doctor --ct from the outside, against a loopback stand-in for crt.sh (never the real one): the
// stand-in refuses the first two requests (429 with Retry-After: 1, then 503) to prove the retry,
// records the query strings, then serves crt.sh-shaped JSON. An unreachable --ct-url exits 7.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, builtCli, runCli } from './run.js';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '').replace(/\.\d+$/, '');
const LE = "C=US, O=Let's Encrypt, CN=R11";
const ROGUE = 'C=BE, O=GlobalSign nv-sa, CN=AlphaSSL CA - SHA256 - G4';

function rows(q: string) {
  const now = Date.now();
  const r = (id: number, serial: string, issuer: string, names: string, loggedDaysAgo: number) => ({
    id,
    issuer_name: issuer,
    common_name: names.split('\n')[0],
    name_value: names,
    not_before: iso(now - loggedDaysAgo * DAY),
    not_after: iso(now + (90 - loggedDaysAgo) * DAY),
    serial_number: serial,
    entry_timestamp: iso(now - loggedDaysAgo * DAY + 60_000),
  });
  if (q === '%.example.com') {
    return [
      // precertificate and certificate: one entry
      r(101, '03a1b2', LE, 'example.com\nwww.example.com', 3),
      r(102, '03a1b2', LE, 'example.com\nwww.example.com', 3),
      r(200, '0c0ffee0', ROGUE, 'shop.example.com', 60),
    ];
  }
  return [r(101, '03a1b2', LE, 'example.com\nwww.example.com', 3)];
}

let server: http.Server;
let url: string;
let deadUrl: string;
const seen: Array<{ q: string | null; output: string | null }> = [];
const answered: number[] = [];

beforeAll(async () => {
  let n = 0;
  server = http.createServer((req, res) => {
    const u = new URL(req.url!, 'http://x');
    seen.push({ q: u.searchParams.get('q'), output: u.searchParams.get('output') });
    n += 1;
    if (n === 1) return void (answered.push(429), res.writeHead(429, { 'Retry-After': '1' }).end('Too Many Requests'));
    if (n === 2) return void (answered.push(503), res.writeHead(503).end('<html>Service Unavailable</html>'));
    answered.push(200);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(rows(u.searchParams.get('q') ?? '')));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  // A port nothing listens on: bind, note it, close.
  const dead = http.createServer();
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
  deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/`;
  await new Promise<void>((r) => dead.close(() => r()));
  await builtCli();
}, BUILD_TIMEOUT_MS);

afterAll(() => {
  server.close();
});

interface Report {
  success: boolean;
  results: Array<{ code: string; status: string; message: string; details: string[]; subject: string }>;
  notes: string[];
}

describe('doctor --ct', () => {
  it('retries 429/503, asks for subdomains and apex, flags the certificate from an unexpected issuer (CT101) and lists recent ones (CT102)', async () => {
    const r = await runCli(['doctor', '--ct', 'example.com', '--ct-url', url, '--ct-expected-issuer', "Let's Encrypt", '--days', '30', '--fail-on', 'warning', '-o', 'json'], { timeoutMs: 60_000 });
    expect(answered.slice(0, 2)).toEqual([429, 503]);
    expect(seen.map((s) => s.q)).toEqual(['%.example.com', '%.example.com', '%.example.com', 'example.com']);
    expect(seen.every((s) => s.output === 'json')).toBe(true);
    expect(r.stderr).not.toMatch(/^error:/m);
    // Progress (the search is slow) goes to stderr, also without -v; stdout stays one JSON document.
    expect(r.stderr).toMatch(/answered "HTTP 429" for %\.example\.com; retrying in 1s/);
    expect(r.stderr).toMatch(/answered "HTTP 503" for %\.example\.com; retrying in 4s/);
    const report = JSON.parse(r.stdout) as Report;
    const byCode = new Map(report.results.filter((x) => x.subject === 'ct example.com').map((x) => [x.code, x]));
    expect(byCode.get('CT101')).toMatchObject({ status: 'warning', message: '1 of 2 valid certificate(s) for example.com come from an issuer the cluster does not use' });
    expect(byCode.get('CT101')!.details[0]).toMatch(/^serial 0c0ffee0 · C=BE, O=GlobalSign nv-sa.* · shop\.example\.com · .* · log id 200$/);
    expect(byCode.get('CT101')!.details.join('\n')).not.toContain('03a1b2');
    expect(byCode.get('CT102')).toMatchObject({ status: 'info', message: '1 certificate(s) logged in the last 30 day(s)' });
    expect(byCode.get('CT102')!.details[0]).toContain('log id 101/102');
    // No kubeconfig here: the expected issuers come from the flag alone, and doctor says so.
    expect(report.notes.join('\n')).toMatch(/could not read the cluster for expected issuers/);
    expect(r.code).toBe(1); // --fail-on warning
  }, 90_000);

  it('an unreachable --ct-url exits 7 (external service) with the cause and a next step', async () => {
    const r = await runCli(['doctor', '--ct', 'example.com', '--ct-url', deadUrl, '--ct-timeout', '3s'], { timeoutMs: 30_000 });
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/^error: the CT log search at 127\.0\.0\.1:\d+ did not answer for "%\.example\.com" \(ECONNREFUSED; /m);
    expect(r.stderr).toMatch(/^\s*next: .*--ct-timeout/m);
    const json = await runCli(['doctor', '--ct', 'example.com', '--ct-url', deadUrl, '--ct-timeout', '1s', '-o', 'json'], { timeoutMs: 30_000 });
    expect(json.code).toBe(7);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { kind: 'external-service', exitCode: 7 } });
  }, 60_000);

  it('a malformed --ct domain is invalid input (3) before anything is asked', async () => {
    const before = seen.length;
    const r = await runCli(['doctor', '--ct', 'not a domain', '--ct-url', url]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/--ct "not a domain" is not a domain name/);
    expect(seen.length).toBe(before);
  });
});
