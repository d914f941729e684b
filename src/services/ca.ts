// The private CA's user-level jobs: init, issue, list, inspect, status, revoke, export, import.
// Each takes a CaStore (local directory or cluster Secret) and returns data; nothing prints.
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConflictError, InvalidInputError, UsageError } from '../core/errors.js';
import { DEFAULT_VALIDITY, parseCertificate, type CertKind, type Signer } from '../core/pki/certificate.js';
import { ITEMS, assertKeyMatches, certDer, currentEntries, findEntries, loadSigner, metaFile, readCa, type CaMeta, type IssuedEntry } from '../core/pki/ca-state.js';
import { ensureDir, writeFileAtomic, type CaFiles, type CaStore } from '../core/pki/ca-store.js';
import { buildCrl, type RevocationReason } from '../core/pki/crl.js';
import { issueIntermediate } from '../core/pki/issue-intermediate.js';
import { issueLeaf } from '../core/pki/issue-leaf.js';
import { issueRoot } from '../core/pki/issue-root.js';
import { exportPrivateKeyPem, keyAlgorithmOf, loadPrivateKey, type KeyAlgorithm } from '../core/pki/keys.js';
import { fileNameFor, formatSan, parseSan, parseSans, type San } from '../core/pki/names.js';
import { concatPem, readCertificateDers, toPem } from '../core/pki/pem.js';
import { normalizeSerial } from '../core/pki/serial.js';
import { classify, daysLeft, DEFAULT_EXPIRING_DAYS, isFailing, type CertState } from '../core/pki/status.js';

export interface CertSummary {
  role: 'root' | 'intermediate' | 'previous-root' | CertKind;
  name: string;
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  daysLeft: number;
  keyAlgorithm: KeyAlgorithm | 'unknown';
  sans: string[];
  fingerprintSha256: string;
  state: CertState;
  revokedAt?: string | undefined;
  files?: { cert: string; key: string; ca: string } | undefined;
  secret?: { namespace: string; name: string } | undefined;
}

export interface Clock {
  now: () => Date;
}

const systemClock: Clock = { now: () => new Date() };

export function summarize(pem: string | Buffer, o: { role: CertSummary['role']; name?: string; now: Date; days?: number; revokedAt?: string | undefined }): CertSummary {
  const c = parseCertificate(pem);
  let keyAlgorithm: CertSummary['keyAlgorithm'] = 'unknown';
  try {
    keyAlgorithm = keyAlgorithmOf(c.publicKey);
  } catch {
    // a foreign key type: show it as unknown rather than fail a listing
  }
  const notAfter = new Date(c.validTo);
  const notBefore = new Date(c.validFrom);
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(c.subject)?.[1] ?? c.subject;
  return {
    role: o.role,
    name: o.name ?? cn,
    subject: c.subject.replace(/\n/g, ', '),
    issuer: c.issuer.replace(/\n/g, ', '),
    serial: normalizeSerial(c.serialNumber),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: daysLeft(notAfter, o.now),
    keyAlgorithm,
    sans: (c.subjectAltName ?? '').split(', ').filter(Boolean).map((s) => s.replace(/^IP Address:/, 'IP:')),
    fingerprintSha256: c.fingerprint256,
    state: classify({ notBefore, notAfter, revoked: Boolean(o.revokedAt) }, { now: o.now, days: o.days ?? DEFAULT_EXPIRING_DAYS }),
    revokedAt: o.revokedAt,
  };
}

// ---------------------------------------------------------------------------------------- init

export interface InitOptions {
  store: CaStore;
  commonName?: string | undefined;
  organization?: string | undefined;
  keyAlgorithm?: KeyAlgorithm | undefined;
  rootValidityMs?: number | undefined;
  intermediateValidityMs?: number | undefined;
  nameConstraints?: string[] | undefined;
  crlUrl?: string | undefined;
  force?: boolean | undefined;
  /** Encrypts the root and intermediate keys at rest. */
  passphrase?: string | undefined;
  clock?: Clock;
}

export interface InitResult {
  location: string;
  root: CertSummary;
  intermediate: CertSummary;
  backup?: string | undefined;
}

