#!/usr/bin/env node
// Release smoke test: a `doctor --endpoint` scan of loopback TLS servers through the built binary
// must give the same findings (codes, severities, exit code) as the Node run of bin/ (needs
// `npm run build`). One server is trusted through --ca-bundle, the other is signed by a stranger.
//   node scripts/package/smoke-doctor.mjs <binary>
import { execFile } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:tls';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as x509 from '@peculiar/x509';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const binary = process.argv[2];
if (!binary) throw new Error('usage: smoke-doctor.mjs <binary>');
x509.cryptoProvider.set(webcrypto);
const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const pem = async (k) => x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', k), 'PRIVATE KEY');

async function ca(name) {
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${name}`, notBefore: new Date(Date.now() - 3600e3), notAfter: new Date(Date.now() + 365 * 86400e3), keys, signingAlgorithm: alg,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  return { cert, keys };
}

async function leaf(issuer, dns) {
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${dns}`, issuer: issuer.cert.subject, notBefore: new Date(Date.now() - 3600e3), notAfter: new Date(Date.now() + 200 * 86400e3),
    signingKey: issuer.keys.privateKey, publicKey: keys.publicKey, signingAlgorithm: alg,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]), new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: dns }])],
  });
  return { cert: cert.toString('pem'), key: await pem(keys.privateKey) };
}

function listen(pair) {
  const server = createServer(pair, (s) => s.end());
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function run(cmd, args) {
  return new Promise((resolve) => execFile(cmd, args, { env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 16 << 20 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr })));
}

function findings(v, out = []) {
  if (Array.isArray(v)) v.forEach((x) => findings(x, out));
  else if (v && typeof v === 'object') {
    if (typeof v.code === 'string') out.push(`${v.code}:${v.severity ?? v.status ?? v.level ?? ''}`);
    Object.values(v).forEach((x) => findings(x, out));
  }
  return out;
}

const trusted = await ca('smoke CA');
const stranger = await ca('stranger');
const dir = mkdtempSync(join(tmpdir(), 'vtls-smoke-'));
const bundle = join(dir, 'ca.pem');
writeFileSync(bundle, trusted.cert.toString('pem'));
const servers = [await listen(await leaf(trusted, 'app.test')), await listen(await leaf(stranger, 'app.test'))];
const args = ['doctor', ...servers.flatMap((s) => ['--endpoint', `127.0.0.1:${s.address().port}/app.test`]), '--ca-bundle', bundle, '-o', 'json', '--kubeconfig', join(dir, 'none')];
const [a, b] = await Promise.all([run(process.execPath, [join(root, 'bin', 'kubectl-vibectl_tls'), ...args]), run(binary, args)]);
servers.forEach((s) => s.close());
const fa = findings(JSON.parse(a.stdout || '{}'));
const fb = findings(JSON.parse(b.stdout || '{}'));
console.log(`node ${process.version}: exit ${a.code}, ${fa.join(' ')}\nbinary: exit ${b.code}, ${fb.join(' ')}`);
if (a.code !== b.code || fa.length === 0 || JSON.stringify(fa) !== JSON.stringify(fb)) {
  console.error('doctor findings differ between the binary and the Node run\n', a.stderr, b.stderr);
  process.exit(1);
}
