import { describe, expect, it } from 'vitest';
import { newSerial, normalizeSerial } from './serial.js';

describe('newSerial', () => {
  it('is 16 bytes, positive, without a leading zero byte, even when the random source says otherwise', () => {
    expect(newSerial(() => Buffer.alloc(16, 0xff))).toBe('7f' + 'ff'.repeat(15));
    expect(newSerial(() => Buffer.alloc(16, 0))).toBe('01' + '00'.repeat(15));
  });
  it('differs between calls (≥ 126 random bits)', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => newSerial()));
    expect(seen.size).toBe(1000);
  });
  it('normalises serials from openssl and Node', () => {
    expect(normalizeSerial('00:AB:cd')).toBe('abcd');
    expect(normalizeSerial('0x0ABC')).toBe('abc');
  });
});
