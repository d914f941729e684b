// The JKS layout and its integrity digest, read back field by field (keytool reads the same files
// in test/integration/trust-commands.test.ts).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildJks } from './jks.js';

const der = (n: number) => Buffer.from(`30${(n + 2).toString(16).padStart(2, '0')}0400${'ab'.repeat(n)}`, 'hex');

function read(buf: Buffer) {
  let off = 0;
  const u32 = () => ((off += 4), buf.readUInt32BE(off - 4));
  const utf = () => {
    const len = buf.readUInt16BE(off);
    off += 2 + len;
    return buf.subarray(off - len, off).toString('utf8');
  };
  const head = { magic: u32(), version: u32(), count: u32() };
  const entries = [];
  for (let i = 0; i < head.count; i++) {
    const tag = u32();
    const alias = utf();
    const time = Number(buf.readBigInt64BE(off));
    off += 8;
    const type = utf();
    const len = u32();
    entries.push({ tag, alias, time, type, der: buf.subarray(off, (off += len)) });
  }
  return { head, entries, body: buf.subarray(0, off), digest: buf.subarray(off) };
}

describe('buildJks', () => {
  it('writes trusted-certificate entries keytool reads, with lower-case aliases and the creation time', () => {
    const now = new Date('2026-01-02T03:04:05Z');
    const f = read(buildJks([{ alias: 'Corp-Root', der: der(3) }, { alias: 'corp-intermediate', der: der(5) }], { password: 'changeit', now }));
    expect(f.head).toEqual({ magic: 0xfeedfeed, version: 2, count: 2 });
    expect(f.entries.map((e) => [e.tag, e.alias, e.time, e.type])).toEqual([
      [2, 'corp-root', now.getTime(), 'X.509'],
      [2, 'corp-intermediate', now.getTime(), 'X.509'],
    ]);
    expect(f.entries[1]!.der).toEqual(der(5));
  });

  it('ends with SHA-1(password as UTF-16BE, "Mighty Aphrodite", body): another password does not match', () => {
    const file = buildJks([{ alias: 'a', der: der(4) }], { password: 'pä55', now: new Date(0) });
    const { body, digest } = read(file);
    const expected = (pw: string) => createHash('sha1').update(Buffer.from(pw, 'utf16le').swap16()).update('Mighty Aphrodite').update(body).digest();
    expect(digest).toEqual(expected('pä55'));
    expect(digest).not.toEqual(expected('changeit'));
  });

  it('refuses two aliases keytool would merge', () => {
    expect(() => buildJks([{ alias: 'Root', der: der(1) }, { alias: 'root', der: der(2) }], { password: 'x' })).toThrow(/duplicate JKS alias root/);
  });
});

