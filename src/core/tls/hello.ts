// Raw ClientHello probes: send one ClientHello, read the ServerHello (or alert), hang up. No key
// exchange happens, so a probe costs the client almost nothing — which is how sslscan is fast,
// and how doctor tells which versions, suites and groups a server accepts. For TLS 1.3 the hello
// carries no key share, so a server answers HelloRetryRequest naming its choice of group and
// suite; groups Node's OpenSSL cannot compute (X25519MLKEM768) are visible that way too.
import net from 'node:net';
import { randomBytes } from 'node:crypto';

export const GROUP_IDS: Record<string, number> = {
  X25519MLKEM768: 0x11ec,
  X25519: 0x001d,
  'P-256': 0x0017,
  'P-384': 0x0018,
  'P-521': 0x0019,
  X448: 0x001e,
  ffdhe2048: 0x0100,
  ffdhe3072: 0x0101,
  ffdhe4096: 0x0102,
  ffdhe6144: 0x0103,
  ffdhe8192: 0x0104,
};

export const VERSION_IDS = { TLSv1: 0x0301, 'TLSv1.1': 0x0302, 'TLSv1.2': 0x0303, 'TLSv1.3': 0x0304 } as const;
export type ProbeVersion = keyof typeof VERSION_IDS;

const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');
const SIG_ALGS = [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401, 0x0501, 0x0601, 0x0303, 0x0203, 0x0301, 0x0201];
const EC_GROUPS = [0x001d, 0x0017, 0x0018, 0x0019, 0x001e];
const FFDHE_GROUPS = [0x0100, 0x0101, 0x0102, 0x0103, 0x0104];

const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const u24 = (n: number) => Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const vec16 = (b: Buffer) => Buffer.concat([u16(b.length), b]);
const ext = (type: number, body: Buffer) => Buffer.concat([u16(type), vec16(body)]);
const list16 = (xs: readonly number[]) => vec16(Buffer.concat(xs.map(u16)));

export interface HelloSpec {
  version: ProbeVersion;
  suites: readonly number[];
  /** Groups to offer; defaults to every EC group (and the ffdhe groups for TLS 1.3). */
  groups?: readonly number[];
  servername?: string | undefined;
}

export function clientHello(spec: HelloSpec): Buffer {
  const tls13 = spec.version === 'TLSv1.3';
  const exts: Buffer[] = [];
  if (spec.servername) exts.push(ext(0x0000, vec16(Buffer.concat([Buffer.from([0]), vec16(Buffer.from(spec.servername, 'ascii'))]))));
  exts.push(ext(0x000a, list16(spec.groups ?? (tls13 ? [...EC_GROUPS, ...FFDHE_GROUPS] : EC_GROUPS))));
  exts.push(ext(0x000b, Buffer.from([1, 0]))); // ec_point_formats: uncompressed
  if (spec.version === 'TLSv1.2' || tls13) exts.push(ext(0x000d, list16(SIG_ALGS)));
  exts.push(ext(0x0017, Buffer.alloc(0))); // extended_master_secret
  exts.push(ext(0xff01, Buffer.from([0]))); // renegotiation_info
  if (tls13) {
    exts.push(ext(0x002b, Buffer.from([2, 0x03, 0x04])));
    exts.push(ext(0x002d, Buffer.from([1, 1])));
    exts.push(ext(0x0033, u16(0))); // key_share with no shares: the server must say what it wants
  }
  const body = Buffer.concat([
    u16(tls13 ? 0x0303 : VERSION_IDS[spec.version]),
    randomBytes(32),
    tls13 ? Buffer.concat([Buffer.from([32]), randomBytes(32)]) : Buffer.from([0]),
    list16(spec.suites),
    Buffer.from([1, 0]),
    vec16(Buffer.concat(exts)),
  ]);
  const handshake = Buffer.concat([Buffer.from([1]), u24(body.length), body]);
  return Buffer.concat([Buffer.from([0x16, 0x03, 0x01]), u16(handshake.length), handshake]);
}

export type HelloAnswer =
  | { kind: 'hello'; version: number; suite: number; group: number | undefined; retry: boolean }
  | { kind: 'alert'; description: number }
  | { kind: 'none'; error: string; unreachable: boolean };

/** Reads the ServerHello (or HelloRetryRequest) at the start of the server's first flight. */
export function parseServerHello(buf: Buffer): HelloAnswer | undefined {
  if (buf.length < 5) return undefined;
  if (buf[0] === 0x15) return buf.length >= 7 ? { kind: 'alert', description: buf[6]! } : undefined;
  if (buf[0] !== 0x16) return { kind: 'none', error: 'the answer is not TLS', unreachable: false };
  if (buf.length < 9) return undefined;
  if (buf[5] !== 0x02) return { kind: 'none', error: `unexpected handshake message ${buf[5]}`, unreachable: false };
  const end = 9 + ((buf[6]! << 16) | (buf[7]! << 8) | buf[8]!);
  if (buf.length < end) return undefined;
  let off = 9;
  let version = buf.readUInt16BE(off);
  const retry = buf.subarray(off + 2, off + 34).equals(HRR_RANDOM);
  off += 34;
  off += 1 + buf[off]!;
  const suite = buf.readUInt16BE(off);
  off += 3;
  let group: number | undefined;
  if (off + 2 <= end) {
    const extEnd = Math.min(end, off + 2 + buf.readUInt16BE(off));
    off += 2;
    while (off + 4 <= extEnd) {
      const type = buf.readUInt16BE(off);
      const len = buf.readUInt16BE(off + 2);
      if (type === 0x002b && len >= 2) version = buf.readUInt16BE(off + 4);
      if (type === 0x0033 && len >= 2) group = buf.readUInt16BE(off + 4);
      off += 4 + len;
    }
  }
  return { kind: 'hello', version, suite, group, retry };
}

export interface RawProbe {
  host: string;
  port: number;
  hello: Buffer;
  timeoutMs: number;
}

export function sendHello(p: RawProbe): Promise<HelloAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: p.host, port: p.port });
    let buf = Buffer.alloc(0);
    let done = false;
    let connected = false;
    const finish = (v: HelloAnswer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => finish({ kind: 'none', error: `no answer within ${p.timeoutMs} ms`, unreachable: !connected }), p.timeoutMs);
    socket.setNoDelay(true);
    socket.on('connect', () => {
      connected = true;
      socket.write(p.hello);
    });
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      // The ServerHello may span records only in theory; stitch the first record's payload.
      const answer = parseServerHello(buf);
      if (answer) finish(answer);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish({ kind: 'none', error: err.message, unreachable: !connected }));
    socket.on('end', () => finish({ kind: 'none', error: 'the server closed the connection without answering', unreachable: false }));
  });
}