export async function initCa(o: InitOptions): Promise<InitResult> {
  const now = (o.clock ?? systemClock).now();
  checkInitInput(o);
  return o.store.locked(async () => {
    let backup: string | undefined;
    if (await o.store.exists()) {
      if (!o.force) {
        throw new ConflictError(`a CA already exists in ${o.store.location}`, {
          hint: 'use it as it is, pass --ca-dir for another one, or pass --force to replace it (the old one is backed up first)',
        });
      }
      backup = await o.store.backup('before-init');
    }
    const alg = o.keyAlgorithm ?? 'ecdsa-p256';
    const organization = o.organization ?? 'vibectl-tls';
    const baseName = o.commonName ?? 'vibectl-tls';
    const stamp = now.toISOString().slice(0, 10);
    const root = await issueRoot({ commonName: `${baseName} Root CA ${stamp}`, organization, keyAlgorithm: alg, validityMs: o.rootValidityMs, now });
    const inter = await issueIntermediate({
      root: { certDer: root.cert.der, keys: root.keys },
      commonName: `${baseName} Intermediate CA ${stamp}`,
      organization,
      keyAlgorithm: alg,
      validityMs: o.intermediateValidityMs,
      nameConstraints: o.nameConstraints,
      crlUrl: o.crlUrl,
      now,
    });
    const meta: CaMeta = {
      version: 1,
      createdAt: now.toISOString(),
      organization,
      commonName: baseName,
      rootKeyAlgorithm: alg,
      intermediateKeyAlgorithm: alg,
      nameConstraints: o.nameConstraints?.length ? o.nameConstraints : undefined,
      crlUrl: o.crlUrl,
      crlNumber: 1,
      retiredIntermediates: [],
      issued: [],
      published: [],
    };
    const crl = await crlFor({ certDer: inter.cert.der, keys: inter.keys }, [], meta.crlNumber, now);
    await o.store.write({
      [ITEMS.rootKey]: await exportPrivateKeyPem(root.keys.privateKey, o.passphrase),
      [ITEMS.rootCert]: root.cert.pem,
      [ITEMS.intermediateKey]: await exportPrivateKeyPem(inter.keys.privateKey, o.passphrase),
      [ITEMS.intermediateCert]: inter.cert.pem,
      [ITEMS.bundle]: concatPem(root.cert.pem, inter.cert.pem),
      [ITEMS.crl]: crl,
      [ITEMS.previousRootCert]: null,
      ...metaFile(meta),
    });
    return {
      location: o.store.location,
      root: summarize(root.cert.pem, { role: 'root', now }),
      intermediate: summarize(inter.cert.pem, { role: 'intermediate', now }),
      backup,
    };
  });
}

/** Refuses what would otherwise be baked into a 10-year root: empty names, a CRL URL clients cannot fetch. */
function checkInitInput(o: Pick<InitOptions, 'commonName' | 'organization' | 'crlUrl'>): void {
  for (const [flag, v] of [['--common-name', o.commonName], ['--organization', o.organization]] as const) {
    if (v !== undefined && !v.trim()) throw new InvalidInputError(`${flag} is empty`, { hint: `leave ${flag} out for the default (vibectl-tls), or give a name` });
  }
  if (o.crlUrl !== undefined) {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(o.crlUrl).protocol);
    } catch {
      // not a URL at all
    }
    if (!ok) throw new InvalidInputError(`--crl-url "${o.crlUrl}" is not an http:// or https:// URL`, { hint: 'use the URL where you will publish crl.pem, e.g. http://pki.example.com/crl.pem' });
  }
}

async function crlFor(issuer: Signer, entries: IssuedEntry[], crlNumber: number, now: Date): Promise<string> {
  const serial = normalizeSerial(parseCertificate(issuer.certDer).serialNumber);
  const revoked = entries
    .filter((e) => e.revoked && normalizeSerial(e.issuerSerial) === serial)
    .map((e) => ({ serial: e.serial, revokedAt: e.revoked!.at, reason: e.revoked!.reason }));
  return buildCrl({ issuer, revoked, crlNumber, now });
}

// --------------------------------------------------------------------------------------- issue

export interface IssueOptions {
  store: CaStore;
  names: string[];
  sans?: string[] | undefined;
  client?: boolean | undefined;
  keyAlgorithm?: KeyAlgorithm | undefined;
  validityMs?: number | undefined;
  /** Directory for <name>.crt (leaf + intermediate), <name>.key and ca.crt. */
  outDir?: string | undefined;
  /** Don't write files (the caller delivers the returned PEMs elsewhere, e.g. a Secret). */
  noFiles?: boolean | undefined;
  passphrase?: string | undefined;
  /** Delivers each leaf elsewhere (a Secret) before anything is recorded; returns where it went. */
  deliver?: ((leaf: IssuedLeaf) => Promise<{ namespace: string; name: string }>) | undefined;
  clock?: Clock;
}

