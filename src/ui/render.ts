// The functions commands call to ask questions and show progress or tables. Ink and React are
// imported inside each function so that `--help`, `--version` and -o json paths never load them.
// Prompts draw on stderr: stdout carries only results.
import type { ReactElement } from 'react';
import { InterruptedError, MissingInputError } from '../core/errors.js';
import { colorEnabled, palette, type Palette } from './colors.js';
import { canPrompt } from './prompt-policy.js';
import type { SelectOption } from './components/Select.js';
import type { Validate } from './components/TextPrompt.js';
import type { TableColumn, TableRow } from './components/Table.js';
import type { ReportSection } from './components/Report.js';
import type { PromptCallbacks } from './components/theme.js';
import { formatElapsed, runTaskSequence, type Task, type TaskState, type TasksOutcome } from './tasks.js';

export type { SelectOption } from './components/Select.js';
export type { Validate } from './components/TextPrompt.js';
export type { TableColumn, TableRow } from './components/Table.js';
export type { ReportItem, ReportSection, ReportStatus } from './components/Report.js';
export type { Task, TaskResult, TaskUpdate, TasksOutcome } from './tasks.js';

/** What a prompt resolves with when the user pressed Esc: go back one step. */
export const BACK: unique symbol = Symbol('vibectl-tls.ui.back');
export type Back = typeof BACK;
export const isBack = (value: unknown): value is Back => value === BACK;

export interface UiStreams {
  stdin?: NodeJS.ReadStream | undefined;
  /** The results stream; prompting needs it to be a terminal too (see prompt-policy). */
  stdout?: NodeJS.WriteStream | undefined;
  /** Where prompts, spinners and task lines are drawn. */
  stderr?: NodeJS.WriteStream | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** --no-color. */
  noColor?: boolean | undefined;
}

export interface PromptOptions extends UiStreams {
  title: string;
  /** One line under the title: why this answer matters. */
  why?: string | undefined;
  /** The flags that answer this question instead, e.g. ['--issuer NAME']; named in the error when we may not prompt. */
  flags: string[];
  /** What is missing, for that error ("the issuer"); defaults to the title. */
  what?: string | undefined;
  /** --non-interactive (or a command's own reason not to ask). */
  nonInteractive?: boolean | undefined;
}

/** Throws MissingInputError naming the flags unless we may ask (TTY on both ends, not CI, not --non-interactive). */
export function ensureCanPrompt(options: Pick<PromptOptions, 'title' | 'what' | 'flags' | 'nonInteractive' | 'stdin' | 'stdout' | 'stderr' | 'env'>): void {
  const drawTo = options.stderr ?? process.stderr;
  const allowed = canPrompt({ nonInteractive: options.nonInteractive, env: options.env, stdin: options.stdin, stdout: options.stdout }) && Boolean(drawTo.isTTY);
  if (!allowed) throw new MissingInputError(options.what ?? options.title, options.flags);
}

function uiPalette(options: UiStreams, stream: NodeJS.WriteStream): Palette {
  return palette(colorEnabled({ noColor: options.noColor, stream, env: options.env }));
}

type Outcome<T> = { kind: 'answer'; value: T } | { kind: 'back' } | { kind: 'interrupt' };

async function runPrompt<T>(
  options: PromptOptions,
  build: (callbacks: PromptCallbacks<T>) => ReactElement,
  answerText: (value: T) => string,
): Promise<T | Back> {
  ensureCanPrompt(options);
  const [{ render, Text }, { createElement }, { PaletteContext }] = await Promise.all([
    import('ink'),
    import('react'),
    import('./components/theme.js'),
  ]);
  const out = options.stderr ?? process.stderr;
  const p = uiPalette(options, out);
  const wrap = (el: ReactElement) => createElement(PaletteContext.Provider, { value: p }, el);

  const outcome = await new Promise<Outcome<T>>((resolve) => {
    let settled = false;
    const settle = (o: Outcome<T>) => {
      if (settled) return;
      settled = true;
      if (o.kind === 'answer') {
        // Leave the question and its answer on screen, as a record of what was chosen.
        instance.rerender(wrap(createElement(Text, null, `${p.ok('✔')} ${p.bold(options.title)} ${p.dim('·')} ${answerText(o.value)}`)));
      } else {
        instance.clear();
      }
      instance.unmount();
      resolve(o);
    };
    const instance = render(
      wrap(
        build({
          onSubmit: (value) => settle({ kind: 'answer', value }),
          onBack: () => settle({ kind: 'back' }),
          onInterrupt: () => settle({ kind: 'interrupt' }),
        }),
      ),
      { stdin: options.stdin ?? process.stdin, stdout: out, stderr: out, exitOnCtrlC: false, patchConsole: false },
    );
  });
  if (outcome.kind === 'interrupt') throw new InterruptedError('interrupted: nothing was changed');
  if (outcome.kind === 'back') return BACK;
  return outcome.value;
}

