// Certificate serial numbers: 128 random bits with the top bit cleared (positive INTEGER) and the
// first byte non-zero (no leading-zero trimming), so every serial has ≥ 126 bits of entropy
// (CA/B Forum asks for ≥ 64). The random source is injectable for tests.
import { randomBytes } from 'node:crypto';

export function newSerial(random: (n: number) => Buffer = randomBytes): string {
  const b = Buffer.from(random(16));
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b.toString('hex');
}

/** Canonical form for comparing serials from different tools: lowercase hex without leading zeros or colons. */
export function normalizeSerial(s: string): string {
  const hex = s.replace(/[:\s]/g, '').toLowerCase().replace(/^0x/, '').replace(/^0+(?=.)/, '');
  return hex;
}
