// doctor's endpoint scan against a real Debian nginx configured well and badly, each expected
// finding asserted by code, and its protocol and cipher findings cross-checked with sslscan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDoctor, type DoctorReport } from '../../src/services/doctor.js';
import { makeCert, makePki, type TestPki } from '../support/doctor-pki.js';
import { sslscan, startNginx, type Nginx } from '../support/nginx.js';

const DAY = 86_400_000;
const MOZILLA_INTERMEDIATE =
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305';
const HOST = 'app.test';

let nginx: Nginx;
let pki: TestPki;
let bundleFile: string;

beforeAll(async () => {
  pki = await makePki('Nginx Doctor');
  const dir = mkdtempSync(join(tmpdir(), 'doctor-nginx-'));
  bundleFile = join(dir, 'root.pem');
  writeFileSync(bundleFile, pki.root.certPem);
  const ecdsa = await pki.leaf({ cn: HOST, dnsNames: [HOST] });
  const rsa = await pki.leaf({ cn: HOST, dnsNames: [HOST], key: 'rsa-2048' });
  const rsa1024 = await pki.leaf({ cn: HOST, dnsNames: [HOST], key: 'rsa-1024' });
  const expired = await pki.leaf({ cn: HOST, dnsNames: [HOST], notBefore: new Date(Date.now() - 100 * DAY), notAfter: new Date(Date.now() - 2 * DAY) });
  const selfSigned = await makeCert({ cn: HOST, dnsNames: [HOST] });
  const chain = (c: { certPem: string }) => c.certPem + pki.intermediate.certPem;
  const weakLevel = 'ssl_ciphers DEFAULT:@SECLEVEL=0';
  nginx = await startNginx([
    {
      name: 'good',
      certPem: chain(ecdsa),
      keyPem: ecdsa.keyPem,
      directives: [
        'ssl_protocols TLSv1.2 TLSv1.3',
        `ssl_ciphers ${MOZILLA_INTERMEDIATE}`,
        'ssl_ecdh_curve X25519:prime256v1:secp384r1',
        'ssl_session_cache shared:SSL:1m',
        'add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always',
      ],
    },
    { name: 'legacy', certPem: chain(rsa), keyPem: rsa.keyPem, directives: ['ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3', 'ssl_ciphers ALL:@SECLEVEL=0'] },
    { name: 'cbc', certPem: chain(rsa), keyPem: rsa.keyPem, directives: ['ssl_protocols TLSv1.2', 'ssl_ciphers ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES128-GCM-SHA256'] },
    { name: 'nofs', certPem: chain(rsa), keyPem: rsa.keyPem, directives: ['ssl_protocols TLSv1.2', 'ssl_ciphers AES128-GCM-SHA256:AES256-SHA'] },
    { name: 'expired', certPem: chain(expired), keyPem: expired.keyPem, directives: ['ssl_protocols TLSv1.2 TLSv1.3'] },
    { name: 'selfsigned', certPem: selfSigned.certPem, keyPem: selfSigned.keyPem, directives: ['ssl_protocols TLSv1.2 TLSv1.3'] },
    { name: 'nointermediate', certPem: ecdsa.certPem, keyPem: ecdsa.keyPem, directives: ['ssl_protocols TLSv1.2 TLSv1.3'] },
    { name: 'rsa1024', certPem: chain(rsa1024), keyPem: rsa1024.keyPem, directives: ['ssl_protocols TLSv1.2 TLSv1.3', weakLevel] },
  ]);
}, 120_000);

afterAll(async () => {
  await nginx?.stop();
});

const scan = (site: string, extra: { sni?: string; bundle?: boolean } = {}): Promise<DoctorReport> =>
  runDoctor({
    kube: async () => {
      throw new Error('no cluster in this test');
    },
    endpoints: [`127.0.0.1:${nginx.ports[site]}/${extra.sni ?? HOST}`],
    ...(extra.bundle === false ? {} : { caBundleFile: bundleFile }),
  });

const status = (r: DoctorReport, code: string) => r.results.find((x) => x.code === code)?.status;
const problems = (r: DoctorReport) => r.results.filter((x) => x.status === 'error' || x.status === 'warning').map((x) => `${x.code}:${x.status}`);

describe('doctor against nginx', () => {
  it('a Mozilla-intermediate nginx with HSTS is clean, grade A+, and verifies with the root alone', async () => {
    const r = await scan('good');
    expect(problems(r)).toEqual([]);
    expect(r.endpoints[0]!.grade!.grade).toBe('A+');
    expect(status(r, 'TRU102')).toBe('ok');
    expect(status(r, 'TLS116')).toBe('ok');
  });

  it('TLS 1.0/1.1 with ALL ciphers: TLS102, TLS110 (CBC), TLS112 (anonymous suites), TLS130 (no HSTS)', async () => {
    const r = await scan('legacy');
    expect(problems(r)).toEqual(expect.arrayContaining(['TLS102:error', 'TLS110:warning', 'TLS112:error', 'TLS130:warning']));
    expect(r.endpoints[0]!.grade!.grade).toBe('F');
  });

  it('CBC suites only on TLS 1.2: TLS110 warning naming the CBC suites, TLS103 warning', async () => {
    const r = await scan('cbc');
    const t = r.results.find((x) => x.code === 'TLS110')!;
    expect(t.status).toBe('warning');
    expect(t.details.sort()).toEqual(['TLSv1.2 ECDHE-RSA-AES128-SHA', 'TLSv1.2 ECDHE-RSA-AES256-SHA384']);
    expect(status(r, 'TLS103')).toBe('warning');
    expect(r.endpoints[0]!.grade!.grade).toBe('A-');
  });

  it('static RSA only: TLS111 error, grade B', async () => {
    const r = await scan('nofs');
    expect(status(r, 'TLS111')).toBe('error');
    expect(r.endpoints[0]!.grade!.grade).toBe('B');
  });

  it('expired certificate: TLS123 error', async () => {
    expect(status(await scan('expired'), 'TLS123')).toBe('error');
  });

  it('self-signed certificate: TLS122 error, grade T', async () => {
    const r = await scan('selfsigned', { bundle: false });
    expect(status(r, 'TLS122')).toBe('error');
    expect(r.endpoints[0]!.grade!.grade).toBe('T');
  });

  it('missing intermediate: TLS120 and TRU102 errors', async () => {
    const r = await scan('nointermediate');
    expect(status(r, 'TLS120')).toBe('error');
    expect(status(r, 'TRU102')).toBe('error');
  });

  it('wrong host: TLS121 error', async () => {
    expect(status(await scan('good', { sni: 'wrong.test' }), 'TLS121')).toBe('error');
  });

  it('RSA 1024: TLS125 error', async () => {
    expect(status(await scan('rsa1024'), 'TLS125')).toBe('error');
  });

  it.each(['good', 'legacy', 'cbc', 'nofs'])('protocols and accepted ciphers agree with sslscan (%s)', async (site) => {
    const ours = (await scan(site)).endpoints[0]!;
    const theirs = sslscan(nginx.ports[site]!, HOST);
    expect(ours.protocols).toEqual({ TLSv1: theirs.protocols.TLSv1, 'TLSv1.1': theirs.protocols['TLSv1.1'], 'TLSv1.2': theirs.protocols['TLSv1.2'], 'TLSv1.3': theirs.protocols['TLSv1.3'] });
    expect(new Set(ours.ciphers.map((c) => `${c.version} ${c.name}`))).toEqual(theirs.ciphers);
  });
});
