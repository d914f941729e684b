// Runs a list of steps one after another and keeps the state a task list shows: which step runs,
// how long each took, and what failed. Shared by the animated Ink list and the plain stderr lines.

/** A step reports progress ("waiting for the Order to be valid") through update. */
export type TaskUpdate = (detail: string) => void;

export interface Task<T = unknown> {
  title: string;
  run: (update: TaskUpdate) => Promise<T>;
}

export type TaskStatus = 'pending' | 'running' | 'ok' | 'failed' | 'skipped';

export interface TaskState {
  title: string;
  status: TaskStatus;
  detail?: string | undefined;
  startedAt?: number | undefined;
  ms?: number | undefined;
  /** One-line cause and, when the error carries one, the next step. */
  error?: { message: string; hint?: string | undefined } | undefined;
}

export interface TaskResult<T = unknown> {
  title: string;
  status: 'ok' | 'failed' | 'skipped';
  ms: number;
  value?: T;
  error?: unknown;
}

export interface TasksOutcome {
  /** True when every step ran and none failed. */
  ok: boolean;
  results: TaskResult[];
}

export interface RunTasksOptions {
  /** Keep going after a failed step instead of skipping the rest. */
  continueOnError?: boolean | undefined;
  now?: (() => number) | undefined;
  /** Called with a fresh copy of the states whenever something changes. */
  onChange?: ((states: TaskState[]) => void) | undefined;
}

export function describeError(err: unknown): { message: string; hint?: string | undefined } {
  const message = err instanceof Error ? err.message : String(err);
  const hint = typeof (err as { hint?: unknown } | null)?.hint === 'string' ? (err as { hint: string }).hint : undefined;
  return { message: message || 'failed', hint };
}

export async function runTaskSequence(tasks: ReadonlyArray<Task>, options: RunTasksOptions = {}): Promise<TasksOutcome> {
  const now = options.now ?? Date.now;
  const states: TaskState[] = tasks.map((t) => ({ title: t.title, status: 'pending' }));
  const results: TaskResult[] = [];
  const changed = () => options.onChange?.(states.map((s) => ({ ...s })));
  let failed = false;

  for (const [i, task] of tasks.entries()) {
    const state = states[i]!;
    if (failed && !options.continueOnError) {
      state.status = 'skipped';
      results.push({ title: task.title, status: 'skipped', ms: 0 });
      continue;
    }
    const started = now();
    state.status = 'running';
    state.startedAt = started;
    changed();
    const update: TaskUpdate = (detail) => {
      if (state.status !== 'running') return;
      state.detail = detail;
      changed();
    };
    try {
      const value = await task.run(update);
      state.status = 'ok';
      state.ms = now() - started;
      results.push({ title: task.title, status: 'ok', ms: state.ms, value });
    } catch (err) {
      failed = true;
      state.status = 'failed';
      state.ms = now() - started;
      state.error = describeError(err);
      results.push({ title: task.title, status: 'failed', ms: state.ms, error: err });
    }
    changed();
  }
  changed();
  return { ok: !failed, results };
}

/** 0.4s, 12.3s, 2m05s: short enough to sit beside a step title. */
export function formatElapsed(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalSeconds = Math.round(ms / 1000);
  return `${Math.floor(totalSeconds / 60)}m${String(totalSeconds % 60).padStart(2, '0')}s`;
}
