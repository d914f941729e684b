import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';
import { InvalidInputError } from '../errors.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['90d', 90 * 86_400_000],
    ['1y', 365 * 86_400_000],
    ['1.5s', 1500],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '10', 'ten seconds', '5 m', '-1s', '1h-', 'h1', '10x'])('rejects %j with the flag name and an example', (text) => {
    expect(() => parseDuration(text, '--wait')).toThrow(InvalidInputError);
    try {
      parseDuration(text, '--wait');
    } catch (err) {
      expect((err as InvalidInputError).message).toContain('--wait');
      expect((err as InvalidInputError).hint).toMatch(/30s/);
    }
  });
});

describe('formatDuration', () => {
  it('picks a readable unit', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(120_000)).toBe('2m');
    expect(formatDuration(3 * 86_400_000)).toBe('3d');
    expect(formatDuration(-2 * 3_600_000)).toBe('-2h');
  });
});
