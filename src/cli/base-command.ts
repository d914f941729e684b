// Every command extends this: the global flags of ../docs/cli-conventions.md, one error renderer,
// and the output switch (text for people, json/yaml for scripts).
import { Command, Flags, Errors, type Interfaces } from '@oclif/core';
import { ExitCode, InterruptedError, TlsError, UsageError, toTlsError } from '../core/errors.js';
import { parseDuration } from '../core/util/duration.js';
import type { KubeConfigOptions } from '../core/kube/kubeconfig.js';
import { colorEnabled, palette, type Palette } from '../ui/colors.js';
import { canPrompt } from '../ui/prompt-policy.js';
import { interruptHandled } from './interrupt.js';

export type OutputFormat = 'text' | 'json' | 'yaml';

export const globalFlags = {
  kubeconfig: Flags.string({ description: 'path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)', helpGroup: 'GLOBAL' }),
  context: Flags.string({ description: 'kubeconfig context to use', helpGroup: 'GLOBAL' }),
  namespace: Flags.string({ char: 'n', description: 'namespace (default: the context namespace)', helpGroup: 'GLOBAL' }),
  output: Flags.string({ char: 'o', description: 'output format', options: ['text', 'json', 'yaml'], default: 'text', helpGroup: 'GLOBAL' }),
  'no-color': Flags.boolean({ description: 'no colours (also NO_COLOR)', helpGroup: 'GLOBAL' }),
  yes: Flags.boolean({ char: 'y', description: 'answer yes to confirmations', helpGroup: 'GLOBAL' }),
  'non-interactive': Flags.boolean({ description: 'never prompt; fail and name the flag instead', helpGroup: 'GLOBAL' }),
  'request-timeout': Flags.string({ description: 'timeout for each Kubernetes API request', default: '10s', helpGroup: 'GLOBAL' }),
  verbose: Flags.boolean({ char: 'v', description: 'more detail on stderr, stack traces on errors', helpGroup: 'GLOBAL' }),
};

export type GlobalFlags = Interfaces.InferredFlags<typeof globalFlags>;

export interface CommandEnv {
  output: OutputFormat;
  color: Palette;
  colorOn: boolean;
  interactive: boolean;
  verbose: boolean;
  yes: boolean;
  kube: KubeConfigOptions & { timeoutMs: number };
}

export abstract class BaseCommand extends Command {
  static override baseFlags = globalFlags;
  static override enableJsonFlag = false;

  #output: OutputFormat = 'text';
  #verbose = false;

  override async init(): Promise<void> {
    await super.init();
    // Ctrl+C: the documented exit 130 and one line, instead of Node's silent death by signal.
    // Every cluster write is one request and local files are renamed into place, so stopping
    // between steps leaves whole objects; running the command again converges.
    process.once('SIGINT', () => {
      // A flow that cleans up after itself (ACME orders) has its own handler and exit message.
      if (interruptHandled()) return;
      writeError(new InterruptedError('interrupted (Ctrl+C): steps already applied stay applied, nothing is half-written', { hint: 'run the same command again to finish' }), {
        json: this.#output === 'json' || argvWantsJson(),
        verbose: false,
      });
      process.exit(ExitCode.Interrupted);
    });
  }

  /** Builds the shared environment from the parsed global flags. */
  protected env(flags: GlobalFlags): CommandEnv {
    this.#output = flags.output as OutputFormat;
    this.#verbose = flags.verbose || Boolean(process.env.DEBUG);
    const colorOn = colorEnabled({ noColor: flags['no-color'] });
    return {
      output: this.#output,
      color: palette(colorOn),
      colorOn,
      interactive: canPrompt({ nonInteractive: flags['non-interactive'] }),
      verbose: this.#verbose,
      yes: flags.yes,
      kube: {
        kubeconfig: flags.kubeconfig,
        context: flags.context,
        namespace: flags.namespace,
        timeoutMs: parseDuration(flags['request-timeout'], '--request-timeout'),
      },
    };
  }

