#!/usr/bin/env node
// Start-up cost of the npm-installed plugin (`node bin/kubectl-vibectl_tls`) against bare Node and,
// when the harness has built it, against kubectl itself: what a user pays before any work starts.
//
//   node bench/startup.mjs [--runs 15] [--warmup 3] [--json FILE]
//
// Series run interleaved (A B C A B C …, the starting series rotating each round) so machine load
// hits all of them alike; warm-up rounds are not counted. Prints medians and ratios to `node -e 0`
// and writes bench/results/startup.md. Target (issue 2): `--version` ≤ 1.5 × `node -e 0`.
import { parseArgs } from 'node:util';
import { benchEnv, commonOptions, ensureBuilt, harnessProgram, interleave, kib, loadText, machine, pluginBin, pluginRoot, row, side, timeProcess, verdictText, writeReport, writeResult } from './lib.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' }, warmup: { type: 'string', default: '3' }, ...commonOptions } });
const runs = Math.max(10, Number(values.runs));
const warmup = Math.max(1, Number(values.warmup));
const TARGET = { op: '<=', ratio: 1.5 };

ensureBuilt();
const env = benchEnv();
const commands = {
  'node -e 0': [process.execPath, ['-e', '0']],
  'kubectl-vibectl_tls --version': [process.execPath, [pluginBin, '--version']],
  'kubectl-vibectl_tls --help': [process.execPath, [pluginBin, '--help']],
  // What every oclif command pays before its own code runs: where --help's time goes.
  "node -e \"import('@oclif/core')\"": [process.execPath, ['--input-type=module', '-e', "await import('@oclif/core')"]],
};

// The harness kubectl as a second peer: what users compare us with. Not /usr/bin/kubectl, which
// on the development machine is not a real kubectl.
let kubectlNote = 'not measured: harness not built (npm run harness:build)';
const kubectl = harnessProgram('kubectl');
const kubectlName = kubectl ? `kubectl version --client (${kubectl.version})` : null;
if (kubectl) {
  commands[kubectlName] = [kubectl.path, ['version', '--client']];
  kubectlNote = kubectl.path;
}

const series = Object.fromEntries(Object.entries(commands).map(([name, [cmd, args]]) => [name, () => timeProcess(cmd, args, { env, cwd: pluginRoot })]));
const samples = await interleave({ series, runs, warmup, label: 'startup', progress: false });
const sides = Object.fromEntries(Object.entries(samples).map(([n, s]) => [n, side(n, s.map((x) => x.ms), s.map((x) => x.rssKiB))]));
const base = sides['node -e 0'];

const rows = [
  row({ key: 'startup-version', measure: '`--version` start-up', unit: 'ms', ours: sides['kubectl-vibectl_tls --version'], peer: base, target: TARGET }),
  row({ key: 'startup-help', measure: '`--help` start-up', unit: 'ms', ours: sides['kubectl-vibectl_tls --help'], peer: base, target: TARGET, note: '--help goes through @oclif/core; --version is answered before oclif loads' }),
  row({
    key: 'startup-oclif-import',
    measure: 'importing @oclif/core alone',
    unit: 'ms',
    ours: sides["node -e \"import('@oclif/core')\""],
    peer: base,
    target: null,
    note: 'the floor of every oclif command (--help included) before any of our code runs',
  }),
];
if (kubectl) rows.push(row({ key: 'startup-version-kubectl', measure: '`--version` start-up vs kubectl', unit: 'ms', ours: sides['kubectl-vibectl_tls --version'], peer: sides[kubectlName], target: null, note: 'kubectl is a static Go binary: no runtime to start' }));

const table = [
  '| command | median ms | min ms | max ms | × node -e 0 | peak RSS |',
  '|---|---:|---:|---:|---:|---:|',
  ...Object.values(sides).map((s) => `| \`${s.label}\` | ${s.median.toFixed(1)} | ${s.min.toFixed(1)} | ${s.max.toFixed(1)} | ${(s.median / base.median).toFixed(2)} | ${kib(s.rssKiB)} |`),
];
for (const s of Object.values(sides)) console.log(`${s.label.padEnd(44)} ${s.median.toFixed(1).padStart(7)} ms  ×${(s.median / base.median).toFixed(2)}  ${kib(s.rssKiB)}`);
console.log(`--version: ${verdictText(rows[0])}`);

const m = machine();
writeReport(
  'startup.md',
  [
    '# Start-up: npm-installed plugin vs bare Node',
    '',
    `Written by \`node bench/startup.mjs\` on ${m.date}.`,
    '',
    `Node ${m.node} on ${m.platform}, ${m.nproc} CPUs, load average ${loadText(m.loadavg)} at the end (the machine is shared: compare ratios, not absolute times).`,
    `${runs} counted runs per command after ${warmup} warm-up rounds, interleaved with a rotating start; peak RSS is the largest of the counted runs (GNU time).`,
    `kubectl peer: ${kubectlNote}.`,
    '',
    ...table,
    '',
    `\`--version\`: ${verdictText(rows[0])} of \`node -e 0\`.`,
    '',
  ].join('\n'),
);
writeResult(values.json, { name: 'startup', runs, warmup, versions: { kubectl: kubectl?.version ?? null }, rows, report: 'startup.md' });
