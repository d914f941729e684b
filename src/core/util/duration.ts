// Durations as users type them: 500ms, 10s, 5m, 1h30m, 90d, 2y (y = 365 d).
import { InvalidInputError } from '../errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** Anything longer is a typo, and would overflow a Date (±8.64e15 ms) once added to now. */
export const MAX_DURATION_MS = 1000 * UNITS.y!;

export function parseDuration(input: string, flag = 'duration'): number {
  const text = input.trim();
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    matched = re.lastIndex;
  }
  if (text === '' || matched !== text.length || !Number.isFinite(total)) {
    throw new InvalidInputError(`${flag} "${input}" is not a duration`, { hint: 'use a number with a unit: 500ms, 30s, 5m, 1h30m, 90d, 1y' });
  }
  if (total > MAX_DURATION_MS) {
    throw new InvalidInputError(`${flag} "${input}" is too long (at most 1000y)`, { hint: 'use a number with a unit: 500ms, 30s, 5m, 1h30m, 90d, 1y' });
  }
  return Math.round(total);
}

export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  if (abs < 1000) return `${sign}${Math.round(abs)}ms`;
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(abs < 10_000 ? 1 : 0)}s`;
  if (abs < 3_600_000) return `${sign}${Math.round(abs / 60_000)}m`;
  if (abs < 2 * 86_400_000) return `${sign}${Math.round(abs / 3_600_000)}h`;
  return `${sign}${Math.round(abs / 86_400_000)}d`;
}
