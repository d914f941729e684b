// `trust export` and `trust verify` as a user runs them (the built CLI): bundles from a CA
// directory and from the harness API server (ConfigMap, trust-manager Bundle, Secret ca.crt),
// trust stores read back by OpenSSL and keytool, and handshakes to local Node TLS servers whose
// certificates are minted here (good, other CA, wrong host, expired, missing intermediate,
// TLS 1.2 only) — each verdict cross-checked with `openssl s_client`.
import { execFile } from 'node:child_process';
import { X509Certificate, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:tls';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, installAddonCRDs, makeDir, startControlPlane, stopAll, type ControlPlane } from '../harness/index.js';
import type { KubeClient } from '../../src/core/kube/client.js';
import { path, R } from '../../src/core/kube/paths.js';
import { BUILD_TIMEOUT_MS, builtCli, runCli } from '../cli/run.js';

type Keys = webcrypto.CryptoKeyPair;
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const crypto = webcrypto as never;
const HOUR = 3_600_000;

interface Minted {
  cert: x509.X509Certificate;
  pem: string;
  keys: Keys;
  keyPem: string;
}

async function mint(o: { cn: string; issuer?: Minted; ca?: boolean; dns?: string[]; from?: number; to?: number }): Promise<Minted> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as Keys;
  const extensions: x509.Extension[] = o.ca
    ? [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)]
    : [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension((o.dns ?? []).map((value) => ({ type: 'dns' as const, value }))),
      ];
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto));
  if (o.issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(o.issuer.keys.publicKey, false, crypto));
  const notBefore = new Date(Date.now() + (o.from ?? -HOUR));
  const notAfter = new Date(Date.now() + (o.to ?? 30 * 24 * HOUR));
  const cert = o.issuer
    ? await x509.X509CertificateGenerator.create(
        { subject: `CN=${o.cn}`, issuer: o.issuer.cert.subject, notBefore, notAfter, signingKey: o.issuer.keys.privateKey, publicKey: keys.publicKey, signingAlgorithm: ALG, extensions },
        crypto,
      )
    : await x509.X509CertificateGenerator.createSelfSigned({ name: `CN=${o.cn}`, notBefore, notAfter, keys, signingAlgorithm: ALG, extensions }, crypto);
  const keyPem = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY') + '\n';
  return { cert, pem: cert.toString('pem') + '\n', keys, keyPem };
}

const servers: Server[] = [];
async function serve(chain: Minted[], o: { maxVersion?: 'TLSv1.2' } = {}): Promise<number> {
  const server = createServer({ cert: chain.map((c) => c.pem).join(''), key: chain[0]!.keyPem, ...(o.maxVersion ? { maxVersion: o.maxVersion } : {}) }, (s) => s.end());
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

function openssl(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = execFile('openssl', args, { timeout: 20_000 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: stdout + stderr }));
    child.stdin?.end();
  });
}

let cp: ControlPlane;
let admin: KubeClient;
let dir: string;
let root: Minted;
let inter: Minted;
let caDir: string;
let bundleFile: string;
const ports: Record<string, number> = {};
const NS = 'trust-cmds';

