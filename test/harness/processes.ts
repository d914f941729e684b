// The process manager under every harness fixture: spawns programs with their output in a per-run
// log directory, waits for readiness with the last log lines in the error, and makes sure no
// process outlives the test run — stop() kills the whole process group, and a registry kills
// everything on exit, SIGINT/SIGTERM and (through a watchdog) even when the runner is SIGKILLed.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SpawnOptions {
  /** Short name, used for the log file (`<name>.log`) and in errors. */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once the process has exited. */
  hasExited(): boolean;
  /** The last `lines` lines of the combined stdout+stderr. */
  logTail(lines?: number): string;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

interface Registry {
  runDir: string;
  procs: Set<ManagedProcess & { pgid: number }>;
  pgidFile: string;
  watchdog: ChildProcess | undefined;
  failed: boolean;
}

let registry: Registry | undefined;

/** The per-run directory holding logs and data of every process this run started. */
export function runDir(): string {
  return ensureRegistry().runDir;
}

/** A fresh subdirectory of the run directory (for a fixture's data, configs, certificates). */
export function makeDir(prefix: string): string {
  const dir = mkdtempSync(join(runDir(), `${prefix}-`));
  return dir;
}

function ensureRegistry(): Registry {
  if (registry) return registry;
  const base = process.env.VIBECTL_TLS_HARNESS_TMP ?? tmpdir();
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'vibectl-tls-harness-'));
  const reg: Registry = { runDir: dir, procs: new Set(), pgidFile: join(dir, '.pgids'), watchdog: undefined, failed: false };
  writeFileSync(reg.pgidFile, '');
  registry = reg;
  process.on('exit', killAllSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      // Someone else (the sandbox) handles this signal and stops us gracefully; exit still kills leftovers.
      if (process.listenerCount(sig) > 1) return;
      killAllSync();
      process.removeListener(sig, onSignal);
      // Re-raise so the default exit status (128 + signal) is kept.
      process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
  return reg;
}

/**
 * A detached shell that outlives us only long enough to notice: when this Node process is gone
 * (even SIGKILLed, when no exit handler runs), it SIGKILLs every process group still listed.
 * bash, not sh: dash's kill builtin cannot signal a process group.
 */
