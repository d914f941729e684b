// The private CA judged by other people's code: OpenSSL verifies chains, prints the extensions and
// honours the CRL; OpenSSL and Java's keytool read the PKCS#12 trust store. Plus the refusals:
// existing CA, corrupted or passphrase-protected keys, foreign certificates, a CA that would
// expire before its leaves.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalCaStore } from '../../src/core/pki/ca-store.js';
import { caStatus, importCa, initCa, inspectCertificate, issueCertificates, listCa, revokeCertificate } from '../../src/services/ca.js';
import { exportCa } from '../../src/services/ca-export.js';
import { openssl, tempDir } from './ca-helpers.js';

const exec = promisify(execFile);

let dir: string;
let store: LocalCaStore;
let out: string;

beforeAll(async () => {
  dir = tempDir('ca-openssl');
  store = new LocalCaStore({ dir: join(dir, 'ca') });
  out = join(dir, 'leaves');
  await initCa({ store });
  await issueCertificates({ store, names: ['api.example.test'], sans: ['*.api.example.test', 'münchen.example.test', '127.0.0.1', '::1'], outDir: out });
  await issueCertificates({ store, names: ['alice'], client: true, outDir: out });
});

const ca = (f: string) => join(dir, 'ca', f);

describe('chain and extensions as OpenSSL sees them', () => {
  it('openssl verify accepts the leaf with root as CA file and intermediate as untrusted', async () => {
    const r = await openssl(['verify', '-CAfile', ca('root.crt'), '-untrusted', ca('intermediate.crt'), join(out, 'api.example.test.crt')]);
    expect(r.out).toContain(': OK');
    expect(r.code).toBe(0);
  });

  it('leaf files hold the full chain: leaf then intermediate', () => {
    const pem = readFileSync(join(out, 'api.example.test.crt'), 'utf8');
    expect(pem.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    const second = '-----BEGIN' + pem.split('-----BEGIN')[2];
    expect(second.trim()).toBe(readFileSync(ca('intermediate.crt'), 'utf8').trim());
  });

  it('root: CA:TRUE pathlen 1 critical, keyCertSign + cRLSign critical, SKI = AKI, ECDSA P-256, 10 years', async () => {
    const { out: text } = await openssl(['x509', '-in', ca('root.crt'), '-noout', '-text']);
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:1/);
    expect(text).toMatch(/Key Usage: critical\s+.*Certificate Sign, CRL Sign/);
    expect(text).toContain('ASN1 OID: prime256v1');
    expect(text).toContain('ecdsa-with-SHA256');
    const ski = /Subject Key Identifier:\s+([0-9A-F:]+)/.exec(text)![1];
    expect(/Authority Key Identifier:\s+(?:keyid:)?([0-9A-F:]+)/.exec(text)![1]).toBe(ski);
    const r = await openssl(['x509', '-in', ca('root.crt'), '-noout', '-checkend', String(9 * 365 * 86400)]);
    expect(r.code).toBe(0);
  });

  it('intermediate: pathlen 0, AKI = root SKI', async () => {
    const { out: text } = await openssl(['x509', '-in', ca('intermediate.crt'), '-noout', '-text']);
    const { out: rootText } = await openssl(['x509', '-in', ca('root.crt'), '-noout', '-text']);
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    const rootSki = /Subject Key Identifier:\s+([0-9A-F:]+)/.exec(rootText)![1];
    expect(/Authority Key Identifier:\s+(?:keyid:)?([0-9A-F:]+)/.exec(text)![1]).toBe(rootSki);
  });

  it('server leaf: CA:FALSE, digitalSignature, serverAuth, SANs with punycode, 90 days, ≥ 64-bit serial', async () => {
    const { out: text } = await openssl(['x509', '-in', join(out, 'api.example.test.crt'), '-noout', '-text']);
    expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature\n/);
    expect(text).toMatch(/Extended Key Usage:\s+TLS Web Server Authentication\n/);
    expect(text).toContain('DNS:api.example.test, DNS:*.api.example.test, DNS:xn--mnchen-3ya.example.test, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    const serial = /Serial Number:\s+([0-9a-f:]+)/.exec(text)![1]!.replace(/:/g, '');
    expect(serial.length * 4).toBeGreaterThanOrEqual(64);
    const dates = await openssl(['x509', '-in', join(out, 'api.example.test.crt'), '-noout', '-startdate', '-enddate']);
    const [nb, na] = [...dates.out.matchAll(/=(.*)/g)].map((m) => new Date(m[1]!).getTime());
    expect(Math.round((na! - nb!) / 86_400_000)).toBe(90);
  });

  it('client leaf: EKU clientAuth only, no SANs needed', async () => {
    const { out: text } = await openssl(['x509', '-in', join(out, 'alice.crt'), '-noout', '-text']);
    expect(text).toMatch(/Extended Key Usage:\s+TLS Web Client Authentication\n/);
    expect(text).toContain('CN = alice');
    const r = await openssl(['verify', '-purpose', 'sslclient', '-CAfile', ca('root.crt'), '-untrusted', ca('intermediate.crt'), join(out, 'alice.crt')]);
    expect(r.code).toBe(0);
  });

  it.each([
    ['ecdsa-p384', /ecdsa-with-SHA384/, /ASN1 OID: secp384r1/],
    ['rsa-3072', /sha256WithRSAEncryption/, /Public-Key: \(3072 bit\)/],
  ] as const)('%s keys by flag', async (alg, sig, key) => {
    const s = new LocalCaStore({ dir: join(tempDir('ca-alg'), 'ca') });
    await initCa({ store: s, keyAlgorithm: alg });
    const o = tempDir('ca-alg-out');
    await issueCertificates({ store: s, names: ['x.example.test'], keyAlgorithm: alg, outDir: o });
    const { out: text } = await openssl(['x509', '-in', join(o, 'x.example.test.crt'), '-noout', '-text']);
    expect(text).toMatch(sig);
    expect(text).toMatch(key);
    if (alg.startsWith('rsa')) expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Key Encipherment/);
    expect((await openssl(['verify', '-CAfile', join(s.dir, 'root.crt'), '-untrusted', join(s.dir, 'intermediate.crt'), join(o, 'x.example.test.crt')])).code).toBe(0);
  });

  it('name constraints on the intermediate: OpenSSL rejects a leaf outside them', async () => {
    const s = new LocalCaStore({ dir: join(tempDir('ca-nc'), 'ca') });
    await initCa({ store: s, nameConstraints: ['example.test', '127.0.0.0/8'] });
    const o = tempDir('ca-nc-out');
    await issueCertificates({ store: s, names: ['in.example.test', 'out.example.org'], sans: ['127.0.0.1'], outDir: o });
    const { out: text } = await openssl(['x509', '-in', join(s.dir, 'intermediate.crt'), '-noout', '-text']);
    expect(text).toMatch(/Name Constraints: critical\s+Permitted:\s+DNS:example.test\s+IP:127.0.0.0\/255.0.0.0/);
    const verify = (f: string) => openssl(['verify', '-CAfile', join(s.dir, 'root.crt'), '-untrusted', join(s.dir, 'intermediate.crt'), join(o, f)]);
    expect((await verify('in.example.test.crt')).code).toBe(0);
    const bad = await verify('out.example.org.crt');
    expect(bad.code).not.toBe(0);
    expect(bad.out).toContain('permitted subtree violation');
  });
});