export interface IssuedLeaf {
  summary: CertSummary;
  chainPem: string;
  /** Kept out of JSON output: the private key is delivered to files/Secrets, never printed. */
  keyPem: string;
  bundlePem: string;
  entry: IssuedEntry;
}

export interface IssueResult {
  location: string;
  issued: CertSummary[];
  leaves: IssuedLeaf[];
}

/** <ca-dir>/leaves, for the cluster store too (its local directory holds the root key). */
export function defaultOutDir(store: CaStore): string | undefined {
  const s = store as Partial<{ dir: string; localDir: string }>;
  const dir = s.dir ?? s.localDir;
  return dir ? join(dir, 'leaves') : undefined;
}

/** Validates everything first, then issues each leaf, writes the files, and records them in one store write. */
export async function issueCertificates(o: IssueOptions): Promise<IssueResult> {
  if (o.names.length === 0) throw new UsageError('name at least one certificate to issue', { hint: 'kubectl vibectl-tls ca issue api.example.com --san 10.0.0.5' });
  const kind: 'server' | 'client' = o.client ? 'client' : 'server';
  const extra = parseSans(o.sans ?? []);
  const plans = o.names.map((name) => {
    let own: San[] = [];
    if (kind === 'server') own = [parseSan(name)];
    else if (!/^[\p{L}\p{N} ._@-]{1,64}$/u.test(name)) {
      throw new InvalidInputError(`client name "${name}" must be 1-64 letters, digits, spaces or . _ @ -`, { hint: 'use the identity the server should see, e.g. alice or ci-bot' });
    }
    const sans = dedupe([...own, ...extra]);
    const commonName = kind === 'server' ? (own[0]!.value) : name;
    return { name, commonName, sans };
  });
  const outDir = o.noFiles ? undefined : resolve(o.outDir ?? defaultOutDir(o.store) ?? '.');
  const now = (o.clock ?? systemClock).now();
  return o.store.locked(async () => {
    const ca = await readCa(o.store);
    const intermediate = await loadSigner(o.store, 'intermediate', o.passphrase);
    const issuerSerial = normalizeSerial(parseCertificate(intermediate.certDer).serialNumber);
    const alg = o.keyAlgorithm ?? 'ecdsa-p256';
    // WebCrypto work runs on libuv's thread pool: a few leaves in flight keep it busy.
    const leaves = await mapLimit(plans, 8, async (p): Promise<IssuedLeaf> => {
      const { cert, keys } = await issueLeaf({
        intermediate,
        kind,
        commonName: p.commonName,
        sans: p.sans,
        keyAlgorithm: alg,
        validityMs: o.validityMs ?? DEFAULT_VALIDITY[kind],
        crlUrl: ca.meta.crlUrl,
        now,
      });
      const chainPem = concatPem(cert.pem, ca.intermediatePem);
      const keyPem = await exportPrivateKeyPem(keys.privateKey);
      const c = parseCertificate(cert.der);
      const entry: IssuedEntry = {
        serial: cert.serial,
        name: p.name,
        kind,
        sans: p.sans.map(formatSan),
        keyAlgorithm: alg,
        validityMs: o.validityMs ?? DEFAULT_VALIDITY[kind],
        notBefore: new Date(c.validFrom).toISOString(),
        notAfter: new Date(c.validTo).toISOString(),
        issuedAt: now.toISOString(),
        issuerSerial,
        certPem: cert.pem,
        outDir,
      };
      return { summary: summarize(cert.pem, { role: kind, name: p.name, now }), chainPem, keyPem, bundlePem: ca.bundlePem, entry };
    });
    if (o.deliver) {
      for (const leaf of leaves) {
        leaf.entry.secret = await o.deliver(leaf);
        leaf.summary.secret = leaf.entry.secret;
      }
    }
    if (outDir) {
      await ensureDir(outDir);
      for (const leaf of leaves) leaf.summary.files = await writeLeafFiles(outDir, leaf, { bundle: false });
      await writeFileAtomic(join(outDir, 'ca.crt'), ca.bundlePem, 0o644);
    }
    const names = new Set(plans.map((p) => p.name));
    const meta: CaMeta = {
      ...ca.meta,
      issued: [...ca.meta.issued.map((e) => (names.has(e.name) && !e.superseded ? { ...e, superseded: true } : e)), ...leaves.map((l) => l.entry)],
    };
    await o.store.write(metaFile(meta));
    return { location: o.store.location, issued: leaves.map((l) => l.summary), leaves };
  });
}

