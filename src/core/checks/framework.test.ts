import { describe, expect, it } from 'vitest';
import { failed, runChecks, runUntilClean, type CheckDefinition, type Clock, type Subject } from './framework.js';

/** A clock whose sleep advances time instantly, so retries and --wait run without waiting. */
function fakeClock(start = 0): Clock & { slept: number[] } {
  let t = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => new Date(t),
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

const subject: Subject = { kind: 'secret', id: 'secret ns/a', objects: [{ kind: 'Secret', namespace: 'ns', name: 'a' }] };
const check = (over: Partial<CheckDefinition> & Pick<CheckDefinition, 'code' | 'run'>): CheckDefinition => ({
  category: 'c',
  severity: 'error',
  title: over.code,
  hint: `fix ${over.code}`,
  appliesTo: 'secret',
  ...over,
});

describe('runChecks', () => {
  it('maps outcomes to statuses by severity and links every result to its docs anchor', async () => {
    const results = await runChecks({
      subjects: [subject],
      checks: [
        check({ code: 'X101', run: () => ({ result: 'pass', message: 'fine' }) }),
        check({ code: 'X102', severity: 'warning', run: () => ({ result: 'fail', message: 'meh' }) }),
        check({ code: 'X103', run: () => ({ result: 'fail', message: 'bad', details: ['why'] }) }),
        check({ code: 'X104', run: () => ({ result: 'info', message: 'fyi' }) }),
        check({ code: 'X105', run: () => null }),
      ],
    });
    expect(results.map((r) => [r.code, r.status])).toEqual([
      ['X101', 'ok'],
      ['X102', 'warning'],
      ['X103', 'error'],
      ['X104', 'info'],
    ]);
    const bad = results.find((r) => r.code === 'X103')!;
    expect(bad.hint).toBe('fix X103');
    expect(bad.docsUrl).toMatch(/troubleshooting\.md#x103$/);
    expect(bad.objects).toEqual(subject.objects);
    expect(results.find((r) => r.code === 'X101')!.hint).toBeNull();
  });

  it('skips dependants of a failed or skipped prerequisite, transitively, but not of a warning', async () => {
    const ran: string[] = [];
    const mk = (code: string, result: 'pass' | 'fail', extra: Partial<CheckDefinition> = {}) =>
      check({ code, run: () => (ran.push(code), { result, message: code }), ...extra });
    const results = await runChecks({
      subjects: [subject],
      checks: [
        mk('A', 'fail'),
        mk('B', 'pass', { dependsOn: ['A'] }),
        mk('C', 'pass', { dependsOn: ['B'] }),
        mk('W', 'fail', { severity: 'warning' }),
        mk('D', 'pass', { dependsOn: ['W'] }),
      ],
    });
    expect(ran).toEqual(['A', 'W', 'D']);
    expect(results.find((r) => r.code === 'B')).toMatchObject({ status: 'skipped', message: 'skipped: A did not pass' });
    expect(results.find((r) => r.code === 'C')).toMatchObject({ status: 'skipped', message: 'skipped: B did not pass' });
    expect(results.find((r) => r.code === 'D')!.status).toBe('ok');
  });

  it('retries a failing check until it passes within its deadline', async () => {
    const clock = fakeClock();
    let calls = 0;
    const results = await runChecks({
      subjects: [subject],
      clock,
      checks: [check({ code: 'R', retry: { deadlineMs: 10_000, intervalMs: 1_000 }, run: () => (++calls < 4 ? { result: 'fail', message: 'not yet' } : { result: 'pass', message: 'up' }) })],
    });
    expect(calls).toBe(4);
    expect(clock.slept).toEqual([1000, 1000, 1000]);
    expect(results[0]!.status).toBe('ok');
  });

  it('gives up at the retry deadline and says how long it tried', async () => {
    const clock = fakeClock();
    let calls = 0;
    const results = await runChecks({
      subjects: [subject],
      clock,
      checks: [check({ code: 'R', retry: { deadlineMs: 3_000, intervalMs: 1_000 }, run: () => (calls++, { result: 'fail', message: 'down' }) })],
    });
    expect(calls).toBe(4);
    expect(results[0]!.status).toBe('error');
    expect(results[0]!.details.at(-1)).toMatch(/still failing after retrying for 3s/);
  });

  it('turns a throwing check into a finding instead of crashing the run', async () => {
    const results = await runChecks({
      subjects: [subject],
      checks: [
        check({ code: 'T', run: () => { throw new Error('boom'); } }),
        check({ code: 'U', run: () => ({ result: 'pass', message: 'still ran' }) }),
      ],
    });
    expect(results.map((r) => r.status)).toEqual(['error', 'ok']);
    expect(results[0]!.message).toContain('boom');
  });

  it('runs only the checks that apply to each subject kind', async () => {
    const ep: Subject = { kind: 'endpoint', id: 'endpoint h:1', objects: [] };
    const results = await runChecks({
      subjects: [subject, ep],
      checks: [check({ code: 'S', run: () => ({ result: 'pass', message: '' }) }), check({ code: 'E', appliesTo: 'endpoint', run: () => ({ result: 'pass', message: '' }) })],
    });
    expect(results.map((r) => `${r.subject}:${r.code}`)).toEqual(['secret ns/a:S', 'endpoint h:1:E']);
  });
});

describe('failed and --fail-on', () => {
  const r = (status: 'ok' | 'warning' | 'error') => ({ code: 'X', category: '', title: '', status, message: '', details: [], hint: null, docsUrl: '', subject: '', objects: [] });
  it('fails on errors by default and on warnings only when asked', () => {
    expect(failed([r('ok'), r('warning')], 'error')).toBe(false);
    expect(failed([r('ok'), r('warning')], 'warning')).toBe(true);
    expect(failed([r('error')], 'error')).toBe(true);
  });
});

describe('runUntilClean (--wait)', () => {
  it('re-runs until clean', async () => {
    const clock = fakeClock();
    let n = 0;
    const out = await runUntilClean({ attempt: async () => ++n, isClean: (v) => v >= 3, waitMs: 60_000, intervalMs: 5_000, clock });
    expect(out).toEqual({ value: 3, attempts: 3, timedOut: false });
    expect(clock.slept).toEqual([5000, 5000]);
  });

  it('stops at the deadline and reports the timeout', async () => {
    const clock = fakeClock();
    const out = await runUntilClean({ attempt: async () => 0, isClean: () => false, waitMs: 12_000, intervalMs: 5_000, clock });
    expect(out.timedOut).toBe(true);
    expect(out.attempts).toBe(3);
  });

  it('runs once without --wait', async () => {
    const out = await runUntilClean({ attempt: async () => 0, isClean: () => false, waitMs: 0, clock: fakeClock() });
    expect(out).toEqual({ value: 0, attempts: 1, timedOut: false });
  });
});
