// Judgements on certificates shared by Secret and endpoint checks: key strength, signature
// algorithms, chain order and completeness, basicConstraints/EKU sanity, trust anchors.
import { X509Certificate, type KeyObject } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { EKU, certFacts, describeKey, issuedBy, type CertFacts, type KeyFacts } from './certificate.js';
import { readCertificateDers, toPem } from '../pki/pem.js';
import { nameDers } from './der.js';

export type KeyVerdict = { level: 'ok' | 'weak' | 'unusual'; message: string };

/** RSA ≥ 2048 and EC P-256/P-384 are what Mozilla and the CA/B Forum expect. */
export function judgeKey(k: KeyFacts): KeyVerdict {
  const d = describeKey(k);
  if (k.type === 'rsa' || k.type === 'rsa-pss') {
    if ((k.bits ?? 0) < 2048) return { level: 'weak', message: `${d}: RSA keys under 2048 bits can be factored; use RSA 2048+ or ECDSA P-256` };
    return { level: 'ok', message: d };
  }
  if (k.type === 'ec') {
    if (k.curve === 'prime256v1' || k.curve === 'secp384r1') return { level: 'ok', message: d };
    if (k.curve === 'secp521r1') return { level: 'unusual', message: `${d}: valid but outside Mozilla's P-256/P-384 and unsupported by some clients` };
    return { level: 'weak', message: `${d}: curve too small or not supported by browsers; use P-256 or P-384` };
  }
  if (k.type === 'ed25519' || k.type === 'ed448') return { level: 'unusual', message: `${d}: browsers do not accept EdDSA server certificates yet` };
  return { level: 'weak', message: `${d}: unsupported key type for a server certificate` };
}

export function weakSignatures(chain: readonly CertFacts[]): string[] {
  // A self-signed root's own signature is never checked by clients, so it does not count.
  return chain.filter((c) => c.weakSignature && !c.selfSigned).map((c) => `${c.commonName ?? c.subject.replace(/\n/g, ', ')}: ${c.signatureAlgorithm}`);
}

export function label(c: CertFacts): string {
  return c.commonName ?? (c.dnsNames[0] ? `DNS:${c.dnsNames[0]}` : c.subject.replace(/\n/g, ', '));
}

/** Problems with the order of a chain as served/stored: leaf first, each certificate signed by the next. */
export function chainOrderProblems(chain: readonly CertFacts[]): string[] {
  const problems: string[] = [];
  if (chain.length === 0) return ['no certificates'];
  if (chain[0]!.basicConstraints?.ca && chain.length > 1) problems.push(`the first certificate (${label(chain[0]!)}) is a CA certificate, not the leaf`);
  for (let i = 0; i + 1 < chain.length; i++) {
    const cert = chain[i]!;
    const next = chain[i + 1]!;
    if (!issuedBy(cert.x509, next.x509)) {
      const actual = chain.findIndex((c) => issuedBy(cert.x509, c.x509) && c !== cert);
      problems.push(
        actual >= 0
          ? `certificate ${i + 1} (${label(cert)}) is followed by ${label(next)}, but its issuer ${label(chain[actual]!)} is at position ${actual + 1}`
          : `certificate ${i + 1} (${label(cert)}) is followed by ${label(next)}, which did not sign it`,
      );
    }
  }
  return problems;
}

export interface TrustStore {
  source: string;
  size: number;
  /** Certificates of the store whose subject is `cert`'s issuer; parsed on first use. */
  issuersOf(cert: X509Certificate): X509Certificate[];
  /** The store holds this very certificate. */
  has(cert: X509Certificate): boolean;
  /** Every certificate as PEM, to hand to a TLS client. */
  pems(): string[];
}

/**
 * A store indexed by subject Name (raw DER): looking up an issuer parses only the candidates,
 * so the ~140 system roots cost a base64 decode each instead of a full parse.
 */
export function trustStore(source: string, ders: readonly Buffer[]): TrustStore {
  const index = new Map<string, Array<{ der: Buffer; cert?: X509Certificate }>>();
  for (const der of ders) {
    let subject: string;
    try {
      subject = Buffer.from(nameDers(der).subject).toString('hex');
    } catch {
      continue;
    }
    index.set(subject, [...(index.get(subject) ?? []), { der }]);
  }
  const bySubject = (name: Uint8Array) => (index.get(Buffer.from(name).toString('hex')) ?? []).map((e) => (e.cert ??= new X509Certificate(e.der)));
  return {
    source,
    size: ders.length,
    issuersOf: (cert) => bySubject(nameDers(cert.raw).issuer),
    has: (cert) => bySubject(nameDers(cert.raw).subject).some((c) => c.fingerprint256 === cert.fingerprint256),
    pems: () => ders.map((d) => toPem('CERTIFICATE', d)),
  };
}

