// Property-based tests of the parsers everything else trusts: PEM framing, X.509 reading, SANs,
// DNS-name validation and durations. fast-check shrinks any failure to a minimal input.
import { X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.js';
import { MAX_DURATION_MS, parseDuration } from '../../src/core/util/duration.js';
import { formatSan, parseSan, parseSans, toDnsName, type San } from '../../src/core/pki/names.js';
import { concatPem, readCertificateDers, splitPem, toPem } from '../../src/core/pki/pem.js';
import { makePki, type TestPki } from '../support/doctor-pki.js';

const RUNS = { numRuns: 300 };
const label = fc.stringMatching(/^[A-Z0-9]+( [A-Z0-9]+){0,3}$/).filter((l) => l.length <= 40);
const der = fc.uint8Array({ minLength: 0, maxLength: 2048 });

describe('PEM', () => {
  it('toPem → splitPem gives back the label and the bytes', () => {
    fc.assert(
      fc.property(label, der, (l, d) => {
        const blocks = splitPem(toPem(l, d));
        expect(blocks).toHaveLength(1);
        expect(blocks[0]!.label).toBe(l);
        expect(Buffer.compare(blocks[0]!.der, Buffer.from(d))).toBe(0);
      }),
      RUNS,
    );
  });

  it('concatenated blocks, with CRLF and junk between them, split back in order', () => {
    const junk = fc.string({ maxLength: 40 }).filter((s) => !s.includes('-----'));
    fc.assert(
      fc.property(fc.array(fc.tuple(label, der), { minLength: 1, maxLength: 6 }), junk, fc.boolean(), (items, j, crlf) => {
        let text = items.map(([l, d]) => toPem(l, d)).join(j + '\n');
        if (crlf) text = text.replace(/\n/g, '\r\n');
        const blocks = splitPem(concatPem(text));
        expect(blocks.map((b) => b.label)).toEqual(items.map(([l]) => l));
        blocks.forEach((b, i) => expect(Buffer.compare(b.der, Buffer.from(items[i]![1]))).toBe(0));
      }),
      RUNS,
    );
  });

  it('splitPem never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (t) => {
        splitPem(t);
        splitPem(`-----BEGIN CERTIFICATE-----\n${t}\n-----END CERTIFICATE-----\n`);
      }),
      RUNS,
    );
  });
});

describe('X.509 reading', () => {
  let pki: TestPki;
  let certDer: Buffer;
  beforeAll(async () => {
    pki = await makePki('Properties');
    const leaf = await pki.leaf({ cn: 'p.example.com', dnsNames: ['p.example.com', 'q.example.com'] });
    certDer = Buffer.from(leaf.cert.rawData);
  });

  it('a real certificate, in PEM (any line ending) or DER, reads back byte-identical', () => {
    fc.assert(
      fc.property(fc.constantFrom('\n', '\r\n'), fc.boolean(), (eol, asDer) => {
        const input = asDer ? certDer : Buffer.from(toPem('CERTIFICATE', certDer).replace(/\n/g, eol));
        const [d] = readCertificateDers(input, 'cert');
        expect(Buffer.compare(d!, certDer)).toBe(0);
      }),
      { numRuns: 20 },
    );
  });

  it('any corruption of the bytes is either still a certificate or an InvalidInputError naming the input', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.nat(), (pos, xor, cut) => {
        const bad = Buffer.from(certDer);
        bad[pos % bad.length]! ^= xor;
        const truncated = bad.subarray(0, Math.max(1, bad.length - (cut % bad.length)));
        for (const input of [bad, truncated, Buffer.from(toPem('CERTIFICATE', truncated))]) {
          try {
            const [d] = readCertificateDers(input, 'the-input.pem');
            expect(() => new X509Certificate(d!)).not.toThrow();
          } catch (err) {
            expect(err).toBeInstanceOf(InvalidInputError);
            expect((err as Error).message).toContain('the-input.pem');
          }
        }
      }),
      RUNS,
    );
  });

  it('arbitrary bytes are never anything but a certificate or an InvalidInputError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (bytes, armour) => {
        const input = armour ? Buffer.from(toPem('CERTIFICATE', bytes)) : Buffer.from(bytes);
        try {
          readCertificateDers(input, 'x');
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidInputError);
        }
      }),
      RUNS,
    );
  });
});

