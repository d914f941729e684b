#!/usr/bin/env node
// Start-up cost of the npm-installed plugin (`node bin/kubectl-vibectl_tls`) against bare Node and,
// when the harness has built it, against kubectl itself: what a user pays before any work starts.
//
//   node bench/startup.mjs [--runs 15] [--warmup 3]
//
// Series run interleaved (A B C A B C …, the starting series rotating each round) so machine load
// hits all of them alike; warm-up rounds are not counted. Prints medians and ratios to `node -e 0`
// and writes bench/results/startup.md. Target (issue 2): `--version` ≤ 1.5 × `node -e 0`.
import { spawnSync } from 'node:child_process';
import { cpus, homedir, loadavg, tmpdir } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' }, warmup: { type: 'string', default: '3' } } });
const runs = Math.max(10, Number(values.runs));
const warmup = Math.max(1, Number(values.warmup));
const TARGET = 1.5;

if (!existsSync(join(root, 'dist', 'commands')) || !existsSync(join(root, 'oclif.manifest.json'))) {
  process.stderr.write('dist/ is not built; running npm run build\n');
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}

const bin = join(root, 'bin', 'kubectl-vibectl_tls');
const env = { ...process.env, NO_COLOR: '1', KUBECONFIG: join(tmpdir(), 'vibectl-tls-bench-no-kubeconfig') };
delete env.NODE_OPTIONS;
const series = {
  'node -e 0': [process.execPath, ['-e', '0']],
  'kubectl-vibectl_tls --version': [process.execPath, [bin, '--version']],
  'kubectl-vibectl_tls --help': [process.execPath, [bin, '--help']],
};

// The harness kubectl as a second peer: what users compare us with. Not /usr/bin/kubectl, which
// on the development machine is not a real kubectl.
let kubectlNote = 'not measured: harness not built (npm run harness:build)';
const manifestFile = join(process.env.VIBECTL_TLS_CACHE ?? join(homedir(), '.cache', 'vibectl-tls'), 'bin', 'manifest.json');
if (existsSync(manifestFile)) {
  const kubectl = JSON.parse(readFileSync(manifestFile, 'utf8')).kubectl;
  if (kubectl?.path && existsSync(kubectl.path)) {
    series[`kubectl version --client (${kubectl.version})`] = [kubectl.path, ['version', '--client']];
    kubectlNote = `${kubectl.path}`;
  }
}

const names = Object.keys(series);
const times = Object.fromEntries(names.map((n) => [n, []]));
function once(name) {
  const [cmd, args] = series[name];
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
  return ms;
}
for (let round = 0; round < warmup + runs; round++) {
  for (let i = 0; i < names.length; i++) {
    const name = names[(i + round) % names.length];
    const ms = once(name);
    if (round >= warmup) times[name].push(ms);
  }
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const base = median(times['node -e 0']);
const rows = names.map((n) => ({ name: n, median: median(times[n]), min: Math.min(...times[n]), max: Math.max(...times[n]), ratio: median(times[n]) / base }));
const versionRatio = rows.find((r) => r.name === 'kubectl-vibectl_tls --version').ratio;
const verdict = versionRatio <= TARGET ? `meets the target (≤ ${TARGET}×)` : `MISSES the target (≤ ${TARGET}×)`;

const table = [
  '| command | median ms | min ms | max ms | × node -e 0 |',
  '|---|---:|---:|---:|---:|',
  ...rows.map((r) => `| \`${r.name}\` | ${r.median.toFixed(1)} | ${r.min.toFixed(1)} | ${r.max.toFixed(1)} | ${r.ratio.toFixed(2)} |`),
];
for (const r of rows) console.log(`${r.name.padEnd(44)} ${r.median.toFixed(1).padStart(7)} ms  ×${r.ratio.toFixed(2)}`);
console.log(`--version: ×${versionRatio.toFixed(2)} of node -e 0 — ${verdict}`);

const md = [
  '# Start-up: npm-installed plugin vs bare Node',
  '',
  `Written by \`node bench/startup.mjs\` on ${new Date().toISOString()}.`,
  '',
  `Node ${process.version} on ${process.platform}-${process.arch}, ${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')} at the end (the machine is shared: compare ratios, not absolute times).`,
  `${runs} counted runs per command after ${warmup} warm-up rounds, interleaved with a rotating start.`,
  `kubectl peer: ${kubectlNote}.`,
  '',
  ...table,
  '',
  `\`--version\` costs ×${versionRatio.toFixed(2)} of \`node -e 0\`: ${verdict}.`,
  '',
].join('\n');
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'startup.md'), md);
