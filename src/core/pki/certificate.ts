// One builder for every certificate the CA makes (root, intermediate, server and client leaves),
// on @peculiar/x509 + WebCrypto. The profiles below are the whole policy: what each kind gets for
// basicConstraints, keyUsage, EKU and SANs. node-forge cannot build ECDSA certificates, hence x509.
import { createHash, KeyObject, X509Certificate as NodeX509 } from 'node:crypto';
import type { webcrypto } from 'node:crypto';
import { x509 } from './crypto.js';
import { derInteger, nameConstraintsDer } from './der.js';
import { signingAlgorithm, type KeyPair } from './keys.js';
import type { San } from './names.js';
import { toPem } from './pem.js';
import { newSerial } from './serial.js';

export type CertKind = 'root' | 'intermediate' | 'server' | 'client';

export const DAY = 86_400_000;
export const DEFAULT_VALIDITY: Record<CertKind, number> = {
  root: 3650 * DAY,
  intermediate: 1825 * DAY,
  server: 90 * DAY,
  client: 90 * DAY,
};
/** Longest leaf we issue: 397 days, the browser limit that private CAs commonly keep too. */
export const MAX_LEAF_VALIDITY = 397 * DAY;
/** notBefore is backdated a little so a peer with a slow clock does not see "not yet valid". */
export const BACKDATE = 5 * 60_000;

export interface Signer {
  certDer: Buffer;
  keys: KeyPair;
}

export interface BuildCertificateOptions {
  kind: CertKind;
  commonName: string;
  organization?: string | undefined;
  publicKey: webcrypto.CryptoKey;
  /** Absent for a root: self-signed with `selfKeys`. */
  issuer?: Signer | undefined;
  selfKeys?: KeyPair | undefined;
  notBefore: Date;
  notAfter: Date;
  serial?: string | undefined;
  sans?: readonly San[] | undefined;
  /** Root: 1 (one intermediate below), intermediate: 0. */
  pathLen?: number | undefined;
  /** Permitted subtrees (DNS suffixes, CIDRs) for an intermediate. */
  nameConstraints?: readonly string[] | undefined;
  crlUrl?: string | undefined;
}

export interface BuiltCertificate {
  der: Buffer;
  pem: string;
  serial: string;
}

export async function buildCertificate(o: BuildCertificateOptions): Promise<BuiltCertificate> {
  const X = await x509();
  const isCa = o.kind === 'root' || o.kind === 'intermediate';
  const signerKeys = o.issuer?.keys ?? o.selfKeys;
  if (!signerKeys) throw new Error('buildCertificate: a root needs selfKeys, anything else an issuer');
  const subject: Array<Record<string, string[]>> = [];
  if (o.organization) subject.push({ O: [o.organization] });
  subject.push({ CN: [o.commonName] });

  const extensions: InstanceType<typeof X.Extension>[] = [];
  extensions.push(new X.BasicConstraintsExtension(isCa, isCa ? o.pathLen : undefined, true));
  const KU = X.KeyUsageFlags;
  const usage = isCa
    ? KU.keyCertSign | KU.cRLSign | KU.digitalSignature
    : signerKeysIsRsa(o.publicKey)
      ? KU.digitalSignature | KU.keyEncipherment
      : KU.digitalSignature;
  extensions.push(new X.KeyUsagesExtension(usage, true));
  if (o.kind === 'server') extensions.push(new X.ExtendedKeyUsageExtension([X.ExtendedKeyUsage.serverAuth], false));
  if (o.kind === 'client') extensions.push(new X.ExtendedKeyUsageExtension([X.ExtendedKeyUsage.clientAuth], false));
  const ski = keyIdentifier(o.publicKey);
  extensions.push(new X.SubjectKeyIdentifierExtension(ski, false));
  const issuer = o.issuer ? await issuerInfo(o.issuer.certDer) : undefined;
  extensions.push(new X.AuthorityKeyIdentifierExtension(issuer ? issuer.keyId : ski, false));
  if (o.sans && o.sans.length > 0) {
    extensions.push(new X.SubjectAlternativeNameExtension(o.sans.map((s) => ({ type: s.type, value: s.value })), false));
  }
  if (o.kind === 'intermediate' && o.nameConstraints && o.nameConstraints.length > 0) {
    extensions.push(new X.Extension('2.5.29.30', true, nameConstraintsDer(o.nameConstraints)));
  }
  if (o.crlUrl && o.kind !== 'root') {
    extensions.push(new X.CRLDistributionPointsExtension([o.crlUrl], false));
  }

  const serial = o.serial ?? newSerial();
  const issuerName = issuer ? issuer.subjectName : subject;
  const cert = await X.X509CertificateGenerator.create({
    serialNumber: serial,
    subject,
    issuer: issuerName,
    notBefore: o.notBefore,
    notAfter: o.notAfter,
    publicKey: o.publicKey,
    signingKey: signerKeys.privateKey,
    signingAlgorithm: signingAlgorithm(signerKeys.algorithm),
    extensions,
  });
  const der = Buffer.from(cert.rawData);
  return { der, pem: toPem('CERTIFICATE', der), serial };
}

