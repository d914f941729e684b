// Minimal ANSI styling that honours --no-color, NO_COLOR and non-TTY output.

export interface Palette {
  ok(s: string): string;
  warn(s: string): string;
  err(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export function palette(enabled: boolean): Palette {
  if (!enabled) {
    const id = (s: string) => s;
    return { ok: id, warn: id, err: id, dim: id, bold: id };
  }
  return { ok: wrap(32, 39), warn: wrap(33, 39), err: wrap(31, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

export function colorEnabled(opts: { noColor?: boolean; stream?: NodeJS.WriteStream; env?: NodeJS.ProcessEnv }): boolean {
  const env = opts.env ?? process.env;
  if (opts.noColor) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return Boolean((opts.stream ?? process.stdout).isTTY);
}
