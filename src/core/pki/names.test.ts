import { describe, expect, it } from 'vitest';
import { fileNameFor, parseSan, parseSans, toDnsName } from './names.js';

describe('parseSan', () => {
  it('accepts DNS names, wildcards and IPs, and lowercases', () => {
    expect(parseSan('API.Example.com')).toEqual({ type: 'dns', value: 'api.example.com' });
    expect(parseSan('*.example.com')).toEqual({ type: 'dns', value: '*.example.com' });
    expect(parseSan('10.0.0.5')).toEqual({ type: 'ip', value: '10.0.0.5' });
    expect(parseSan('[0:0:0:0:0:0:0:1]')).toEqual({ type: 'ip', value: '::1' });
    expect(parseSan('localhost')).toEqual({ type: 'dns', value: 'localhost' });
  });
  it('converts internationalised names to punycode', () => {
    expect(parseSan('münchen.example.com').value).toBe('xn--mnchen-3ya.example.com');
    expect(parseSan('*.bücher.de').value).toBe('*.xn--bcher-kva.de');
  });
  it.each([
    ['', 'empty'],
    ['bad_name.example.com', 'underscores'],
    ['a.*.example.com', 'wildcard'],
    ['*.com', 'two labels'],
    ['-x.example.com', 'hyphen'],
    ['a..b', 'empty label'],
    ['http://x.example.com', 'contains'],
    ['300.1.1.1', 'all digits'],
    [`${'a'.repeat(64)}.example.com`, '1-63'],
  ])('refuses %j with a reason', (input, why) => {
    expect(() => parseSan(input)).toThrow(why);
  });
  it('de-duplicates and keeps order', () => {
    expect(parseSans(['b.example.com', 'a.example.com', 'B.example.com']).map((s) => s.value)).toEqual(['b.example.com', 'a.example.com']);
  });
  it('makes file names', () => {
    expect(fileNameFor('*.example.com')).toBe('wildcard.example.com');
    expect(fileNameFor('../etc/passwd')).toBe('_etc_passwd');
  });
});

describe('numeric hosts hidden in Unicode', () => {
  it('refuses a name that becomes an IPv4 address only after conversion (U+1FBF0 is a digit zero)', () => {
    expect(() => toDnsName('\u{1FBF0}')).toThrow(/all digits/);
    expect(toDnsName('\u{1FBF0}.example.com')).toBe('0.example.com');
  });
});
