#!/usr/bin/env node
// Server CPU per full TLS handshake with an ECDSA P-256 leaf against an RSA-2048 leaf, both issued
// by `ca issue` and served by the same Node HTTPS server (TLS 1.3, X25519): why ECDSA P-256 is the
// default key algorithm. Recorded, no target.
//
//   node bench/handshake-cpu.mjs [--runs 5] [--warmup 1] [--connections 200] [--json FILE]
//
// Each run opens N new connections from this process (4 at a time, no session passed, so no
// resumption), closes each as soon as the handshake is done, and reads the server's
// process.cpuUsage() before and after. Runs alternate between the two servers. Writes
// bench/results/handshake-cpu.md.
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { cleanup, commonOptions, ensureBuilt, fmt, interleave, issueLeaf, kib, loadText, machine, row, side, startTlsServer, writeReport, writeResult } from './lib.mjs';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, warmup: { type: 'string', default: '1' }, connections: { type: 'string', default: '200' }, ...commonOptions },
});
const runs = Math.max(5, Number(values.runs));
const warmup = Math.max(1, Number(values.warmup));
const n = Math.max(20, Number(values.connections));
const CONCURRENCY = 4;

ensureBuilt(join('dist', 'commands', 'ca', 'issue.js'));
const dir = mkdtempSync(join(tmpdir(), 'vibectl-tls-bench-handshake-'));
process.on('exit', () => cleanup(dir));
const leaves = { 'ecdsa-p256': issueLeaf(dir, { name: 'bench.localhost', keyAlgorithm: 'ecdsa-p256' }), 'rsa-2048': issueLeaf(dir, { name: 'bench.localhost', keyAlgorithm: 'rsa-2048' }) };
const servers = {};
for (const [alg, leaf] of Object.entries(leaves)) servers[alg] = await startTlsServer({ mode: 'https', cert: leaf.cert, key: leaf.key });
const ca = readFileSync(leaves['ecdsa-p256'].ca);

function handshake(port) {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, servername: 'bench.localhost', ca, minVersion: 'TLSv1.3' }, () => {
      const info = { protocol: s.getProtocol(), resumed: s.isSessionReused() };
      // A graceful close, so the server reads our Finished before the connection goes (destroy()
      // would reset it and the server would never count the handshake as done).
      s.end();
      s.once('close', () => resolve(info));
    });
    s.on('error', reject);
  });
}

async function many(alg) {
  const server = servers[alg];
  const before = await server.usage();
  const t0 = performance.now();
  let next = 0;
  let resumed = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        next++;
        const info = await handshake(server.port);
        if (info.resumed) resumed++;
        if (info.protocol !== 'TLSv1.3') throw new Error(`negotiated ${info.protocol}`);
      }
    }),
  );
  const ms = performance.now() - t0;
  // Let the server finish the last closes before reading its CPU time.
  await new Promise((r) => setTimeout(r, 50));
  const after = await server.usage();
  if (resumed) throw new Error(`${resumed} of ${n} handshakes were resumed: the bench must measure full handshakes`);
  const shakes = after.handshakes - before.handshakes;
  return { value: (after.cpuMicros - before.cpuMicros) / shakes, perSecond: (shakes * 1000) / ms, hwmKiB: after.hwmKiB };
}

const samples = await interleave({ series: { 'ecdsa-p256': () => many('ecdsa-p256'), 'rsa-2048': () => many('rsa-2048') }, runs, warmup, label: 'handshake-cpu' });
for (const s of Object.values(servers)) s.stop();

const label = { 'ecdsa-p256': 'ECDSA P-256 leaf', 'rsa-2048': 'RSA-2048 leaf' };
const cpu = Object.fromEntries(Object.entries(samples).map(([alg, xs]) => [alg, side(label[alg], xs.map((x) => x.value), xs.map((x) => x.hwmKiB))]));
const rate = Object.fromEntries(Object.entries(samples).map(([alg, xs]) => [alg, side(label[alg], xs.map((x) => x.perSecond))]));
const result = row({
  key: 'handshake-cpu',
  measure: 'full-handshake server CPU, ECDSA P-256 vs RSA-2048 leaf',
  unit: 'µs',
  ours: cpu['ecdsa-p256'],
  peer: cpu['rsa-2048'],
  target: null,
  note: `${n} full TLS 1.3 handshakes per run (no resumption), server process.cpuUsage(); handshakes/s seen by the client: ${fmt(rate['ecdsa-p256'].median)} ECDSA vs ${fmt(rate['rsa-2048'].median)} RSA`,
});
console.log(`server CPU per handshake: ECDSA P-256 ${fmt(cpu['ecdsa-p256'].median)} µs, RSA-2048 ${fmt(cpu['rsa-2048'].median)} µs (×${fmt(result.ratio)})`);

const m = machine();
writeReport(
  'handshake-cpu.md',
  [
    '# Full-handshake server CPU: ECDSA P-256 vs RSA-2048 leaf',
    '',
    `Written by \`node bench/handshake-cpu.mjs\` on ${m.date}.`,
    '',
    `Node ${m.node} (OpenSSL ${process.versions.openssl}) on ${m.platform}, ${m.nproc} CPUs (${m.cpuModel}), load average ${loadText(m.loadavg)} at the end.`,
    `Both leaves from \`ca issue --key-algorithm …\` (same intermediate), served by bench/tls-server.mjs with TLS 1.3 only; the client (this process, ${CONCURRENCY} at a time) passes no session, so every handshake is a full one (checked: none resumed).`,
    `${n} handshakes per run, ${runs} counted runs per leaf after ${warmup} warm-up, interleaved. CPU is the server's own user + system time, so the machine's load does not inflate it; handshakes/s does depend on load.`,
    '',
    '| leaf | server CPU µs/handshake (median) | min | max | handshakes/s (client) | server peak RSS |',
    '|---|---:|---:|---:|---:|---:|',
    ...Object.keys(label).map((alg) => `| ${label[alg]} | ${fmt(cpu[alg].median)} | ${fmt(cpu[alg].min)} | ${fmt(cpu[alg].max)} | ${fmt(rate[alg].median)} | ${kib(cpu[alg].rssKiB)} |`),
    '',
    `ECDSA P-256 / RSA-2048 server CPU per handshake: ${fmt(result.ratio)}×.`,
    '',
  ].join('\n'),
);
writeResult(values.json, { name: 'handshake-cpu', runs, warmup, versions: { nodeOpenssl: process.versions.openssl }, rows: [result], report: 'handshake-cpu.md' });
