// What every bench script shares: interleaved series with warm-up, medians, peak RSS of a child
// process, machine facts (CPUs, load, versions), locating the harness programs, and the JSON
// result each script hands to bench/run.mjs (`--json FILE`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, homedir, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const resultsDir = join(root, 'bench', 'results');

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** median, min, max and count of a series of numbers (null/undefined entries are skipped). */
export function stats(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  if (v.length === 0) return { median: null, min: null, max: null, n: 0 };
  return { median: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length };
}

/**
 * Runs every series once per round, the starting series rotating each round (A B C, B C A, …), so
 * load from the rest of the machine hits all of them alike. Warm-up rounds run but are not kept.
 * `series` maps a name to a (sync or async) function returning one sample (a number or an object).
 * Returns { name: samples[] }.
 */
export async function interleave({ series, runs, warmup, label = '', progress = true }) {
  const names = Object.keys(series);
  const out = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < warmup + runs; round++) {
    const got = [];
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length];
      const sample = await series[name]();
      if (round >= warmup) out[name].push(sample);
      got.push(`${name} ${describe(sample)}`);
    }
    if (progress) log(`${label ? `${label} ` : ''}round ${round + 1}/${warmup + runs}${round < warmup ? ' (warm-up)' : ''}: ${got.join(', ')}`);
  }
  return out;
}

function describe(sample) {
  if (typeof sample === 'number') return fmt(sample);
  if (sample && typeof sample.ms === 'number') return `${fmt(sample.ms)} ms`;
  if (sample && typeof sample.value === 'number') return fmt(sample.value);
  return '';
}

export function fmt(x, digits) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  const d = digits ?? (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2);
  return x.toFixed(d);
}

export function log(line) {
  process.stderr.write(`${line}\n`);
}

const TIME = '/usr/bin/time';
let timeDir;

/**
 * Runs a program to completion and returns wall time, exit status, output and its peak resident
 * set (kernel's maxrss via GNU time, KiB; null when /usr/bin/time is missing). The time wrapper
 * costs both sides of a comparison the same fork + exec.
 */
export function timeProcess(cmd, args, { env, input, cwd, maxBuffer = 64 << 20, ok = [0] } = {}) {
  const haveTime = existsSync(TIME);
  timeDir ??= mkdtempSync(join(tmpdir(), 'vibectl-tls-bench-time-'));
  const rssFile = join(timeDir, `rss-${process.pid}`);
  const [c, a] = haveTime ? [TIME, ['-q', '-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const t0 = performance.now();
  const r = spawnSync(c, a, { env, cwd, input, encoding: 'utf8', maxBuffer, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.error) throw new Error(`${cmd} could not run: ${r.error.message}`);
  if (ok && !ok.includes(r.status)) throw new Error(`${cmd} ${args.slice(0, 4).join(' ')} … exited ${r.status}: ${(r.stderr ?? '').slice(-2000)}`);
  let rssKiB = null;
  if (haveTime) {
    try {
      rssKiB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) || null;
    } catch {
      rssKiB = null;
    }
  }
  return { ms, rssKiB, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Peak resident set (VmHWM, KiB) of a running process, or null. */
export function peakRssKiB(pid) {
  try {
    const m = /VmHWM:\s+(\d+)\s*kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system, ms) a running process has used so far, from /proc/<pid>/stat. */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[11] = utime, fields[12] = stime (fields 14 and 15 of proc(5), counted from state = 3)
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / clockTicks();
}

let ticksPerSecond;
function clockTicks() {
  if (ticksPerSecond === undefined) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    ticksPerSecond = Number(r.stdout?.trim()) || 100;
  }
  return ticksPerSecond;
}

/** First line of a program's version output, or null when it does not run. */
export function toolVersion(cmd, args = ['--version'], pattern) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
  if (r.error || r.status === null) return null;
  const text = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim();
  if (pattern) return pattern.exec(text)?.[1] ?? null;
  return text.split('\n')[0]?.trim() || null;
}

export function which(prog) {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin']) {
    if (dir && existsSync(join(dir, prog))) return join(dir, prog);
  }
  return null;
}

/** Facts about the machine a result was measured on. */
export function machine() {
  let memTotalMiB = Math.round(totalmem() / 2 ** 20);
  const model = cpus()[0]?.model?.trim() ?? 'unknown';
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    kernel: release(),
    nproc: Number(spawnSync('nproc', { encoding: 'utf8' }).stdout?.trim()) || cpus().length,
    cpuModel: model,
    memTotalMiB,
    loadavg: loadavg().map((l) => Number(l.toFixed(2))),
  };
}

