// Server and client leaves: 90 days by default, at most 397, never past the intermediate's own
// expiry (we refuse instead of silently shortening), EKU serverAuth or clientAuth, SANs.
import { InvalidInputError } from '../errors.js';
import { BACKDATE, buildCertificate, DAY, DEFAULT_VALIDITY, MAX_LEAF_VALIDITY, parseCertificate, type BuiltCertificate, type Signer } from './certificate.js';
import { generateKeyPair, type KeyAlgorithm, type KeyPair } from './keys.js';
import type { San } from './names.js';

export interface IssueLeafOptions {
  intermediate: Signer;
  kind: 'server' | 'client';
  commonName: string;
  sans: readonly San[];
  keyAlgorithm: KeyAlgorithm;
  validityMs?: number | undefined;
  crlUrl?: string | undefined;
  now: Date;
}

export function checkLeafValidity(o: { validityMs: number; issuerNotAfter: Date; now: Date }): Date {
  if (o.validityMs <= 0) throw new InvalidInputError('--validity must be positive', { hint: 'use e.g. --validity 90d' });
  if (o.validityMs > MAX_LEAF_VALIDITY) {
    throw new InvalidInputError(`--validity ${Math.round(o.validityMs / DAY)}d is longer than the ${MAX_LEAF_VALIDITY / DAY}-day maximum for leaf certificates`, {
      hint: 'use --validity 90d (the default) or anything up to 397d; renew instead of issuing long-lived leaves',
    });
  }
  const notAfter = new Date(o.now.getTime() + o.validityMs);
  if (notAfter > o.issuerNotAfter) {
    throw new InvalidInputError(
      `the intermediate CA expires on ${o.issuerNotAfter.toISOString().slice(0, 10)}, before this certificate would (${notAfter.toISOString().slice(0, 10)}); clients would reject it from then on`,
      { hint: 'rotate the CA first (`kubectl vibectl-tls ca rotate`), or pass a shorter --validity' },
    );
  }
  return notAfter;
}

export async function issueLeaf(o: IssueLeafOptions & { keys?: KeyPair }): Promise<{ cert: BuiltCertificate; keys: KeyPair }> {
  const notAfter = checkLeafValidity({
    validityMs: o.validityMs ?? DEFAULT_VALIDITY[o.kind],
    issuerNotAfter: new Date(parseCertificate(o.intermediate.certDer).validTo),
    now: o.now,
  });
  const keys = o.keys ?? (await generateKeyPair(o.keyAlgorithm));
  const cert = await buildCertificate({
    kind: o.kind,
    commonName: o.commonName,
    publicKey: keys.publicKey,
    issuer: o.intermediate,
    notBefore: new Date(o.now.getTime() - BACKDATE),
    notAfter,
    sans: o.sans,
    crlUrl: o.crlUrl,
  });
  return { cert, keys };
}
