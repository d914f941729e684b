// A check report in the linkerd style: sections of ✔ / ‼ / ✖ lines, each failure with its
// detail and next step, then a one-line summary.
import { Box, Text } from 'ink';
import type { Palette } from '../colors.js';
import { usePalette } from './theme.js';

export type ReportStatus = 'ok' | 'warn' | 'fail' | 'info' | 'skip';

export interface ReportItem {
  status: ReportStatus;
  title: string;
  /** Stable code (TLS012) printed before the title so users can search the docs. */
  code?: string | undefined;
  detail?: string | undefined;
  hint?: string | undefined;
}

export interface ReportSection {
  title: string;
  items: ReadonlyArray<ReportItem>;
}

export interface ReportProps {
  title?: string | undefined;
  sections: ReadonlyArray<ReportSection>;
  /** Print "N passed, N warnings, N errors" at the end. */
  summary?: boolean | undefined;
}

export function statusMark(status: ReportStatus, p: Palette): string {
  switch (status) {
    case 'ok':
      return p.ok('✔');
    case 'warn':
      return p.warn('‼');
    case 'fail':
      return p.err('✖');
    case 'info':
      return p.dim('ℹ');
    case 'skip':
      return p.dim('-');
  }
}

export function countStatuses(sections: ReadonlyArray<ReportSection>): Record<ReportStatus, number> {
  const counts: Record<ReportStatus, number> = { ok: 0, warn: 0, fail: 0, info: 0, skip: 0 };
  for (const s of sections) for (const item of s.items) counts[item.status]++;
  return counts;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function Report({ title, sections, summary = true }: ReportProps) {
  const p = usePalette();
  const lines: string[] = [];
  if (title) lines.push(p.bold(title), '');
  sections.forEach((section, i) => {
    if (i > 0) lines.push('');
    lines.push(p.bold(section.title));
    lines.push(p.dim('─'.repeat(Math.max(3, section.title.length))));
    for (const item of section.items) {
      const code = item.code ? `${p.dim(`[${item.code}]`)} ` : '';
      lines.push(`${statusMark(item.status, p)} ${code}${item.status === 'skip' ? p.dim(item.title) : item.title}`);
      if (item.detail) for (const d of item.detail.split('\n')) lines.push(`    ${d}`);
      if (item.hint) lines.push(`    ${p.dim('next:')} ${item.hint}`);
    }
  });
  if (summary) {
    const c = countStatuses(sections);
    const parts = [p.ok(`${c.ok} passed`), c.warn ? p.warn(plural(c.warn, 'warning')) : plural(0, 'warning'), c.fail ? p.err(plural(c.fail, 'error')) : plural(0, 'error')];
    if (c.skip) parts.push(p.dim(`${c.skip} skipped`));
    lines.push('', parts.join(', '));
  }
  return (
    <Box flexDirection="column">
      <Text>{lines.join('\n')}</Text>
    </Box>
  );
}
