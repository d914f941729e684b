// Bad input, table-driven: every parser and every flag that takes a value from the user gets
// garbage, truncations, CRLF, concatenations, DER in PEM armour, encrypted keys without their
// passphrase, mismatched key/cert pairs, thousands of SANs, non-ASCII names and malformed
// kubeconfigs. Each CLI case runs the built binary in a fresh HOME and asserts what a user sees:
// the documented exit code, one `error:` line naming the bad input (and at most one `next:`),
// no stack trace, and nothing written. Library cases call the parsers directly and assert that
// they throw the right TlsError — never a TypeError or an OpenSSL error string.
import { createHash, generateKeyPairSync, createPrivateKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, builtCli, kubeconfigFor, runCli } from '../cli/run.js';
import { ExitCode, TlsError } from '../../src/core/errors.js';
import { parseDuration } from '../../src/core/util/duration.js';
import { parseSan, parseSans, toDnsName } from '../../src/core/pki/names.js';
import { loadPrivateKey, parseKeyAlgorithm } from '../../src/core/pki/keys.js';
import { readCertificateDers, splitPem, toPem } from '../../src/core/pki/pem.js';
import { validateDomain, validateEmail, validateHttpsUrl } from '../../src/core/setup/validators.js';
import { loadKubeConfig } from '../../src/core/kube/kubeconfig.js';
import { parseTarget } from '../../src/services/ca-deliver.js';
import { parseErrorLine } from '../../src/cli/base-command.js';
import { runChecks } from '../../src/core/checks/framework.js';
import { allChecks } from '../../src/core/checks/registry.js';
import { secretSubject } from '../../src/core/checks/subjects.js';
import { makePki, type TestPki } from '../support/doctor-pki.js';

const STACK = /\n\s+at /;
const root = mkdtempSync(join(tmpdir(), 'vibectl-tls-robust-'));
const FIX = join(root, 'fixtures');
const CA = join(FIX, 'ca');

/** Paths of the generated inputs, filled in beforeAll. */
const F: Record<string, string> = {};
let pki: TestPki;
let bigSanPem = '';

function put(name: string, content: string | Buffer): string {
  const p = join(FIX, name);
  writeFileSync(p, content);
  F[name] = p;
  return p;
}

function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      out.push(p.slice(dir.length));
      if (statSync(p).isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * Content hash of a CA directory. The store's lock file and its temp files are not content: cases
 * run concurrently, and a failing `ca issue` may hold the lock while another case hashes.
 */
function hashDir(dir: string): string {
  const h = createHash('sha256');
  for (const rel of tree(dir).filter((r) => !/(^|\/)\.lock$|\.tmp$/.test(r))) {
    const p = join(dir, rel);
    h.update(rel).update('\0');
    if (statSync(p).isFile()) h.update(readFileSync(p));
  }
  return h.digest('hex');
}

beforeAll(async () => {
  await builtCli();
  mkdirSync(FIX, { recursive: true });
  writeFileSync(join(FIX, 'closed.yaml'), kubeconfigFor('https://127.0.0.1:1'));
  F.closed = join(FIX, 'closed.yaml');
  const init = await runCli(['ca', 'init', '--ca-dir', CA], { env: { HOME: FIX }, timeoutMs: 60_000 });
  expect(init.code, init.stderr).toBe(0);

  const rootPem = readFileSync(join(CA, 'root.crt'), 'utf8');
  const interPem = readFileSync(join(CA, 'intermediate.crt'), 'utf8');
  const interKey = readFileSync(join(CA, 'intermediate.key'), 'utf8');
  const rootDer = readCertificateDers(rootPem)[0]!;
  put('root.crt', rootPem);
  put('inter.crt', interPem);
  put('inter.key', interKey);
  put('root.der', rootDer);

  // Certificates, broken in every way a file can be.
  put('empty.pem', '');
  put('garbage.pem', 'this is not a certificate\n');
  put('binary.bin', Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919) % 256)));
  put('trunc-pem.crt', rootPem.split('\n').slice(0, 5).join('\n') + '\n-----END CERTIFICATE-----\n');
  put('no-end.crt', rootPem.replace(/-----END CERTIFICATE-----\s*$/, ''));
  put('trunc-der.der', rootDer.subarray(0, 200));
  put('bad-b64.crt', '-----BEGIN CERTIFICATE-----\n!!!!not base64 at all!!!!\n-----END CERTIFICATE-----\n');
  put('der-in-armour.crt', Buffer.concat([Buffer.from('-----BEGIN CERTIFICATE-----\n'), rootDer, Buffer.from('\n-----END CERTIFICATE-----\n')]));
  put('pem-in-pem.crt', toPem('CERTIFICATE', Buffer.from(rootPem)));
  put('key-only.pem', interKey);
  put('csr.pem', '-----BEGIN CERTIFICATE REQUEST-----\nMIIBAA==\n-----END CERTIFICATE REQUEST-----\n');
  put('good-then-trunc.crt', rootPem + rootPem.split('\n').slice(0, 4).join('\n') + '\n-----END CERTIFICATE-----\n');
  put('flipped.crt', rootPem.replace(/^(.{20})(.)/m, (_m, a: string, c: string) => a + (c === 'A' ? 'B' : 'A')));
  put('crlf.crt', rootPem.replace(/\n/g, '\r\n'));
  put('utf16.crt', Buffer.from('\ufeff' + rootPem, 'utf16le'));
  put('zero-der.der', Buffer.alloc(64));

  // Keys.
  const mismatched = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  put('mismatch.key', mismatched);
  put('p521.key', generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
  put('rsa1024.key', generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
  put('ed25519.key', generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
  put('enc.key', createPrivateKey(interKey).export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'right horse' }) as string);
  put('right.pass', 'right horse\n');
  put('wrong.pass', 'wrong horse\n');
  put('trunc.key', interKey.slice(0, 90) + '\n-----END PRIVATE KEY-----\n');
  put('pub.key', generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' }) as string);
  put('crlf.key', interKey.replace(/\n/g, '\r\n'));

  // Kubeconfigs.
  const kc = (server: string, extra = '') =>
    `apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: t\n  cluster: {server: "${server}"${extra}}\nusers:\n- name: u\n  user: {token: x}\ncontexts:\n- name: c\n  context: {cluster: t, user: u}\n`;
  put('kc-empty.yaml', '');
  put('kc-broken.yaml', 'clusters: [this is: not valid');
  put('kc-nul.yaml', '\0\0\0');
  put('kc-no-current.yaml', 'apiVersion: v1\nkind: Config\ncontexts: []\n');
  put('kc-gone-current.yaml', 'apiVersion: v1\nkind: Config\ncurrent-context: gone\ncontexts: []\n');
  put('kc-no-cluster.yaml', 'apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts:\n- name: c\n  context: {cluster: nope, user: nope}\n');
  put('kc-bad-server.yaml', kc('not a url'));
  put('kc-ftp-server.yaml', kc('ftp://127.0.0.1:1'));
  put('kc-exec-missing.yaml', kc('https://127.0.0.1:1').replace('{token: x}', '{exec: {command: /nonexistent/credential-plugin, apiVersion: client.authentication.k8s.io/v1}}'));
  put('kc-crlf.yaml', kc('not a url').replace(/\n/g, '\r\n'));
  mkdirSync(join(FIX, 'kc-dir.yaml'));
  F['kc-dir.yaml'] = join(FIX, 'kc-dir.yaml');

  // Other inputs.
  put('tsig-bad', 'not base64 !!!\n');
  put('hmac', 'aGVsbG8\n');
  pki = await makePki('Robustness');
  const big = await pki.leaf({ cn: 'big.example.com', dnsNames: Array.from({ length: 3000 }, (_, i) => `h${i}.big.example.com`) });
  bigSanPem = big.certPem;
  put('bigsan.crt', big.certPem);
  put('bigsan-no-end.crt', big.certPem.slice(0, Math.floor(big.certPem.length / 2)) + '\n-----END CERTIFICATE-----\n');
}, BUILD_TIMEOUT_MS);

