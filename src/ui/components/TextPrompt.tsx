// Free-text answer with inline validation: the message appears under the field on Enter and
// clears as soon as the text changes. Empty input takes the default.
import { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { KeyHints, PromptHeader } from './PromptHeader.js';
import { usePalette, type PromptCallbacks } from './theme.js';

/** Returns a message when the value is not acceptable, nothing when it is. */
export type Validate = (value: string) => string | undefined | null;

export interface TextPromptProps extends PromptCallbacks<string> {
  title: string;
  why?: string | undefined;
  defaultValue?: string | undefined;
  placeholder?: string | undefined;
  validate?: Validate | undefined;
}

// Printable characters only: escape sequences the parser did not recognise must not land in the value.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

export function TextPrompt(props: TextPromptProps) {
  const p = usePalette();
  const [value, setShown] = useState('');
  const [error, setError] = useState<string | undefined>();
  // The live value, so Enter right after fast typing submits every character typed.
  const live = useRef('');
  const setValue = (next: (v: string) => string) => {
    live.current = next(live.current);
    setShown(live.current);
  };

  const submit = () => {
    const answer = live.current === '' ? (props.defaultValue ?? '') : live.current;
    const problem = props.validate?.(answer) ?? undefined;
    if (problem) return setError(problem);
    return props.onSubmit(answer);
  };

  useInput((input, key) => {
    if (key.ctrl && input === 'c') return props.onInterrupt();
    if (key.escape) return props.onBack();
    if (key.return) return submit();
    // A paste, or fast typing on a busy machine, can arrive as one chunk "text\r": type the text, then submit.
    const newline = input.search(/[\r\n]/);
    if (newline > 0 && !key.ctrl && !key.meta) {
      const typed = input.slice(0, newline).replace(CONTROL, '');
      if (typed) setValue((v) => v + typed);
      setError(undefined);
      return submit();
    }
    if (key.backspace || key.delete) {
      setValue((v) => Array.from(v).slice(0, -1).join(''));
      return setError(undefined);
    }
    if (key.ctrl && input === 'u') {
      setValue(() => '');
      return setError(undefined);
    }
    if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab) return;
    const typed = input.replace(CONTROL, '');
    if (typed) {
      setValue((v) => v + typed);
      setError(undefined);
    }
  });

  const hintText = props.defaultValue ? `default: ${props.defaultValue}` : props.placeholder;
  const field = value === '' && hintText ? p.dim(hintText) : value;
  return (
    <Box flexDirection="column">
      <PromptHeader title={props.title} why={props.why} />
      <Text>{`${p.ok('›')} ${field}${p.dim('▏')}`}</Text>
      {error ? <Text>{`  ${p.err('✖')} ${error}`}</Text> : null}
      <KeyHints hints={['Enter accept', 'Esc back']} />
    </Box>
  );
}
