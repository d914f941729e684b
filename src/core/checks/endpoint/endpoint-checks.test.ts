// Endpoint checks against real Node TLS/HTTPS servers on loopback, configured well and badly.
import https from 'node:https';
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor, type DoctorReport } from '../../../services/doctor.js';
import type { Clock } from '../framework.js';
import { makeCert, makePki, type TestCert, type TestPki } from '../../../../test/support/doctor-pki.js';

const DAY = 86_400_000;
const servers: net.Server[] = [];
let pki: TestPki;
let good: TestCert;
let bundleFile: string;

const noCluster = async () => {
  throw new Error('these tests need no cluster');
};

/** Real time, instant sleeps: TLS101's retries do not slow the suite down. */
const clock: Clock = (() => {
  let skew = 0;
  return { now: () => new Date(Date.now() + skew), sleep: async (ms: number) => void (skew += ms) };
})();

interface ServerSpec {
  cert: TestCert;
  chain?: TestCert[];
  tls?: tls.SecureContextOptions & { minVersion?: tls.SecureVersion; maxVersion?: tls.SecureVersion };
  headers?: Record<string, string>;
}

async function listen(server: net.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as net.AddressInfo).port;
}

function httpsServer(spec: ServerSpec): Promise<number> {
  const server = https.createServer(
    { key: spec.cert.keyPem, cert: spec.cert.certPem + (spec.chain ?? []).map((c) => c.certPem).join(''), ...spec.tls },
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', ...spec.headers });
      res.end('ok\n');
    },
  );
  return listen(server);
}

async function doctor(endpoint: string, extra: Partial<Parameters<typeof runDoctor>[0]> = {}): Promise<DoctorReport> {
  return runDoctor({ kube: noCluster, endpoints: [endpoint], clock, ...extra });
}

const byCode = (r: DoctorReport) => new Map(r.results.map((x) => [x.code, x]));
const findings = (r: DoctorReport) => r.results.filter((x) => x.status === 'error' || x.status === 'warning').map((x) => x.code);

