#!/usr/bin/env node
// `npm run bench`: every performance row of the project, each measured against its peer on this
// machine in one run, written to bench/results/latest.md (+ latest.json) for docs/performance.md.
//
//   npm run bench [-- --only NAME[,NAME…]] [-- --list] [-- --render-only]
//
// Finds or builds the peers first (Debian programs through scripts/install-system-deps.sh, the
// harness's kubectl, kube-apiserver, etcd and Pebble through test/harness/build.sh) and fails,
// saying what to install, only when a peer is missing and cannot be had. Each row runs as its own
// process (bench/<name>.mjs|ts --json FILE); progress goes to stderr. A missed target is reported,
// never a failure; a bench that crashes is reported and makes the exit code 1. With --only the
// other rows of the previous latest.json are kept (each row carries its own date and load).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { cleanup, fmt, harnessProgram, kib, loadText, log, machine, resultsDir, root, snapshotPlugin, targetText, toolVersion, verdictText, which } from './lib.mjs';

/** The rows, in the order of the table in docs/performance.md. */
const BENCHES = [
  { name: 'startup', script: 'startup.mjs', needs: ['harness:kubectl'] },
  { name: 'ca-issue', script: 'ca-issue.mjs', needs: ['openssl'] },
  { name: 'acme', script: 'acme.ts', needs: ['harness:pebble', 'named'] },
  { name: 'scan', script: 'scan.mjs', needs: ['sslscan', 'nginx', 'openssl'] },
  { name: 'inventory', script: 'inventory.ts', needs: ['harness:kubectl', 'harness:kube-apiserver', 'harness:etcd'] },
  { name: 'https-throughput', script: 'https-throughput.mjs', needs: ['wrk', 'openssl'] },
  { name: 'handshake-cpu', script: 'handshake-cpu.mjs', needs: [] },
];

/** Where a peer comes from, for the message when it cannot be had. */
const DEBIAN = { openssl: 'openssl', sslscan: 'sslscan', nginx: 'nginx', named: 'bind9', wrk: 'wrk' };
const HARNESS = { kubectl: 'kube', 'kube-apiserver': 'kube', etcd: 'etcd', pebble: 'pebble' };

const { values } = parseArgs({ options: { only: { type: 'string', multiple: true }, list: { type: 'boolean' }, 'render-only': { type: 'boolean' } } });
if (values.list) {
  for (const b of BENCHES) console.log(b.name);
  process.exit(0);
}
const only = (values.only ?? []).flatMap((o) => o.split(',')).filter(Boolean);
for (const o of only) {
  if (!BENCHES.some((b) => b.name === o)) {
    process.stderr.write(`error: no bench named '${o}'\nnext: pick one of ${BENCHES.map((b) => b.name).join(', ')}\n`);
    process.exit(2);
  }
}
const selected = only.length ? BENCHES.filter((b) => only.includes(b.name)) : BENCHES;

// ---- peers: locate, else install/build, else fail saying what to install ----
function havePeer(need) {
  const [kind, name] = need.includes(':') ? need.split(':') : ['debian', need];
  return kind === 'harness' ? harnessProgram(name) !== null : which(name) !== null;
}
function obtainPeers(needs) {
  const missing = () => [...new Set(needs)].filter((n) => !havePeer(n));
  if (missing().some((n) => !n.startsWith('harness:'))) {
    log(`bench: installing missing Debian programs (${missing().filter((n) => !n.startsWith('harness:')).join(', ')}) with scripts/install-system-deps.sh`);
    spawnSync('bash', [join(root, 'scripts', 'install-system-deps.sh')], { stdio: ['ignore', 2, 2] });
  }
  const components = [...new Set(missing().filter((n) => n.startsWith('harness:')).map((n) => HARNESS[n.slice(8)]))];
  if (components.length) {
    log(`bench: building harness programs (${components.join(', ')}) with test/harness/build.sh`);
    spawnSync('bash', [join(root, 'test', 'harness', 'build.sh'), ...components], { stdio: ['ignore', 2, 2] });
  }
  const still = missing();
  if (still.length === 0) return;
  const lines = still.map((n) =>
    n.startsWith('harness:')
      ? `  ${n.slice(8)}: build it with \`npm run harness:build\` (bash test/harness/build.sh ${HARNESS[n.slice(8)]}; needs Go and the Go module proxy)`
      : `  ${n}: install the Debian package ${DEBIAN[n] ?? n} (apt-get install -y ${DEBIAN[n] ?? n}, or scripts/install-system-deps.sh as root)`,
  );
  process.stderr.write(`error: bench peers are missing and could not be installed or built:\n${lines.join('\n')}\n`);
  process.exit(1);
}

