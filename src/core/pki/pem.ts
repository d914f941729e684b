// PEM helpers: split a file into blocks, concatenate, and accept DER where PEM was expected
// (a ".pem" that is really DER is a common mix-up; we detect the ASN.1 SEQUENCE tag).
import { InvalidInputError } from '../errors.js';

export interface PemBlock {
  label: string;
  der: Buffer;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

export function splitPem(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const body = m[2]!.replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, '');
    out.push({ label: m[1]!, der: Buffer.from(body, 'base64') });
  }
  return out;
}

export function toPem(label: string, der: Uint8Array | ArrayBuffer): string {
  const b64 = Buffer.from(der instanceof ArrayBuffer ? new Uint8Array(der) : der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

/** Joins PEM texts with exactly one newline between blocks. */
export function concatPem(...parts: Array<string | undefined>): string {
  return parts
    .filter((p): p is string => Boolean(p && p.trim()))
    .map((p) => p.trim() + '\n')
    .join('');
}

/** Looks like DER: an ASN.1 SEQUENCE with a plausible length byte. */
export function looksLikeDer(buf: Buffer): boolean {
  return buf.length > 4 && buf[0] === 0x30 && (buf[1] === 0x82 || buf[1] === 0x81 || buf[1]! < 0x80);
}

/** Every certificate in a PEM bundle, or the single certificate of a DER file, as DER. */
export function readCertificateDers(input: Buffer | string, label = 'input'): Buffer[] {
  const buf = typeof input === 'string' ? Buffer.from(input) : input;
  const text = buf.toString('latin1');
  if (text.includes('-----BEGIN')) {
    const certs = splitPem(text).filter((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE');
    if (certs.length === 0) throw new InvalidInputError(`${label} holds PEM blocks but no CERTIFICATE`, { hint: 'pass a certificate file (-----BEGIN CERTIFICATE-----)' });
    return certs.map((c) => c.der);
  }
  if (looksLikeDer(buf)) return [buf];
  throw new InvalidInputError(`${label} is neither a PEM nor a DER certificate`, { hint: 'pass a certificate file (-----BEGIN CERTIFICATE-----)' });
}

export function certificatePemsFromDers(ders: Buffer[]): string {
  return ders.map((d) => toPem('CERTIFICATE', d)).join('');
}
