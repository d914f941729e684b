import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { TaskList, Tasks } from './TaskList.js';
import type { Task, TasksOutcome } from '../tasks.js';
import { InvalidInputError } from '../../core/errors.js';
import { waitFor, waitForFrame } from '../../../test/support/frames.js';

afterEach(() => cleanup());

/** A step that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('TaskList', () => {
  it('shows ✔ with the time taken, a spinner with elapsed time and detail, and pending steps', async () => {
    const ui = render(
      <TaskList
        now={() => 10_000}
        states={[
          { title: 'Create the namespace', status: 'ok', ms: 1234 },
          { title: 'Wait for the certificate', status: 'running', startedAt: 7_500, detail: 'order pending' },
          { title: 'Verify the endpoint', status: 'pending' },
        ]}
      />,
    );
    const frame = await waitForFrame(ui.lastFrame, (f) => f.includes('Verify'));
    const lines = frame.split('\n');
    expect(lines[0]).toBe('✔ Create the namespace (1.2s)');
    expect(lines[1]).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Wait for the certificate \(2\.5s\) order pending$/);
    expect(lines[2]).toBe('· Verify the endpoint');
  });

  it('animates the spinner while a step runs', async () => {
    const ui = render(<TaskList states={[{ title: 'Wait', status: 'running', startedAt: Date.now() }]} />);
    const first = (await waitForFrame(ui.lastFrame, (f) => f.includes('Wait')))[0];
    await waitForFrame(ui.lastFrame, (f) => f[0] !== first);
  });
});

describe('Tasks', () => {
  it('runs steps in order, shows progress updates live, and reports each result', async () => {
    const second = gate();
    const order: string[] = [];
    const onDone = vi.fn<(o: TasksOutcome) => void>();
    const tasks: Task[] = [
      { title: 'Render manifests', run: async () => (order.push('render'), 3) },
      {
        title: 'Apply to the cluster',
        run: async (update) => {
          order.push('apply');
          update('2 of 3 objects');
          await second.opened;
          return 'applied';
        },
      },
    ];
    const ui = render(<Tasks tasks={tasks} onDone={onDone} />);
    const live = await waitForFrame(ui.lastFrame, (f) => f.includes('2 of 3 objects'));
    expect(live).toMatch(/✔ Render manifests \(\d+\.\ds\)/);
    expect(onDone).not.toHaveBeenCalled();
    second.open();
    await waitFor(() => onDone.mock.calls.length === 1);
    const frame = await waitForFrame(ui.lastFrame, (f) => f.includes('✔ Apply to the cluster'));
    expect(frame).not.toContain('2 of 3 objects');
    expect(order).toEqual(['render', 'apply']);
    const outcome = onDone.mock.calls[0]![0];
    expect(outcome.ok).toBe(true);
    expect(outcome.results.map((r) => [r.status, r.value])).toEqual([
      ['ok', 3],
      ['ok', 'applied'],
    ]);
  });

  it('shows a failure with its message and next step in place, and skips the rest', async () => {
    const third = vi.fn(async () => 'should not run');
    const onDone = vi.fn<(o: TasksOutcome) => void>();
    const tasks: Task[] = [
      { title: 'Check the domain', run: async () => undefined },
      {
        title: 'Create the issuer',
        run: async () => {
          throw new InvalidInputError('--email "x" is not an email address', { hint: 'pass --email you@example.com' });
        },
      },
      { title: 'Request the certificate', run: third },
    ];
    const ui = render(<Tasks tasks={tasks} onDone={onDone} />);
    await waitFor(() => onDone.mock.calls.length === 1);
    const frame = await waitForFrame(ui.lastFrame, (f) => f.includes('skipped'));
    const lines = frame.split('\n');
    expect(lines[0]).toMatch(/^✔ Check the domain/);
    expect(lines[1]).toMatch(/^✖ Create the issuer \(\d+\.\ds\)$/);
    expect(lines[2]).toBe('    --email "x" is not an email address');
    expect(lines[3]).toBe('    next: pass --email you@example.com');
    expect(lines[4]).toBe('- Request the certificate (skipped)');
    expect(third).not.toHaveBeenCalled();
    const outcome = onDone.mock.calls[0]![0];
    expect(outcome.ok).toBe(false);
    expect(outcome.results.map((r) => r.status)).toEqual(['ok', 'failed', 'skipped']);
    expect(outcome.results[1]!.error).toBeInstanceOf(InvalidInputError);
  });

  it('keeps going after a failure with continueOnError', async () => {
    const onDone = vi.fn<(o: TasksOutcome) => void>();
    const tasks: Task[] = [
      { title: 'one', run: async () => Promise.reject(new Error('boom')) },
      { title: 'two', run: async () => 2 },
    ];
    const ui = render(<Tasks tasks={tasks} continueOnError onDone={onDone} />);
    await waitFor(() => onDone.mock.calls.length === 1);
    await waitForFrame(ui.lastFrame, (f) => f.includes('✔ two'));
    expect(ui.lastFrame()).toContain('    boom');
    const outcome = onDone.mock.calls[0]![0];
    expect(outcome.ok).toBe(false);
    expect(outcome.results.map((r) => r.status)).toEqual(['failed', 'ok']);
  });
});
