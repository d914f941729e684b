// Single choice from a list: arrows or j/k move (skipping disabled options), Enter picks,
// Esc goes back, Ctrl+C interrupts.
import { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { KeyHints, PromptHeader } from './PromptHeader.js';
import { usePalette, type PromptCallbacks } from './theme.js';

export interface SelectOption<T> {
  value: T;
  label: string;
  /** Shown dimmed after the label. */
  hint?: string;
  /** When set, the option is shown but cannot be picked; the text says why. */
  disabled?: string;
}

export interface SelectProps<T> extends PromptCallbacks<T> {
  title: string;
  why?: string | undefined;
  options: ReadonlyArray<SelectOption<T>>;
  defaultValue?: T | undefined;
}

export function initialIndex<T>(options: ReadonlyArray<SelectOption<T>>, defaultValue: T | undefined): number {
  const preferred = defaultValue === undefined ? -1 : options.findIndex((o) => o.value === defaultValue && !o.disabled);
  if (preferred >= 0) return preferred;
  return Math.max(0, options.findIndex((o) => !o.disabled));
}

function step<T>(options: ReadonlyArray<SelectOption<T>>, from: number, delta: 1 | -1): number {
  for (let i = 1; i <= options.length; i++) {
    const next = (from + delta * i + options.length) % options.length;
    if (!options[next]?.disabled) return next;
  }
  return from;
}

export function Select<T>(props: SelectProps<T>) {
  const { options } = props;
  const p = usePalette();
  const [index, setIndex] = useState(() => initialIndex(options, props.defaultValue));
  // Keys can arrive faster than React re-renders (pastes, scripted terminals): read the live
  // position from a ref so Enter picks what the last arrow moved to, not a stale render's.
  const current = useRef(index);
  const move = (delta: 1 | -1) => {
    current.current = step(options, current.current, delta);
    setIndex(current.current);
  };

  useInput((input, key) => {
    if (key.ctrl && input === 'c') return props.onInterrupt();
    if (key.escape) return props.onBack();
    if (key.upArrow || input === 'k') return move(-1);
    if (key.downArrow || input === 'j') return move(1);
    if (key.return) {
      const chosen = options[current.current];
      if (chosen && !chosen.disabled) props.onSubmit(chosen.value);
    }
  });

  return (
    <Box flexDirection="column">
      <PromptHeader title={props.title} why={props.why} />
      {options.map((o, i) => {
        const active = i === index;
        const pointer = active ? p.ok('❯') : ' ';
        const label = o.disabled ? p.dim(o.label) : active ? p.ok(o.label) : o.label;
        const extra = o.disabled ? p.dim(`  (unavailable: ${o.disabled})`) : o.hint ? p.dim(`  ${o.hint}`) : '';
        return <Text key={i}>{`${pointer} ${label}${extra}`}</Text>;
      })}
      <KeyHints hints={['↑/↓ move', 'Enter select', 'Esc back']} />
    </Box>
  );
}
