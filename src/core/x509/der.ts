// A minimal DER reader: enough to pull the signature algorithm and extensions out of a
// certificate without a full ASN.1 library (inventory parses thousands of certificates).

export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  offset: number;
  /** Offset of the value within the buffer. */
  start: number;
  end: number;
  /** Offset just past the whole element. */
  next: number;
}

export function readTlv(buf: Uint8Array, offset: number): Tlv {
  if (offset + 2 > buf.length) throw new Error('DER: truncated element');
  const tag = buf[offset]!;
  let len = buf[offset + 1]!;
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > buf.length) throw new Error('DER: bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  const end = start + len;
  if (end > buf.length) throw new Error('DER: element runs past the end');
  return { tag, offset, start, end, next: end };
}

/** The children of a constructed element. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let off = parent.start; off < parent.end; ) {
    const t = readTlv(buf, off);
    out.push(t);
    off = t.next;
  }
  return out;
}

export function decodeOid(buf: Uint8Array, t: Tlv): string {
  const bytes = buf.subarray(t.start, t.end);
  if (bytes.length === 0) return '';
  const first = bytes[0]!;
  const parts: number[] = [first < 80 ? Math.floor(first / 40) : 2, first < 80 ? first % 40 : first - 80];
  let v = 0;
  for (let i = 1; i < bytes.length; i++) {
    const b = bytes[i]!;
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

export interface RawExtension {
  oid: string;
  critical: boolean;
  /** Offsets of the extnValue contents (inside the OCTET STRING). */
  value: Uint8Array;
}

export interface CertificateStructure {
  signatureAlgorithmOid: string;
  extensions: RawExtension[];
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }. */
export function readCertificateStructure(der: Uint8Array): CertificateStructure {
  const cert = readTlv(der, 0);
  const [tbs, sigAlg] = children(der, cert);
  if (!tbs || !sigAlg) throw new Error('DER: not a certificate');
  const sigOid = children(der, sigAlg)[0];
  const extensions: RawExtension[] = [];
  for (const field of children(der, tbs)) {
    if (field.tag !== 0xa3) continue; // [3] EXPLICIT Extensions
    const seq = children(der, field)[0];
    if (!seq) continue;
    for (const ext of children(der, seq)) {
      const parts = children(der, ext);
      const oid = parts[0] ? decodeOid(der, parts[0]) : '';
      let critical = false;
      let valueTlv = parts[1];
      if (valueTlv && valueTlv.tag === 0x01) {
        critical = der[valueTlv.start] !== 0;
        valueTlv = parts[2];
      }
      if (valueTlv) extensions.push({ oid, critical, value: der.subarray(valueTlv.start, valueTlv.end) });
    }
  }
  return { signatureAlgorithmOid: sigOid ? decodeOid(der, sigOid) : '', extensions };
}

/** The raw DER of a certificate's issuer and subject Names, for matching issuers byte-wise. */
export function nameDers(der: Uint8Array): { issuer: Uint8Array; subject: Uint8Array } {
  const cert = readTlv(der, 0);
  const tbs = children(der, cert)[0];
  if (!tbs) throw new Error('DER: not a certificate');
  const fields = children(der, tbs);
  const base = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] version is optional
  const issuer = fields[base + 2];
  const subject = fields[base + 4];
  if (!issuer || !subject) throw new Error('DER: certificate without issuer or subject');
  return { issuer: der.subarray(issuer.offset, issuer.next), subject: der.subarray(subject.offset, subject.next) };
}