/**
 * RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING. Computed with Node instead
 * of the library's async WebCrypto export: it is on the per-leaf path of batch issuance.
 */
export function keyIdentifier(publicKey: webcrypto.CryptoKey): string {
  const spki = KeyObject.from(publicKey).export({ type: 'spki', format: 'der' });
  return createHash('sha1').update(spkiKeyBits(spki)).digest('hex');
}

/** The content of the BIT STRING in SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey }, without the unused-bits byte. */
export function spkiKeyBits(spki: Buffer): Buffer {
  const skipHeader = (at: number): { start: number; end: number } => {
    const lenByte = spki[at + 1]!;
    if (lenByte < 0x80) return { start: at + 2, end: at + 2 + lenByte };
    const n = lenByte & 0x7f;
    let len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | spki[at + 2 + i]!;
    return { start: at + 2 + n, end: at + 2 + n + len };
  };
  const outer = skipHeader(0);
  const alg = skipHeader(outer.start);
  const bits = skipHeader(alg.end);
  if (spki[alg.end] !== 0x03) throw new Error('SubjectPublicKeyInfo without a BIT STRING');
  return spki.subarray(bits.start + 1, bits.end);
}

interface IssuerInfo {
  subjectName: InstanceType<Awaited<ReturnType<typeof x509>>['Name']>;
  keyId: string;
}
const issuerCache = new WeakMap<Buffer, IssuerInfo>();

/** The issuer's subject and key identifier, parsed once per issuer (batch issuance signs many leaves with one). */
async function issuerInfo(certDer: Buffer): Promise<IssuerInfo> {
  const hit = issuerCache.get(certDer);
  if (hit) return hit;
  const X = await x509();
  const cert = new X.X509Certificate(certDer);
  const skiExt = cert.getExtension(X.SubjectKeyIdentifierExtension);
  const keyId = skiExt?.keyId ?? createHash('sha1').update(spkiKeyBits(new NodeX509(certDer).publicKey.export({ type: 'spki', format: 'der' }))).digest('hex');
  const info = { subjectName: new X.Name(cert.subjectName.toArrayBuffer()), keyId };
  issuerCache.set(certDer, info);
  return info;
}

function signerKeysIsRsa(key: webcrypto.CryptoKey): boolean {
  return key.algorithm.name.startsWith('RSA');
}

/** CRL number extension (2.5.29.20): must grow with every CRL the issuer publishes. */
export async function crlNumberExtension(n: number) {
  const X = await x509();
  return new X.Extension('2.5.29.20', false, derInteger(n.toString(16)));
}

/** Node's parser, for the read side (list/status/inspect): fast and always there. */
export function parseCertificate(input: Buffer | string): NodeX509 {
  return new NodeX509(input);
}
