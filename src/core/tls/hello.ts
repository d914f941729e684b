// Raw TLS 1.3 ClientHello probes for key-exchange groups. Offering a group in supported_groups
// with no key share makes a server that supports it answer HelloRetryRequest naming the group;
// one that does not answers with an alert. No key exchange happens, so probing ffdhe8192 costs
// as little as X25519, and groups Node's OpenSSL cannot compute (X25519MLKEM768) can be seen.
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

const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');
const SIG_ALGS = [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401, 0x0501, 0x0601];
const TLS13_SUITES = [0x1301, 0x1302, 0x1303, 0x1304, 0x1305];

const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const u24 = (n: number) => Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const vec16 = (b: Buffer) => Buffer.concat([u16(b.length), b]);
const ext = (type: number, body: Buffer) => Buffer.concat([u16(type), vec16(body)]);
const list16 = (xs: number[]) => vec16(Buffer.concat(xs.map(u16)));

export function clientHello13(groups: number[], servername?: string): Buffer {
  const exts: Buffer[] = [];
  if (servername) {
    const name = Buffer.from(servername, 'ascii');
    exts.push(ext(0x0000, vec16(Buffer.concat([Buffer.from([0]), vec16(name)]))));
  }
  exts.push(ext(0x000a, list16(groups)));
  exts.push(ext(0x000d, list16(SIG_ALGS)));
  exts.push(ext(0x002b, Buffer.from([2, 0x03, 0x04])));
  exts.push(ext(0x002d, Buffer.from([1, 1])));
  exts.push(ext(0x0033, u16(0))); // key_share with no shares: ask the server to choose
  const body = Buffer.concat([
    u16(0x0303),
    randomBytes(32),
    Buffer.from([32]),
    randomBytes(32),
    list16(TLS13_SUITES),
    Buffer.from([1, 0]),
    vec16(Buffer.concat(exts)),
  ]);
  const handshake = Buffer.concat([Buffer.from([1]), u24(body.length), body]);
  return Buffer.concat([Buffer.from([0x16, 0x03, 0x01]), u16(handshake.length), handshake]);
}

/** The group a HelloRetryRequest selects, 'alert' for a refusal, undefined when unreadable. */
export function selectedGroup(record: Buffer): number | 'alert' | undefined {
  if (record.length < 5) return undefined;
  if (record[0] === 0x15) return 'alert';
  if (record[0] !== 0x16 || record[5] !== 0x02) return undefined;
  let off = 5 + 4; // record header, handshake header
  const random = record.subarray(off + 2, off + 34);
  off += 34;
  const sidLen = record[off]!;
  off += 1 + sidLen + 2 + 1; // session id, cipher suite, compression
  const extEnd = off + 2 + record.readUInt16BE(off);
  off += 2;
  let keyShare: number | undefined;
  while (off + 4 <= extEnd && off + 4 <= record.length) {
    const type = record.readUInt16BE(off);
    const len = record.readUInt16BE(off + 2);
    if (type === 0x0033 && len >= 2) keyShare = record.readUInt16BE(off + 4);
    off += 4 + len;
  }
  if (random.equals(HRR_RANDOM)) return keyShare;
  return keyShare; // a full ServerHello also names its group
}

export interface GroupProbe {
  host: string;
  port: number;
  servername?: string | undefined;
  group: string;
  timeoutMs: number;
}

/** Does the server accept this group for TLS 1.3? */
export function probeGroup13(p: GroupProbe): Promise<boolean> {
  const id = GROUP_IDS[p.group];
  if (id === undefined) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = net.connect({ host: p.host, port: p.port });
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (v: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => finish(false), p.timeoutMs);
    socket.on('connect', () => socket.write(clientHello13([id], p.servername)));
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 5) return;
      const need = 5 + buf.readUInt16BE(3);
      if (buf.length < need && buf[0] !== 0x15) return;
      const sel = selectedGroup(buf.subarray(0, need));
      finish(sel === id);
    });
    socket.on('error', () => finish(false));
    socket.on('end', () => finish(false));
  });
}