// ---- versions of everything a row depends on ----
function goModuleServed(module) {
  const go = ['/usr/local/go/bin/go', 'go'].find((g) => spawnSync(g, ['version']).status === 0);
  if (!go) return { served: false, why: 'the Go toolchain is not installed' };
  const r = spawnSync(go, ['list', '-m', '-versions', module], { encoding: 'utf8', timeout: 60_000, cwd: tmpdir() });
  if (r.status === 0) return { served: true, why: r.stdout.trim() };
  const line = (r.stderr ?? '').split('\n').find((l) => /403|not available|refused|timeout/i.test(l)) ?? (r.stderr ?? '').split('\n')[0] ?? '';
  return { served: false, why: `the Go module proxy refuses ${module} (${line.trim()})` };
}

function versions() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout?.trim();
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no', 'src'], { cwd: root, encoding: 'utf8' }).stdout?.trim();
  const h = (n) => harnessProgram(n)?.version ?? null;
  return {
    'vibectl-tls': `${pkg.version} (${commit ?? '?'}${dirty ? ', with uncommitted changes in src/' : ''})`,
    node: process.version,
    'openssl (CLI)': toolVersion('openssl', ['version']),
    'openssl (Node)': process.versions.openssl,
    sslscan: toolVersion('sslscan', ['--version'], /(\d+\.\d+\.\d+)/),
    nginx: toolVersion(which('nginx') ?? 'nginx', ['-v'], /nginx\/([\d.]+)/),
    wrk: toolVersion('wrk', ['-v'], /wrk (\S+)/),
    'kubectl (harness)': h('kubectl'),
    'kube-apiserver (harness)': h('kube-apiserver'),
    'etcd (harness)': h('etcd'),
    'pebble (harness)': h('pebble'),
    'acme-client': existsSync(join(root, 'node_modules', 'acme-client', 'package.json')) ? JSON.parse(readFileSync(join(root, 'node_modules', 'acme-client', 'package.json'), 'utf8')).version : null,
  };
}