/** Like Promise.all over items, at most `limit` at a time, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function dedupe(sans: San[]): San[] {
  const seen = new Set<string>();
  return sans.filter((s) => {
    const k = `${s.type}:${s.value}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Key first, then the chain, then the bundle: a watcher that reloads on the .crt sees a matching key. */
export async function writeLeafFiles(outDir: string, leaf: Pick<IssuedLeaf, 'chainPem' | 'keyPem' | 'bundlePem' | 'entry'>, o: { bundle?: boolean } = {}): Promise<{ cert: string; key: string; ca: string }> {
  const base = fileNameFor(leaf.entry.name);
  const files = { cert: join(outDir, `${base}.crt`), key: join(outDir, `${base}.key`), ca: join(outDir, 'ca.crt') };
  await writeFileAtomic(files.key, leaf.keyPem, 0o600);
  await writeFileAtomic(files.cert, leaf.chainPem, 0o644);
  if (o.bundle !== false) await writeFileAtomic(files.ca, leaf.bundlePem, 0o644);
  return files;
}

// -------------------------------------------------------------------------------- list / status

export interface ListOptions {
  store: CaStore;
  /** Include superseded (re-issued) certificates. */
  all?: boolean | undefined;
  days?: number | undefined;
  clock?: Clock;
}

export interface ListResult {
  location: string;
  days: number;
  rotation?: CaMeta['rotation'];
  certificates: CertSummary[];
}

export async function listCa(o: ListOptions): Promise<ListResult> {
  const now = (o.clock ?? systemClock).now();
  const days = o.days ?? DEFAULT_EXPIRING_DAYS;
  const ca = await readCa(o.store);
  const certs: CertSummary[] = [summarize(ca.rootPem, { role: 'root', now, days }), summarize(ca.intermediatePem, { role: 'intermediate', now, days })];
  if (ca.previousRootPem) certs.push(summarize(ca.previousRootPem, { role: 'previous-root', now, days }));
  const entries = o.all ? ca.meta.issued : currentEntries(ca.meta);
  for (const e of entries) {
    const s = summarize(e.certPem, { role: e.kind, name: e.name, now, days, revokedAt: e.revoked?.at });
    if (e.outDir) {
      const base = fileNameFor(e.name);
      s.files = { cert: join(e.outDir, `${base}.crt`), key: join(e.outDir, `${base}.key`), ca: join(e.outDir, 'ca.crt') };
    }
    s.secret = e.secret;
    certs.push(s);
  }
  return { location: o.store.location, days, rotation: ca.meta.rotation, certificates: certs };
}

export interface StatusResult extends ListResult {
  ok: boolean;
  counts: Record<CertState, number>;
}

export async function caStatus(o: ListOptions): Promise<StatusResult> {
  const list = await listCa({ ...o, all: false });
  const counts: Record<CertState, number> = { Valid: 0, 'Expiring soon': 0, Expired: 0, Revoked: 0 };
  for (const c of list.certificates) counts[c.state]++;
  return { ...list, ok: !list.certificates.some((c) => isFailing(c.state)), counts };
}

// ------------------------------------------------------------------------------------- inspect

export interface InspectOptions {
  store?: CaStore | undefined;
  /** A certificate name or serial known to the CA, a file path, or "root" / "intermediate". */
  ref: string;
  clock?: Clock;
}

export interface InspectResult {
  certificates: Array<CertSummary & { pem: string; extensions: Array<{ name: string; critical: boolean; value: string }>; issuedByThisCa?: boolean | undefined }>;
}

