#!/usr/bin/env node
// Startup of the self-contained binary against bare Node, interleaved so machine load hits every
// series alike, plus the sizes of the binary and its archive.
//
//   node bench/binary.mjs [--binary PATH] [--runs 30]
//
// Without --binary it builds linux-amd64 (or this machine's target) with scripts/package.mjs into
// a temporary directory first. Writes bench/results/binary.json (not committed) and prints a table.
// Target (issue 10): `version` from the binary ≤ 1.5 × `node -e 0`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { hostTarget, NODE_VERSION } from '../scripts/package/targets.mjs';
import { nodeBinary } from '../scripts/package/node-dist.mjs';
import { median, root } from './lib.mjs';

const { values } = parseArgs({ options: { binary: { type: 'string' }, runs: { type: 'string', default: '30' } } });
const runs = Number(values.runs);
const target = hostTarget();

let binary = values.binary;
let out;
if (!binary) {
  out = mkdtempSync(join(tmpdir(), 'vtls-bench-'));
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'package.mjs'), '--targets', target.id, '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) process.exit(1);
  binary = join(out, 'build', target.id, `kubectl-vibectl_tls${target.exe}`);
}

const node26 = nodeBinary(target, NODE_VERSION);
const noKube = join(tmpdir(), 'vtls-bench-no-kubeconfig');
const series = {
  'node -e 0 (host Node)': [process.execPath, ['-e', '0']],
  [`node -e 0 (Node ${NODE_VERSION})`]: [node26, ['-e', '0']],
  'binary --version': [binary, ['--version']],
  'binary version (no cluster)': [binary, ['version', '--kubeconfig', noKube]],
  'binary --help': [binary, ['--help']],
};
if (existsSync(join(root, 'dist', 'commands'))) series['node bin/ version (npm install)'] = [process.execPath, [join(root, 'bin', 'kubectl-vibectl_tls'), 'version', '--kubeconfig', noKube]];

const times = Object.fromEntries(Object.keys(series).map((k) => [k, []]));
for (const [cmd, args] of Object.values(series)) spawnSync(cmd, args, { stdio: 'ignore' }); // warm the page cache
for (let i = 0; i < runs; i++) {
  for (const [name, [cmd, args]] of Object.entries(series)) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}`);
    times[name].push(ms);
  }
}
const p90 = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length * 0.9)];
const base = median(times['node -e 0 (host Node)']);
const rows = Object.entries(times).map(([name, t]) => ({ name, medianMs: +median(t).toFixed(1), p90Ms: +p90(t).toFixed(1), vsNode: +(median(t) / base).toFixed(2) }));
const sizes = { binaryBytes: statSync(binary).size };
if (out) {
  const info = JSON.parse(readFileSync(join(out, 'build-info.json'), 'utf8'));
  Object.assign(sizes, { bundleBytes: info.bundleBytes, archiveBytes: info.targets[target.id].archiveBytes });
}
for (const r of rows) console.log(`${r.name.padEnd(34)} ${String(r.medianMs).padStart(7)} ms  p90 ${String(r.p90Ms).padStart(7)} ms  ×${r.vsNode}`);
console.log(Object.entries(sizes).map(([k, v]) => `${k} ${(v / 1e6).toFixed(1)} MB`).join(', '));
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'binary.json'), JSON.stringify({ date: new Date().toISOString(), runs, target: target.id, node: NODE_VERSION, rows, sizes }, null, 2) + '\n');
