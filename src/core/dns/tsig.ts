// TSIG (RFC 8945) signing and verification for DNS messages, HMAC-SHA256/512. No maintained
// npm package does this; dns-packet encodes the message, we append the TSIG record.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TsigAlgorithm = 'hmac-sha256' | 'hmac-sha512';

export interface TsigKey {
  /** Key name as configured on the server (e.g. "acme-update."). */
  name: string;
  algorithm: TsigAlgorithm;
  /** The shared secret, decoded from its base64 form. */
  secret: Buffer;
}

const TYPE_TSIG = 250;
const CLASS_ANY = 255;
const HASH: Record<TsigAlgorithm, string> = { 'hmac-sha256': 'sha256', 'hmac-sha512': 'sha512' };

/** Uncompressed, lower-case wire form of a domain name (RFC 8945 §4.3.3 canonical form). */
export function wireName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter((l) => l.length > 0);
  const parts: Buffer[] = [];
  for (const label of labels) {
    const b = Buffer.from(label.toLowerCase(), 'utf8');
    if (b.length > 63) throw new Error(`DNS label too long: ${label}`);
    parts.push(Buffer.from([b.length]), b);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function u48(n: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUIntBE(n, 0, 6);
  return b;
}

export interface TsigVariables {
  timeSigned: number;
  fudge: number;
  error: number;
  other: Buffer;
}

/** The bytes the MAC covers after the message (RFC 8945 §4.3.3). */
function variablesWire(key: TsigKey, v: TsigVariables): Buffer {
  return Buffer.concat([
    wireName(key.name),
    u16(CLASS_ANY),
    Buffer.alloc(4), // TTL 0
    wireName(key.algorithm),
    u48(v.timeSigned),
    u16(v.fudge),
    u16(v.error),
    u16(v.other.length),
    v.other,
  ]);
}

export function computeMac(options: { key: TsigKey; message: Buffer; variables: TsigVariables; requestMac?: Buffer }): Buffer {
  const h = createHmac(HASH[options.key.algorithm], options.key.secret);
  if (options.requestMac) h.update(Buffer.concat([u16(options.requestMac.length), options.requestMac]));
  h.update(options.message);
  h.update(variablesWire(options.key, options.variables));
  return h.digest();
}

/**
 * Appends a TSIG record to `message` (a complete DNS message without TSIG) and bumps ARCOUNT.
 * Returns the signed message and the MAC (needed to verify the response).
 */
export function signMessage(options: { message: Buffer; key: TsigKey; now?: number; fudge?: number }): { signed: Buffer; mac: Buffer } {
  const variables: TsigVariables = {
    timeSigned: Math.floor((options.now ?? Date.now()) / 1000),
    fudge: options.fudge ?? 300,
    error: 0,
    other: Buffer.alloc(0),
  };
  const mac = computeMac({ key: options.key, message: options.message, variables });
  const originalId = options.message.readUInt16BE(0);
  const rdata = Buffer.concat([
    wireName(options.key.algorithm),
    u48(variables.timeSigned),
    u16(variables.fudge),
    u16(mac.length),
    mac,
    u16(originalId),
    u16(variables.error),
    u16(0),
  ]);
  const rr = Buffer.concat([wireName(options.key.name), u16(TYPE_TSIG), u16(CLASS_ANY), Buffer.alloc(4), u16(rdata.length), rdata]);
  const signed = Buffer.concat([options.message, rr]);
  signed.writeUInt16BE(options.message.readUInt16BE(10) + 1, 10);
  return { signed, mac };
}

export interface TsigRecord {
  algorithm: string;
  timeSigned: number;
  fudge: number;
  mac: Buffer;
  originalId: number;
  error: number;
  other: Buffer;
  /** Offset where the TSIG RR begins in the message. */
  offset: number;
}

function readName(buf: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let next = -1;
  for (let hops = 0; hops < 64; hops++) {
    const len = buf[pos];
    if (len === undefined) throw new Error('truncated name');
    if ((len & 0xc0) === 0xc0) {
      if (next < 0) next = pos + 2;
      pos = ((len & 0x3f) << 8) | (buf[pos + 1] ?? 0);
      continue;
    }
    if (len === 0) {
      if (next < 0) next = pos + 1;
      return { name: labels.join('.').toLowerCase(), next };
    }
    labels.push(buf.subarray(pos + 1, pos + 1 + len).toString('utf8'));
    pos += 1 + len;
  }
  throw new Error('name compression loop');
}

function skipRecord(buf: Buffer, offset: number, question: boolean): number {
  const { next } = readName(buf, offset);
  if (question) return next + 4;
  const rdlen = buf.readUInt16BE(next + 8);
  return next + 10 + rdlen;
}

/** Finds the TSIG record, which must be the last additional record. */
export function findTsig(message: Buffer): TsigRecord | undefined {
  const counts = [4, 6, 8, 10].map((o) => message.readUInt16BE(o));
  const [qd = 0, an = 0, ns = 0, ar = 0] = counts;
  if (ar === 0) return undefined;
  let pos = 12;
  for (let i = 0; i < qd; i++) pos = skipRecord(message, pos, true);
  for (let i = 0; i < an + ns + ar - 1; i++) pos = skipRecord(message, pos, false);
  const start = pos;
  const { next } = readName(message, pos);
  if (message.readUInt16BE(next) !== TYPE_TSIG) return undefined;
  let p = next + 10;
  const alg = readName(message, p);
  p = alg.next;
  const timeSigned = message.readUIntBE(p, 6);
  const fudge = message.readUInt16BE(p + 6);
  const macLen = message.readUInt16BE(p + 8);
  const mac = message.subarray(p + 10, p + 10 + macLen);
  p += 10 + macLen;
  const originalId = message.readUInt16BE(p);
  const error = message.readUInt16BE(p + 2);
  const otherLen = message.readUInt16BE(p + 4);
  const other = message.subarray(p + 6, p + 6 + otherLen);
  return { algorithm: alg.name, timeSigned, fudge, mac: Buffer.from(mac), originalId, error, other: Buffer.from(other), offset: start };
}

export type TsigVerdict = { ok: true } | { ok: false; reason: string };

/** Verifies a signed response against the MAC of our request (RFC 8945 §5.3). */
export function verifyResponse(options: { response: Buffer; key: TsigKey; requestMac: Buffer; now?: number }): TsigVerdict {
  const tsig = findTsig(options.response);
  if (!tsig) return { ok: false, reason: 'the response is not signed' };
  if (tsig.error !== 0) return { ok: false, reason: `the server reported TSIG error ${tsigErrorName(tsig.error)}` };
  if (tsig.algorithm !== options.key.algorithm) return { ok: false, reason: `unexpected algorithm ${tsig.algorithm}` };
  const unsigned = Buffer.from(options.response.subarray(0, tsig.offset));
  unsigned.writeUInt16BE(unsigned.readUInt16BE(10) - 1, 10);
  unsigned.writeUInt16BE(tsig.originalId, 0);
  const expected = computeMac({
    key: options.key,
    message: unsigned,
    variables: { timeSigned: tsig.timeSigned, fudge: tsig.fudge, error: tsig.error, other: tsig.other },
    requestMac: options.requestMac,
  });
  if (expected.length !== tsig.mac.length || !timingSafeEqual(expected, tsig.mac)) return { ok: false, reason: 'the response MAC does not match' };
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - tsig.timeSigned) > tsig.fudge) return { ok: false, reason: 'the response time is outside the fudge window (clock skew?)' };
  return { ok: true };
}

export function tsigErrorName(code: number): string {
  return ({ 16: 'BADSIG', 17: 'BADKEY', 18: 'BADTIME', 22: 'BADTRUNC' } as Record<number, string>)[code] ?? String(code);
}

/** Reads a secret the way BIND key files and nsupdate -y write it: base64. */
export function parseTsigSecret(text: string): Buffer {
  const m = /secret\s+"([^"]+)"/.exec(text);
  const b64 = (m?.[1] ?? text).trim();
  if (!/^[A-Za-z0-9+/=\s]+$/.test(b64)) throw new Error('the TSIG secret must be base64 (as in a BIND key file)');
  const secret = Buffer.from(b64, 'base64');
  if (secret.length === 0) throw new Error('the TSIG secret is empty');
  return secret;
}