/** A bundle as PEM text (or one DER certificate); throws InvalidInputError when it holds none. */
export function storeFromPem(source: string, pem: string | Buffer): TrustStore {
  return trustStore(source, readCertificateDers(pem, source));
}

export function systemStore(): TrustStore {
  const PEM_BODY = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/;
  return trustStore('system roots', rootCertificates.map((pem) => Buffer.from(PEM_BODY.exec(pem)?.[1]?.replace(/\s+/g, '') ?? '', 'base64')));
}

export interface Anchor {
  root: X509Certificate;
  store: string;
  /** The anchor is the last certificate of the chain itself (the root was served/stored). */
  inChain: boolean;
}

/** The trust anchor the chain ends in, from the first store that has it. */
export function findAnchor(chain: readonly CertFacts[], stores: readonly TrustStore[]): Anchor | undefined {
  const last = chain[chain.length - 1];
  if (!last) return undefined;
  for (const store of stores) {
    if (store.has(last.x509)) return { root: last.x509, store: store.source, inChain: true };
    for (const root of store.issuersOf(last.x509)) if (issuedBy(last.x509, root)) return { root, store: store.source, inChain: false };
  }
  return undefined;
}

/** A chain is complete when it ends in a self-signed certificate or one signed by a known root. */
export function chainComplete(chain: readonly CertFacts[], stores: readonly TrustStore[]): { complete: boolean; missingIssuer?: string } {
  const last = chain[chain.length - 1];
  if (!last) return { complete: false };
  if (last.selfSigned || findAnchor(chain, stores)) return { complete: true };
  return { complete: false, missingIssuer: last.issuerCommonName ?? last.issuer.replace(/\n/g, ', ') };
}

export function constraintProblems(chain: readonly CertFacts[]): string[] {
  const problems: string[] = [];
  const leaf = chain[0];
  if (!leaf) return problems;
  if (leaf.basicConstraints?.ca && !leaf.selfSigned) problems.push(`the leaf ${label(leaf)} has basicConstraints CA:TRUE; a server certificate must not be a CA`);
  if (leaf.extendedKeyUsage && !leaf.extendedKeyUsage.includes(EKU.serverAuth) && !leaf.extendedKeyUsage.includes(EKU.any))
    problems.push(`the leaf ${label(leaf)} has extendedKeyUsage without serverAuth (${leaf.extendedKeyUsage.join(', ')}); TLS clients reject it`);
  if (leaf.keyUsage && !leaf.keyUsage.includes('digitalSignature') && !(leaf.key.type === 'rsa' && leaf.keyUsage.includes('keyEncipherment')))
    problems.push(`the leaf ${label(leaf)} has keyUsage ${leaf.keyUsage.join(', ')} without digitalSignature`);
  if (leaf.precertPoison) problems.push(`the leaf ${label(leaf)} is a CT precertificate (poison extension); it must never be served`);
  for (const ca of chain.slice(1)) {
    if (!ca.basicConstraints?.ca) problems.push(`${label(ca)} signs certificates but lacks basicConstraints CA:TRUE`);
    if (ca.keyUsage && !ca.keyUsage.includes('keyCertSign')) problems.push(`${label(ca)} lacks keyUsage keyCertSign`);
  }
  return problems;
}

export function keyMatches(leaf: CertFacts, key: KeyObject): boolean {
  try {
    return leaf.x509.checkPrivateKey(key);
  } catch {
    return false;
  }
}

export function parseChain(ders: readonly Buffer[]): CertFacts[] {
  return ders.map((d) => certFacts(d));
}

/** Chrome's CT policy for embedded SCTs: 2 for lifetimes ≤ 180 days, 3 above. */
export function requiredScts(leaf: CertFacts): number {
  const days = (leaf.notAfter.getTime() - leaf.notBefore.getTime()) / 86_400_000;
  return days <= 180 ? 2 : 3;
}

export function daysBetween(a: Date, b: Date): number {
  return Math.floor((b.getTime() - a.getTime()) / 86_400_000);
}
