// Certificates and keys as doctor and inventory see them: PEM bundles split into blocks, each
// certificate reduced to the facts checks need (names, validity, key, signature, extensions, SCTs).
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { children, decodeOid, readCertificateStructure, readTlv } from './der.js';
export { splitPem as pemBlocks, toPem } from '../pki/pem.js';

export const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

export const WEAK_SIGNATURE_OIDS = new Set(['1.2.840.113549.1.1.2', '1.2.840.113549.1.1.4', '1.2.840.113549.1.1.5', '1.2.840.10045.4.1']);

export const EKU = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2', any: '2.5.29.37.0' } as const;
const SCT_LIST_OID = '1.3.6.1.4.1.11129.2.4.2';
const PRECERT_POISON_OID = '1.3.6.1.4.1.11129.2.4.3';

export interface KeyFacts {
  type: string;
  bits?: number;
  curve?: string;
}

export interface CertFacts {
  x509: X509Certificate;
  der: Buffer;
  subject: string;
  issuer: string;
  commonName: string | undefined;
  issuerCommonName: string | undefined;
  dnsNames: string[];
  ipAddresses: string[];
  notBefore: Date;
  notAfter: Date;
  serialNumber: string;
  fingerprint256: string;
  key: KeyFacts;
  signatureAlgorithm: string;
  weakSignature: boolean;
  /** basicConstraints: null when the extension is absent. */
  basicConstraints: { ca: boolean; pathLen?: number; critical: boolean } | null;
  extendedKeyUsage: string[] | null;
  keyUsage: string[] | null;
  /** Self-issued and verifies under its own key. */
  selfSigned: boolean;
  sct: { count: number; logIds: string[] };
  precertPoison: boolean;
}

const KEY_USAGE_BITS = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

export function keyFacts(key: KeyObject): KeyFacts {
  const type = key.asymmetricKeyType ?? 'unknown';
  const d = key.asymmetricKeyDetails ?? {};
  const out: KeyFacts = { type };
  if (d.modulusLength !== undefined) out.bits = d.modulusLength;
  if (d.namedCurve !== undefined) {
    out.curve = d.namedCurve;
    out.bits = CURVE_BITS[d.namedCurve] ?? 0;
  }
  if (type === 'ed25519') out.bits = 256;
  if (type === 'ed448') out.bits = 456;
  return out;
}

const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp256k1: 256, secp224r1: 224, prime192v1: 192 };

export function describeKey(k: KeyFacts): string {
  if (k.type === 'rsa' || k.type === 'rsa-pss') return `RSA ${k.bits ?? '?'}`;
  if (k.type === 'ec') return `EC ${k.curve === 'prime256v1' ? 'P-256' : k.curve === 'secp384r1' ? 'P-384' : k.curve === 'secp521r1' ? 'P-521' : (k.curve ?? '?')}`;
  return k.type;
}

/** Node gives `subject` as undefined (not '') for an empty subject, as cert-manager's leaves have. */
function cnOf(dn: string | undefined): string | undefined {
  for (const line of (dn ?? '').split('\n')) if (line.startsWith('CN=')) return line.slice(3);
  return undefined;
}

