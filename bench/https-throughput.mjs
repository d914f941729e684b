#!/usr/bin/env node
// HTTPS keep-alive throughput with the recommended configuration (an ECDSA P-256 leaf issued by
// `ca issue`, TLS 1.3 only) against plain HTTP from the same Node server code, loaded by wrk over
// loopback. What TLS costs once connections are up (target ≥ 0.95 × plain HTTP).
//
//   node bench/https-throughput.mjs [--runs 5] [--warmup 1] [--duration 5] [--connections 16] [--json FILE]
//
// Both servers run for the whole bench (an idle one costs nothing); wrk runs against them
// interleaved (A B A B …, alternating which goes first). Also records each server's CPU time per
// request and peak RSS. Writes bench/results/https-throughput.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cleanup, commonOptions, ensureBuilt, fmt, interleave, issueLeaf, kib, loadText, machine, row, side, startTlsServer, toolVersion, verdictText, which, writeReport, writeResult } from './lib.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
    ...commonOptions,
  },
});
const runs = Math.max(5, Number(values.runs));
const warmup = Math.max(1, Number(values.warmup));
const duration = Math.max(1, Number(values.duration));
const connections = Math.max(1, Number(values.connections));
const TARGET = { op: '>=', ratio: 0.95 };

const wrk = which('wrk');
if (!wrk) {
  process.stderr.write('wrk is not installed: run scripts/install-system-deps.sh (Debian package wrk)\n');
  process.exit(1);
}
ensureBuilt(join('dist', 'commands', 'ca', 'issue.js'));

const dir = mkdtempSync(join(tmpdir(), 'vibectl-tls-bench-https-'));
process.on('exit', () => cleanup(dir));
const leaf = issueLeaf(dir, { name: 'bench.localhost', keyAlgorithm: 'ecdsa-p256' });
const servers = {
  https: await startTlsServer({ mode: 'https', cert: leaf.cert, key: leaf.key }),
  http: await startTlsServer({ mode: 'http' }),
};

// Which protocol and group the HTTPS side really negotiates (for the report).
const probe = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${servers.https.port}`, '-brief', '-CAfile', leaf.ca], { input: '', encoding: 'utf8', timeout: 10_000 });
const negotiated = [/Protocol version: (\S+)/, /Ciphersuite: (\S+)/, /(?:Negotiated TLS1.3 group|Server Temp Key): ([^\n]+)/, /Peer signature type: (\S+)/]
  .map((re) => re.exec(probe.stderr + probe.stdout)?.[1]?.trim())
  .filter(Boolean)
  .join(', ');

async function load(name) {
  const server = servers[name];
  const before = await server.usage();
  const r = spawnSync(wrk, ['-t1', `-c${connections}`, `-d${duration}s`, `${name}://127.0.0.1:${server.port}/`], { encoding: 'utf8', timeout: (duration + 30) * 1000 });
  if (r.status !== 0) throw new Error(`wrk exited ${r.status}: ${r.stderr}`);
  const after = await server.usage();
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1]);
  const errors = /Non-2xx|Socket errors/.exec(r.stdout) ? r.stdout.split('\n').filter((l) => /Non-2xx|Socket errors/.test(l)).join('; ') : '';
  if (!Number.isFinite(rps)) throw new Error(`wrk printed no Requests/sec:\n${r.stdout}`);
  const requests = after.requests - before.requests;
  return { value: rps, cpuMicrosPerRequest: requests ? (after.cpuMicros - before.cpuMicros) / requests : null, hwmKiB: after.hwmKiB, errors };
}

const samples = await interleave({ series: { https: () => load('https'), http: () => load('http') }, runs, warmup, label: 'https-throughput' });
for (const s of Object.values(servers)) s.stop();

const sides = Object.fromEntries(
  Object.entries(samples).map(([name, xs]) => [name, side(name === 'https' ? 'HTTPS (TLS 1.3, ECDSA P-256)' : 'plain HTTP', xs.map((x) => x.value), xs.map((x) => x.hwmKiB))]),
);
const cpuPerReq = Object.fromEntries(Object.entries(samples).map(([name, xs]) => [name, side(name, xs.map((x) => x.cpuMicrosPerRequest)).median]));
const errors = Object.values(samples).flat().map((x) => x.errors).filter(Boolean);
const result = row({
  key: 'https-throughput',
  measure: 'HTTPS keep-alive throughput, recommended config',
  unit: 'req/s',
  ours: sides.https,
  peer: sides.http,
  target: TARGET,
  note: `wrk -t1 -c${connections} -d${duration}s on loopback; server CPU per request ${fmt(cpuPerReq.https)} µs HTTPS vs ${fmt(cpuPerReq.http)} µs HTTP${errors.length ? `; wrk reported: ${errors[0]}` : ''}`,
});
// CPU time per request does not depend on how much CPU the rest of the machine leaves the server,
// so it shows the same cost without the noise of a shared machine.
const cpuRow = row({
  key: 'https-cpu-per-request',
  measure: 'server CPU per keep-alive request, HTTPS vs HTTP',
  unit: 'µs',
  ours: side('HTTPS (TLS 1.3, ECDSA P-256)', samples.https.map((x) => x.cpuMicrosPerRequest), samples.https.map((x) => x.hwmKiB)),
  peer: side('plain HTTP', samples.http.map((x) => x.cpuMicrosPerRequest), samples.http.map((x) => x.hwmKiB)),
  target: null,
  note: 'process.cpuUsage() of the server over each wrk run divided by the requests it answered: independent of machine load',
});
console.log(`HTTPS ${fmt(sides.https.median)} req/s, HTTP ${fmt(sides.http.median)} req/s: ${verdictText(result)}`);

const m = machine();
const wrkVersion = toolVersion(wrk, ['-v'], /wrk (\S+)/);
writeReport(
  'https-throughput.md',
  [
    '# HTTPS keep-alive throughput: recommended config vs plain HTTP',
    '',
    `Written by \`node bench/https-throughput.mjs\` on ${m.date}.`,
    '',
    `Node ${m.node} on ${m.platform}, ${m.nproc} CPUs (${m.cpuModel}), load average ${loadText(m.loadavg)} at the end (shared machine: compare the ratio, not absolute figures).`,
    `One Node process per side (bench/tls-server.mjs: same handler, 13-byte body); HTTPS with an ECDSA P-256 leaf + intermediate from \`ca issue\`, \`minVersion: 'TLSv1.3'\`; negotiated: ${negotiated || 'not probed'}.`,
    `Load: wrk ${wrkVersion ?? ''} \`-t1 -c${connections} -d${duration}s\` over keep-alive connections on 127.0.0.1; ${runs} counted runs per side after ${warmup} warm-up, interleaved. Peak RSS is the server's VmHWM.`,
    '',
    '| server | median req/s | min | max | server CPU µs/request | server peak RSS |',
    '|---|---:|---:|---:|---:|---:|',
    ...['https', 'http'].map((n) => `| ${sides[n].label} | ${fmt(sides[n].median)} | ${fmt(sides[n].min)} | ${fmt(sides[n].max)} | ${fmt(cpuPerReq[n])} | ${kib(sides[n].rssKiB)} |`),
    '',
    `HTTPS / HTTP: ${verdictText(result)}. Server CPU per request HTTPS / HTTP: ${fmt(cpuRow.ratio)}× (the same cost without the machine's load in it).`,
    '',
  ].join('\n'),
);
writeResult(values.json, { name: 'https-throughput', runs, warmup, versions: { wrk: wrkVersion, negotiated }, rows: [result, cpuRow], report: 'https-throughput.md' });
