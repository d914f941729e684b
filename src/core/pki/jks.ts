// Java KeyStore (JKS) trust stores, certificates only, for JVMs and tools that predate PKCS#12
// keystores (Java 8 and earlier default to JKS). The format is small and fixed: magic, version 2,
// one trustedCertEntry per certificate, then a SHA-1 over the password (UTF-16BE), the string
// "Mighty Aphrodite" and everything before it — the integrity check keytool verifies.
import { createHash } from 'node:crypto';

export interface JksEntry {
  alias: string;
  der: Buffer;
}

export interface JksOptions {
  password: string;
  /** Creation time stamped on each entry (injected for reproducible tests). */
  now?: Date;
}

const MAGIC = 0xfeedfeed;
const VERSION = 2;
const TRUSTED_CERT_ENTRY = 2;

/** Java's DataOutput.writeUTF: u16 length, then modified UTF-8 (aliases are ASCII here anyway). */
function utf(s: string): Buffer {
  const body = Buffer.from(s, 'utf8');
  if (body.length > 0xffff) throw new RangeError('JKS strings are limited to 65535 bytes');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(body.length);
  return Buffer.concat([len, body]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

export function buildJks(entries: readonly JksEntry[], o: JksOptions): Buffer {
  const aliases = new Set<string>();
  const parts: Buffer[] = [u32(MAGIC), u32(VERSION), u32(entries.length)];
  const stamp = Buffer.alloc(8);
  stamp.writeBigInt64BE(BigInt((o.now ?? new Date()).getTime()));
  for (const e of entries) {
    // keytool lower-cases JKS aliases; two that differ only in case would collide on load.
    const alias = e.alias.toLowerCase();
    if (aliases.has(alias)) throw new RangeError(`duplicate JKS alias ${alias}`);
    aliases.add(alias);
    parts.push(u32(TRUSTED_CERT_ENTRY), utf(alias), stamp, utf('X.509'), u32(e.der.length), e.der);
  }
  const body = Buffer.concat(parts);
  const digest = createHash('sha1')
    .update(Buffer.from(o.password, 'utf16le').swap16())
    .update('Mighty Aphrodite', 'utf8')
    .update(body)
    .digest();
  return Buffer.concat([body, digest]);
}
