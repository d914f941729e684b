// Yes/no question: y or n answers, Enter takes the default, Esc goes back.
import { Box, Text, useInput } from 'ink';
import { PromptHeader } from './PromptHeader.js';
import { usePalette, type PromptCallbacks } from './theme.js';

export interface ConfirmProps extends PromptCallbacks<boolean> {
  title: string;
  why?: string | undefined;
  defaultValue: boolean;
}

export function Confirm(props: ConfirmProps) {
  const p = usePalette();
  useInput((input, key) => {
    if (key.ctrl && input === 'c') return props.onInterrupt();
    if (key.escape) return props.onBack();
    if (key.return) return props.onSubmit(props.defaultValue);
    if (input === 'y' || input === 'Y') return props.onSubmit(true);
    if (input === 'n' || input === 'N') return props.onSubmit(false);
  });
  const choices = props.defaultValue ? 'Y/n' : 'y/N';
  return (
    <Box flexDirection="column">
      <PromptHeader title={`${props.title} ${p.dim(`(${choices})`)}`} why={props.why} />
      <Text>{'  ' + p.dim('y yes · n no · Enter default · Esc back')}</Text>
    </Box>
  );
}