// ------------------------------------------------------------------------------------- CLI

interface CliCase {
  name: string;
  /** {S}: this case's empty sandbox; {F:name}: a fixture file; {CA}: the fixture CA (must stay unchanged). */
  args: string[];
  code: number;
  /** Text the `error:` line must contain: the bad value, file or flag. */
  names: string;
  env?: Record<string, string>;
}

const cases: CliCase[] = [];
const add = (c: CliCase) => cases.push(c);

// Durations, on every flag that takes one.
const badDurations = ['10x', '-5d', 'abc', '5 m', '1h-', 'h1', '10', '99999999999y', '1,5s', 'Infinityd', '٣s', '1e3s'];
for (const d of badDurations) {
  add({ name: `ca init --root-validity ${d}`, args: ['ca', 'init', '--ca-dir', '{S}/ca', '--root-validity', d], code: 3, names: '--root-validity' });
  add({ name: `ca issue --validity ${d}`, args: ['ca', 'issue', 'a.example.com', '--ca-dir', '{CA}', '--out', '{S}/out', '--validity', d], code: 3, names: '--validity' });
}
for (const d of ['5x', '-1s', 'forever', '1h 30m']) {
  add({ name: `ca init --intermediate-validity ${d}`, args: ['ca', 'init', '--ca-dir', '{S}/ca', '--intermediate-validity', d], code: 3, names: '--intermediate-validity' });
  add({ name: `context --request-timeout ${d}`, args: ['context', '--request-timeout', d], code: 3, names: '--request-timeout' });
  add({ name: `doctor --wait ${d}`, args: ['doctor', '--endpoint', '127.0.0.1:1', '--wait', d], code: 3, names: '--wait' });
  add({ name: `acme issue --self-check-timeout ${d}`, args: ['acme', 'issue', 'a.example.org', '--out', '{S}/out', '--self-check-timeout', d], code: 3, names: '--self-check-timeout' });
}
add({ name: 'ca issue --validity 0s', args: ['ca', 'issue', 'a.example.com', '--ca-dir', '{CA}', '--out', '{S}/out', '--validity', '0s'], code: 3, names: '--validity' });
add({ name: 'ca issue --validity 398d (over the leaf maximum)', args: ['ca', 'issue', 'a.example.com', '--ca-dir', '{CA}', '--out', '{S}/out', '--validity', '398d'], code: 3, names: '--validity 398d' });
add({ name: 'ca init: intermediate outlives the root', args: ['ca', 'init', '--ca-dir', '{S}/ca', '--root-validity', '1y', '--intermediate-validity', '2y'], code: 3, names: 'root CA expires' });

