// The live view of a task sequence: a spinner and elapsed time on the running step, ✔/✖ with
// the time taken on finished ones, and a failure's message in place under its step.
import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { formatElapsed, runTaskSequence, type Task, type TaskState, type TasksOutcome } from '../tasks.js';
import { usePalette } from './theme.js';

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function TaskList({ states, now = Date.now }: { states: ReadonlyArray<TaskState>; now?: () => number }) {
  const p = usePalette();
  const running = states.some((s) => s.status === 'running');
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setFrame((f) => f + 1), 100);
    return () => clearInterval(timer);
  }, [running]);

  return (
    <Box flexDirection="column">
      {states.map((s, i) => {
        const time = s.ms !== undefined ? formatElapsed(s.ms) : s.startedAt !== undefined ? formatElapsed(now() - s.startedAt) : '';
        const lines: string[] = [];
        switch (s.status) {
          case 'pending':
            lines.push(`${p.dim('·')} ${p.dim(s.title)}`);
            break;
          case 'running':
            lines.push(`${p.warn(SPINNER_FRAMES[frame % SPINNER_FRAMES.length]!)} ${s.title} ${p.dim(`(${time})`)}${s.detail ? p.dim(` ${s.detail}`) : ''}`);
            break;
          case 'ok':
            lines.push(`${p.ok('✔')} ${s.title} ${p.dim(`(${time})`)}`);
            break;
          case 'failed':
            lines.push(`${p.err('✖')} ${s.title} ${p.dim(`(${time})`)}`);
            if (s.error) lines.push(`    ${p.err(s.error.message)}`);
            if (s.error?.hint) lines.push(`    ${p.dim('next:')} ${s.error.hint}`);
            break;
          case 'skipped':
            lines.push(`${p.dim('-')} ${p.dim(`${s.title} (skipped)`)}`);
            break;
        }
        return <Text key={i}>{lines.join('\n')}</Text>;
      })}
    </Box>
  );
}

export interface TasksProps {
  tasks: ReadonlyArray<Task>;
  continueOnError?: boolean | undefined;
  onDone: (outcome: TasksOutcome) => void;
  onError?: (err: unknown) => void;
}

/** Runs the tasks when mounted and shows them as they go. */
export function Tasks({ tasks, continueOnError, onDone, onError }: TasksProps) {
  const [states, setStates] = useState<TaskState[]>(() => tasks.map((t) => ({ title: t.title, status: 'pending' })));
  const [outcome, setOutcome] = useState<TasksOutcome | undefined>();
  useEffect(() => {
    let live = true;
    runTaskSequence(tasks, { continueOnError, onChange: (s) => live && setStates(s) }).then(
      (o) => live && setOutcome(o),
      (err: unknown) => live && onError?.(err),
    );
    return () => {
      live = false;
    };
    // The sequence runs once per mount; later prop changes do not restart it.
  }, []);
  // Report completion only after the final states are committed, so the last frame shows them.
  useEffect(() => {
    if (outcome) onDone(outcome);
  }, [outcome]);
  return <TaskList states={states} />;
}