// ---- why a target is missed: each reason points at a figure in the same results ----
const byKey = (d, key) => Object.values(d.benches).flatMap((b) => b.rows ?? []).find((r) => r.key === key);
const ms = (x) => (x === null || x === undefined ? '–' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);
const WHY = {
  'startup-help': (d) => {
    const oclif = byKey(d, 'startup-oclif-import');
    return `\`--version\` is answered by bin/kubectl-vibectl_tls before oclif loads; \`--help\` goes through @oclif/core, and importing @oclif/core alone already costs ${oclif ? `${oclif.ratio.toFixed(2)}× \`node -e 0\` (${ms(oclif.ours.median)})` : 'most of it'}: rendering the help itself adds little. Meeting 1.5× would take answering \`--help\` from oclif.manifest.json without importing @oclif/core, as \`--version\` does`;
  },
  'ca-issue-one': (d) => {
    const many = byKey(d, 'ca-issue-many');
    const help = byKey(d, 'startup-help');
    return `one leaf is almost all fixed cost: Node, @oclif/core and the command's modules (an oclif command here costs about ${help ? ms(help.ours.median) : '?'} before doing anything, see \`--help\`) against three small C programs; ${many?.note ? `past start-up ${many.note.replace(/^each/, 'each')}` : 'the signing itself is a few ms on either side'}`;
  },
  'ca-issue-many': (d) => `past start-up, ${byKey(d, 'ca-issue-many')?.note ?? 'each further leaf still costs tens of ms inside `ca issue`'}; 0.25× needs the per-leaf cost inside one process under a quarter of an OpenSSL pipeline`,
  'acme-issue': () =>
    "not the ACME protocol: both sides send the same ~20 requests over ~10 TLS connections to Pebble. Traced outside this run (figures in docs/performance.md), the plugin's HTTPS agent is built with `ca: [...rootCertificates, bundle]`, so every new connection parses ~145 CA certificates into a fresh TLS context: ~540 ms per issuance at a load average of 10, against 3 ms for the stand-in's default context. Building one secure context per session (src/core/acme/client.ts) would remove most of the gap; the rest is the plugin's authorization polling, its self-check and @oclif/core's start-up",
  'scan-defaults': (d) => {
    const r = byKey(d, 'scan-defaults');
    const scanMs = /scan alone (\d+) ms/.exec(r?.note ?? '')?.[1];
    return `doctor's scan alone (\`scanMs\`${scanMs ? ` ${scanMs} ms` : ''}) is faster than sslscan (${ms(r?.peer?.median)}); the whole process adds Node start-up, @oclif/core and every other endpoint check (${r && scanMs ? ms(r.ours.median - Number(scanMs)) : 'most of the time'}), which against a small endpoint (one protocol, 27 suites) is more than the scan`;
  },
  'scan-wide': (d) => WHY['scan-defaults'](d).replace(/ \(one protocol, 27 suites\)/, ''),
  inventory: (d) => {
    const rows = [500, 2000, 5000, 10000].map((n) => byKey(d, `inventory-${n}`)).filter(Boolean);
    const fit = (pick) => {
      const pts = rows.map((r) => [Number(r.key.split('-')[1]), pick(r)]);
      const n = pts.length;
      if (n < 2) return null;
      const mx = pts.reduce((a, p) => a + p[0], 0) / n;
      const my = pts.reduce((a, p) => a + p[1], 0) / n;
      const slope = pts.reduce((a, p) => a + (p[0] - mx) * (p[1] - my), 0) / pts.reduce((a, p) => a + (p[0] - mx) ** 2, 0);
      return { fixed: my - slope * mx, perSecret: slope };
    };
    const ours = fit((r) => r.ours.median);
    const peer = fit((r) => r.peer.median);
    if (!ours || !peer) return 'doctor pays a fixed start-up kubectl does not';
    const gaps = rows.map((r) => `${ms(r.ours.median - r.peer.median)} at ${Number(r.key.split('-')[1]).toLocaleString('en')}`).join(', ');
    return `doctor minus kubectl is ${gaps}: a roughly constant start-up cost (Node, @oclif/core, the command and its checks) that kubectl, a static binary, does not pay, and that weighs less as the inventory grows. A straight line through the medians gives doctor ${ms(Math.max(0, ours.fixed))} fixed + ${ours.perSecret.toFixed(2)} ms per Secret and kubectl ${peer.fixed < 50 ? '≈ 0' : ms(peer.fixed)} fixed + ${peer.perSecret.toFixed(2)} ms per Secret, so per Secret doctor (which parses and checks every certificate) keeps pace with kubectl (which only prints them); the sizes run one after another, not interleaved, so the fit is rough on a machine whose load changes`;
  },
  'https-throughput': (d) => {
    const cpu = byKey(d, 'https-cpu-per-request');
    return `the server spends ${cpu ? `${cpu.ratio.toFixed(2)}× the CPU per request over TLS (${cpu.ours.median.toFixed(1)} µs against ${cpu.peer.median.toFixed(1)} µs)` : 'more CPU per request over TLS'}: record encryption and Node's TLS socket layer add a few µs to a handler that does ${cpu ? `${cpu.peer.median.toFixed(0)} µs` : 'a few µs'} of work for a 13-byte body, the worst case for the ratio (not measured here with larger bodies). With wrk, the server and everything else sharing two loaded CPUs, req/s also swings by several × between runs, while CPU per request does not depend on the load: it is the steadier figure`;
  },
};
const whyFor = (d, key) => (WHY[key] ?? WHY[key.replace(/-\d+$/, '')])?.(d) ?? null;