function startWatchdog(reg: Registry): void {
  if (reg.watchdog) return;
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done
for g in $(cat '${reg.pgidFile}' 2>/dev/null); do kill -KILL -- "-$g" 2>/dev/null; done`;
  const wd = spawn('bash', ['-c', script], { detached: true, stdio: 'ignore' });
  wd.unref();
  reg.watchdog = wd;
}

function writePgids(reg: Registry): void {
  try {
    writeFileSync(reg.pgidFile, [...reg.procs].map((p) => String(p.pgid)).join('\n') + '\n');
  } catch {
    // the run directory may already be gone during teardown
  }
}

function killAllSync(): void {
  const reg = registry;
  if (!reg) return;
  for (const p of reg.procs) {
    try {
      process.kill(-p.pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  reg.procs.clear();
  writePgids(reg);
  if (reg.watchdog?.pid) {
    try {
      process.kill(-reg.watchdog.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Stops every process this run started (in reverse start order). Removes the run directory unless something failed or VIBECTL_TLS_KEEP_LOGS=1. */
export async function stopAll(): Promise<void> {
  const reg = registry;
  if (!reg) return;
  const procs = [...reg.procs].reverse();
  for (const p of procs) await p.stop();
  if (reg.watchdog?.pid) {
    try {
      process.kill(-reg.watchdog.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    reg.watchdog = undefined;
  }
  if (!reg.failed && process.env.VIBECTL_TLS_KEEP_LOGS !== '1') rmSync(reg.runDir, { recursive: true, force: true });
  else process.stderr.write(`harness logs kept in ${reg.runDir}\n`);
  process.removeListener('exit', killAllSync);
  registry = undefined;
}

/** Marks the run as failed so stopAll() keeps the logs. */
export function markFailed(): void {
  if (registry) registry.failed = true;
}

export function spawnManaged(opts: SpawnOptions): ManagedProcess {
  const reg = ensureRegistry();
  startWatchdog(reg);
  const logFile = join(reg.runDir, `${opts.name}.log`);
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    // detached: the child leads its own process group, so stop() can kill helpers it forks too.
    child = spawn(opts.command, opts.args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', fd, fd], detached: true });
  } finally {
    closeSync(fd);
  }
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
    child.once('error', (err) => {
      writeFileSync(logFile, `\n[harness] cannot start ${opts.command}: ${err.message}\n`, { flag: 'a' });
      exitInfo = { code: 127, signal: null };
      resolve(exitInfo);
    });
  });
  const pid = child.pid ?? -1;
  let stopping: Promise<void> | undefined;
  const proc: ManagedProcess & { pgid: number } = {
    name: opts.name,
    pid,
    pgid: pid,
    logFile,
    exited,
    hasExited: () => exitInfo !== undefined,
    logTail: (lines = 30) => tail(logFile, lines),
    stop(graceMs = 5_000) {
      stopping ??= (async () => {
        if (pid > 0) {
          signalGroup(pid, 'SIGTERM');
          const done = await Promise.race([exited.then(() => true), delay(graceMs).then(() => false)]);
          // Kill the group even when the leader exited: forked helpers may linger.
          signalGroup(pid, 'SIGKILL');
          if (!done) await exited;
        }
        reg.procs.delete(proc);
        writePgids(reg);
      })();
      return stopping;
    },
  };
  if (pid > 0) {
    reg.procs.add(proc);
    writePgids(reg);
    void exited.then((info) => {
      if (!stopping) {
        reg.failed = true;
        writeFileSync(logFile, `\n[harness] ${opts.name} exited unexpectedly (code ${info.code}, signal ${info.signal})\n`, { flag: 'a' });
      }
    });
  }
  return proc;
}

function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    // group already gone
  }
}

function tail(file: string, lines: number): string {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  return text.split('\n').slice(-lines - 1).join('\n').trimEnd();
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface WaitOptions {
  /** What is awaited, for the error ("kube-apiserver /readyz"). */
  what: string;
  timeoutMs?: number;
  intervalMs?: number;
  /** The process whose log tail goes into the error, and whose exit aborts the wait. */
  proc?: ManagedProcess;
}

/** Polls `check` until it returns a truthy value; fails with the process's last log lines on timeout or exit. */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let lastError = '';
  for (;;) {
    if (opts.proc?.hasExited()) {
      markFailed();
      throw new Error(`${opts.proc.name} exited while waiting for ${opts.what}; log ${opts.proc.logFile}:\n${opts.proc.logTail()}`);
    }
    try {
      const v = await check();
      if (v) return v;
      lastError = '';
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) {
      markFailed();
      const log = opts.proc ? `; log ${opts.proc.logFile}:\n${opts.proc.logTail()}` : '';
      throw new Error(`timed out after ${opts.timeoutMs ?? 60_000} ms waiting for ${opts.what}${lastError ? ` (last error: ${lastError})` : ''}${log}`);
    }
    await delay(opts.intervalMs ?? 100);
  }
}

/** A port on 127.0.0.1 that was free a moment ago (bind :0, read, close); with `udp`, free for UDP too (DNS). */
export async function freePort(opts: { udp?: boolean } = {}): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.unref();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const addr = srv.address();
        const p = typeof addr === 'object' && addr ? addr.port : 0;
        srv.close(() => resolve(p));
      });
    });
    if (!opts.udp || (await udpFree(port)) || attempt >= 20) return port;
  }
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    sock.once('error', () => resolve(false));
    sock.bind(port, '127.0.0.1', () => sock.close(() => resolve(true)));
  });
}

/** Resident memory of a process in KiB (VmRSS from /proc), or undefined when unavailable. */
export function rssKiB(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+)\s*kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