beforeAll(async () => {
  await builtCli();
  dir = makeDir('trust-cmds-');
  root = await mint({ cn: 'Trust Test Root', ca: true });
  inter = await mint({ cn: 'Trust Test Intermediate', ca: true, issuer: root });
  const other = await mint({ cn: 'Someone Else Root', ca: true });
  const leaf = await mint({ cn: 'app.test', dns: ['app.test'], issuer: inter });
  const expired = await mint({ cn: 'old.test', dns: ['old.test'], issuer: inter, from: -72 * HOUR, to: -24 * HOUR });
  const stranger = await mint({ cn: 'app.test', dns: ['app.test'], issuer: other });
  ports.good = await serve([leaf, inter]);
  ports.other = await serve([stranger, other]);
  ports.expired = await serve([expired, inter]);
  ports.incomplete = await serve([leaf]);
  ports.tls12 = await serve([leaf, inter], { maxVersion: 'TLSv1.2' });

  caDir = join(dir, 'ca');
  mkdirSync(caDir);
  writeFileSync(join(caDir, 'bundle.pem'), root.pem + inter.pem);
  bundleFile = join(dir, 'root.pem');
  writeFileSync(bundleFile, root.pem);

  cp = await startControlPlane();
  admin = await cp.client('admin');
  await admin.create(path(R.namespaces), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  await admin.create(path(R.configmaps, { namespace: NS }), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ca-bundle' }, data: { 'ca.crt': root.pem } });
  await admin.create(path(R.configmaps, { namespace: NS }), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'two-keys' }, data: { 'notes.txt': 'hello', 'corp.pem': root.pem + inter.pem } });
  await admin.create(path(R.secrets, { namespace: NS }), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'app-tls' },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': Buffer.from(leaf.pem).toString('base64'), 'tls.key': Buffer.from(leaf.keyPem).toString('base64'), 'ca.crt': Buffer.from(root.pem).toString('base64') },
  });
}, BUILD_TIMEOUT_MS + 180_000);

afterAll(async () => {
  for (const s of servers) s.close();
  await stopAll();
});

const cli = (args: string[]) => runCli([...args, '--kubeconfig', cp.kubeconfigPath], { timeoutMs: 60_000 });
const ep = (name: keyof typeof ports, sni = 'app.test') => `127.0.0.1:${ports[name]}/${sni}`;