export async function inspectCertificate(o: InspectOptions): Promise<InspectResult> {
  const now = (o.clock ?? systemClock).now();
  const ca = o.store && (await o.store.exists()) ? await readCa(o.store) : undefined;
  let items: Array<{ pem: string; role: CertSummary['role']; name?: string; revokedAt?: string | undefined }> = [];
  if (ca && (o.ref === 'root' || o.ref === 'intermediate')) {
    items = [{ pem: o.ref === 'root' ? ca.rootPem : ca.intermediatePem, role: o.ref }];
  } else if (ca && findEntries(ca.meta, o.ref).length > 0) {
    items = findEntries(ca.meta, o.ref).map((e) => ({ pem: e.certPem, role: e.kind, name: e.name, revokedAt: e.revoked?.at }));
  } else {
    let data: Buffer;
    try {
      data = await fs.readFile(o.ref);
    } catch {
      throw new InvalidInputError(`"${o.ref}" is neither a certificate of this CA nor a readable file`, { hint: 'run `kubectl vibectl-tls ca list` for names and serials' });
    }
    items = readCertificateDers(data, o.ref).map((der) => ({ pem: toPem('CERTIFICATE', der), role: 'server' as const }));
  }
  const { x509 } = await import('../core/pki/crypto.js');
  const X = await x509();
  const out: InspectResult['certificates'] = [];
  for (const it of items) {
    const s = summarize(it.pem, { role: it.role, name: it.name, now, revokedAt: it.revokedAt });
    const cert = new X.X509Certificate(it.pem);
    const extensions = cert.extensions.map((e) => {
      const text = e.toString('text').split('\n').slice(1).join('\n').trim();
      return { name: e.toString('text').split('\n')[0]!.replace(/:$/, ''), critical: e.critical, value: text };
    });
    const issuedByThisCa = ca ? issuedBy(it.pem, ca) : undefined;
    out.push({ ...s, pem: it.pem, extensions, issuedByThisCa });
  }
  return { certificates: out };
}

function issuedBy(pem: string, ca: { rootPem: string; intermediatePem: string; previousRootPem?: string | undefined }): boolean {
  const c = parseCertificate(pem);
  return [ca.intermediatePem, ca.rootPem, ca.previousRootPem].filter((p): p is string => Boolean(p)).some((p) => {
    const issuer = parseCertificate(p);
    return c.checkIssued(issuer) && c.verify(issuer.publicKey);
  });
}

// -------------------------------------------------------------------------------------- revoke

export interface RevokeOptions {
  store: CaStore;
  /** Name or serial known to the CA, or a certificate file. */
  ref: string;
  reason?: RevocationReason | undefined;
  passphrase?: string | undefined;
  clock?: Clock;
}

export interface RevokeResult {
  revoked: CertSummary[];
  crl: string;
}

export async function revokeCertificate(o: RevokeOptions): Promise<RevokeResult> {
  const now = (o.clock ?? systemClock).now();
  return o.store.locked(async () => {
    const ca = await readCa(o.store);
    let targets = findEntries(ca.meta, o.ref).filter((e) => !e.revoked);
    if (targets.length === 0) {
      const data = await fs.readFile(o.ref).catch(() => undefined);
      if (!data) {
        const known = findEntries(ca.meta, o.ref);
        if (known.length) throw new ConflictError(`${o.ref} is already revoked`, { hint: 'issue a new certificate with `kubectl vibectl-tls ca issue`' });
        throw new InvalidInputError(`no certificate named or numbered "${o.ref}" was issued by this CA`, { hint: 'run `kubectl vibectl-tls ca list --all` for names and serials, or pass the certificate file' });
      }
      const der = readCertificateDers(data, o.ref)[0]!;
      const serial = normalizeSerial(parseCertificate(der).serialNumber);
      targets = ca.meta.issued.filter((e) => normalizeSerial(e.serial) === serial);
      if (targets.length === 0 || !issuedBy(toPem('CERTIFICATE', der), ca)) {
        throw new InvalidInputError(`${o.ref} was not issued by this CA (${o.store.location})`, { hint: 'check --ca-dir / --store; a CA can only revoke what it signed' });
      }
      if (targets.every((t) => t.revoked)) throw new ConflictError(`${o.ref} is already revoked`);
    }
    const intermediate = await loadSigner(o.store, 'intermediate', o.passphrase);
    const currentSerial = normalizeSerial(parseCertificate(intermediate.certDer).serialNumber);
    const foreign = targets.find((t) => normalizeSerial(t.issuerSerial) !== currentSerial);
    if (foreign) {
      throw new UsageError(`${foreign.name} (serial ${foreign.serial}) was signed by a retired intermediate whose CRL is no longer published`, {
        hint: 'it stops being trusted when that intermediate is no longer in any trust bundle; re-issue the name instead',
      });
    }
    const ids = new Set(targets.map((t) => t.serial));
    const issued = ca.meta.issued.map((e) => (ids.has(e.serial) ? { ...e, revoked: { at: now.toISOString(), reason: o.reason ?? 'unspecified' } } : e));
    const meta: CaMeta = { ...ca.meta, issued, crlNumber: ca.meta.crlNumber + 1 };
    const crl = await crlFor(intermediate, issued, meta.crlNumber, now);
    await o.store.write({ [ITEMS.crl]: crl, ...metaFile(meta) });
    return {
      revoked: issued.filter((e) => ids.has(e.serial)).map((e) => summarize(e.certPem, { role: e.kind, name: e.name, now, revokedAt: e.revoked?.at })),
      crl,
    };
  });
}

