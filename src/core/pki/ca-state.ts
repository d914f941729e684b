// The CA as data: metadata and issuance index (ca.json), the root and intermediate, the trust
// bundle and the CRL, read from and written to a CaStore as one unit.
import { InvalidInputError, UsageError } from '../errors.js';
import { parseCertificate, type CertKind, type Signer } from './certificate.js';
import type { CaStore, CaFiles } from './ca-store.js';
import type { webcrypto } from 'node:crypto';
import { loadPrivateKey, spkiOf, type KeyAlgorithm } from './keys.js';
import { readCertificateDers } from './pem.js';
import type { RevocationReason } from './crl.js';

export const ITEMS = {
  meta: 'ca.json',
  rootCert: 'root.crt',
  rootKey: 'root.key',
  intermediateCert: 'intermediate.crt',
  intermediateKey: 'intermediate.key',
  bundle: 'bundle.pem',
  crl: 'crl.pem',
  previousRootCert: 'previous-root.crt',
} as const;

export interface IssuedEntry {
  serial: string;
  name: string;
  kind: Extract<CertKind, 'server' | 'client'>;
  sans: string[];
  keyAlgorithm: KeyAlgorithm;
  validityMs: number;
  notBefore: string;
  notAfter: string;
  issuedAt: string;
  /** Serial of the intermediate that signed it. */
  issuerSerial: string;
  certPem: string;
  outDir?: string | undefined;
  secret?: { namespace: string; name: string } | undefined;
  revoked?: { at: string; reason: RevocationReason } | undefined;
  /** A later issue for the same name replaced it. */
  superseded?: boolean | undefined;
}

export interface RotationState {
  kind: 'root' | 'intermediate';
  startedAt: string;
  step: 'prepared' | 'reissued';
  previousIntermediateSerial: string;
  previousRootSerial?: string | undefined;
}

export interface CaMeta {
  version: 1;
  createdAt: string;
  organization: string;
  commonName: string;
  rootKeyAlgorithm: KeyAlgorithm;
  intermediateKeyAlgorithm: KeyAlgorithm;
  nameConstraints?: string[] | undefined;
  crlUrl?: string | undefined;
  crlNumber: number;
  /** Intermediates revoked or retired, by serial. */
  retiredIntermediates: Array<{ serial: string; notAfter: string; retiredAt: string }>;
  issued: IssuedEntry[];
  rotation?: RotationState | undefined;
  /** Where the trust bundle was published, so rotation can update it. */
  published: Array<{ kind: 'configmap'; namespace: string; name: string } | { kind: 'file'; path: string }>;
}

export interface CaCerts {
  meta: CaMeta;
  rootPem: string;
  intermediatePem: string;
  bundlePem: string;
  crlPem: string | undefined;
  previousRootPem: string | undefined;
}

export async function readCa(store: CaStore): Promise<CaCerts> {
  const metaText = await store.read(ITEMS.meta);
  if (metaText === undefined) {
    throw new UsageError(`no CA found in ${store.location}`, { hint: 'create one with `kubectl vibectl-tls ca init`, or bring one with `ca import`, or pass --ca-dir' });
  }
  let meta: CaMeta;
  try {
    meta = JSON.parse(metaText) as CaMeta;
  } catch (err) {
    throw new InvalidInputError(`${ITEMS.meta} in ${store.location} is not valid JSON`, { hint: 'restore it from the backups/ directory', cause: err });
  }
  const need = async (name: string) => {
    const v = await store.read(name);
    if (v === undefined) throw new InvalidInputError(`${name} is missing from the CA in ${store.location}`, { hint: 'restore it from the backups/ directory or import the CA again' });
    return v;
  };
  return {
    meta,
    rootPem: await need(ITEMS.rootCert),
    intermediatePem: await need(ITEMS.intermediateCert),
    bundlePem: await need(ITEMS.bundle),
    crlPem: await store.read(ITEMS.crl),
    previousRootPem: await store.read(ITEMS.previousRootCert),
  };
}

export function certDer(pem: string, label: string): Buffer {
  return readCertificateDers(pem, label)[0]!;
}

export async function loadSigner(store: CaStore, which: 'root' | 'intermediate', passphrase?: string): Promise<Signer> {
  const certName = which === 'root' ? ITEMS.rootCert : ITEMS.intermediateCert;
  const keyName = which === 'root' ? ITEMS.rootKey : ITEMS.intermediateKey;
  const certPem = await store.read(certName);
  const keyPem = await store.read(keyName);
  if (certPem === undefined) throw new InvalidInputError(`${certName} is missing from the CA in ${store.location}`);
  if (keyPem === undefined) {
    throw new UsageError(`the ${which} key is not available in ${store.location}`, {
      hint: which === 'root' ? 'the root key is kept on the machine that ran `ca init`; run this there, or pass --ca-dir pointing to it' : 'import the CA again with its intermediate key',
    });
  }
  const keys = await loadPrivateKey(keyPem, { label: `the ${which} key (${keyName} in ${store.location})`, passphrase });
  const der = certDer(certPem, certName);
  await assertKeyMatches(der, keys.publicKey, `${which} certificate`);
  return { certDer: der, keys };
}

export async function assertKeyMatches(der: Buffer, publicKey: webcrypto.CryptoKey, what: string): Promise<void> {
  const certSpki = parseCertificate(der).publicKey.export({ type: 'spki', format: 'der' });
  if (!certSpki.equals(await spkiOf(publicKey))) {
    throw new InvalidInputError(`the ${what} and its private key do not belong together`, { hint: 'check that the key file is the one generated with this certificate' });
  }
}

export function metaFile(meta: CaMeta): CaFiles {
  return { [ITEMS.meta]: JSON.stringify(meta, null, 2) + '\n' };
}

/** Latest entry per name, in issue order. */
export function currentEntries(meta: CaMeta): IssuedEntry[] {
  return meta.issued.filter((e) => !e.superseded);
}

/** By serial: that certificate. By name: the current certificate of that name (re-issued ones only with `all`). */
export function findEntries(meta: CaMeta, ref: string, o: { all?: boolean } = {}): IssuedEntry[] {
  const serial = ref.replace(/[:\s]/g, '').toLowerCase().replace(/^0+/, '');
  const bySerial = meta.issued.filter((e) => e.serial.replace(/^0+/, '') === serial);
  if (bySerial.length) return bySerial;
  return meta.issued.filter((e) => e.name === ref && (o.all || !e.superseded));
}
