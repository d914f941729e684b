import { beforeAll, describe, expect, it } from 'vitest';
import { runChecks, type CheckResult } from '../framework.js';
import { allChecks } from '../registry.js';
import { secretSubject } from '../subjects.js';
import { makeCert, makePki, tlsSecretData, type TestPki } from '../../../../test/support/doctor-pki.js';

const DAY = 86_400_000;
let pki: TestPki;

beforeAll(async () => {
  pki = await makePki('Secret Checks');
});

async function check(data: Record<string, string>, opts: { expectedNames?: string[]; days?: number } = {}): Promise<Map<string, CheckResult>> {
  const subject = secretSubject({ namespace: 'ns', name: 's', data, settings: { days: opts.days ?? 30, profile: 'intermediate' }, expectedNames: opts.expectedNames ?? [] });
  const results = await runChecks({ checks: allChecks(), subjects: [subject] });
  return new Map(results.map((r) => [r.code, r]));
}

const problems = (m: Map<string, CheckResult>) => [...m.values()].filter((r) => r.status !== 'ok').map((r) => `${r.code}:${r.status}`);

describe('Secret checks', () => {
  it('a well-formed Secret with its chain and ca.crt passes every check', async () => {
    const leaf = await pki.leaf({ cn: 'app.example.com', dnsNames: ['app.example.com'] });
    const r = await check(tlsSecretData({ cert: leaf.certPem + pki.intermediate.certPem, key: leaf.keyPem, ca: pki.root.certPem }), { expectedNames: ['app.example.com'] });
    expect(problems(r)).toEqual([]);
    expect(r.get('SEC117')!.message).toContain('Secret Checks Root');
    expect(r.get('SEC105')!.message).toBe('app.example.com → Secret Checks Intermediate');
  });

  it('missing tls.key: SEC101 fails and the key checks are skipped, not run', async () => {
    const leaf = await pki.leaf({ cn: 'a', dnsNames: ['a.example'] });
    const r = await check({ 'tls.crt': Buffer.from(leaf.certPem).toString('base64') });
    expect(r.get('SEC101')).toMatchObject({ status: 'error', message: 'missing or empty: tls.key' });
    expect(r.get('SEC102')!.status).toBe('skipped');
    expect(r.get('SEC104')!.status).toBe('skipped');
  });

  it('tls.crt that is not PEM fails SEC102 and skips the certificate checks', async () => {
    const leaf = await pki.leaf({ cn: 'a', dnsNames: ['a.example'] });
    const r = await check(tlsSecretData({ cert: 'not a certificate', key: leaf.keyPem }));
    expect(r.get('SEC102')).toMatchObject({ status: 'error', message: 'tls.crt: no PEM block found' });
    for (const code of ['SEC104', 'SEC105', 'SEC110', 'SEC113']) expect(r.get(code)!.status).toBe('skipped');
    expect(r.get('SEC103')!.status).toBe('ok');
  });

  it('a key from another certificate fails SEC104', async () => {
    const a = await pki.leaf({ cn: 'a', dnsNames: ['a.example'] });
    const b = await pki.leaf({ cn: 'b', dnsNames: ['b.example'] });
    const r = await check(tlsSecretData({ cert: a.certPem + pki.intermediate.certPem, key: b.keyPem }));
    expect(r.get('SEC104')!.status).toBe('error');
  });

  it('a chain stored intermediate-first fails SEC105 and SEC104 names the certificate the key matches', async () => {
    const leaf = await pki.leaf({ cn: 'a', dnsNames: ['a.example'] });
    const r = await check(tlsSecretData({ cert: pki.intermediate.certPem + leaf.certPem, key: leaf.keyPem }));
    expect(r.get('SEC105')!.status).toBe('error');
    expect(r.get('SEC104')!.details[0]).toMatch(/matches certificate 2/);
  });

  it('a leaf without its intermediate is an incomplete chain (SEC106)', async () => {
    const leaf = await pki.leaf({ cn: 'a', dnsNames: ['a.example'] });
    const r = await check(tlsSecretData({ cert: leaf.certPem, key: leaf.keyPem }));
    expect(r.get('SEC106')).toMatchObject({ status: 'warning' });
    expect(r.get('SEC106')!.message).toContain('Secret Checks Intermediate');
  });

  it('SANs: none at all, or not covering an expected host, fail SEC107', async () => {
    const noSan = await pki.leaf({ cn: 'legacy.example.com' });
    const r1 = await check(tlsSecretData({ cert: noSan.certPem + pki.intermediate.certPem, key: noSan.keyPem }));
    expect(r1.get('SEC107')).toMatchObject({ status: 'error' });
    expect(r1.get('SEC107')!.message).toContain('CN=legacy.example.com');
    const wild = await pki.leaf({ cn: 'w', dnsNames: ['*.example.com'] });
    const r2 = await check(tlsSecretData({ cert: wild.certPem + pki.intermediate.certPem, key: wild.keyPem }), { expectedNames: ['a.example.com', 'a.b.example.com'] });
    expect(r2.get('SEC107')).toMatchObject({ status: 'error', message: 'does not cover a.b.example.com' });
  });

  it('validity: expired (SEC110), not yet valid (SEC111), expiring within --days (SEC112)', async () => {
    const now = Date.now();
    const expired = await pki.leaf({ cn: 'e', dnsNames: ['e.example'], notBefore: new Date(now - 100 * DAY), notAfter: new Date(now - 3 * DAY) });
    const r1 = await check(tlsSecretData({ cert: expired.certPem + pki.intermediate.certPem, key: expired.keyPem }));
    expect(r1.get('SEC110')).toMatchObject({ status: 'error' });
    expect(r1.get('SEC110')!.message).toMatch(/^expired 3 day\(s\) ago/);
    expect(r1.has('SEC112')).toBe(false);

    const future = await pki.leaf({ cn: 'f', dnsNames: ['f.example'], notBefore: new Date(now + 2 * DAY), notAfter: new Date(now + 90 * DAY) });
    expect((await check(tlsSecretData({ cert: future.certPem, key: future.keyPem }))).get('SEC111')!.status).toBe('error');

    const soon = await pki.leaf({ cn: 's', dnsNames: ['s.example'], notAfter: new Date(now + 10 * DAY + 3600_000) });
    const data = tlsSecretData({ cert: soon.certPem + pki.intermediate.certPem, key: soon.keyPem });
    expect((await check(data)).get('SEC112')).toMatchObject({ status: 'warning', message: expect.stringMatching(/^expires in 10 day\(s\)/) });
    expect((await check(data, { days: 7 })).get('SEC112')!.status).toBe('ok');
  });

  it('key strength: RSA 1024 fails SEC113, P-521 is info, P-384 passes', async () => {
    const weak = await pki.leaf({ cn: 'w', dnsNames: ['w.example'], key: 'rsa-1024' });
    const r = await check(tlsSecretData({ cert: weak.certPem + pki.intermediate.certPem, key: weak.keyPem }));
    expect(r.get('SEC113')).toMatchObject({ status: 'error', message: expect.stringMatching(/^RSA 1024/) });
    const p521 = await pki.leaf({ cn: 'p', dnsNames: ['p.example'], key: 'ec-p521' });
    expect((await check(tlsSecretData({ cert: p521.certPem + pki.intermediate.certPem, key: p521.keyPem }))).get('SEC113')!.status).toBe('info');
    const p384 = await pki.leaf({ cn: 'p', dnsNames: ['p.example'], key: 'ec-p384' });
    expect((await check(tlsSecretData({ cert: p384.certPem + pki.intermediate.certPem, key: p384.keyPem }))).get('SEC113')).toMatchObject({ status: 'ok', message: 'EC P-384' });
  });

  it('a SHA-1 signature fails SEC115', async () => {
    const rsaCa = await makeCert({ cn: 'RSA CA', ca: true, key: 'rsa-2048' });
    const sha1 = await makeCert({ cn: 's', dnsNames: ['s.example'], issuer: rsaCa, hash: 'SHA-1' });
    const r = await check(tlsSecretData({ cert: sha1.certPem, key: sha1.keyPem, ca: rsaCa.certPem }));
    expect(r.get('SEC115')).toMatchObject({ status: 'error', message: 's: sha1WithRSAEncryption'.replace(/^/, 'weak signature algorithm: ') });
  });

  it('a client-only EKU or a CA leaf fails SEC116', async () => {
    const client = await pki.leaf({ cn: 'c', dnsNames: ['c.example'], eku: 'clientAuth' });
    const r = await check(tlsSecretData({ cert: client.certPem + pki.intermediate.certPem, key: client.keyPem }));
    expect(r.get('SEC116')).toMatchObject({ status: 'warning', message: expect.stringContaining('without serverAuth') });
    const caLeaf = await pki.leaf({ cn: 'x', dnsNames: ['x.example'], ca: true });
    expect((await check(tlsSecretData({ cert: caLeaf.certPem + pki.intermediate.certPem, key: caLeaf.keyPem }))).get('SEC116')!.status).toBe('warning');
  });

  it('a ca.crt from another CA fails SEC117; no ca.crt means no SEC117 result', async () => {
    const other = await makePki('Other');
    const leaf = await pki.leaf({ cn: 'a', dnsNames: ['a.example'] });
    const r = await check(tlsSecretData({ cert: leaf.certPem + pki.intermediate.certPem, key: leaf.keyPem, ca: other.root.certPem }));
    expect(r.get('SEC117')).toMatchObject({ status: 'warning', message: 'ca.crt did not sign any certificate in tls.crt' });
    const none = await check(tlsSecretData({ cert: leaf.certPem + pki.intermediate.certPem, key: leaf.keyPem }));
    expect(none.has('SEC117')).toBe(false);
  });
});