describe('revocation', () => {
  it('a revoked leaf fails openssl verify -crl_check with the published CRL; others pass', async () => {
    const s = new LocalCaStore({ dir: join(tempDir('ca-crl'), 'ca') });
    await initCa({ store: s });
    const o = tempDir('ca-crl-out');
    await issueCertificates({ store: s, names: ['keep.example.test', 'drop.example.test'], outDir: o });
    const r = await revokeCertificate({ store: s, ref: 'drop.example.test', reason: 'keyCompromise' });
    expect(r.revoked[0]!.state).toBe('Revoked');
    const crl = join(s.dir, 'crl.pem');
    const verify = (f: string) => openssl(['verify', '-crl_check', '-CRLfile', crl, '-CAfile', join(s.dir, 'root.crt'), '-untrusted', join(s.dir, 'intermediate.crt'), join(o, f)]);
    const bad = await verify('drop.example.test.crt');
    expect(bad.code).not.toBe(0);
    expect(bad.out).toContain('certificate revoked');
    expect((await verify('keep.example.test.crt')).code).toBe(0);
    const { out: crlText } = await openssl(['crl', '-in', crl, '-noout', '-text']);
    expect(crlText).toContain('Key Compromise');
    expect(crlText).toMatch(/X509v3 CRL Number:\s+2/);
    const status = await caStatus({ store: s });
    expect(status.ok).toBe(false);
    expect(status.counts.Revoked).toBe(1);
  });

  it('refuses to revoke a certificate another CA issued, and changes nothing', async () => {
    const other = new LocalCaStore({ dir: join(tempDir('ca-other'), 'ca') });
    await initCa({ store: other });
    const o = tempDir('ca-other-out');
    await issueCertificates({ store: other, names: ['foreign.example.test'], outDir: o });
    const before = readFileSync(ca('crl.pem'), 'utf8');
    await expect(revokeCertificate({ store, ref: join(o, 'foreign.example.test.crt') })).rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining('not issued by this CA') });
    expect(readFileSync(ca('crl.pem'), 'utf8')).toBe(before);
  });
});