describe('DNS names', () => {
  const anyString = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'grapheme', maxLength: 80 }),
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.domain(),
    fc.domain().map((d) => `*.${d}`),
    fc.array(fc.stringMatching(/^[a-zA-Z0-9äöüßçé_*-]{0,70}$/), { minLength: 1, maxLength: 8 }).map((ls) => ls.join('.')),
  );

  it('any string is either a valid punycode name of at most 253 characters or an InvalidInputError', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        let out: string;
        try {
          out = toDnsName(s);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidInputError);
          return;
        }
        expect(out.length).toBeLessThanOrEqual(253);
        expect(out).toMatch(/^[\x21-\x7e]+$/);
        const labels = out.replace(/^\*\./, '').split('.');
        expect(labels.length).toBeGreaterThanOrEqual(out.startsWith('*.') ? 2 : 1);
        for (const l of labels) expect(l).toMatch(/^(?!-)[a-z0-9-]{1,63}(?<!-)$/);
        expect(out.slice(2)).not.toContain('*');
        // Valid output is a fixed point.
        expect(toDnsName(out)).toBe(out);
      }),
      { numRuns: 1000 },
    );
  });

  it('generated valid domains are accepted, lower-cased', () => {
    fc.assert(
      fc.property(fc.domain(), (d) => {
        fc.pre(!/\.\d+$/.test(d) && d.length <= 253 && !d.includes('_'));
        expect(toDnsName(d)).toBe(d.toLowerCase());
      }),
      RUNS,
    );
  });
});

describe('SANs', () => {
  const san: fc.Arbitrary<string> = fc.oneof(fc.domain(), fc.ipV4(), fc.ipV6(), fc.ipV6().map((ip) => `[${ip}]`), fc.domain().map((d) => `*.${d}`));

  it('parse → format → parse is stable', () => {
    fc.assert(
      fc.property(san, (s) => {
        let parsed: San;
        try {
          parsed = parseSan(s);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidInputError);
          return;
        }
        const formatted = formatSan(parsed);
        expect(formatted).toMatch(/^(DNS|IP):/);
        const again = parseSan(formatted.replace(/^(DNS|IP):/, ''));
        expect(again).toEqual(parsed);
      }),
      RUNS,
    );
  });

  it('parseSans de-duplicates and keeps first-seen order', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.ipV4(), fc.constantFrom('a.example.com', 'B.example.com', 'b.example.com', '::1', '0:0::1')), { maxLength: 12 }), (list) => {
        const out = parseSans(list).map(formatSan);
        expect(new Set(out).size).toBe(out.length);
        const expected: string[] = [];
        for (const s of list) {
          const f = formatSan(parseSan(s));
          if (!expected.includes(f)) expected.push(f);
        }
        expect(out).toEqual(expected);
      }),
      RUNS,
    );
  });
});

describe('durations', () => {
  const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 } as const;
  const part = fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(...(Object.keys(UNIT_MS) as Array<keyof typeof UNIT_MS>)));

  it('a generated duration parses to the sum of its parts', () => {
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), (parts) => {
        const text = parts.map(([n, u]) => `${n}${u}`).join('');
        const sum = parts.reduce((acc, [n, u]) => acc + n * UNIT_MS[u], 0);
        if (sum > MAX_DURATION_MS) {
          expect(() => parseDuration(text)).toThrow(InvalidInputError);
        } else {
          expect(parseDuration(text)).toBe(sum);
        }
      }),
      RUNS,
    );
  });

  it('anything else is an InvalidInputError, never a NaN or a crash', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        try {
          const ms = parseDuration(s);
          expect(Number.isFinite(ms)).toBe(true);
          expect(ms).toBeGreaterThanOrEqual(0);
          expect(ms).toBeLessThanOrEqual(MAX_DURATION_MS);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidInputError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
