// Certificate revocation lists, signed by the CA that issued the revoked certificates. Published
// as crl.pem in the CA store (and by `ca export --format crl`); `openssl verify -crl_check` reads it.
import { crlNumberExtension, parseCertificate, type Signer } from './certificate.js';
import { x509 } from './crypto.js';
import { signingAlgorithm } from './keys.js';
import { toPem } from './pem.js';

export interface Revocation {
  serial: string;
  revokedAt: string;
  reason?: RevocationReason | undefined;
}

export const REVOCATION_REASONS = ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export interface BuildCrlOptions {
  issuer: Signer;
  revoked: readonly Revocation[];
  crlNumber: number;
  now: Date;
  /** How long relying parties may cache it (default 7 days). */
  nextUpdateMs?: number;
}

export async function buildCrl(o: BuildCrlOptions): Promise<string> {
  const X = await x509();
  const issuer = new X.X509Certificate(o.issuer.certDer);
  const ski = issuer.getExtension(X.SubjectKeyIdentifierExtension);
  const extensions = [await crlNumberExtension(o.crlNumber)];
  if (ski) extensions.push(new X.AuthorityKeyIdentifierExtension(ski.keyId, false));
  const crl = await X.X509CrlGenerator.create({
    issuer: issuer.subjectName,
    thisUpdate: o.now,
    nextUpdate: new Date(o.now.getTime() + (o.nextUpdateMs ?? 7 * 86_400_000)),
    signingKey: o.issuer.keys.privateKey,
    signingAlgorithm: signingAlgorithm(o.issuer.keys.algorithm),
    extensions,
    entries: o.revoked.map((r) => ({
      serialNumber: r.serial,
      revocationDate: new Date(r.revokedAt),
      reason: X.X509CrlReason[r.reason ?? 'unspecified'],
    })),
  });
  // OpenSSL only reads the "X509 CRL" label (RFC 7468), not the library's "CRL".
  return toPem('X509 CRL', new Uint8Array(crl.rawData));
}

/** The serial numbers a PEM CRL lists (lowercase hex), for checks and tests. */
export async function revokedSerials(crlPem: string): Promise<string[]> {
  const X = await x509();
  return new X.X509Crl(crlPem.replace(/X509 CRL/g, 'CRL')).entries.map((e) => e.serialNumber.toLowerCase());
}

export { parseCertificate };
