#!/usr/bin/env node
// `ca issue` against the OpenSSL pipeline people script by hand (genpkey + req + x509 -req):
//   1 ECDSA P-256 leaf, whole process each (target ≤ 1.5 ×), and
//   100 leaves in one `ca issue` against 100 pipelines (target ≤ 0.25 ×).
//
//   node bench/ca-issue.mjs [--runs 5] [--warmup 1] [--count 100] [--bin bin/kubectl-vibectl_tls] [--json FILE]
//
// Both sides sign with the same intermediate and write key + chain files. Series run interleaved
// (A B A B …, the starting series alternating each round) so machine load hits both alike; warm-up
// rounds are not counted. Each `ca issue` run gets a fresh copy of the CA (copy not timed), so the
// issuance index does not grow across runs. Prints medians and ratios and writes
// bench/results/ca-issue.md.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { benchEnv, commonOptions, ensureBuilt, interleave, kib, loadText, machine, pluginBin, row, side, timeProcess, toolVersion, verdictText, writeReport, writeResult } from './lib.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    count: { type: 'string', default: '100' },
    bin: { type: 'string', default: pluginBin },
    ...commonOptions,
  },
});
const runs = Math.max(5, Number(values.runs));
const warmup = Math.max(1, Number(values.warmup));
const count = Math.max(2, Number(values.count));
const bin = values.bin;
const TARGET_ONE = 1.5;
const TARGET_MANY = 0.25;

if (bin === pluginBin) ensureBuilt(join('dist', 'commands', 'ca', 'issue.js'));

const env = benchEnv();
delete env.VIBECTL_TLS_CA_PASSPHRASE;
const work = mkdtempSync(join(tmpdir(), 'vibectl-tls-bench-ca-'));
const pristine = join(work, 'ca');

/** Runs one process to completion; returns its peak RSS (KiB). */
function run(cmd, args) {
  return timeProcess(cmd, args, { env }).rssKiB;
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
  const { ms, rssKiB } = timeProcess(process.execPath, [bin, 'ca', 'issue', ...names, '--san', '127.0.0.1', '--ca-dir', caDir, '--out', out], { env });
  rmSync(caDir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
  return { ms, rssKiB };
}

/** B: the OpenSSL pipeline, three processes per leaf, same profile (EKU, SANs, 90 days, 128-bit serial). */
function pipeline(n) {
  const id = ++seq;
  const out = join(work, `out-b-${id}`);
  mkdirSync(out, { recursive: true, mode: 0o700 });
  const t0 = performance.now();
  let rssKiB = 0;
  for (let i = 0; i < n; i++) {
    const name = `leaf${i}.run${id}.example.test`;
    const ext = join(out, `${name}.cnf`);
    writeFileSync(ext, `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\nsubjectAltName=DNS:${name},IP:127.0.0.1\n`);
    const key = join(out, `${name}.key`);
    rssKiB = Math.max(rssKiB, run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]) ?? 0);
    rssKiB = Math.max(rssKiB, run('openssl', ['req', '-new', '-key', key, '-subj', `/CN=${name}`, '-out', join(out, `${name}.csr`)]) ?? 0);
    rssKiB = Math.max(rssKiB, run('openssl', ['x509', '-req', '-in', join(out, `${name}.csr`), '-CA', caCert, '-CAkey', caKey, '-set_serial', `0x${(i + 1).toString(16).padStart(32, '7')}`, '-days', '90', '-sha256', '-extfile', ext, '-out', join(out, `${name}.crt`)]) ?? 0);
  }
  // Includes GNU time's own fork + exec per OpenSSL process (~1 ms each), which a shell script
  // would not pay: a small handicap for the peer, so the ratio errs against the plugin.
  const ms = performance.now() - t0;
  rmSync(out, { recursive: true, force: true });
  return { ms, rssKiB: rssKiB || null };
}

// Interleaved (A B, B A, …) with warm-up rounds not counted: lib.mjs's interleave.
async function measure(label, n) {
  const got = await interleave({ series: { 'ca issue': () => plugin(n), openssl: () => pipeline(n) }, runs, warmup, label });
  return {
    a: side('`ca issue` (one process)', got['ca issue'].map((x) => x.ms), got['ca issue'].map((x) => x.rssKiB)),
    b: side(`openssl genpkey + req + x509 -req (${n === 1 ? '3 processes' : `${n} × 3 processes`})`, got.openssl.map((x) => x.ms), got.openssl.map((x) => x.rssKiB)),
  };
}

const one = await measure('1 leaf', 1);
const many = await measure(`${count} leaves`, count);
rmSync(work, { recursive: true, force: true });

const rowOne = row({ key: 'ca-issue-one', measure: 'issue one ECDSA leaf from the private CA', unit: 'ms', ours: one.a, peer: one.b, target: { op: '<=', ratio: TARGET_ONE } });
// Past start-up, what each further leaf costs inside one `ca issue`.
const perLeaf = (many.a.median - one.a.median) / (count - 1);
const rowMany = row({
  key: 'ca-issue-many',
  measure: `issue ${count} leaves in one command`,
  unit: 'ms',
  ours: many.a,
  peer: many.b,
  target: { op: '<=', ratio: TARGET_MANY },
  note: `each further leaf costs about ${perLeaf.toFixed(0)} ms inside one \`ca issue\`, against ${(many.b.median / count).toFixed(0)} ms per OpenSSL pipeline`,
});
const m = machine();
const lines = [
  '# `ca issue` vs the OpenSSL pipeline',
  '',
  `Node ${m.node}, ${m.nproc} CPUs (${m.cpuModel}), load ${loadText(m.loadavg)}, ${runs} counted runs after ${warmup} warm-up, interleaved. ${toolVersion('openssl', ['version']) ?? 'openssl'}. Peak RSS: GNU time (for OpenSSL, the largest of its processes).`,
  '',
  '| case | `ca issue` (median) | openssl genpkey + req + x509 (median) | ratio | target | peak RSS ca issue / openssl |',
  '| --- | ---: | ---: | ---: | --- | ---: |',
  `| 1 ECDSA P-256 leaf, whole process | ${one.a.median.toFixed(0)} ms | ${one.b.median.toFixed(0)} ms | ${rowOne.ratio.toFixed(2)} × | ${verdictText(rowOne)} | ${kib(one.a.rssKiB)} / ${kib(one.b.rssKiB)} |`,
  `| ${count} leaves: one command vs ${count} pipelines | ${many.a.median.toFixed(0)} ms | ${many.b.median.toFixed(0)} ms | ${rowMany.ratio.toFixed(2)} × | ${verdictText(rowMany)} | ${kib(many.a.rssKiB)} / ${kib(many.b.rssKiB)} |`,
  '',
  `Past start-up, each further leaf costs about ${perLeaf.toFixed(0)} ms inside one \`ca issue\`, against ${(many.b.median / count).toFixed(0)} ms per OpenSSL pipeline (three process starts).`,
  '',
];
const text = lines.join('\n');
process.stdout.write(text + '\n');
writeReport('ca-issue.md', text);
writeResult(values.json, { name: 'ca-issue', runs, warmup, versions: { openssl: toolVersion('openssl', ['version']) }, rows: [rowOne, rowMany], report: 'ca-issue.md' });