export function loadText(avg = loadavg()) {
  return avg.map((l) => l.toFixed(2)).join(' / ');
}

export function harnessCache() {
  return process.env.VIBECTL_TLS_CACHE ?? join(homedir(), '.cache', 'vibectl-tls');
}

/** A program the harness built from its pinned Go module ({ path, version }), or null. */
export function harnessProgram(name) {
  const file = join(harnessCache(), 'bin', 'manifest.json');
  if (!existsSync(file)) return null;
  const entry = JSON.parse(readFileSync(file, 'utf8'))[name];
  return entry?.path && existsSync(entry.path) ? entry : null;
}

/**
 * The plugin the benches run: the checkout itself, or (under bench/run.mjs) a snapshot of its
 * bin/, dist/ and manifest taken at the start, so another `npm run build` in the same checkout
 * (which empties dist/ first) cannot pull the program out from under a running bench.
 */
export const pluginRoot = process.env.VIBECTL_TLS_BENCH_PLUGIN_ROOT ?? root;
export const pluginBin = join(pluginRoot, 'bin', 'kubectl-vibectl_tls');

/** Builds dist/ when `probe` (a path under the repository) is missing. */
export function ensureBuilt(probe = join('dist', 'commands', 'version.js')) {
  if (pluginRoot !== root) return; // a snapshot is complete by construction
  if (existsSync(join(root, probe)) && existsSync(join(root, 'oclif.manifest.json'))) return;
  log('dist/ is not built; running npm run build');
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) throw new Error('npm run build failed');
}

/** Environment for timed child processes: no colours, no inherited NODE_OPTIONS, no cluster. */
export function benchEnv(extra = {}) {
  const env = { ...process.env, NO_COLOR: '1', KUBECONFIG: join(tmpdir(), 'vibectl-tls-bench-no-kubeconfig'), ...extra };
  delete env.NODE_OPTIONS;
  return env;
}

/**
 * A result row as bench/run.mjs renders it. `ours` and `peer` are { label, median, min, max, rssKiB }
 * in `unit`; `target` is { op: '<=' | '>=', ratio } or null (recorded only).
 */
export function row({ key, measure, unit, ours, peer, target, note }) {
  const ratio = peer && ours.median !== null && peer.median ? ours.median / peer.median : null;
  const met = target && ratio !== null ? (target.op === '<=' ? ratio <= target.ratio : ratio >= target.ratio) : null;
  return { key, measure, unit, ours, peer: peer ?? null, ratio, target: target ?? null, met, note: note ?? null };
}

/** `{ label, ...stats(values), rssKiB: median of rss }` for one side of a row. */
export function side(label, values, rss = []) {
  const s = stats(values);
  const r = stats(rss);
  return { label, median: s.median, min: s.min, max: s.max, n: s.n, rssKiB: r.max };
}

export function targetText(target) {
  return target ? `${target.op === '<=' ? '≤' : '≥'} ${target.ratio}×` : 'recorded';
}

/**
 * How far a ratio is from its target, in words: "meets ≤ 1.5× (1.20×)" or
 * "misses ≥ 0.95× by 0.10 (0.85×)".
 */
export function verdictText(r) {
  if (!r.target) return 'recorded (no target)';
  if (r.ratio === null) return `not measured (target ${targetText(r.target)})`;
  const by = Math.abs(r.ratio - r.target.ratio);
  return r.met ? `meets ${targetText(r.target)} (${r.ratio.toFixed(2)}×)` : `MISSES ${targetText(r.target)} by ${by.toFixed(2)}× (${r.ratio.toFixed(2)}×)`;
}