/** Node renders SANs as `DNS:a, IP Address:1.2.3.4`; values with commas come quoted. */
function parseSans(text: string | undefined): { dns: string[]; ip: string[] } {
  const dns: string[] = [];
  const ip: string[] = [];
  if (!text) return { dns, ip };
  for (const raw of text.match(/(?:[^,"]|"(?:\\.|[^"])*")+/g) ?? []) {
    const part = raw.trim();
    const unq = (s: string) => (s.startsWith('"') ? (JSON.parse(s) as string) : s);
    if (part.startsWith('DNS:')) dns.push(unq(part.slice(4)));
    else if (part.startsWith('IP Address:')) ip.push(unq(part.slice(11)));
  }
  return { dns, ip };
}

export function certFacts(input: Buffer | X509Certificate): CertFacts {
  const x509 = input instanceof X509Certificate ? input : new X509Certificate(input);
  const der = x509.raw;
  const structure = readCertificateStructure(der);
  let basicConstraints: CertFacts['basicConstraints'] = null;
  let extendedKeyUsage: string[] | null = null;
  let keyUsage: string[] | null = null;
  const sct = { count: 0, logIds: [] as string[] };
  let precertPoison = false;
  for (const ext of structure.extensions) {
    try {
      if (ext.oid === '2.5.29.19') {
        const seq = readTlv(ext.value, 0);
        const bc: NonNullable<CertFacts['basicConstraints']> = { ca: false, critical: ext.critical };
        for (const c of children(ext.value, seq)) {
          if (c.tag === 0x01) bc.ca = ext.value[c.start] !== 0;
          if (c.tag === 0x02) bc.pathLen = Number.parseInt(Buffer.from(ext.value.subarray(c.start, c.end)).toString('hex') || '0', 16);
        }
        basicConstraints = bc;
      } else if (ext.oid === '2.5.29.37') {
        extendedKeyUsage = children(ext.value, readTlv(ext.value, 0)).map((t) => decodeOid(ext.value, t));
      } else if (ext.oid === '2.5.29.15') {
        const bits = readTlv(ext.value, 0);
        const bytes = ext.value.subarray(bits.start + 1, bits.end);
        keyUsage = KEY_USAGE_BITS.filter((_, i) => ((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1);
      } else if (ext.oid === SCT_LIST_OID) {
        const inner = readTlv(ext.value, 0);
        const list = ext.value.subarray(inner.start, inner.end);
        const total = (list[0]! << 8) | list[1]!;
        for (let off = 2; off + 2 <= Math.min(list.length, total + 2); ) {
          const len = (list[off]! << 8) | list[off + 1]!;
          const body = list.subarray(off + 2, off + 2 + len);
          sct.count += 1;
          sct.logIds.push(Buffer.from(body.subarray(1, 33)).toString('base64'));
          off += 2 + len;
        }
      } else if (ext.oid === PRECERT_POISON_OID) {
        precertPoison = true;
      }
    } catch {
      // A malformed extension is reported by the checks that need it (as absent).
    }
  }
  const sans = parseSans(x509.subjectAltName);
  const key = keyFacts(x509.publicKey);
  let selfSigned = false;
  if (x509.subject === x509.issuer) {
    try {
      selfSigned = x509.verify(x509.publicKey);
    } catch {
      selfSigned = false;
    }
  }
  return {
    x509,
    der,
    subject: x509.subject,
    issuer: x509.issuer,
    commonName: cnOf(x509.subject),
    issuerCommonName: cnOf(x509.issuer),
    dnsNames: sans.dns,
    ipAddresses: sans.ip,
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    serialNumber: x509.serialNumber,
    fingerprint256: x509.fingerprint256,
    key,
    signatureAlgorithm: SIGNATURE_ALGORITHMS[structure.signatureAlgorithmOid] ?? structure.signatureAlgorithmOid,
    weakSignature: WEAK_SIGNATURE_OIDS.has(structure.signatureAlgorithmOid),
    basicConstraints,
    extendedKeyUsage,
    keyUsage,
    selfSigned,
    sct,
    precertPoison,
  };
}

/** Did `issuer` sign `cert`? (names chain and the signature verifies) */
export function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

export type ParsedKey = { ok: true; key: KeyObject } | { ok: false; error: string };

export function parsePrivateKey(pem: string): ParsedKey {
  try {
    return { ok: true, key: createPrivateKey({ key: pem, format: 'pem' }) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Which names does the certificate cover? Wildcards match one label, as browsers do. */
export function coversName(c: CertFacts, name: string): boolean {
  if (/^[\d.]+$/.test(name) || name.includes(':')) return c.ipAddresses.includes(name);
  try {
    return c.x509.checkHost(name, { subject: 'never' }) !== undefined;
  } catch {
    return false;
  }
}
