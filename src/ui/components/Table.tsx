// A plain aligned table: bold header, two spaces between columns, no borders (easy to grep).
import { stripVTControlCharacters } from 'node:util';
import { Box, Text } from 'ink';
import { usePalette } from './theme.js';

export interface TableColumn {
  key: string;
  header: string;
  align?: 'left' | 'right';
}

export type TableRow = Record<string, string | number | boolean | null | undefined>;

export interface TableProps {
  columns: ReadonlyArray<TableColumn>;
  rows: ReadonlyArray<TableRow>;
  /** Shown instead of the table when there are no rows. */
  empty?: string | undefined;
}

const visibleWidth = (s: string): number => Array.from(stripVTControlCharacters(s)).length;

function pad(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - visibleWidth(s)));
  return align === 'right' ? fill + s : s + fill;
}

export function cellText(v: TableRow[string]): string {
  if (v === null || v === undefined) return '';
  return String(v);
}

export function Table({ columns, rows, empty }: TableProps) {
  const p = usePalette();
  if (rows.length === 0) return <Text>{p.dim(empty ?? 'nothing to show')}</Text>;
  const cells = rows.map((r) => columns.map((c) => cellText(r[c.key])));
  const widths = columns.map((c, i) => Math.max(visibleWidth(c.header), ...cells.map((row) => visibleWidth(row[i] ?? ''))));
  const line = (values: string[], style: (s: string) => string = (s) => s) =>
    values
      .map((v, i) => (i === values.length - 1 && columns[i]?.align !== 'right' ? v : pad(v, widths[i] ?? 0, columns[i]?.align)))
      .map(style)
      .join('  ');
  return (
    <Box flexDirection="column">
      <Text>{line(columns.map((c) => c.header.toUpperCase()), p.bold)}</Text>
      {cells.map((row, i) => (
        <Text key={i}>{line(row)}</Text>
      ))}
    </Box>
  );
}