/**
 * Copies bin/, dist/, package.json and oclif.manifest.json into `dir` (node_modules linked) and
 * checks the copy runs. Builds first when dist/ is missing; retries while another build is
 * rewriting dist/. Returns the snapshot root.
 */
export async function snapshotPlugin(dir) {
  const { cpSync, symlinkSync } = await import('node:fs');
  for (let attempt = 1; ; attempt++) {
    try {
      ensureBuilt(join('dist', 'commands', 'doctor.js'));
      cleanup(dir);
      mkdirSync(dir, { recursive: true });
      for (const f of ['bin', 'dist', 'package.json', 'oclif.manifest.json']) cpSync(join(root, f), join(dir, f), { recursive: true });
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
      const manifest = JSON.parse(readFileSync(join(dir, 'oclif.manifest.json'), 'utf8'));
      const missing = Object.values(manifest.commands ?? {}).filter((c) => c.relativePath && !existsSync(join(dir, ...c.relativePath)));
      if (missing.length) throw new Error(`dist/ lacks ${missing.length} command files of the manifest`);
      timeProcess(process.execPath, [join(dir, 'bin', 'kubectl-vibectl_tls'), 'doctor', '--help'], { env: benchEnv() });
      return dir;
    } catch (e) {
      if (attempt >= 5) throw new Error(`could not take a working snapshot of the built plugin: ${e.message}`);
      log(`bench: dist/ is not usable yet (${e.message.split('\n')[0]}); retrying in 20 s`);
      await new Promise((r) => setTimeout(r, 20_000));
    }
  }
}

/** Writes the machine-readable result for bench/run.mjs when the script got `--json FILE`. */
export function writeResult(file, result) {
  if (!file) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ machineAtEnd: machine(), ...result }, null, 2)}\n`);
}

/** Writes bench/results/<name>.md (the script's own detailed report). */
export function writeReport(name, text) {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, name), text.endsWith('\n') ? text : `${text}\n`);
}

export function cleanup(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/** Common CLI options of the bench scripts. */
export const commonOptions = { json: { type: 'string' } };

export function kib(k) {
  return k ? `${(k / 1024).toFixed(0)} MiB` : '–';
}

/**
 * Issues one leaf with the plugin's own private CA (`ca init` once per dir, then `ca issue`).
 * Returns { cert (chain file), key, ca (trust bundle) }.
 */
export function issueLeaf(dir, { name, keyAlgorithm = 'ecdsa-p256' }) {
  const env = benchEnv();
  const caDir = join(dir, 'ca');
  if (!existsSync(join(caDir, 'intermediate.crt'))) timeProcess(process.execPath, [pluginBin, 'ca', 'init', '--ca-dir', caDir], { env });
  const out = join(dir, `leaf-${keyAlgorithm}`);
  timeProcess(process.execPath, [pluginBin, 'ca', 'issue', name, '--san', '127.0.0.1', '--key-algorithm', keyAlgorithm, '--ca-dir', caDir, '--out', out], { env });
  return { cert: join(out, `${name}.crt`), key: join(out, `${name}.key`), ca: join(out, 'ca.crt') };
}

/**
 * Forks bench/tls-server.mjs (plain HTTP or HTTPS with the given files) and waits for its port.
 * Returns { port, pid, usage(): Promise<{ cpuMicros, requests, handshakes, hwmKiB }>, stop() }.
 */
export async function startTlsServer({ mode, cert, key }) {
  const { fork } = await import('node:child_process');
  const child = fork(join(root, 'bench', 'tls-server.mjs'), [], {
    env: { ...benchEnv(), BENCH_MODE: mode, BENCH_CERT: cert ?? '', BENCH_KEY: key ?? '' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`bench server (${mode}) exited ${code} before listening`)));
  });
  const usage = () =>
    new Promise((resolve) => {
      child.once('message', resolve);
      child.send('usage');
    });
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.on('exit', stop);
  return { port, pid: child.pid, usage, stop };
}