// ---- run ----
if (values['render-only']) {
  // Re-renders latest.md from latest.json (after editing the explanations above), measuring nothing.
  writeFileSync(join(resultsDir, 'latest.md'), render(JSON.parse(readFileSync(join(resultsDir, 'latest.json'), 'utf8'))));
  process.exit(0);
}
const started = machine();
const startedAt = performance.now();
obtainPeers(selected.flatMap((b) => b.needs));
const legoCheck = goModuleServed('github.com/go-acme/lego/v4');
const cmctlCheck = goModuleServed('github.com/cert-manager/cmctl/v2');

const latestJson = join(resultsDir, 'latest.json');
const previous = only.length && existsSync(latestJson) ? JSON.parse(readFileSync(latestJson, 'utf8')) : null;
const benches = { ...(previous?.benches ?? {}) };
const work = mkdtempSync(join(tmpdir(), 'vibectl-tls-bench-run-'));
let crashed = 0;
try {
  const plugin = await snapshotPlugin(join(work, 'plugin'));
  log(`bench: measuring a snapshot of the built plugin (${plugin})`);
  const childEnv = { ...process.env, VIBECTL_TLS_BENCH_PLUGIN_ROOT: plugin };
  for (const b of selected) {
    const file = join(work, `${b.name}.json`);
    const script = join(root, 'bench', b.script);
    const [cmd, args] = b.script.endsWith('.ts') ? [join(root, 'node_modules', '.bin', 'tsx'), [script]] : [process.execPath, [script]];
    log(`bench: ${b.name} (${b.script}) — load average ${loadText()}`);
    const t0 = performance.now();
    const r = spawnSync(cmd, [...args, '--json', file], { cwd: root, env: childEnv, stdio: ['ignore', 2, 2] });
    const seconds = (performance.now() - t0) / 1000;
    if (existsSync(file)) {
      const result = JSON.parse(readFileSync(file, 'utf8'));
      benches[b.name] = { ...result, seconds, exitCode: r.status };
      for (const row of result.rows) log(`bench: ${b.name}: ${row.measure}: ${verdictText(row)}`);
    } else {
      crashed++;
      benches[b.name] = { name: b.name, failed: true, exitCode: r.status, seconds, rows: [], machineAtEnd: machine() };
      log(`bench: ${b.name} FAILED (exit ${r.status}) without a result`);
    }
  }
} finally {
  cleanup(work);
}

const doc = {
  date: new Date().toISOString(),
  selection: only.length ? only : 'all',
  totalSeconds: (performance.now() - startedAt) / 1000,
  machineAtStart: started,
  machineAtEnd: machine(),
  versions: versions(),
  unavailablePeers: {
    lego: legoCheck.served ? null : `${legoCheck.why}: the ACME row compares against an acme-client stand-in (bench/acme-baseline.mjs)`,
    cmctl: cmctlCheck.served ? null : `${cmctlCheck.why}: no \`cmctl status certificate\` vs \`doctor --certificate\` row`,
  },
  benches,
};
writeFileSync(latestJson, `${JSON.stringify(doc, null, 2)}\n`);
writeFileSync(join(resultsDir, 'latest.md'), render(doc));
log(`bench: wrote ${join('bench', 'results', 'latest.md')} and latest.json in ${fmt(doc.totalSeconds, 0)} s`);
process.exit(crashed ? 1 : 0);

function value(v, unit) {
  if (!v || v.median === null || v.median === undefined) return '–';
  return unit === 'ms' && v.median >= 1000 ? `${(v.median / 1000).toFixed(2)} s` : `${fmt(v.median)} ${unit}`;
}