// Host names, as certificate NAMEs and as --san values.
const badNames: Array<[string, string]> = [
  ['', 'empty'],
  ['bad..example.com', 'empty label'],
  ['.example.com', 'empty label'],
  ['exa mple.com', 'space'],
  ['exa_mple.com', 'underscores'],
  ['-lead.example.com', 'hyphen'],
  ['trail-.example.com', 'hyphen'],
  ['a/b.example.com', '/'],
  ['user@example.com', '@'],
  ['https://example.com', 'space or one of'],
  ['example.com:443', 'space or one of'],
  ['*.*.example.com', 'wildcard'],
  ['a.*.example.com', 'wildcard'],
  ['*example.com', 'wildcard'],
  ['w*.example.com', 'wildcard'],
  ['*.com', 'two labels'],
  ['*', 'wildcard'],
  ['999.1.1.1', 'all digits'],
  ['10.0.0', 'all digits'],
  ['1.2.3.4.5', 'all digits'],
  ['example.123', 'all digits'],
  [`${'a'.repeat(64)}.example.com`, 'label'],
  [`${'abcdefghi.'.repeat(26)}com`, '253'],
  ['xn--zz.example.com', 'punycode'],
  ['exam\u0000ple.com', 'label'],
  ['emoji-\u{1F600}\u0301\u0000.com', 'label'],
  ['münchen..de', 'empty label'],
  ['?query.example.com', 'space or one of'],
  ['[::1', 'label'],
  ['::g', 'space or one of'],
];
// NUL cannot travel in argv; those names are library cases only.
for (const [n, why] of badNames.filter(([n]) => !n.includes('\u0000'))) {
  const names = n === '' ? 'not a valid host name' : n.slice(0, 12);
  // A NAME that starts with "-" is read as a flag: a usage error that names it.
  add({ name: `ca issue NAME ${JSON.stringify(n)} (${why})`, args: ['ca', 'issue', n, '--ca-dir', '{CA}', '--out', '{S}/out'], code: n.startsWith('-') ? 2 : 3, names });
  add({ name: `ca issue --san ${JSON.stringify(n)} (${why})`, args: ['ca', 'issue', 'ok.example.com', '--san', n, '--ca-dir', '{CA}', '--out', '{S}/out'], code: 3, names });
}
add({ name: 'ca issue: one bad name among good ones writes none of them', args: ['ca', 'issue', 'a.example.com', 'b.example.com', 'c..example.com', '--ca-dir', '{CA}', '--out', '{S}/out'], code: 3, names: 'c..example.com' });
add({ name: 'ca issue --client with a name full of symbols', args: ['ca', 'issue', 'alice!<script>', '--client', '--ca-dir', '{CA}', '--out', '{S}/out'], code: 3, names: 'alice!<script>' });
add({ name: 'ca issue --client with a 65-character name', args: ['ca', 'issue', 'x'.repeat(65), '--client', '--ca-dir', '{CA}', '--out', '{S}/out'], code: 3, names: 'x'.repeat(65) });
add({ name: 'ca issue without any CA', args: ['ca', 'issue', 'a.example.com', '--ca-dir', '{S}/no-ca', '--out', '{S}/out'], code: 2, names: '{S}/no-ca' });
add({ name: 'ca issue without a NAME', args: ['ca', 'issue', '--ca-dir', '{CA}', '--out', '{S}/out'], code: 2, names: 'certificate' });

// Key algorithms / sizes.
for (const alg of ['rsa-1024', 'rsa-512', 'ed25519', 'ecdsa-p521', 'RSA-2048', 'rsa2048', '']) {
  add({ name: `ca init --key-algorithm ${JSON.stringify(alg)}`, args: ['ca', 'init', '--ca-dir', '{S}/ca', '--key-algorithm', alg], code: 2, names: '--key-algorithm' });
  add({ name: `ca issue --key-algorithm ${JSON.stringify(alg)}`, args: ['ca', 'issue', 'a.example.com', '--ca-dir', '{CA}', '--out', '{S}/out', '--key-algorithm', alg], code: 2, names: '--key-algorithm' });
}
for (const alg of ['rsa-1024', 'ecdsa-p521']) {
  add({ name: `acme issue --key-algorithm ${alg}`, args: ['acme', 'issue', 'a.example.org', '--out', '{S}/out', '--key-algorithm', alg], code: 2, names: '--key-algorithm' });
  add({ name: `setup --key-algorithm ${alg}`, args: ['setup', '--issuer', 'private-ca', '--domain', 'a.example.org', '--key-algorithm', alg, '--dry-run', '--non-interactive'], code: 2, names: '--key-algorithm' });
}

// Other ca init values.
add({ name: 'ca init --crl-url not a URL', args: ['ca', 'init', '--ca-dir', '{S}/ca', '--crl-url', 'notaurl'], code: 3, names: 'notaurl' });
add({ name: 'ca init --crl-url ftp://', args: ['ca', 'init', '--ca-dir', '{S}/ca', '--crl-url', 'ftp://pki.example.com/crl.pem'], code: 3, names: 'ftp://pki.example.com/crl.pem' });
add({ name: 'ca init --crl-url ldap://', args: ['ca', 'init', '--ca-dir', '{S}/ca', '--crl-url', 'ldap://x/cn=crl'], code: 3, names: 'ldap://x/cn=crl' });
add({ name: 'ca init --common-name empty', args: ['ca', 'init', '--ca-dir', '{S}/ca', '--common-name', ''], code: 3, names: '--common-name' });
add({ name: 'ca init --common-name blank', args: ['ca', 'init', '--ca-dir', '{S}/ca', '--common-name', '   '], code: 3, names: '--common-name' });
add({ name: 'ca init --organization empty', args: ['ca', 'init', '--ca-dir', '{S}/ca', '--organization', ''], code: 3, names: '--organization' });
// Not covered: '*.example.com' is accepted as a name constraint (see the report of issue 11).
for (const nc of ['bad..name', '10.0.0.0/99', '300.0.0.0/8', 'fd00::/200', 'exa_mple.com']) {
  add({ name: `ca init --name-constraint ${nc}`, args: ['ca', 'init', '--ca-dir', '{S}/ca', '--name-constraint', nc], code: 3, names: nc });
}
add({ name: 'ca init over an existing CA', args: ['ca', 'init', '--ca-dir', '{CA}'], code: 6, names: '{CA}' });
add({ name: 'ca init --include-root-key without --store cluster', args: ['ca', 'init', '--ca-dir', '{S}/ca', '--include-root-key'], code: 2, names: '--include-root-key' });
add({ name: 'ca init --passphrase-file missing', args: ['ca', 'init', '--ca-dir', '{S}/ca', '--passphrase-file', '{S}/missing.pass'], code: 3, names: '{S}/missing.pass' });
add({ name: 'ca init --passphrase-file is a directory', args: ['ca', 'init', '--ca-dir', '{S}/ca', '--passphrase-file', '{F:kc-dir.yaml}'], code: 3, names: 'kc-dir.yaml' });