export interface SelectPromptOptions<T> extends PromptOptions {
  options: ReadonlyArray<SelectOption<T>>;
  /** Preselected when enabled; otherwise the first enabled option is. */
  default?: T | undefined;
}

/** One choice from a list. Resolves with the value, or BACK on Esc; rejects with InterruptedError on Ctrl+C. */
export async function renderSelect<T>(options: SelectPromptOptions<T>): Promise<T | Back> {
  const { Select } = await import('./components/Select.js');
  const { createElement } = await import('react');
  return runPrompt<T>(
    options,
    (cb) => createElement(Select<T>, { title: options.title, why: options.why, options: options.options, defaultValue: options.default, ...cb }),
    (value) => options.options.find((o) => o.value === value)?.label ?? String(value),
  );
}

export interface TextPromptOptions extends PromptOptions {
  default?: string | undefined;
  placeholder?: string | undefined;
  /** Returns the message shown under the field when the value is not acceptable. */
  validate?: Validate | undefined;
}

/** A line of text. Empty input takes the default; invalid input shows the validator's message inline and stays. */
export async function renderText(options: TextPromptOptions): Promise<string | Back> {
  const { TextPrompt } = await import('./components/TextPrompt.js');
  const { createElement } = await import('react');
  return runPrompt<string>(
    options,
    (cb) =>
      createElement(TextPrompt, {
        title: options.title,
        why: options.why,
        defaultValue: options.default,
        placeholder: options.placeholder,
        validate: options.validate,
        ...cb,
      }),
    (value) => value,
  );
}

export interface ConfirmPromptOptions extends PromptOptions {
  default: boolean;
}

/** Yes or no. A command that has -y should check it before calling this. */
export async function renderConfirm(options: ConfirmPromptOptions): Promise<boolean | Back> {
  const { Confirm } = await import('./components/Confirm.js');
  const { createElement } = await import('react');
  return runPrompt<boolean>(
    options,
    (cb) => createElement(Confirm, { title: options.title, why: options.why, defaultValue: options.default, ...cb }),
    (value) => (value ? 'yes' : 'no'),
  );
}

export interface RenderTasksOptions extends UiStreams {
  continueOnError?: boolean | undefined;
  /** Animate (spinner, live times). Default: when stderr is a terminal and CI is not set. */
  animate?: boolean | undefined;
}

function shouldAnimate(options: RenderTasksOptions, out: NodeJS.WriteStream): boolean {
  if (options.animate !== undefined) return options.animate;
  const env = options.env ?? process.env;
  const ci = Boolean(env.CI && env.CI !== '0' && env.CI.toLowerCase() !== 'false');
  return Boolean(out.isTTY) && !ci;
}

/** One finished step as a plain line: `✔ title (1.2s)`, with a failure's message and next step under it. */
export function taskLine(state: TaskState, p: Palette): string {
  const time = p.dim(`(${formatElapsed(state.ms ?? 0)})`);
  switch (state.status) {
    case 'ok':
      return `${p.ok('✔')} ${state.title} ${time}`;
    case 'failed': {
      const lines = [`${p.err('✖')} ${state.title} ${time}`];
      if (state.error) lines.push(`    ${state.error.message}`);
      if (state.error?.hint) lines.push(`    ${p.dim('next:')} ${state.error.hint}`);
      return lines.join('\n');
    }
    case 'skipped':
      return `${p.dim('-')} ${state.title} ${p.dim('(skipped)')}`;
    default:
      return `${p.dim('·')} ${state.title}`;
  }
}

