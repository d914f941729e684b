// Ctrl+C / SIGTERM for long commands (ACME orders): the first signal aborts the flow so it can
// remove what it made and exit 130; a second one exits at once.
import { ExitCode } from '../core/errors.js';

/** Marks our handler, so BaseCommand's one-line Ctrl+C exit stands aside while a flow cleans up. */
const OWN = Symbol.for('vibectl-tls.interrupt-handler');

export function interruptHandled(): boolean {
  return process.listeners('SIGINT').some((l) => (l as unknown as Record<symbol, unknown>)[OWN] === true);
}

export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>, o: { info: (message: string) => void }): Promise<T> {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      o.info(`${sig} again: exiting without cleaning up`);
      process.exit(ExitCode.Interrupted);
    }
    o.info(`${sig}: stopping and cleaning up (send it again to exit at once)`);
    controller.abort();
  };
  Object.assign(onSignal, { [OWN]: true });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
