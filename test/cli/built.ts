// The CLI tests run the real binary, built from the current sources — but never from the shared
// dist/: other people's builds delete and rewrite it while tests run. Instead each distinct source
// tree is built once into its own directory under the OS temp dir, keyed by a hash of the inputs,
// and reused by every later run (and every test file) until the sources change.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cacheDir = join(tmpdir(), 'vibectl-tls-cli-build');
const STALE_MS = 6 * 3_600_000;

export interface BuiltCli {
  /** A package root: package.json, bin/, dist/, oclif.manifest.json, node_modules -> the checkout's. */
  dir: string;
  bin: string;
}

function files(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((e) => files(join(path, e)));
}

function inputsHash(): string {
  const h = createHash('sha256');
  const inputs = [
    ...files(join(root, 'src')).filter((f) => !/\.test\.tsx?$/.test(f)),
    ...['package.json', 'tsconfig.json', 'tsconfig.build.json', 'bin/kubectl-vibectl_tls'].map((f) => join(root, f)),
  ];
  for (const f of inputs) h.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex').slice(0, 16);
}

async function withLock<T>(lock: string, fn: () => T): Promise<T> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than any build could take belongs to a run that died.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${lock}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function build(target: string): void {
  const tmp = `${target}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'bin'), { recursive: true });
  cpSync(join(root, 'package.json'), join(tmp, 'package.json'));
  cpSync(join(root, 'bin', 'kubectl-vibectl_tls'), join(tmp, 'bin', 'kubectl-vibectl_tls'));
  symlinkSync(join(root, 'node_modules'), join(tmp, 'node_modules'), 'dir');
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(tmp, 'dist')], {
    cwd: root,
    encoding: 'utf8',
  });
  // Exit 2 means "type errors, output written": typecheck is its own step (npm run typecheck);
  // these tests are about how the binary behaves, so someone's half-typed file elsewhere must not stop them.
  if ((tsc.status !== 0 && tsc.status !== 2) || !existsSync(join(tmp, 'dist', 'commands'))) {
    throw new Error(`tsc could not build the CLI (exit ${tsc.status}):\n${tsc.stdout}${tsc.stderr}`);
  }
  const manifest = spawnSync(process.execPath, [join(root, 'node_modules/oclif/bin/run.js'), 'manifest', tmp], { cwd: tmp, encoding: 'utf8' });
  if (manifest.status !== 0 || !existsSync(join(tmp, 'oclif.manifest.json'))) {
    throw new Error(`oclif manifest failed (exit ${manifest.status}):\n${manifest.stdout}${manifest.stderr}`);
  }
  writeFileSync(join(tmp, '.complete'), new Date().toISOString());
  renameSync(tmp, target);
}

function removeStale(keep: string): void {
  for (const entry of readdirSync(cacheDir)) {
    const p = join(cacheDir, entry);
    if (p === keep || entry.endsWith('.lock')) continue;
    try {
      if (Date.now() - statSync(p).mtimeMs > STALE_MS) rmSync(p, { recursive: true, force: true });
    } catch {
      // another run removed it first
    }
  }
}

let pending: Promise<BuiltCli> | undefined;

/** Builds (or reuses) the CLI for the current sources. Call from beforeAll with a long timeout. */
export function builtCli(): Promise<BuiltCli> {
  pending ??= (async () => {
    mkdirSync(cacheDir, { recursive: true });
    const dir = join(cacheDir, inputsHash());
    if (!existsSync(join(dir, '.complete'))) {
      await withLock(`${dir}.lock`, () => {
        if (!existsSync(join(dir, '.complete'))) build(dir);
      });
    }
    removeStale(dir);
    return { dir, bin: join(dir, 'bin', 'kubectl-vibectl_tls') };
  })();
  return pending;
}

/** Long enough for a cold tsc + oclif manifest on a busy 2-core machine. */
export const BUILD_TIMEOUT_MS = 240_000;
