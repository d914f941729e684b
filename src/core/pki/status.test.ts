import { describe, expect, it } from 'vitest';
import { classify, daysLeft, isFailing } from './status.js';

const now = new Date('2026-06-01T00:00:00Z');
const at = (days: number) => new Date(now.getTime() + days * 86_400_000);

describe('classify', () => {
  it('sorts certificates into the four states', () => {
    expect(classify({ notBefore: at(-1), notAfter: at(31) }, { now, days: 30 })).toBe('Valid');
    expect(classify({ notBefore: at(-1), notAfter: at(30) }, { now, days: 30 })).toBe('Expiring soon');
    expect(classify({ notBefore: at(-1), notAfter: at(0) }, { now, days: 30 })).toBe('Expired');
    expect(classify({ notBefore: at(-1), notAfter: at(300), revoked: true }, { now, days: 30 })).toBe('Revoked');
  });
  it('honours --days', () => {
    expect(classify({ notBefore: at(-1), notAfter: at(10) }, { now, days: 7 })).toBe('Valid');
  });
  it('fails on anything but Valid, and counts days down', () => {
    expect(isFailing('Valid')).toBe(false);
    expect(isFailing('Expiring soon')).toBe(true);
    expect(daysLeft(at(-0.5), now)).toBe(-1);
  });
});
