// Polls an Ink test frame until it shows what a test expects: Ink renders asynchronously and only
// reads stdin once the component has mounted its input handler, so fixed sleeps would be flaky.

export interface WaitForFrameOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/** Resolves with the first frame for which predicate holds; rejects with the last frame seen on timeout. */
export async function waitForFrame(
  lastFrame: () => string | undefined,
  predicate: (frame: string) => boolean,
  options: WaitForFrameOptions = {},
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 15_000; // generous: a loaded 2-core CI machine renders slowly; polling returns as soon as it matches
  const intervalMs = options.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = lastFrame() ?? '';
    if (predicate(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`no matching frame within ${timeoutMs}ms; last frame:\n${frame}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Polls any condition (a callback was called, a promise settled). */
export async function waitFor(condition: () => boolean, options: WaitForFrameOptions & { what?: string } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 15_000; // generous: a loaded 2-core CI machine renders slowly; polling returns as soon as it matches
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${options.what ?? 'condition'}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 10));
  }
}

/** Key sequences as a terminal sends them. */
export const keys = {
  up: '\u001B[A',
  down: '\u001B[B',
  enter: '\r',
  escape: '\u001B',
  backspace: '\u007F',
  ctrlC: '\u0003',
} as const;

interface TestStdin {
  listenerCount(event: string): number;
  write(data: string): void;
}

/**
 * Ink reads stdin only after the component's useInput effect has put it in raw mode (which adds
 * the 'readable' listener); a key written before then is lost. Wait for that, then write.
 */
export async function press(stdin: TestStdin, ...sequence: string[]): Promise<void> {
  await waitFor(() => stdin.listenerCount('readable') > 0, { what: 'the component to listen for input' });
  for (const key of sequence) stdin.write(key);
}
