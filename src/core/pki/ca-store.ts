// Where a CA's files live. Local: a directory (0700) with one file per item, each written
// atomically (temp file + rename, keys 0600) under a lock file so two writers never interleave.
// The cluster variant (ca-store-cluster.ts) keeps the same items as one Secret.
import { randomBytes } from 'node:crypto';
import { constants as fsc, promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ConflictError, InvalidInputError } from '../errors.js';

/** Item names are relative paths ("root.key", "archive/2026-…/root.crt"). `null` deletes. */
export type CaFiles = Record<string, string | null>;

export interface CaStore {
  /** Human description ("directory /home/me/.config/vibectl-tls/ca", "Secret vibectl-tls-system/vibectl-tls-ca"). */
  readonly location: string;
  exists(): Promise<boolean>;
  read(name: string): Promise<string | undefined>;
  write(files: CaFiles): Promise<void>;
  /** Copies every item to a fresh backup location and returns where. */
  backup(label: string): Promise<string>;
  /** Runs fn while holding the store's write lock. */
  locked<T>(fn: () => Promise<T>): Promise<T>;
}

export function defaultCaDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VIBECTL_TLS_CA_DIR) return resolve(env.VIBECTL_TLS_CA_DIR);
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'vibectl-tls', 'ca');
}

export const isSecretItem = (name: string): boolean => name.endsWith('.key');

export interface LocalStoreOptions {
  dir: string;
  /** How long to wait for another writer's lock (ms). */
  lockTimeoutMs?: number;
  /** Injected for tests. */
  isAlive?: (pid: number) => boolean;
}

export class LocalCaStore implements CaStore {
  readonly dir: string;
  readonly location: string;
  readonly #lockTimeoutMs: number;
  readonly #isAlive: (pid: number) => boolean;

  constructor(o: LocalStoreOptions) {
    this.dir = resolve(o.dir);
    this.location = `directory ${this.dir}`;
    this.#lockTimeoutMs = o.lockTimeoutMs ?? 15_000;
    this.#isAlive = o.isAlive ?? processAlive;
  }

  #path(name: string): string {
    const p = resolve(this.dir, name);
    if (!p.startsWith(this.dir + sep)) throw new InvalidInputError(`CA item name "${name}" escapes the CA directory`);
    return p;
  }

  async exists(): Promise<boolean> {
    return (await this.read('ca.json')) !== undefined;
  }

  async read(name: string): Promise<string | undefined> {
    try {
      return await fs.readFile(this.#path(name), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async write(files: CaFiles): Promise<void> {
    await ensureDir(this.dir);
    // Keys and certificates first, the metadata last: a reader that sees the new ca.json sees the new files.
    const names = Object.keys(files).sort((a, b) => Number(a === 'ca.json') - Number(b === 'ca.json'));
    for (const name of names) {
      const content = files[name];
      const target = this.#path(name);
      if (content === null || content === undefined) {
        await fs.rm(target, { force: true });
        continue;
      }
      await ensureDir(dirname(target));
      await writeFileAtomic(target, content, isSecretItem(name) ? 0o600 : 0o644);
    }
  }

  async backup(label: string): Promise<string> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const dest = join(this.dir, 'backups', `${stamp}-${label}`);
    await ensureDir(dest);
    for (const name of await this.#topLevelItems()) {
      await fs.copyFile(join(this.dir, name), join(dest, name), fsc.COPYFILE_EXCL);
      await fs.chmod(join(dest, name), isSecretItem(name) ? 0o600 : 0o644);
    }
    return dest;
  }

  async #topLevelItems(): Promise<string[]> {
    const entries = await fs.readdir(this.dir, { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name);
  }

  async locked<T>(fn: () => Promise<T>): Promise<T> {
    // mkdir -p returns the first directory it made: on failure, what we created goes again.
    const created = await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const lockPath = join(this.dir, '.lock');
    const deadline = Date.now() + this.#lockTimeoutMs;
    for (;;) {
      try {
        const fh = await fs.open(lockPath, 'wx', 0o600);
        await fh.writeFile(String(process.pid));
        await fh.close();
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = Number((await fs.readFile(lockPath, 'utf8').catch(() => '')).trim());
        if (Number.isInteger(holder) && holder > 0 && !this.#isAlive(holder)) {
          await fs.rm(lockPath, { force: true }); // stale: its writer died
          continue;
        }
        if (Date.now() > deadline) {
          throw new ConflictError(`another vibectl-tls process (pid ${holder || '?'}) is changing the CA in ${relative(process.cwd(), this.dir) || this.dir}`, {
            hint: `wait for it to finish; if no such process runs, delete ${lockPath}`,
          });
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    let ok = false;
    try {
      const out = await fn();
      ok = true;
      return out;
    } finally {
      await fs.rm(lockPath, { force: true });
      if (!ok && created) await removeIfEmpty(this.dir, created);
    }
  }
}

/** Removes dir and its parents up to top, as long as each is empty: a failed first run leaves no trace. */
async function removeIfEmpty(dir: string, top: string): Promise<void> {
  for (let d = dir; d.startsWith(top); d = dirname(d)) {
    try {
      await fs.rmdir(d);
    } catch {
      return; // not empty (something was written) or already gone
    }
    if (d === top) return;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function ensureDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
}

/** Write to a temp file in the same directory, fsync, then rename over the target: readers see old or new, never half. */
export async function writeFileAtomic(target: string, content: string | Buffer, mode: number): Promise<void> {
  const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await fs.open(tmp, 'wx', mode);
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.chmod(tmp, mode);
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}
