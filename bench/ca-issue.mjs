#!/usr/bin/env node
// `ca issue` against the OpenSSL pipeline people script by hand (genpkey + req + x509 -req):
//   1 ECDSA P-256 leaf, whole process each (target ≤ 1.5 ×), and
//   100 leaves in one `ca issue` against 100 pipelines (target ≤ 0.25 ×).
//
//   node bench/ca-issue.mjs [--runs 5] [--warmup 1] [--count 100] [--bin bin/kubectl-vibectl_tls]
//
// Both sides sign with the same intermediate and write key + chain files. Series run interleaved
// (A B A B …, the starting series alternating each round) so machine load hits both alike; warm-up
// rounds are not counted. Each `ca issue` run gets a fresh copy of the CA (copy not timed), so the
// issuance index does not grow across runs. Prints medians and ratios and writes
// bench/results/ca-issue.md.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    count: { type: 'string', default: '100' },
    bin: { type: 'string', default: join(root, 'bin', 'kubectl-vibectl_tls') },
  },
});
const runs = Math.max(5, Number(values.runs));
const warmup = Math.max(1, Number(values.warmup));
const count = Math.max(2, Number(values.count));
const bin = values.bin;
const TARGET_ONE = 1.5;
const TARGET_MANY = 0.25;

if (bin === join(root, 'bin', 'kubectl-vibectl_tls') && !existsSync(join(root, 'dist', 'commands', 'ca', 'issue.js'))) {
  process.stderr.write('dist/ is not built; running npm run build\n');
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}

const env = { ...process.env, NO_COLOR: '1' };
delete env.NODE_OPTIONS;
delete env.VIBECTL_TLS_CA_PASSPHRASE;
const work = mkdtempSync(join(tmpdir(), 'vibectl-tls-bench-ca-'));
const pristine = join(work, 'ca');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')} … exited ${r.status}: ${r.stderr}`);
}
run(process.execPath, [bin, 'ca', 'init', '--ca-dir', pristine]);
const caCert = join(pristine, 'intermediate.crt');
const caKey = join(pristine, 'intermediate.key');

let seq = 0;
/** A: the plugin, one process issuing `n` leaves. */
function plugin(n) {
  const id = ++seq;
  const caDir = join(work, `ca-${id}`);
  const out = join(work, `out-a-${id}`);
  cpSync(pristine, caDir, { recursive: true });
  const names = Array.from({ length: n }, (_, i) => `leaf${i}.run${id}.example.test`);
  const t0 = performance.now();
  run(process.execPath, [bin, 'ca', 'issue', ...names, '--san', '127.0.0.1', '--ca-dir', caDir, '--out', out]);
  const ms = performance.now() - t0;
  rmSync(caDir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
  return ms;
}

/** B: the OpenSSL pipeline, three processes per leaf, same profile (EKU, SANs, 90 days, 128-bit serial). */
function pipeline(n) {
  const id = ++seq;
  const out = join(work, `out-b-${id}`);
  mkdirSync(out, { recursive: true, mode: 0o700 });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const name = `leaf${i}.run${id}.example.test`;
    const ext = join(out, `${name}.cnf`);
    writeFileSync(ext, `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\nsubjectAltName=DNS:${name},IP:127.0.0.1\n`);
    const key = join(out, `${name}.key`);
    run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
    run('openssl', ['req', '-new', '-key', key, '-subj', `/CN=${name}`, '-out', join(out, `${name}.csr`)]);
    run('openssl', ['x509', '-req', '-in', join(out, `${name}.csr`), '-CA', caCert, '-CAkey', caKey, '-set_serial', `0x${(i + 1).toString(16).padStart(32, '7')}`, '-days', '90', '-sha256', '-extfile', ext, '-out', join(out, `${name}.crt`)]);
  }
  const ms = performance.now() - t0;
  rmSync(out, { recursive: true, force: true });
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function measure(label, n) {
  const a = [];
  const b = [];
  for (let round = 0; round < warmup + runs; round++) {
    const order = round % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
    const got = {};
    for (const which of order) got[which] = which === 'a' ? plugin(n) : pipeline(n);
    if (round >= warmup) {
      a.push(got.a);
      b.push(got.b);
    }
    process.stderr.write(`${label} round ${round + 1}/${warmup + runs}${round < warmup ? ' (warm-up)' : ''}: ca issue ${got.a.toFixed(0)} ms, openssl ${got.b.toFixed(0)} ms\n`);
  }
  return { a: median(a), b: median(b), runs: a.length };
}

const one = measure('1 leaf', 1);
const many = measure(`${count} leaves`, count);
rmSync(work, { recursive: true, force: true });

const ratioOne = one.a / one.b;
const ratioMany = many.a / many.b;
const verdict = (r, t) => (r <= t ? `meets ≤ ${t} ×` : `misses ≤ ${t} ×`);
const lines = [
  '# `ca issue` vs the OpenSSL pipeline',
  '',
  `Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${loadavg().map((x) => x.toFixed(2)).join(' ')}, ${runs} counted runs after ${warmup} warm-up, interleaved.`,
  '',
  '| case | `ca issue` (median) | openssl genpkey + req + x509 (median) | ratio | target |',
  '| --- | ---: | ---: | ---: | --- |',
  `| 1 ECDSA P-256 leaf, whole process | ${one.a.toFixed(0)} ms | ${one.b.toFixed(0)} ms | ${ratioOne.toFixed(2)} × | ${verdict(ratioOne, TARGET_ONE)} |`,
  `| ${count} leaves: one command vs ${count} pipelines | ${many.a.toFixed(0)} ms | ${many.b.toFixed(0)} ms | ${ratioMany.toFixed(2)} × | ${verdict(ratioMany, TARGET_MANY)} |`,
  '',
];
const text = lines.join('\n');
process.stdout.write(text + '\n');
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'ca-issue.md'), text);
