// PEM helpers: split a file into blocks, concatenate, and accept DER where PEM was expected
// (a ".pem" that is really DER is a common mix-up; we detect the ASN.1 SEQUENCE tag).
import { X509Certificate } from 'node:crypto';
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
    return certs.map((c, i) => checkedDer(c.der, certs.length > 1 ? `${label} (certificate ${i + 1} of ${certs.length})` : label));
  }
  if (looksLikeDer(buf)) return [checkedDer(buf, label)];
  throw new InvalidInputError(`${label} is neither a PEM nor a DER certificate`, { hint: 'pass a certificate file (-----BEGIN CERTIFICATE-----)' });
}

/** Truncated or corrupted blocks fail here, with the input named, instead of deep inside a caller. */
function checkedDer(der: Buffer, label: string): Buffer {
  try {
    // Node also accepts PEM text here; a block whose body is itself PEM (double-encoded) is not DER.
    if (!new X509Certificate(der).raw.equals(der)) throw new Error('the block does not hold DER (is it encoded twice?)');
    return der;
  } catch (err) {
    const why = err instanceof Error ? (err.message.split('\n')[0] ?? err.message).replace(/^error:[0-9A-F]+:[^:]*:+/, '') : String(err);
    throw new InvalidInputError(`${label} is not a readable certificate (truncated or corrupted: ${why})`, {
      hint: 'pass the complete file (openssl x509 -in FILE -noout -text must read it)',
      cause: err,
    });
  }
}

export function certificatePemsFromDers(ders: Buffer[]): string {
  return ders.map((d) => toPem('CERTIFICATE', d)).join('');
}
