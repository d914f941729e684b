import { describe, expect, it } from 'vitest';
import { formatElapsed, runTaskSequence, type TaskState } from './tasks.js';

describe('runTaskSequence', () => {
  it('times each step with the injected clock and reports state changes in order', async () => {
    let t = 0;
    const seen: string[] = [];
    const outcome = await runTaskSequence(
      [
        { title: 'a', run: async () => void (t += 1500) },
        { title: 'b', run: async (update) => (update('half way'), (t += 250), 'done') },
      ],
      { now: () => t, onChange: (s: TaskState[]) => seen.push(s.map((x) => `${x.title}:${x.status}${x.detail ? `(${x.detail})` : ''}`).join(' ')) },
    );
    expect(outcome.ok).toBe(true);
    expect(outcome.results.map((r) => r.ms)).toEqual([1500, 250]);
    expect(outcome.results[1]!.value).toBe('done');
    expect(seen).toContain('a:ok b:running(half way)');
    expect(seen.at(-1)).toBe('a:ok b:ok(half way)');
  });

  it('turns a thrown non-Error into a message', async () => {
    const states: TaskState[][] = [];
    const outcome = await runTaskSequence([{ title: 'x', run: () => Promise.reject('plain string') }], { onChange: (s) => states.push(s) });
    expect(outcome.ok).toBe(false);
    expect(states.at(-1)![0]!.error).toEqual({ message: 'plain string', hint: undefined });
  });
});

describe('formatElapsed', () => {
  it.each([
    [0, '0.0s'],
    [1234, '1.2s'],
    [59_949, '59.9s'],
    [65_000, '1m05s'],
    [600_000, '10m00s'],
  ])('%d ms → %s', (ms, text) => expect(formatElapsed(ms)).toBe(text));
});
