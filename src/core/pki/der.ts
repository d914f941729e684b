// The few DER encodings @peculiar/x509 has no class for (nameConstraints, CRL number).
import { isIP } from 'node:net';
import { InvalidInputError } from '../errors.js';

export function tlv(tag: number, content: Uint8Array): Buffer {
  const len = content.length;
  let head: number[];
  if (len < 0x80) head = [tag, len];
  else {
    const bytes: number[] = [];
    for (let n = len; n > 0; n >>= 8) bytes.unshift(n & 0xff);
    head = [tag, 0x80 | bytes.length, ...bytes];
  }
  return Buffer.concat([Buffer.from(head), content]);
}

export function derInteger(hex: string): Buffer {
  let b = Buffer.from(hex.length % 2 ? '0' + hex : hex, 'hex');
  while (b.length > 1 && b[0] === 0 && b[1]! < 0x80) b = b.subarray(1);
  if (b[0]! >= 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

/** A name constraint as typed: a DNS suffix ("example.com", ".svc.cluster.local") or a CIDR ("10.0.0.0/8"). */
export function nameConstraintsDer(permitted: readonly string[]): Buffer {
  const subtrees = permitted.map((p) => tlv(0x30, generalNameForConstraint(p)));
  return tlv(0x30, tlv(0xa0, Buffer.concat(subtrees)));
}

function generalNameForConstraint(input: string): Buffer {
  const slash = input.indexOf('/');
  if (slash > 0) {
    const ip = input.slice(0, slash);
    const bits = Number(input.slice(slash + 1));
    const family = isIP(ip);
    const width = family === 4 ? 32 : family === 6 ? 128 : 0;
    if (!width || !Number.isInteger(bits) || bits < 0 || bits > width) {
      throw new InvalidInputError(`name constraint "${input}" is not a valid CIDR range`, { hint: 'use 10.0.0.0/8 or fd00::/8' });
    }
    const addr = family === 4 ? Buffer.from(ip.split('.').map(Number)) : ipv6Bytes(ip);
    const mask = Buffer.alloc(width / 8);
    for (let i = 0; i < bits; i++) mask[i >> 3]! |= 0x80 >> (i & 7);
    for (let i = 0; i < addr.length; i++) addr[i]! &= mask[i]!;
    return tlv(0x87, Buffer.concat([addr, mask]));
  }
  const dns = input.trim().replace(/^\*?\./, '').toLowerCase();
  if (!/^[a-z0-9.-]+$/.test(dns) || dns.includes('..')) {
    throw new InvalidInputError(`name constraint "${input}" is not a DNS suffix or CIDR range`, { hint: 'use example.com, svc.cluster.local or 10.0.0.0/8' });
  }
  return tlv(0x82, Buffer.from(dns, 'ascii'));
}

function ipv6Bytes(ip: string): Buffer {
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return Buffer.from(groups.flatMap((g) => {
    const n = parseInt(g || '0', 16);
    return [n >> 8, n & 0xff];
  }));
}