// Certificates: ca inspect FILE, ca import, doctor --ca-bundle, trust sync --ca-file.
const badCerts: Array<[string, string]> = [
  ['empty.pem', 'neither a PEM nor a DER'],
  ['garbage.pem', 'neither a PEM nor a DER'],
  ['binary.bin', 'neither a PEM nor a DER'],
  ['trunc-pem.crt', 'not a readable certificate'],
  ['no-end.crt', 'no CERTIFICATE'],
  ['trunc-der.der', 'not a readable certificate'],
  ['bad-b64.crt', 'not a readable certificate'],
  ['der-in-armour.crt', 'not a readable certificate'],
  ['pem-in-pem.crt', 'not a readable certificate'],
  ['key-only.pem', 'no CERTIFICATE'],
  ['csr.pem', 'no CERTIFICATE'],
  ['good-then-trunc.crt', 'certificate 2 of 2'],
  ['flipped.crt', 'not a readable certificate'],
  ['utf16.crt', 'neither a PEM nor a DER'],
  ['zero-der.der', 'neither a PEM nor a DER'],
  ['bigsan-no-end.crt', 'not a readable certificate'],
];
for (const [file, why] of badCerts) {
  add({ name: `ca inspect ${file} (${why})`, args: ['ca', 'inspect', `{F:${file}}`, '--ca-dir', '{S}/ca'], code: 3, names: file });
  add({ name: `ca import --root-cert ${file}`, args: ['ca', 'import', '--ca-dir', '{S}/ca', '--root-cert', `{F:${file}}`, '--intermediate-cert', '{F:inter.crt}', '--intermediate-key', '{F:inter.key}'], code: 3, names: 'root certificate' });
  add({ name: `ca import --intermediate-cert ${file}`, args: ['ca', 'import', '--ca-dir', '{S}/ca', '--root-cert', '{F:root.crt}', '--intermediate-cert', `{F:${file}}`, '--intermediate-key', '{F:inter.key}'], code: 3, names: 'intermediate certificate' });
  add({ name: `doctor --ca-bundle ${file}`, args: ['doctor', '--endpoint', '127.0.0.1:1', '--ca-bundle', `{F:${file}}`], code: 3, names: file });
  add({ name: `trust sync --ca-file ${file}`, args: ['trust', 'sync', '--ca-file', `{F:${file}}`, '--target-namespace', 'web'], code: 3, names: '' });
}
add({ name: 'ca inspect a missing file', args: ['ca', 'inspect', '{S}/missing.crt', '--ca-dir', '{S}/ca'], code: 3, names: '{S}/missing.crt' });
add({ name: 'doctor --ca-bundle missing', args: ['doctor', '--endpoint', '127.0.0.1:1', '--ca-bundle', '{S}/missing.pem'], code: 3, names: '{S}/missing.pem' });
add({ name: 'ca import: root and intermediate swapped', args: ['ca', 'import', '--ca-dir', '{S}/ca', '--root-cert', '{F:inter.crt}', '--intermediate-cert', '{F:root.crt}', '--intermediate-key', '{F:inter.key}'], code: 3, names: 'intermediate certificate' });
add({ name: 'ca import: intermediate cert is the leaf-sized 3000-SAN certificate', args: ['ca', 'import', '--ca-dir', '{S}/ca', '--root-cert', '{F:root.crt}', '--intermediate-cert', '{F:bigsan.crt}', '--intermediate-key', '{F:inter.key}'], code: 3, names: 'intermediate certificate' });

// Keys: ca import --intermediate-key / --root-key.
const badKeys: Array<[string, number, string]> = [
  ['garbage.pem', 3, 'not a readable private key'],
  ['empty.pem', 3, 'not a readable private key'],
  ['trunc.key', 3, 'not a readable private key'],
  ['mismatch.key', 3, 'do not belong together'],
  ['p521.key', 3, 'secp521r1'],
  ['rsa1024.key', 3, 'rsa 1024'],
  ['ed25519.key', 3, 'ed25519'],
  ['pub.key', 3, 'not a readable private key'],
  ['root.crt', 3, 'not a readable private key'],
  ['binary.bin', 3, 'not a readable private key'],
  ['enc.key', 2, 'passphrase'],
];
for (const [file, code, why] of badKeys) {
  add({ name: `ca import --intermediate-key ${file} (${why})`, args: ['ca', 'import', '--ca-dir', '{S}/ca', '--root-cert', '{F:root.crt}', '--intermediate-cert', '{F:inter.crt}', '--intermediate-key', `{F:${file}}`], code, names: 'intermediate' });
}
add({ name: 'ca import: encrypted key, wrong passphrase', args: ['ca', 'import', '--ca-dir', '{S}/ca', '--root-cert', '{F:root.crt}', '--intermediate-cert', '{F:inter.crt}', '--intermediate-key', '{F:enc.key}', '--passphrase-file', '{F:wrong.pass}'], code: 3, names: 'passphrase' });
add({ name: 'ca import: encrypted key, passphrase from an empty environment variable', args: ['ca', 'import', '--ca-dir', '{S}/ca', '--root-cert', '{F:root.crt}', '--intermediate-cert', '{F:inter.crt}', '--intermediate-key', '{F:enc.key}'], code: 2, names: 'passphrase', env: { VIBECTL_TLS_CA_PASSPHRASE: '' } });
add({ name: 'ca import: --root-key is the intermediate key', args: ['ca', 'import', '--ca-dir', '{S}/ca', '--root-cert', '{F:root.crt}', '--root-key', '{F:inter.key}', '--intermediate-cert', '{F:inter.crt}', '--intermediate-key', '{F:inter.key}'], code: 3, names: 'root' });
add({ name: 'ca import: --root-key missing file', args: ['ca', 'import', '--ca-dir', '{S}/ca', '--root-cert', '{F:root.crt}', '--root-key', '{S}/nope.key', '--intermediate-cert', '{F:inter.crt}', '--intermediate-key', '{F:inter.key}'], code: 3, names: '{S}/nope.key' });
add({ name: 'ca import: --intermediate-key missing file', args: ['ca', 'import', '--ca-dir', '{S}/ca', '--root-cert', '{F:root.crt}', '--intermediate-cert', '{F:inter.crt}', '--intermediate-key', '{S}/nope.key'], code: 3, names: '{S}/nope.key' });
add({ name: 'ca import: into an existing CA', args: ['ca', 'import', '--ca-dir', '{CA}', '--root-cert', '{F:root.crt}', '--intermediate-cert', '{F:inter.crt}', '--intermediate-key', '{F:inter.key}'], code: 6, names: '{CA}' });

