// The single rule for whether we may ask a question: both ends are a TTY, CI is not set, and the
// user did not pass --non-interactive. Everything that prompts goes through this.

export function canPrompt(opts: { nonInteractive?: boolean; env?: NodeJS.ProcessEnv; stdin?: { isTTY?: boolean }; stdout?: { isTTY?: boolean } } = {}): boolean {
  const env = opts.env ?? process.env;
  if (opts.nonInteractive) return false;
  if (env.CI && env.CI !== '0' && env.CI.toLowerCase() !== 'false') return false;
  return Boolean((opts.stdin ?? process.stdin).isTTY) && Boolean((opts.stdout ?? process.stdout).isTTY);
}