/**
 * Runs the steps in order, showing them on stderr, and returns every step's result. A failed step
 * stops the rest (they are reported as skipped) unless continueOnError is set. Never throws for a
 * failed step: the outcome says what failed.
 */
export async function renderTasks(tasks: ReadonlyArray<Task>, options: RenderTasksOptions = {}): Promise<TasksOutcome> {
  const out = options.stderr ?? process.stderr;
  const p = uiPalette(options, out);
  if (!shouldAnimate(options, out)) {
    const printed = new Set<number>();
    return runTaskSequence(tasks, {
      continueOnError: options.continueOnError,
      onChange: (states) =>
        states.forEach((s, i) => {
          if (printed.has(i) || s.status === 'pending' || s.status === 'running') return;
          printed.add(i);
          out.write(taskLine(s, p) + '\n');
        }),
    });
  }
  const [{ render }, { createElement }, { PaletteContext }, { Tasks }] = await Promise.all([
    import('ink'),
    import('react'),
    import('./components/theme.js'),
    import('./components/TaskList.js'),
  ]);
  return new Promise<TasksOutcome>((resolve, reject) => {
    const instance = render(
      createElement(
        PaletteContext.Provider,
        { value: p },
        createElement(Tasks, {
          tasks,
          continueOnError: options.continueOnError,
          onDone: (outcome) => {
            instance.unmount();
            instance.waitUntilExit().then(() => resolve(outcome), reject);
          },
          onError: (err) => {
            instance.unmount();
            reject(err);
          },
        }),
      ),
      { stdin: options.stdin ?? process.stdin, stdout: out, stderr: out, patchConsole: false },
    );
  });
}

export interface RenderTableOptions {
  columns: ReadonlyArray<TableColumn>;
  rows: ReadonlyArray<TableRow>;
  empty?: string | undefined;
  noColor?: boolean | undefined;
  /** The stream the text will go to, for the colour decision (default stdout). */
  stream?: NodeJS.WriteStream | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

// Wide enough that Ink never wraps a row: the terminal (or a pager) wraps if it must.
const STATIC_COLUMNS = 10_000;

async function renderStatic(element: (p: Palette) => Promise<ReactElement>, options: { noColor?: boolean | undefined; stream?: NodeJS.WriteStream | undefined; env?: NodeJS.ProcessEnv | undefined }): Promise<string> {
  const [{ renderToString }, { createElement }, { PaletteContext }] = await Promise.all([import('ink'), import('react'), import('./components/theme.js')]);
  const p = palette(colorEnabled({ noColor: options.noColor, stream: options.stream ?? process.stdout, env: options.env }));
  const text = renderToString(createElement(PaletteContext.Provider, { value: p }, await element(p)), { columns: STATIC_COLUMNS });
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}

/** A table as text, for `this.emit(result, () => text)`; the same string on a terminal or in a pipe. */
export async function renderTable(options: RenderTableOptions): Promise<string> {
  return renderStatic(async () => {
    const [{ Table }, { createElement }] = await Promise.all([import('./components/Table.js'), import('react')]);
    return createElement(Table, { columns: options.columns, rows: options.rows, empty: options.empty });
  }, options);
}

export interface RenderReportOptions {
  title?: string | undefined;
  sections: ReadonlyArray<ReportSection>;
  summary?: boolean | undefined;
  noColor?: boolean | undefined;
  stream?: NodeJS.WriteStream | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

/** A ✔ / ‼ / ✖ report as text. */
export async function renderReport(options: RenderReportOptions): Promise<string> {
  return renderStatic(async () => {
    const [{ Report }, { createElement }] = await Promise.all([import('./components/Report.js'), import('react')]);
    return createElement(Report, { title: options.title, sections: options.sections, summary: options.summary });
  }, options);
}