  /** Writes a result: one JSON/YAML document, or the text a renderer makes. */
  protected async emit(result: unknown, text: () => string): Promise<void> {
    if (this.#output === 'json') {
      process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    } else if (this.#output === 'yaml') {
      const { stringify } = await import('yaml');
      process.stdout.write(stringify(result));
    } else {
      const out = text();
      process.stdout.write(out.endsWith('\n') ? out : out + '\n');
    }
  }

  /** Progress and logs: stderr, never stdout. */
  protected info(message: string): void {
    process.stderr.write(message + '\n');
  }

  protected trace(message: string): void {
    if (this.#verbose) process.stderr.write(`debug: ${message}\n`);
  }

  override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<never> {
    // oclif's own exit (this.exit) passes through untouched.
    if (err instanceof Errors.ExitError) throw err;
    const verbose = this.#verbose || process.argv.includes('--verbose') || process.argv.includes('-v') || Boolean(process.env.DEBUG);
    let tls: TlsError;
    if (err instanceof TlsError) tls = err;
    else if (isOclifParseError(err)) {
      tls = new UsageError(parseErrorLine(err.message), { hint: `see \`kubectl vibectl-tls ${this.id?.replace(/:/g, ' ') ?? ''} --help\`` });
    } else tls = toTlsError(err);
    writeError(tls, { json: this.#output === 'json' || argvWantsJson(), verbose, original: err });
    return this.exit(tls.exitCode) as never;
  }
}

/** oclif's flag/argument parse failures are CLIErrors that carry a `parse` context. */
function isOclifParseError(err: unknown): err is Error {
  if (err instanceof Errors.CLIError && 'parse' in err) return true;
  // oclif's parser throws a plain Error for a flag given without its value, and re-throws a flag's
  // own parse failure (e.g. --days abc for an integer flag) as "Parsing --days …".
  return err instanceof Error && /^(Flag --\S+ (expects a value|can only be specified once)|Parsing --\S+)/.test(err.message);
}

/** oclif's parse messages span several lines (a heading, then the reasons): one line that names the input. */
export function parseErrorLine(message: string): string {
  // eslint-disable-next-line no-control-regex
  const lines = message.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim()).filter((l) => l && !/^See more help with --help$/.test(l));
  const [first = message, ...rest] = lines;
  const parsing = /^Parsing (--\S+)$/.exec(first);
  if (parsing) return `${parsing[1]}: ${rest[0] ?? 'invalid value'}`;
  if (/^The following errors? occurred:$/.test(first) && rest.length) return rest.join('; ');
  const missing = /^Missing \d+ required args?:?$/.exec(first);
  if (missing && rest.length) {
    const names = rest.filter((l) => !/^(Note|Alternatively)/.test(l)).map((l) => l.split(/\s+/)[0]);
    return `missing required argument${names.length === 1 ? '' : 's'}: ${names.join(', ')}`;
  }
  return first;
}

export function argvWantsJson(): boolean {
  const a = process.argv;
  const i = a.findIndex((x) => x === '-o' || x === '--output');
  return (i >= 0 && a[i + 1] === 'json') || a.includes('--output=json') || a.includes('-ojson');
}

export function writeError(err: TlsError, opts: { json: boolean; verbose: boolean; original?: unknown }): void {
  // Errors can happen before flags are parsed, so --no-color is read from argv here.
  const p = palette(colorEnabled({ stream: process.stderr, noColor: process.argv.includes('--no-color') }));
  process.stderr.write(`${p.err('error:')} ${err.message}\n`);
  if (err.hint) process.stderr.write(`  ${p.dim('next:')} ${err.hint}\n`);
  if (opts.verbose) {
    const stack = (opts.original instanceof Error ? opts.original.stack : err.stack) ?? '';
    process.stderr.write(p.dim(stack) + '\n');
    const cause = (opts.original as { cause?: unknown } | undefined)?.cause ?? err.cause;
    if (cause instanceof Error && cause.stack) process.stderr.write(p.dim('caused by: ' + cause.stack) + '\n');
  }
  if (opts.json) {
    process.stdout.write(JSON.stringify({ error: { kind: err.kind, message: err.message, hint: err.hint ?? null, exitCode: err.exitCode } }, null, 2) + '\n');
  }
}

export { ExitCode };
