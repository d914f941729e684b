// A self-signed root: pathLen 1 (one intermediate below it), keyCertSign + cRLSign, 10 years.
import { BACKDATE, buildCertificate, DEFAULT_VALIDITY, type BuiltCertificate } from './certificate.js';
import { generateKeyPair, type KeyAlgorithm, type KeyPair } from './keys.js';

export interface IssueRootOptions {
  commonName: string;
  organization?: string | undefined;
  keyAlgorithm: KeyAlgorithm;
  validityMs?: number | undefined;
  now: Date;
}

export async function issueRoot(o: IssueRootOptions): Promise<{ cert: BuiltCertificate; keys: KeyPair }> {
  const keys = await generateKeyPair(o.keyAlgorithm);
  const cert = await buildCertificate({
    kind: 'root',
    commonName: o.commonName,
    organization: o.organization,
    publicKey: keys.publicKey,
    selfKeys: keys,
    notBefore: new Date(o.now.getTime() - BACKDATE),
    notAfter: new Date(o.now.getTime() + (o.validityMs ?? DEFAULT_VALIDITY.root)),
    pathLen: 1,
  });
  return { cert, keys };
}