describe('trust export', () => {
  it('writes the CA directory bundle as PEM to stdout and summarises it with -o json', async () => {
    const text = await cli(['trust', 'export', '--ca-dir', caDir]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(new X509Certificate(text.stdout).subject).toBe('CN=Trust Test Root');
    const json = await cli(['trust', 'export', '--ca-dir', caDir, '-o', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as { certificates: { subject: string; fingerprintSha256: string; notAfter: string; ca: boolean; daysLeft: number }[]; pem: string };
    expect(report.certificates.map((c) => c.subject)).toEqual(['CN=Trust Test Root', 'CN=Trust Test Intermediate']);
    expect(report.certificates[0]!.fingerprintSha256).toBe(new X509Certificate(root.pem).fingerprint256);
    expect(report.certificates[1]!.notAfter).toBe(new Date(new X509Certificate(inter.pem).validTo).toISOString());
    expect(report.certificates.every((c) => c.ca && c.daysLeft >= 29)).toBe(true);
    expect(report.pem).toBe(text.stdout);
  });

  it('writes a PKCS#12 trust store OpenSSL and keytool read, and a JKS keytool verifies with its password', async () => {
    const p12 = join(dir, 'store.p12');
    const r = await cli(['trust', 'export', '--ca-dir', caDir, '--format', 'pkcs12', '--out', p12]);
    expect(r.code, r.stderr).toBe(0);
    const dump = await openssl(['pkcs12', '-in', p12, '-nokeys', '-passin', 'pass:changeit']);
    expect(dump.code, dump.out).toBe(0);
    expect(dump.out.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    const jks = join(dir, 'store.jks');
    const passFile = join(dir, 'store.pass');
    writeFileSync(passFile, 's3cret-store\n');
    const j = await cli(['trust', 'export', '--ca-dir', caDir, '--format', 'jks', '--out', jks, '--password-file', passFile]);
    expect(j.code, j.stderr).toBe(0);
    const list = await keytool(['-list', '-storetype', 'JKS', '-keystore', jks, '-storepass', 's3cret-store']);
    expect(list.code, list.out).toBe(0);
    expect(list.out.match(/trustedCertEntry/g)).toHaveLength(2);
    expect(list.out).toMatch(/^trust-test-root,/m);
    const wrong = await keytool(['-list', '-storetype', 'JKS', '-keystore', jks, '-storepass', 'changeit']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.out).toMatch(/password was incorrect|tampered/i);
  });

  it('refuses to replace --out without --force, and replaces it with --force', async () => {
    const out = join(dir, 'bundle.pem');
    writeFileSync(out, 'precious\n');
    const r = await cli(['trust', 'export', '--ca-dir', caDir, '--out', out]);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`${out} already exists`);
    expect(r.stderr).toContain('--force');
    expect(readFileSync(out, 'utf8')).toBe('precious\n');
    const f = await cli(['trust', 'export', '--ca-dir', caDir, '--out', out, '--force', '-o', 'json']);
    expect(f.code, f.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(JSON.parse(f.stdout)).toMatchObject({ out, format: 'pem' });
  });

  it('reads the bundle from a ConfigMap (default key and a named one), a Secret ca.crt and a trust-manager Bundle', async () => {
    const cm = await cli(['trust', 'export', '--from', 'configmap/ca-bundle', '-n', NS, '-o', 'json']);
    expect(cm.code, cm.stderr).toBe(0);
    expect(JSON.parse(cm.stdout)).toMatchObject({ source: `ConfigMap ${NS}/ca-bundle[ca.crt]`, certificates: [{ subject: 'CN=Trust Test Root' }] });
    const keyed = await cli(['trust', 'export', '--from', 'configmap/two-keys:corp.pem', '-n', NS, '-o', 'json']);
    expect(JSON.parse(keyed.stdout).certificates).toHaveLength(2);
    const secret = await cli(['trust', 'export', '--from', 'secret/app-tls', '-n', NS]);
    expect(secret.code, secret.stderr).toBe(0);
    expect(new X509Certificate(secret.stdout).fingerprint256).toBe(new X509Certificate(root.pem).fingerprint256);

    await installAddonCRDs(cp, ['trust-manager']);
    await admin.create('/apis/trust.cert-manager.io/v1alpha1/bundles', {
      apiVersion: 'trust.cert-manager.io/v1alpha1',
      kind: 'Bundle',
      metadata: { name: 'corp-roots' },
      spec: { sources: [{ inLine: root.pem }], target: { configMap: { key: 'roots.pem' } } },
    });
    const missing = await cli(['trust', 'export', '--from', 'bundle/corp-roots', '-n', NS]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('trust-manager has not synced the bundle to this namespace');
    // What trust-manager would write in each target namespace.
    await admin.create(path(R.configmaps, { namespace: NS }), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'corp-roots' }, data: { 'roots.pem': root.pem } });
    const bundle = await cli(['trust', 'export', '--from', 'bundle/corp-roots', '-n', NS, '--format', 'pkcs12', '--out', join(dir, 'bundle.p12'), '-o', 'json']);
    expect(bundle.code, bundle.stderr).toBe(0);
    expect(JSON.parse(bundle.stdout)).toMatchObject({ source: `Bundle corp-roots → ConfigMap ${NS}/corp-roots[roots.pem]`, format: 'pkcs12' });
  }, 120_000);

  it('names what is missing in the cluster, with exit 3', async () => {
    const r = await cli(['trust', 'export', '--from', 'configmap/nope', '-n', NS]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`ConfigMap ${NS}/nope does not exist`);
    const s = await cli(['trust', 'export', '--from', 'secret/app-tls:nope.crt', '-n', NS]);
    expect(s.code).toBe(3);
    expect(s.stderr).toMatch(/has no nope\.crt \(it has .*ca\.crt/);
    const bad = await cli(['trust', 'export', '--from', 'deployment/x']);
    expect(bad.code).toBe(2);
  });
});

describe('trust verify', () => {
  it('reports each endpoint as a client trusting only the bundle sees it, and OpenSSL agrees', async () => {
    const endpoints = { good: ep('good'), other: ep('other'), wrongHost: ep('good', 'api.test'), expired: ep('expired', 'old.test'), incomplete: ep('incomplete') };
    const r = await cli(['trust', 'verify', '--ca-bundle', bundleFile, ...Object.values(endpoints).flatMap((e) => ['--endpoint', e]), '-o', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { endpoints: { endpoint: string; verified: boolean; reason: string | null; message: string; anchor: string | null }[]; verified: number; failed: number };
    const by = Object.fromEntries(report.endpoints.map((e) => [e.endpoint, e]));
    expect(by[endpoints.good]).toMatchObject({ verified: true, reason: null, anchor: 'Trust Test Root' });
    expect(by[endpoints.other]).toMatchObject({ verified: false, reason: 'unknown-ca' });
    expect(by[endpoints.other]!.message).toContain('Someone Else Root');
    expect(by[endpoints.wrongHost]).toMatchObject({ verified: false, reason: 'hostname-mismatch' });
    expect(by[endpoints.wrongHost]!.message).toBe('the certificate covers app.test, not api.test');
    expect(by[endpoints.expired]).toMatchObject({ verified: false, reason: 'expired' });
    expect(by[endpoints.expired]!.message).toMatch(/^old\.test expired on \d{4}-\d\d-\d\d$/);
    expect(by[endpoints.incomplete]).toMatchObject({ verified: false, reason: 'incomplete-chain' });
    expect(by[endpoints.incomplete]!.message).toContain('Trust Test Intermediate');
    expect(report).toMatchObject({ verified: 1, failed: 4 });

    for (const [name, spec] of Object.entries(endpoints)) {
      const [hostPort, sni] = spec.split('/') as [string, string];
      const o = await openssl(['s_client', '-connect', hostPort, '-servername', sni, '-CAfile', bundleFile, '-verify_hostname', sni, '-verify_return_error', '-brief']);
      expect(o.code === 0, `${name}: openssl says ${o.out.split('\n').slice(0, 3).join(' | ')}`).toBe(by[spec]!.verified);
    }
  });

  it('exits 0 when every endpoint verifies; the text names the anchor', async () => {
    const r = await cli(['trust', 'verify', '--ca-bundle', bundleFile, '--endpoint', ep('good'), '--endpoint', ep('tls12')]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/✔ 127\.0\.0\.1:\d+\/app\.test {2}verified by Trust Test Root alone \(TLSv1\.3/);
    expect(r.stdout).toContain('2 of 2 verified');
  });

  it('--tls13-only refuses a TLS 1.2-only server, as the vibectl client would', async () => {
    const r = await cli(['trust', 'verify', '--ca-bundle', bundleFile, '--endpoint', ep('tls12'), '--tls13-only', '-o', 'json']);
    expect(r.code).toBe(1);
    const v = (JSON.parse(r.stdout) as { endpoints: { reason: string; message: string }[]; minVersion: string });
    expect(v.minVersion).toBe('TLSv1.3');
    expect(v.endpoints[0]).toMatchObject({ reason: 'handshake-failed' });
    expect(v.endpoints[0]!.message).toMatch(/protocol version|version/i);
  });

  it('takes the bundle from the cluster, and reports a closed port as unreachable', async () => {
    const r = await cli(['trust', 'verify', '--from', 'configmap/ca-bundle', '-n', NS, '--endpoint', ep('good'), '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ bundle: { source: `ConfigMap ${NS}/ca-bundle[ca.crt]`, certificates: 1 }, success: true });
    const u = await cli(['trust', 'verify', '--ca-bundle', bundleFile, '--endpoint', `127.0.0.1:${await freePort()}`, '-o', 'json']);
    expect(u.code).toBe(1);
    expect(JSON.parse(u.stdout).endpoints[0]).toMatchObject({ reason: 'unreachable' });
  });

  it('says which bundle to pass when none is given', async () => {
    const r = await cli(['trust', 'verify', '--endpoint', ep('good')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--ca-bundle FILE');
  });
});

function keytool(args: string[]): Promise<{ code: number; out: string }> {
  const bin = ['/usr/bin/keytool', join(process.env.JAVA_HOME ?? '/nonexistent', 'bin', 'keytool')].find((p) => existsSync(p)) ?? 'keytool';
  return new Promise((resolve) => {
    execFile(bin, args, { timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: stdout + stderr }));
  });
}