function render(d) {
  const rows = BENCHES.flatMap((b) => (d.benches[b.name]?.rows ?? []).map((r) => ({ ...r, bench: b.name })));
  const missed = rows.filter((r) => r.met === false);
  const m0 = d.machineAtStart;
  const out = [
    '# Benchmark results (latest run)',
    '',
    `Written by \`npm run bench\` (bench/run.mjs) on ${d.date}${d.selection === 'all' ? '' : ` (this run: ${d.selection.join(', ')}; other rows kept from earlier runs, each with its own date)`}; ${fmt(d.totalSeconds, 0)} s.`,
    'Every figure is a median of interleaved runs (A B A B …, after a warm-up) against a peer on the same machine in the same run: read the ratios, not the absolute times.',
    '',
    '## Machine',
    '',
    `- ${m0.nproc} CPUs (\`nproc\`), ${m0.cpuModel}, ${(m0.memTotalMiB / 1024).toFixed(1)} GiB RAM, Linux ${m0.kernel}, ${m0.platform}`,
    `- load average (1 / 5 / 15 min): ${loadText(m0.loadavg)} at the start, ${loadText(d.machineAtEnd.loadavg)} at the end. The machine is shared with other builds and test runs, so absolute times are inflated and noisy.`,
    '',
    '## Versions',
    '',
    ...Object.entries(d.versions).map(([k, v]) => `- ${k}: ${v ?? 'not found'}`),
    ...Object.entries(d.unavailablePeers)
      .filter(([, v]) => v)
      .map(([k, v]) => `- ${k}: **not available here**: ${v}`),
    '',
    '## Summary',
    '',
    '| measure | ours (median) | peer (median) | ratio | target | result | peak RSS ours / peer |',
    '|---|---:|---:|---:|---|---|---:|',
    ...rows.map(
      (r) =>
        `| ${r.measure} | ${value(r.ours, r.unit)} | ${r.peer ? value(r.peer, r.unit) : '–'} | ${r.ratio === null ? '–' : `${r.ratio.toFixed(2)}×`} | ${targetText(r.target)} | ${r.target ? (r.met ? 'met' : `**missed** by ${Math.abs(r.ratio - r.target.ratio).toFixed(2)}×`) : 'recorded'} | ${kib(r.ours?.rssKiB)} / ${r.peer ? kib(r.peer.rssKiB) : '–'} |`,
    ),
    ...BENCHES.filter((b) => d.benches[b.name]?.failed).map((b) => `| ${b.name} | **failed** (exit ${d.benches[b.name].exitCode}) | | | | | |`),
    '',
    'Ours and peer, row by row:',
    '',
    ...rows.map((r) => `- ${r.measure}: ${r.ours?.label ?? '–'} vs ${r.peer?.label ?? '–'}${r.note ? `. ${r.note[0].toUpperCase()}${r.note.slice(1)}` : ''}.`),
    '',
    '## Targets missed: by how much and why',
    '',
    ...(missed.length === 0
      ? ['None.']
      : missed.map((r) => `- **${r.measure}**: ${verdictText(r)}. ${whyFor(d, r.key) ? `Why: ${whyFor(d, r.key)}.` : ''}`)),
    '',
    '## Details per bench',
    '',
  ];
  for (const b of BENCHES) {
    const res = d.benches[b.name];
    if (!res) continue;
    const at = res.machineAtEnd;
    out.push(`### ${b.name} (\`${b.script}\`)`, '');
    out.push(`Ran ${at?.date ?? '?'} in ${fmt(res.seconds, 0)} s, load average ${at ? loadText(at.loadavg) : '?'} at its end${res.exitCode ? `, exit code ${res.exitCode}` : ''}.`, '');
    for (const n of res.notes ?? []) out.push(`- ${n}`);
    if (res.notes?.length) out.push('');
    const report = res.report && existsSync(join(resultsDir, res.report)) ? readFileSync(join(resultsDir, res.report), 'utf8') : null;
    if (report) {
      out.push(
        ...report
          .trim()
          .split('\n')
          .filter((l, i) => !(i === 0 && l.startsWith('# ')))
          .map((l) => (l.startsWith('#') ? `###${l}` : l)),
        '',
      );
    } else if (res.failed) out.push('No result: the bench failed; run it alone to see why.', '');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