// Kubeconfigs and contexts.
const badKubeconfigs: Array<[string, number, string]> = [
  ['kc-empty.yaml', 3, 'kc-empty.yaml'],
  ['kc-broken.yaml', 3, 'kc-broken.yaml'],
  ['kc-nul.yaml', 3, 'kc-nul.yaml'],
  ['kc-dir.yaml', 3, 'kc-dir.yaml'],
  ['kc-no-current.yaml', 4, 'context'],
  ['kc-gone-current.yaml', 2, '"gone"'],
  ['kc-no-cluster.yaml', 3, '"nope"'],
  ['kc-bad-server.yaml', 3, 'not a url'],
  ['kc-ftp-server.yaml', 3, 'ftp://127.0.0.1:1'],
  ['kc-crlf.yaml', 3, 'not a url'],
  ['kc-exec-missing.yaml', 5, '/nonexistent/credential-plugin'],
];
for (const [file, code, names] of badKubeconfigs) {
  add({ name: `context --kubeconfig ${file}`, args: ['context', '--kubeconfig', `{F:${file}}`], code, names });
  add({ name: `doctor --secret x --kubeconfig ${file}`, args: ['doctor', '--secret', 'x', '--kubeconfig', `{F:${file}}`], code, names });
  add({ name: `KUBECONFIG=${file} version check`, args: ['context'], code, names, env: { KUBECONFIG: `{F:${file}}` } });
}
add({ name: 'context --kubeconfig missing file', args: ['context', '--kubeconfig', '{S}/missing.yaml'], code: 3, names: '{S}/missing.yaml' });
add({ name: 'context --context not in the kubeconfig', args: ['context', '--context', 'no-such-context'], code: 2, names: 'no-such-context' });
add({ name: 'setup --context not in the kubeconfig', args: ['setup', '--context', 'no-such-context', '--issuer', 'private-ca', '--domain', 'a.example.org', '--dry-run', '--non-interactive'], code: 2, names: 'no-such-context' });
add({ name: 'the API server is not there', args: ['context', '--request-timeout', '2s'], code: 4, names: '127.0.0.1:1' });

// setup answers.
const S_ACME_ANY_TARGET = ['setup', '--issuer', 'letsencrypt', '--challenge', 'http01', '--ingress-class', 'nginx', '--non-interactive', '--dry-run'];
const S_ACME = [...S_ACME_ANY_TARGET, '--target', 'none'];
for (const email of ['notanemail', 'a@b', '@example.org', 'a b@example.org', 'a@example.com', 'ops@example.net', 'ü@', 'a@@b.org']) {
  add({ name: `setup --email ${email}`, args: [...S_ACME, '--domain', 'a.example.org', '--email', email], code: 3, names: email });
}
for (const url of ['http://acme.example.org/dir', 'not a url', 'ftp://acme.example.org', 'https//missing-colon', '://']) {
  add({ name: `setup --acme-server ${url}`, args: ['setup', '--issuer', 'acme', '--acme-server', url, '--challenge', 'http01', '--ingress-class', 'nginx', '--non-interactive', '--dry-run', '--target', 'none', '--domain', 'a.example.org', '--email', 'a@b.org'], code: 3, names: url });
}
for (const d of ['bad..example.org', '10.0.0.1', '::1', 'exa_mple.org', '-x.example.org', `${'a'.repeat(64)}.org`]) {
  add({ name: `setup --domain ${d}`, args: [...S_ACME, '--domain', d, '--email', 'a@b.org'], code: 3, names: d });
}
add({ name: 'setup: wildcard with http01', args: [...S_ACME, '--domain', '*.example.org', '--email', 'a@b.org'], code: 2, names: 'wildcard' });
for (const t of ['foo', 'deployment/', 'pod/x', 'deployment/Bad_Name', 'deployment/a/b']) {
  add({ name: `setup --target ${t}`, args: [...S_ACME_ANY_TARGET, '--domain', 'a.example.org', '--email', 'a@b.org', '--target', t], code: 3, names: t });
}
for (const s of ['Bad_Name', '-x', 'x'.repeat(254), 'a b']) {
  add({ name: `setup --secret-name ${s.slice(0, 20)}`, args: [...S_ACME, '--domain', 'a.example.org', '--email', 'a@b.org', '--secret-name', s], code: 3, names: '--secret-name' });
}
add({ name: 'setup --acme-ca-bundle garbage', args: [...S_ACME, '--domain', 'a.example.org', '--email', 'a@b.org', '--acme-ca-bundle', '{F:garbage.pem}'], code: 3, names: 'ACME CA bundle' });
add({ name: 'setup --eab-hmac-key-file missing', args: [...S_ACME, '--domain', 'a.example.org', '--email', 'a@b.org', '--eab-kid', 'k', '--eab-hmac-key-file', '{S}/missing.hmac'], code: 3, names: '{S}/missing.hmac' });
add({ name: 'setup --tsig-secret-file not base64', args: ['setup', '--issuer', 'letsencrypt', '--challenge', 'dns01', '--dns-provider', 'rfc2136', '--rfc2136-server', '127.0.0.1:53', '--tsig-key-name', 'k', '--tsig-secret-file', '{F:tsig-bad}', '--non-interactive', '--dry-run', '--target', 'none', '--domain', 'a.example.org', '--email', 'a@b.org'], code: 3, names: 'TSIG' });
add({ name: 'setup: a required answer missing without a TTY', args: ['setup', '--issuer', 'letsencrypt', '--domain', 'a.example.org', '--email', 'a@b.org', '--non-interactive', '--dry-run'], code: 2, names: 'challenge' });

