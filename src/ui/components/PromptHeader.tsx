import { Box, Text } from 'ink';
import { usePalette } from './theme.js';

/** The question and its one-line "why this matters". */
export function PromptHeader({ title, why }: { title: string; why?: string | undefined }) {
  const p = usePalette();
  return (
    <Box flexDirection="column">
      <Text>
        {p.ok('?')} {p.bold(title)}
      </Text>
      {why ? <Text>{'  ' + p.dim(why)}</Text> : null}
    </Box>
  );
}

export function KeyHints({ hints }: { hints: string[] }) {
  const p = usePalette();
  return <Text>{'  ' + p.dim(hints.join(' · '))}</Text>;
}