describe('trust bundle exports', () => {
  it('PEM bundle = root + intermediate', async () => {
    const r = await exportCa({ store, format: 'pem' });
    expect(r.content.toString()).toBe(readFileSync(ca('root.crt'), 'utf8') + readFileSync(ca('intermediate.crt'), 'utf8'));
  });

  it('PKCS#12 trust store: openssl pkcs12 reads it with the password and refuses a wrong one; keytool lists trusted entries', async () => {
    const r = await exportCa({ store, format: 'pkcs12', password: 's3cret-pw' });
    const p12 = join(dir, 'trust.p12');
    writeFileSync(p12, r.content);
    const ok = await openssl(['pkcs12', '-in', p12, '-nokeys', '-passin', 'pass:s3cret-pw']);
    expect(ok.code).toBe(0);
    expect(ok.out.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(ok.out).not.toContain('PRIVATE KEY');
    expect((await openssl(['pkcs12', '-in', p12, '-nokeys', '-passin', 'pass:wrong'])).code).not.toBe(0);
    const kt = await exec('keytool', ['-list', '-keystore', p12, '-storetype', 'PKCS12', '-storepass', 's3cret-pw'], { encoding: 'utf8' });
    expect(kt.stdout).toContain('Your keystore contains 2 entries');
    expect(kt.stdout.match(/trustedCertEntry/g)).toHaveLength(2);
  });

  it('ConfigMap and trust-manager Bundle manifests carry the bundle', async () => {
    const cm = (await exportCa({ store, format: 'configmap', namespace: 'apps' })).content.toString();
    expect(cm).toContain('kind: ConfigMap');
    expect(cm).toContain('namespace: apps');
    expect(cm).toContain('app.kubernetes.io/managed-by: vibectl-tls');
    const b = (await exportCa({ store, format: 'bundle' })).content.toString();
    expect(b).toContain('apiVersion: trust.cert-manager.io/v1alpha1');
    expect(b).toContain('inLine: |');
  });
});

describe('status, list and inspect', () => {
  it('flags a leaf expiring within --days and a CA that would not outlive a leaf', async () => {
    const s = new LocalCaStore({ dir: join(tempDir('ca-status'), 'ca') });
    await initCa({ store: s, intermediateValidityMs: 60 * 86_400_000 });
    const o = tempDir('ca-status-out');
    await issueCertificates({ store: s, names: ['short.example.test'], validityMs: 10 * 86_400_000, outDir: o });
    const st = await caStatus({ store: s, days: 30 });
    expect(st.ok).toBe(false);
    expect(st.certificates.find((c) => c.name === 'short.example.test')!.state).toBe('Expiring soon');
    expect((await caStatus({ store: s, days: 5 })).ok).toBe(true);
    const later = { now: () => new Date(Date.now() + 11 * 86_400_000) };
    expect((await caStatus({ store: s, days: 5, clock: later })).certificates.find((c) => c.name === 'short.example.test')!.state).toBe('Expired');
    const before = readFileSync(join(s.dir, 'ca.json'), 'utf8');
    await expect(issueCertificates({ store: s, names: ['long.example.test'], outDir: o })).rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining('intermediate CA expires') });
    expect(existsSync(join(o, 'long.example.test.crt'))).toBe(false);
    expect(readFileSync(join(s.dir, 'ca.json'), 'utf8')).toBe(before);
  });

  it('never shows a private key in list, status or inspect output', async () => {
    const all = JSON.stringify([await listCa({ store, all: true }), await caStatus({ store }), await inspectCertificate({ store, ref: 'api.example.test' }), await inspectCertificate({ store, ref: 'root' })]);
    expect(all).not.toContain('PRIVATE KEY');
    expect(all).toContain('api.example.test');
  });

  it('inspect of a file says whether this CA issued it', async () => {
    const r = await inspectCertificate({ store, ref: join(out, 'api.example.test.crt') });
    expect(r.certificates).toHaveLength(2);
    expect(r.certificates[0]!.issuedByThisCa).toBe(true);
    expect(r.certificates[0]!.extensions.map((e) => e.name).join(',')).toMatch(/Subject Alternative Name/);
  });
});