// doctor values.
for (const ep of ['host:99999', ':443', 'host:-1', 'host:abc', 'a b:443']) {
  add({ name: `doctor --endpoint ${ep}`, args: ['doctor', '--endpoint', ep], code: 2, names: ep });
}
for (const days of ['-1', 'abc', '1.5']) add({ name: `doctor --days ${days}`, args: ['doctor', '--days', days], code: 2, names: '--days' });
add({ name: 'doctor --profile unknown', args: ['doctor', '--profile', 'old'], code: 2, names: '--profile' });
add({ name: 'doctor --fail-on unknown', args: ['doctor', '--fail-on', 'info'], code: 2, names: '--fail-on' });

// acme issue values (refused before any network or file).
add({ name: 'acme issue --http-port abc', args: ['acme', 'issue', 'a.example.org', '--out', '{S}/out', '--http-port', 'abc'], code: 2, names: '--http-port' });
add({ name: 'acme issue --out and --secret together', args: ['acme', 'issue', 'a.example.org', '--out', '{S}/out', '--secret', 's'], code: 2, names: '--secret' });
add({ name: 'acme issue without a name', args: ['acme', 'issue', '--out', '{S}/out'], code: 2, names: 'names' });
add({ name: 'acme issue --challenge unknown', args: ['acme', 'issue', 'a.example.org', '--challenge', 'tls-alpn01'], code: 2, names: '--challenge' });
for (const n of ['bad..example.org', 'exa_mple.org']) {
  add({ name: `acme issue ${n}`, args: ['acme', 'issue', n, '--out', '{S}/out', '--email', 'a@b.org', '--acme-server', 'https://127.0.0.1:1/dir'], code: 3, names: n });
}

// Parse errors anywhere: unknown flags, commands, missing values.
add({ name: 'a single-value flag given twice', args: [...S_ACME, '--domain', 'a.example.org', '--email', 'a@b.org', '--target', 'none'], code: 2, names: '--target' });
add({ name: 'unknown flag', args: ['ca', 'list', '--bogus'], code: 2, names: '--bogus' });
add({ name: 'unknown command', args: ['certify'], code: 2, names: 'certify' });
add({ name: 'flag without its value', args: ['ca', 'issue', 'a.example.com', '--validity'], code: 2, names: '--validity' });
add({ name: 'ca import without required flags', args: ['ca', 'import', '--ca-dir', '{S}/ca'], code: 2, names: 'root-cert' });
add({ name: 'trust sync: --ca-dir and --ca-file together', args: ['trust', 'sync', '--ca-dir', '{S}/ca', '--ca-file', '{F:root.crt}'], code: 2, names: '--ca-file' });
add({ name: 'ca export --format unknown', args: ['ca', 'export', '--ca-dir', '{CA}', '--format', 'jks'], code: 2, names: 'jks' });
add({ name: 'ca export --format pkcs12 to stdout', args: ['ca', 'export', '--ca-dir', '{CA}', '--format', 'pkcs12'], code: 2, names: 'pkcs12' });
add({ name: 'ca export --password-file missing', args: ['ca', 'export', '--ca-dir', '{CA}', '--format', 'pkcs12', '--out', '{S}/t.p12', '--password-file', '{S}/missing'], code: 3, names: '{S}/missing' });
add({ name: 'ca export --apply with pem', args: ['ca', 'export', '--ca-dir', '{CA}', '--apply'], code: 2, names: '--apply' });
add({ name: 'completion for an unknown shell', args: ['completion', 'powershell'], code: 2, names: 'powershell' });
add({ name: '-o unknown', args: ['version', '-o', 'xml'], code: 2, names: 'xml' });
add({ name: 'ca revoke unknown serial', args: ['ca', 'revoke', 'deadbeef', '--ca-dir', '{CA}'], code: 3, names: 'deadbeef' });
add({ name: 'ca inspect unknown name', args: ['ca', 'inspect', 'nothing-issued.example.com', '--ca-dir', '{CA}'], code: 3, names: 'nothing-issued.example.com' });

function expand(s: string, sandbox: string): string {
  return s
    .replace(/\{S\}/g, sandbox)
    .replace(/\{CA\}/g, CA)
    .replace(/\{F:([^}]+)\}/g, (_m, n: string) => {
      const p = F[n];
      if (!p) throw new Error(`no fixture ${n}`);
      return p;
    });
}

describe.concurrent('bad input at the command line', () => {
  it('has at least 150 command-line cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const sandbox = mkdtempSync(join(root, 'case-'));
    const home = join(sandbox, 'home');
    mkdirSync(join(home, '.config'), { recursive: true });
    const before = tree(sandbox);
    const caBefore = hashDir(CA);
    const env: Record<string, string> = { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), KUBECONFIG: F.closed!, VIBECTL_TLS_CA_DIR: join(sandbox, 'default-ca') };
    for (const [k, v] of Object.entries(c.env ?? {})) env[k] = expand(v, sandbox);
    const r = await runCli(
      c.args.map((a) => expand(a, sandbox)),
      // Generous: a loaded 2-core machine can take many seconds to start Node.
      { env, timeoutMs: 100_000 },
    );
    const where = `\n--- stderr ---\n${r.stderr}\n--- stdout ---\n${r.stdout.slice(0, 2000)}`;
    expect(r.code, `exit code${where}`).toBe(c.code);
    expect(r.stderr, `stack trace${where}`).not.toMatch(STACK);
    const lines = r.stderr.split('\n').filter(Boolean);
    const errors = lines.filter((l) => l.startsWith('error: '));
    expect(errors, `one error line${where}`).toHaveLength(1);
    expect(errors[0], `the error line names the input${where}`).toContain(expand(c.names, sandbox));
    expect(lines.filter((l) => /^\s+next: /.test(l)).length, `at most one next line${where}`).toBeLessThanOrEqual(1);
    // Nothing else on stderr, save setup's note that it plans offline.
    for (const l of lines) expect(l, `unexpected stderr line${where}`).toMatch(/^(error: |\s+next: |no cluster reachable )/);
    expect(r.stdout, `stdout stays empty on a failure${where}`).toBe('');
    expect(tree(sandbox), `nothing written${where}`).toEqual(before);
    expect(hashDir(CA), `the fixture CA is unchanged${where}`).toBe(caBefore);
  }, 120_000);
});

