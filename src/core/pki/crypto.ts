// One place that wires @peculiar/x509 to Node's WebCrypto. Imported lazily by the pki code so
// `--help` never pays for the ASN.1 stack; idempotent, so callers simply await it.
import { webcrypto } from 'node:crypto';

type X509Module = typeof import('@peculiar/x509');
let loaded: Promise<X509Module> | undefined;

export function x509(): Promise<X509Module> {
  loaded ??= import('@peculiar/x509').then((m) => {
    m.cryptoProvider.set(webcrypto as unknown as Parameters<typeof m.cryptoProvider.set>[0]);
    return m;
  });
  return loaded;
}

export const subtle = webcrypto.subtle;