describe('safety and bad input', () => {
  it('init over an existing CA refuses without --force; with --force it keeps a backup', async () => {
    const s = new LocalCaStore({ dir: join(tempDir('ca-force'), 'ca') });
    await initCa({ store: s });
    const rootKey = readFileSync(join(s.dir, 'root.key'), 'utf8');
    await expect(initCa({ store: s })).rejects.toMatchObject({ exitCode: 6 });
    expect(readFileSync(join(s.dir, 'root.key'), 'utf8')).toBe(rootKey);
    const r = await initCa({ store: s, force: true });
    expect(r.backup).toBeDefined();
    expect(readFileSync(join(r.backup!, 'root.key'), 'utf8')).toBe(rootKey);
    expect(readFileSync(join(s.dir, 'root.key'), 'utf8')).not.toBe(rootKey);
  });

  it('a corrupted intermediate key: clear error, nothing written', async () => {
    const s = new LocalCaStore({ dir: join(tempDir('ca-corrupt'), 'ca') });
    await initCa({ store: s });
    const key = readFileSync(join(s.dir, 'intermediate.key'), 'utf8');
    writeFileSync(join(s.dir, 'intermediate.key'), key.slice(0, 60) + key.slice(120));
    const o = tempDir('ca-corrupt-out');
    await expect(issueCertificates({ store: s, names: ['x.example.test'], outDir: o })).rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining('not a readable private key') });
    expect(readdirSync(o)).toEqual([]);
  });

  it('passphrase-protected keys: asks for the passphrase, rejects a wrong one, works with the right one', async () => {
    const s = new LocalCaStore({ dir: join(tempDir('ca-pass'), 'ca') });
    await initCa({ store: s, passphrase: 'correct horse' });
    expect(readFileSync(join(s.dir, 'root.key'), 'utf8')).toContain('ENCRYPTED PRIVATE KEY');
    const o = tempDir('ca-pass-out');
    await expect(issueCertificates({ store: s, names: ['x.example.test'], outDir: o })).rejects.toMatchObject({ exitCode: 2, hint: expect.stringContaining('--passphrase-file') });
    await expect(issueCertificates({ store: s, names: ['x.example.test'], outDir: o, passphrase: 'wrong' })).rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining('passphrase is wrong') });
    await issueCertificates({ store: s, names: ['x.example.test'], outDir: o, passphrase: 'correct horse' });
    expect(readFileSync(join(o, 'x.example.test.key'), 'utf8')).toContain('BEGIN PRIVATE KEY');
  });

  it('invalid host names are refused before anything is written', async () => {
    const o = tempDir('ca-badname');
    const before = readFileSync(ca('ca.json'), 'utf8');
    await expect(issueCertificates({ store, names: ['good.example.test', 'bad_name.example.test'], outDir: o })).rejects.toMatchObject({ exitCode: 3 });
    expect(readdirSync(o)).toEqual([]);
    expect(readFileSync(ca('ca.json'), 'utf8')).toBe(before);
  });

  it('imports a CA made by openssl (RSA), refuses one whose intermediate the root did not sign', async () => {
    const d = tempDir('ca-import');
    const run = (args: string[]) => openssl(args).then((r) => expect(r.code, r.out).toBe(0));
    await run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(d, 'root.key'), '-out', join(d, 'root.pem'), '-subj', '/CN=Ext Root', '-days', '3650', '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:1', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    await run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(d, 'int.key'), '-out', join(d, 'int.csr'), '-subj', '/CN=Ext Int']);
    writeFileSync(join(d, 'ext.cnf'), 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
    await run(['x509', '-req', '-in', join(d, 'int.csr'), '-CA', join(d, 'root.pem'), '-CAkey', join(d, 'root.key'), '-CAcreateserial', '-days', '1000', '-extfile', join(d, 'ext.cnf'), '-out', join(d, 'int.pem')]);
    const s = new LocalCaStore({ dir: join(d, 'ca') });
    const read = (f: string) => readFileSync(join(d, f), 'utf8');
    await expect(importCa({ store: s, rootCertPem: read('int.pem'), intermediateCertPem: read('int.pem'), intermediateKeyPem: read('int.key') })).rejects.toMatchObject({ exitCode: 3 });
    await expect(importCa({ store: s, rootCertPem: read('root.pem'), intermediateCertPem: read('int.pem'), intermediateKeyPem: read('root.key') })).rejects.toMatchObject({ message: expect.stringContaining('do not belong together') });
    expect(await s.exists()).toBe(false);
    await importCa({ store: s, rootCertPem: read('root.pem'), rootKeyPem: read('root.key'), intermediateCertPem: read('int.pem'), intermediateKeyPem: read('int.key') });
    const o = tempDir('ca-import-out');
    await issueCertificates({ store: s, names: ['imp.example.test'], outDir: o });
    expect((await openssl(['verify', '-CAfile', join(d, 'root.pem'), '-untrusted', join(d, 'int.pem'), join(o, 'imp.example.test.crt')])).code).toBe(0);
  });
});