describe('inputs that look hard but are fine', () => {
  it('CRLF, DER and concatenated certificates are read; a 3000-SAN certificate is inspected in full', async () => {
    for (const f of ['crlf.crt', 'root.der']) {
      const r = await runCli(['ca', 'inspect', F[f]!, '--ca-dir', join(root, 'none'), '-o', 'json'], { env: { HOME: FIX } });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).certificates[0].subject).toContain('Root CA');
    }
    const both = join(FIX, 'both.crt');
    writeFileSync(both, readFileSync(F['root.crt']!, 'utf8').trimEnd() + readFileSync(F['inter.crt']!, 'utf8'));
    const r2 = await runCli(['ca', 'inspect', both, '--ca-dir', join(root, 'none'), '-o', 'json'], { env: { HOME: FIX } });
    expect(r2.code, r2.stderr).toBe(0);
    expect(JSON.parse(r2.stdout).certificates).toHaveLength(2);
    const r3 = await runCli(['ca', 'inspect', F['bigsan.crt']!, '--ca-dir', join(root, 'none'), '-o', 'json'], { env: { HOME: FIX } });
    expect(r3.code, r3.stderr).toBe(0);
    expect(JSON.parse(r3.stdout).certificates[0].sans).toHaveLength(3000);
  });

  it('an internationalised name is issued as punycode; a CRLF key with its passphrase imports', async () => {
    const out = mkdtempSync(join(root, 'idn-'));
    const r = await runCli(['ca', 'issue', 'münchen.example.de', '--san', 'bücher.example', '--ca-dir', CA, '--out', out, '-o', 'json'], { env: { HOME: FIX } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).issued[0].sans).toEqual(['DNS:xn--mnchen-3ya.example.de', 'DNS:xn--bcher-kva.example']);
    const ca2 = join(mkdtempSync(join(root, 'import-')), 'ca');
    const r2 = await runCli(
      ['ca', 'import', '--ca-dir', ca2, '--root-cert', F['crlf.crt']!, '--intermediate-cert', F['inter.crt']!, '--intermediate-key', F['enc.key']!, '--passphrase-file', F['right.pass']!],
      { env: { HOME: FIX } },
    );
    expect(r2.code, r2.stderr).toBe(0);
  });

  it('-o json keeps one JSON error document on stdout', async () => {
    const r = await runCli(['ca', 'inspect', F['trunc-pem.crt']!, '--ca-dir', join(root, 'none'), '-o', 'json'], { env: { HOME: FIX } });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { kind: 'invalid-input', exitCode: 3 } });
  });
});

// --------------------------------------------------------------------------------- library

