import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../errors.js';
import { raceAbort, throwIfAborted } from './abort.js';

describe('raceAbort', () => {
  it('passes a result or a failure through when nothing aborts', async () => {
    const c = new AbortController();
    await expect(raceAbort(Promise.resolve(7), c.signal)).resolves.toBe(7);
    await expect(raceAbort(Promise.reject(new Error('boom')), c.signal)).rejects.toThrow('boom');
    await expect(raceAbort(Promise.resolve(1), undefined)).resolves.toBe(1);
  });

  it('rejects with InterruptedError (exit 130) as soon as the signal aborts, without waiting for the work', async () => {
    const c = new AbortController();
    const never = new Promise<never>(() => {});
    const raced = raceAbort(never, c.signal);
    c.abort();
    const err = await raced.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as InterruptedError).exitCode).toBe(130);
    await expect(raceAbort(Promise.resolve(1), c.signal)).rejects.toBeInstanceOf(InterruptedError);
    expect(() => throwIfAborted(c.signal)).toThrow(InterruptedError);
    expect(() => throwIfAborted(new AbortController().signal)).not.toThrow();
  });
});
