// The issuing CA: signed by the root, pathLen 0, optional nameConstraints, 5 years — never
// longer than the root that signs it.
import { InvalidInputError } from '../errors.js';
import { BACKDATE, buildCertificate, DEFAULT_VALIDITY, parseCertificate, type BuiltCertificate, type Signer } from './certificate.js';
import { generateKeyPair, type KeyAlgorithm, type KeyPair } from './keys.js';

export interface IssueIntermediateOptions {
  root: Signer;
  commonName: string;
  organization?: string | undefined;
  keyAlgorithm: KeyAlgorithm;
  validityMs?: number | undefined;
  nameConstraints?: readonly string[] | undefined;
  crlUrl?: string | undefined;
  now: Date;
}

export async function issueIntermediate(o: IssueIntermediateOptions): Promise<{ cert: BuiltCertificate; keys: KeyPair }> {
  const rootNotAfter = new Date(parseCertificate(o.root.certDer).validTo);
  const notAfter = new Date(o.now.getTime() + (o.validityMs ?? DEFAULT_VALIDITY.intermediate));
  if (notAfter > rootNotAfter) {
    throw new InvalidInputError(`the root CA expires on ${rootNotAfter.toISOString().slice(0, 10)}, before a new intermediate would (${notAfter.toISOString().slice(0, 10)})`, {
      hint: 'rotate the root first: `kubectl vibectl-tls ca rotate --root`',
    });
  }
  const keys = await generateKeyPair(o.keyAlgorithm);
  const cert = await buildCertificate({
    kind: 'intermediate',
    commonName: o.commonName,
    organization: o.organization,
    publicKey: keys.publicKey,
    issuer: o.root,
    notBefore: new Date(o.now.getTime() - BACKDATE),
    notAfter,
    pathLen: 0,
    nameConstraints: o.nameConstraints,
    crlUrl: o.crlUrl,
  });
  return { cert, keys };
}