/** Runs fn and returns the TlsError it throws; fails the test on success or on any other error. */
async function tlsErrorOf(fn: () => unknown): Promise<TlsError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof TlsError) return err;
    throw new Error(`expected a TlsError, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
  throw new Error('expected a TlsError, but the input was accepted');
}

describe('library parsers refuse bad input with a TlsError', () => {
  it.each(badNames.map(([n]) => n))('toDnsName / parseSan(%j)', async (n) => {
    for (const fn of [() => toDnsName(n), () => parseSan(n), () => parseSans(['ok.example.com', n])]) {
      const e = await tlsErrorOf(fn);
      expect(e.exitCode).toBe(ExitCode.InvalidInput);
      expect(e.message).toContain(`"${n}"`);
    }
  });

  it.each([...badDurations, '', ' ', '1h30', 'ms1', '.5s', '1..5s', '1s2', `${'9'.repeat(400)}s`])('parseDuration(%j)', async (d) => {
    const e = await tlsErrorOf(() => parseDuration(d, '--flag'));
    expect(e.exitCode).toBe(ExitCode.InvalidInput);
    expect(e.message).toContain('--flag');
  });

  it.each(['rsa-1024', 'ed25519', 'ECDSA-P256', '', 'rsa-2048 ', 'dsa-1024'])('parseKeyAlgorithm(%j)', async (a) => {
    const e = await tlsErrorOf(() => parseKeyAlgorithm(a));
    expect(e.exitCode).toBe(ExitCode.InvalidInput);
    expect(e.message).toContain('--key-algorithm');
  });

  it.each(['notanemail', 'a@b', '', ' ', 'a@example.com', 'x@example.org', 'a@@b.org', 'a@b .org'])('validateEmail(%j)', (v) => {
    expect(validateEmail(v)).toMatch(/email|example domain/);
  });

  it.each(['http://x', 'ftp://x', 'not a url', '', 'https//x', 'javascript:alert(1)'])('validateHttpsUrl(%j)', (v) => {
    expect(validateHttpsUrl(v)).toBeTruthy();
  });

  it.each(['10.0.0.1', '[::1]', 'bad..x', '*.*.x.org', ''])('validateDomain(%j)', (v) => {
    expect(validateDomain(v)).toBeTruthy();
  });

  it.each(['foo', 'deployment/', 'pod/x', 'deployment/Bad_Name', 'deployment/a/b', '', 'service/x'])('parseTarget(%j)', async (t) => {
    const e = await tlsErrorOf(() => parseTarget(t));
    expect(e.exitCode).toBe(ExitCode.InvalidInput);
  });

  it.each(badCerts.map(([f]) => f))('readCertificateDers(%s)', async (f) => {
    const e = await tlsErrorOf(() => readCertificateDers(readFileSync(F[f]!), f));
    expect(e.exitCode).toBe(ExitCode.InvalidInput);
    expect(e.message).toContain(f);
  });

  it.each(badKeys.map(([f, code]) => [f, code] as const))('loadPrivateKey(%s)', async (f, code) => {
    // The mismatched key is a valid key; mismatch is found by the caller comparing it with the certificate.
    if (f === 'mismatch.key') return;
    const e = await tlsErrorOf(() => loadPrivateKey(readFileSync(F[f]!), { label: `key ${f}` }));
    expect(e.exitCode).toBe(code);
    expect(e.message).toContain(`key ${f}`.split(' ')[0]);
  });

  it('loadPrivateKey with the wrong passphrase says so', async () => {
    const e = await tlsErrorOf(() => loadPrivateKey(readFileSync(F['enc.key']!), { label: 'the key', passphrase: 'nope' }));
    expect(e.exitCode).toBe(ExitCode.InvalidInput);
    expect(e.message).toContain('passphrase');
  });

  it.each(badKubeconfigs)('loadKubeConfig(%s)', async (f, code) => {
    if (f === 'kc-exec-missing.yaml') return; // loads fine; the plugin fails when credentials are fetched (CLI case above)
    const e = await tlsErrorOf(() => loadKubeConfig({ kubeconfig: F[f]!, env: {} }));
    expect(e.exitCode).toBe(code);
  });

  it.each([
    ['Parsing --days \n\tExpected an integer but received: abc\nSee more help with --help', '--days: Expected an integer but received: abc'],
    ['The following error occurred:\n  \u001b[2m--out=x cannot also be provided when using --secret\u001b[22m', '--out=x cannot also be provided when using --secret'],
    ['Missing 1 required arg:\nnames  DNS names for the certificate', 'missing required argument: names'],
    ['Nonexistent flag: --bogus\nSee more help with --help', 'Nonexistent flag: --bogus'],
  ])('parseErrorLine(%j) is one line naming the flag', (input, line) => {
    expect(parseErrorLine(input)).toBe(line);
  });

  it('splitPem ignores text around blocks and never throws on garbage', () => {
    for (const t of ['', '-----BEGIN', '-----BEGIN X-----\n-----END Y-----', '\0\0-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----']) {
      expect(() => splitPem(t)).not.toThrow();
    }
  });
});

describe('doctor Secret checks on hostile Secret data', () => {
  async function results(data: Record<string, string>, type?: string) {
    const subject = secretSubject({ namespace: 'ns', name: 's', type, data, settings: { days: 30, profile: 'intermediate' }, expectedNames: [] });
    return runChecks({ checks: allChecks(), subjects: [subject] });
  }
  const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

  const hostile: Array<[string, () => Record<string, string>]> = [
    ['empty data', () => ({})],
    ['tls.crt garbage', () => ({ 'tls.crt': b64('garbage'), 'tls.key': b64(readFileSync(F['inter.key']!)) })],
    ['tls.crt truncated', () => ({ 'tls.crt': b64(readFileSync(F['trunc-pem.crt']!)), 'tls.key': b64(readFileSync(F['inter.key']!)) })],
    ['tls.crt DER in armour', () => ({ 'tls.crt': b64(readFileSync(F['der-in-armour.crt']!)), 'tls.key': b64(readFileSync(F['inter.key']!)) })],
    ['tls.crt raw DER', () => ({ 'tls.crt': b64(readFileSync(F['root.der']!)), 'tls.key': b64(readFileSync(F['inter.key']!)) })],
    ['tls.key encrypted', () => ({ 'tls.crt': b64(readFileSync(F['inter.crt']!)), 'tls.key': b64(readFileSync(F['enc.key']!)) })],
    ['tls.key truncated', () => ({ 'tls.crt': b64(readFileSync(F['inter.crt']!)), 'tls.key': b64(readFileSync(F['trunc.key']!)) })],
    ['tls.key of another certificate', () => ({ 'tls.crt': b64(readFileSync(F['inter.crt']!)), 'tls.key': b64(readFileSync(F['mismatch.key']!)) })],
    ['data values that are not base64', () => ({ 'tls.crt': '%%%not base64%%%', 'tls.key': '***' })],
    ['binary noise', () => ({ 'tls.crt': b64(readFileSync(F['binary.bin']!)), 'tls.key': b64(readFileSync(F['binary.bin']!)) })],
    ['a 3000-SAN certificate', () => ({ 'tls.crt': b64(bigSanPem), 'tls.key': b64(readFileSync(F['inter.key']!)) })],
    ['CRLF everywhere', () => ({ 'tls.crt': b64(readFileSync(F['crlf.crt']!)), 'tls.key': b64(readFileSync(F['crlf.key']!)) })],
    ['a very large Secret (900 KiB of concatenated certificates)', () => ({ 'tls.crt': b64(readFileSync(F['root.crt']!, 'utf8').repeat(Math.floor(900_000 / 800))), 'tls.key': b64(readFileSync(F['inter.key']!)) })],
  ];

  it.each(hostile)('%s: findings, not crashes', async (_name, data) => {
    const rs = await results(data());
    expect(rs.length).toBeGreaterThan(0);
    for (const r of rs) expect(r.message, `${r.code}`).not.toMatch(/check could not run|TypeError|Cannot read properties/);
  });

  it.each(['Opaque', 'kubernetes.io/dockerconfigjson', 'kubernetes.io/service-account-token', 'bootstrap.kubernetes.io/token'])('a Secret of type %s is judged without crashing', async (type) => {
    const rs = await results({ token: b64('abc'), '.dockerconfigjson': b64('{}') }, type);
    for (const r of rs) expect(r.message).not.toMatch(/check could not run|TypeError/);
    expect(rs.some((r) => r.status === 'error' || r.status === 'warning' || r.status === 'skipped')).toBe(true);
  });

  it('counts: the whole file holds at least 200 cases', () => {
    const library = badNames.length + badDurations.length + 9 + 6 + 8 + 6 + 5 + 7 + badCerts.length + badKeys.length + 1 + badKubeconfigs.length + 4 + 1 + hostile.length + 4;
    expect(cases.length + library).toBeGreaterThanOrEqual(200);
  });
});