beforeAll(async () => {
  pki = await makePki('Endpoint Checks');
  good = await pki.leaf({ cn: 'app.test', dnsNames: ['app.test'], ips: ['127.0.0.1'] });
  const dir = mkdtempSync(join(tmpdir(), 'doctor-ep-'));
  bundleFile = join(dir, 'bundle.pem');
  writeFileSync(bundleFile, pki.root.certPem);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe('endpoint checks against Node servers', () => {
  it('a well-configured HTTPS server passes with grade A+ and the client bundle verifies it', async () => {
    const port = await httpsServer({
      cert: good,
      chain: [pki.intermediate],
      tls: { minVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305' },
      headers: { 'strict-transport-security': 'max-age=63072000; includeSubDomains' },
    });
    const r = await doctor(`127.0.0.1:${port}/app.test`, { caBundleFile: bundleFile });
    expect(findings(r)).toEqual([]);
    expect(r.success).toBe(true);
    const c = byCode(r);
    for (const code of ['TLS101', 'TLS102', 'TLS103', 'TLS110', 'TLS111', 'TLS112', 'TLS113', 'TLS116', 'TLS120', 'TLS121', 'TLS122', 'TLS130', 'TRU101', 'TRU102']) expect(c.get(code)?.status, code).toBe('ok');
    expect(r.endpoints[0]!.grade!.grade).toBe('A+');
    expect(r.endpoints[0]!.protocols).toEqual({ TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true });
    expect(r.endpoints[0]!.ciphers.filter((x) => x.version === 'TLSv1.2').map((x) => x.name).sort()).toEqual([
      'ECDHE-ECDSA-AES128-GCM-SHA256',
      'ECDHE-ECDSA-AES256-GCM-SHA384',
      'ECDHE-ECDSA-CHACHA20-POLY1305',
    ]);
  });

  it('TLS 1.0 on: TLS102 error and the grade is capped at B', async () => {
    const port = await httpsServer({ cert: good, chain: [pki.intermediate], tls: { minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' } });
    const r = await doctor(`127.0.0.1:${port}/app.test`, { caBundleFile: bundleFile });
    expect(byCode(r).get('TLS102')).toMatchObject({ status: 'error', message: expect.stringContaining('TLS 1.0') });
    expect(r.endpoints[0]!.grade!.caps).toContainEqual({ grade: 'B', reason: 'TLS 1.0/1.1 offered' });
    expect(r.success).toBe(false);
  });

  it('CBC suites: TLS110 warning names them', async () => {
    const port = await httpsServer({ cert: good, chain: [pki.intermediate], tls: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES128-GCM-SHA256' } });
    const r = await doctor(`127.0.0.1:${port}/app.test`, { caBundleFile: bundleFile });
    const t = byCode(r).get('TLS110')!;
    expect(t.status).toBe('warning');
    expect(t.message).toContain('1 of them CBC');
    expect(t.details).toEqual(['TLSv1.2 ECDHE-ECDSA-AES128-SHA']);
    expect(byCode(r).get('TLS103')!.status).toBe('warning');
  });

  it('no forward secrecy: static-RSA suites only fail TLS111', async () => {
    const rsa = await pki.leaf({ cn: 'app.test', dnsNames: ['app.test'], key: 'rsa-2048' });
    const port = await httpsServer({ cert: rsa, chain: [pki.intermediate], tls: { maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256:AES256-GCM-SHA384' } });
    const r = await doctor(`127.0.0.1:${port}/app.test`, { caBundleFile: bundleFile });
    expect(byCode(r).get('TLS111')).toMatchObject({ status: 'error', message: 'no suite with forward secrecy is accepted' });
    expect(r.endpoints[0]!.grade!.caps.map((c) => c.reason)).toContain('no forward secrecy with the preferred suites');
  });

  it('expired certificate: TLS123 error, grade T', async () => {
    const expired = await pki.leaf({ cn: 'app.test', dnsNames: ['app.test'], notBefore: new Date(Date.now() - 95 * DAY), notAfter: new Date(Date.now() - 5 * DAY) });
    const port = await httpsServer({ cert: expired, chain: [pki.intermediate] });
    const r = await doctor(`127.0.0.1:${port}/app.test`, { caBundleFile: bundleFile });
    expect(byCode(r).get('TLS123')).toMatchObject({ status: 'error', message: expect.stringMatching(/^expired 5 day/) });
    expect(r.endpoints[0]!.grade!.grade).toBe('T');
  });

  it('self-signed certificate: TLS122 error without a bundle', async () => {
    const self = await makeCert({ cn: 'app.test', dnsNames: ['app.test'] });
    const port = await httpsServer({ cert: self });
    const r = await doctor(`127.0.0.1:${port}/app.test`);
    expect(byCode(r).get('TLS122')).toMatchObject({ status: 'error', message: expect.stringContaining('self-signed') });
    expect(byCode(r).has('TRU101')).toBe(false);
  });

  it('missing intermediate: TLS120 error, and a client with only the root cannot verify (TRU102)', async () => {
    const port = await httpsServer({ cert: good });
    const r = await doctor(`127.0.0.1:${port}/app.test`, { caBundleFile: bundleFile });
    const c = byCode(r);
    expect(c.get('TLS120')).toMatchObject({ status: 'error', message: expect.stringContaining('Endpoint Checks Intermediate') });
    expect(c.get('TRU102')).toMatchObject({ status: 'error', message: expect.stringMatching(/verification failed: UNABLE_TO_VERIFY_LEAF_SIGNATURE/) });
    expect(r.endpoints[0]!.grade!.caps.map((x) => x.reason)).toContain('incomplete chain (intermediate missing)');
  });

  it('wrong host: TLS121 error for an SNI the certificate does not cover, grade M', async () => {
    const port = await httpsServer({ cert: good, chain: [pki.intermediate] });
    const r = await doctor(`127.0.0.1:${port}/other.test`, { caBundleFile: bundleFile });
    expect(byCode(r).get('TLS121')).toMatchObject({ status: 'error', message: 'does not cover other.test' });
    expect(byCode(r).get('TRU102')!.status).toBe('error');
    expect(r.endpoints[0]!.grade!.grade).toBe('M');
  });

  it('RSA 1024: TLS125 error', async () => {
    const weak = await pki.leaf({ cn: 'app.test', dnsNames: ['app.test'], key: 'rsa-1024' });
    const port = await httpsServer({ cert: weak, chain: [pki.intermediate], tls: { ciphers: 'DEFAULT:@SECLEVEL=0' } });
    const r = await doctor(`127.0.0.1:${port}/app.test`, { caBundleFile: bundleFile });
    expect(byCode(r).get('TLS125')).toMatchObject({ status: 'error', message: expect.stringMatching(/^RSA 1024/) });
  });

  it('no HSTS on an HTTPS server: TLS130 warning; fails only with --fail-on warning', async () => {
    const port = await httpsServer({ cert: good, chain: [pki.intermediate] });
    const r = await doctor(`127.0.0.1:${port}/app.test`, { caBundleFile: bundleFile });
    expect(byCode(r).get('TLS130')).toMatchObject({ status: 'warning', message: 'no Strict-Transport-Security header (HTTP 200)' });
    expect(r.success).toBe(true);
    const strict = await doctor(`127.0.0.1:${port}/app.test`, { caBundleFile: bundleFile, failOn: 'warning' });
    expect(strict.success).toBe(false);
  });

  it('short HSTS without includeSubDomains: TLS130 names both', async () => {
    const port = await httpsServer({ cert: good, chain: [pki.intermediate], headers: { 'strict-transport-security': 'max-age=300' } });
    const t = byCode(await doctor(`127.0.0.1:${port}/app.test`, { caBundleFile: bundleFile })).get('TLS130')!;
    expect(t.message).toBe('max-age=300 is under one year (31536000)');
    expect(t.details[0]).toBe('includeSubDomains is missing');
  });

  it('a plain TLS server (not HTTP) gets no HSTS result at all', async () => {
    const server = tls.createServer({ key: good.keyPem, cert: good.certPem + pki.intermediate.certPem }, (s) => s.end());
    const port = await listen(server);
    const r = await doctor(`127.0.0.1:${port}/app.test`, { caBundleFile: bundleFile });
    expect(byCode(r).has('TLS130')).toBe(false);
    expect(byCode(r).get('TLS101')!.status).toBe('ok');
    // The server hangs up right after the handshake: the chain must have been read before that.
    expect(byCode(r).get('TLS120')).toMatchObject({ status: 'ok', message: 'app.test → Endpoint Checks Intermediate' });
  });

  it('gRPC mode: TLS 1.3 + h2 pass; a TLS 1.2/http1.1 server fails GRPC101 and GRPC102', async () => {
    const h2 = http2.createSecureServer({ key: good.keyPem, cert: good.certPem + pki.intermediate.certPem, minVersion: 'TLSv1.3' });
    const okPort = await listen(h2);
    const ok = byCode(await doctor(`grpc://127.0.0.1:${okPort}/app.test`, { caBundleFile: bundleFile }));
    expect(ok.get('GRPC101')!.status).toBe('ok');
    expect(ok.get('GRPC102')).toMatchObject({ status: 'ok', message: 'ALPN h2' });
    const badPort = await httpsServer({ cert: good, chain: [pki.intermediate], tls: { maxVersion: 'TLSv1.2' } });
    const bad = byCode(await doctor(`grpc://127.0.0.1:${badPort}/app.test`, { caBundleFile: bundleFile }));
    expect(bad.get('GRPC101')!.status).toBe('error');
    expect(bad.get('GRPC102')!.status).toBe('error');
  });

  it('nothing listening: TLS101 error after retrying, every other endpoint check skipped', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const r = await doctor(`127.0.0.1:${port}`);
    const c = byCode(r);
    expect(c.get('TLS101')).toMatchObject({ status: 'error', message: expect.stringContaining('ECONNREFUSED') });
    expect(c.get('TLS101')!.details.at(-1)).toMatch(/still failing after retrying/);
    expect(r.results.filter((x) => x.code !== 'TLS101').every((x) => x.status === 'skipped')).toBe(true);
    expect(r.endpoints[0]!.grade).toBeNull();
  });

  it('--wait re-runs the checks until they pass: an expired certificate replaced while waiting', async () => {
    const expired = await pki.leaf({ cn: 'app.test', dnsNames: ['app.test'], notBefore: new Date(Date.now() - 95 * DAY), notAfter: new Date(Date.now() - DAY) });
    const serve = (cert: TestCert) => https.createServer({ key: cert.keyPem, cert: cert.certPem + pki.intermediate.certPem }, (_q, res) => res.end('ok'));
    let current = serve(expired);
    await new Promise<void>((r) => current.listen(0, '127.0.0.1', r));
    const port = (current.address() as net.AddressInfo).port;
    const sleeps: number[] = [];
    const renewingClock: Clock = {
      now: () => new Date(),
      sleep: async (ms) => {
        sleeps.push(ms);
        if (sleeps.length !== 1) return;
        // The renewal lands while doctor waits: same port, fresh certificate.
        await new Promise((r) => current.close(r));
        current = serve(good);
        await new Promise<void>((r) => current.listen(port, '127.0.0.1', r));
      },
    };
    const r = await runDoctor({ kube: noCluster, endpoints: [`127.0.0.1:${port}/app.test`], caBundleFile: bundleFile, waitMs: 60_000, clock: renewingClock });
    servers.push(current);
    expect(r.attempts).toBe(2);
    expect(r.timedOut).toBe(false);
    expect(r.success).toBe(true);
    expect(byCode(r).get('TLS123')!.status).toBe('ok');
    expect(sleeps).toEqual([5000]);
  });

  it('--profile modern flags TLS 1.2 (TLS104) and its suites (TLS110)', async () => {
    const port = await httpsServer({ cert: good, chain: [pki.intermediate], tls: { minVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' } });
    const c = byCode(await doctor(`127.0.0.1:${port}/app.test`, { caBundleFile: bundleFile, profile: 'modern' }));
    expect(c.get('TLS104')!.status).toBe('warning');
    expect(c.get('TLS110')!.details).toContain('TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256');
  });
});