// -------------------------------------------------------------------------------------- import

export interface ImportOptions {
  store: CaStore;
  rootCertPem: string | Buffer;
  /** Optional: without it the CA can issue (intermediate key) but not rotate. */
  rootKeyPem?: string | undefined;
  intermediateCertPem: string | Buffer;
  intermediateKeyPem: string;
  /** Passphrase of the imported keys (they are stored as given). */
  passphrase?: string | undefined;
  force?: boolean | undefined;
  clock?: Clock;
}

export async function importCa(o: ImportOptions): Promise<InitResult> {
  const now = (o.clock ?? systemClock).now();
  const rootDer = readCertificateDers(o.rootCertPem, 'the root certificate')[0]!;
  const interDer = readCertificateDers(o.intermediateCertPem, 'the intermediate certificate')[0]!;
  const root = parseCertificate(rootDer);
  const inter = parseCertificate(interDer);
  if (!root.ca) throw new InvalidInputError('the root certificate is not a CA certificate (basicConstraints CA:FALSE)');
  if (!inter.ca) throw new InvalidInputError('the intermediate certificate is not a CA certificate (basicConstraints CA:FALSE)');
  if (!(inter.checkIssued(root) && inter.verify(root.publicKey))) {
    throw new InvalidInputError('the intermediate certificate was not issued by this root', { hint: 'pass the root that signed the intermediate (openssl verify -CAfile root.pem intermediate.pem)' });
  }
  if (!(root.checkIssued(root) && root.verify(root.publicKey))) throw new InvalidInputError('the root certificate is not self-signed', { hint: 'pass the top of the chain as --root-cert' });
  const interKeys = await loadPrivateKey(o.intermediateKeyPem, { label: 'the intermediate key', passphrase: o.passphrase });
  await assertKeyMatches(interDer, interKeys.publicKey, 'intermediate certificate');
  let rootAlg: KeyAlgorithm = keyAlgorithmOf(root.publicKey);
  if (o.rootKeyPem) {
    const rootKeys = await loadPrivateKey(o.rootKeyPem, { label: 'the root key', passphrase: o.passphrase });
    await assertKeyMatches(rootDer, rootKeys.publicKey, 'root certificate');
    rootAlg = rootKeys.algorithm;
  }
  if (new Date(inter.validTo) <= now) throw new InvalidInputError(`the intermediate certificate expired on ${new Date(inter.validTo).toISOString().slice(0, 10)}`, { hint: 'import a CA that is still valid, or create a new one with `ca init`' });
  return o.store.locked(async () => {
    let backup: string | undefined;
    if (await o.store.exists()) {
      if (!o.force) throw new ConflictError(`a CA already exists in ${o.store.location}`, { hint: 'pass --force to replace it (the old one is backed up first) or use another --ca-dir' });
      backup = await o.store.backup('before-import');
    }
    const rootPem = toPem('CERTIFICATE', rootDer);
    const interPem = toPem('CERTIFICATE', interDer);
    const meta: CaMeta = {
      version: 1,
      createdAt: now.toISOString(),
      organization: /O=([^\n]*)/.exec(root.subject)?.[1] ?? 'imported',
      commonName: /CN=([^\n]*)/.exec(root.subject)?.[1] ?? 'imported',
      rootKeyAlgorithm: rootAlg,
      intermediateKeyAlgorithm: interKeys.algorithm,
      crlNumber: 1,
      retiredIntermediates: [],
      issued: [],
      published: [],
    };
    const files: CaFiles = {
      [ITEMS.rootCert]: rootPem,
      [ITEMS.rootKey]: o.rootKeyPem ?? null,
      [ITEMS.intermediateCert]: interPem,
      [ITEMS.intermediateKey]: o.intermediateKeyPem,
      [ITEMS.bundle]: concatPem(rootPem, interPem),
      [ITEMS.crl]: await crlFor({ certDer: interDer, keys: interKeys }, [], 1, now),
      [ITEMS.previousRootCert]: null,
      ...metaFile(meta),
    };
    await o.store.write(files);
    return { location: o.store.location, root: summarize(rootPem, { role: 'root', now }), intermediate: summarize(interPem, { role: 'intermediate', now }), backup };
  });
}

export { certDer };
