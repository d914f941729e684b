// Runs the CLI from one bundled file (the self-contained binary, see docs/distribution.md).
// A Node single-executable application can import() only built-in modules, so oclif cannot
// discover commands on disk: the bundle hands it every command class in memory instead, under
// the "explicit" discovery strategy, with the package.json facts baked in at build time.
import { Config, Errors, Plugin, flush, handle, run, type Command, type Interfaces } from '@oclif/core';
import { dirname, join } from 'node:path';

export interface StandaloneOptions {
  /** Command id (`ca:issue`) → command class, generated from src/commands/ at bundle time. */
  commands: Record<string, Command.Class>;
  /** name, version, type and the `oclif` section of package.json. */
  pjson: Interfaces.PJSON;
  /** Event → hook functions, from `oclif.hooks` of package.json, imported at bundle time. */
  hooks?: Record<string, HookFn[]>;
  argv?: string[];
}

// oclif calls a hook with `this` = context and one options object (see Config.runHook).
type HookFn = (this: unknown, options: Record<string, unknown>) => unknown;

/** Builds an oclif Config whose root plugin serves `commands` without touching the file system. */
export async function standaloneConfig(options: Omit<StandaloneOptions, 'argv'>): Promise<Config> {
  const pjson: Interfaces.PJSON = {
    ...options.pjson,
    // Hooks would be import()ed from files too: they run from memory instead (below).
    oclif: { ...options.pjson.oclif, commands: { strategy: 'explicit', target: './commands.js' }, hooks: {} },
  };
  // A directory that holds no oclif.manifest.json, so oclif builds the manifest from the classes.
  const root = join(dirname(process.execPath), '.vibectl-tls-standalone');
  const plugin = new Plugin({ isRoot: true, root, pjson, ignoreManifest: true });
  // oclif keeps explicitly discovered commands in this field once it has imported the target
  // module; filling it first is what lets the classes come from memory.
  (plugin as unknown as { commandCache: Record<string, Command.Class> }).commandCache = options.commands;
  await plugin.load();
  const config = await Config.load({ root, pjson, plugins: new Map([[plugin.name, plugin]]) });
  const expected = Object.keys(options.commands).length;
  if (config.commands.length < expected) {
    throw new Error(`standalone: oclif loaded ${config.commands.length} of ${expected} commands (has @oclif/core changed how it discovers commands?)`);
  }
  if (options.hooks) runHooksFromMemory(options.hooks);
  return config;
}

/**
 * Replaces Config.runHook with one that calls the bundled hook functions, with oclif's semantics.
 * On the prototype: oclif's run() rebuilds the Config it is given. Only the binary does this.
 */
function runHooksFromMemory(hooks: Record<string, HookFn[]>): void {
  Config.prototype.runHook = (async function (this: Config, event: string, opts: Record<string, unknown>, _timeout?: number, captureErrors?: boolean) {
    const plugin = this.plugins.get(this.name);
    const final: { successes: { plugin: unknown; result: unknown }[]; failures: { plugin: unknown; error: Error }[] } = { successes: [], failures: [] };
    const config = this as Config;
    const context = {
      config,
      debug: () => {},
      error: (message: string | Error, o: { exit?: number } = {}) => Errors.error(message, o as { exit: number }),
      exit: (code = 0) => Errors.exit(code),
      log: (message?: string, ...args: unknown[]) => process.stdout.write([message ?? '', ...args].join(' ') + '\n'),
      warn: (message: string | Error) => Errors.warn(message),
    };
    for (const fn of hooks[event] ?? []) {
      try {
        final.successes.push({ plugin, result: await fn.call(context, { ...opts, config, context }) });
      } catch (error) {
        final.failures.push({ plugin, error: error as Error });
        const exit = (error as { oclif?: { exit?: number } }).oclif?.exit;
        if (!captureErrors && exit !== undefined && exit !== 0) throw error;
      }
    }
    return final;
  }) as Config['runHook'];
}

/** The binary's main: oclif's execute(), with the in-memory command map. */
export async function runStandalone(options: StandaloneOptions): Promise<void> {
  const argv = options.argv ?? process.argv.slice(2);
  try {
    const config = await standaloneConfig(options);
    await run(argv, config);
    flush();
  } catch (error) {
    await handle(error as Error);
  }
}
