// `ca rotate`: replace the intermediate (or the root and the intermediate) without a failed
// handshake. See core/pki/rotation.ts for the steps and why a root rotation pauses between them.
import { join } from 'node:path';
import { ConflictError, UsageError } from '../core/errors.js';
import type { KubeClient } from '../core/kube/client.js';
import { path, R } from '../core/kube/paths.js';
import { parseCertificate } from '../core/pki/certificate.js';
import { ITEMS, currentEntries, loadSigner, metaFile, readCa, type CaMeta, type IssuedEntry } from '../core/pki/ca-state.js';
import { writeFileAtomic, type CaFiles, type CaStore } from '../core/pki/ca-store.js';
import { buildCrl } from '../core/pki/crl.js';
import { issueIntermediate } from '../core/pki/issue-intermediate.js';
import { issueLeaf } from '../core/pki/issue-leaf.js';
import { issueRoot } from '../core/pki/issue-root.js';
import { exportPrivateKeyPem } from '../core/pki/keys.js';
import { trustConfigMap } from '../core/manifests/trust-manager.js';
import { parseSans } from '../core/pki/names.js';
import { concatPem } from '../core/pki/pem.js';
import { stepsToRun, transitionBundle, type RotationStep } from '../core/pki/rotation.js';
import { normalizeSerial } from '../core/pki/serial.js';
import { summarize, writeLeafFiles, type CertSummary, type Clock } from './ca.js';
import { deliverTlsSecret } from './ca-deliver.js';

export interface RotateOptions {
  store: CaStore;
  /** Start a rotation of this CA level; omit to continue the one in progress. */
  start?: 'root' | 'intermediate' | undefined;
  /** Only the finish step (a root rotation whose leaves are re-issued). */
  finish?: boolean | undefined;
  /** Run every remaining step now (for setups where clients re-read the bundle on each connection). */
  all?: boolean | undefined;
  /** Needed when leaves or bundles were delivered to the cluster. */
  kube?: (() => Promise<KubeClient>) | undefined;
  passphrase?: string | undefined;
  clock?: Clock;
  /** Called after each step, e.g. to report progress. */
  onStep?: ((step: RotationStep) => void) | undefined;
}

export interface RotateResult {
  kind: 'root' | 'intermediate';
  stepsRun: RotationStep[];
  /** What remains, when the rotation pauses; undefined when done. */
  next?: RotationStep | undefined;
  root: CertSummary;
  intermediate: CertSummary;
  reissued: CertSummary[];
  published: string[];
  archive?: string | undefined;
}

export async function rotateCa(o: RotateOptions): Promise<RotateResult> {
  const clock = o.clock ?? { now: () => new Date() };
  return o.store.locked(async () => {
    let ca = await readCa(o.store);
    const state = ca.meta.rotation;
    let kind: 'root' | 'intermediate';
    let steps: RotationStep[];
    if (o.start) {
      if (state) {
        throw new ConflictError(`a rotation of the ${state.kind} is already in progress (last step: ${state.step})`, {
          hint: state.step === 'prepared' ? 'run `kubectl vibectl-tls ca rotate --continue`' : 'run `kubectl vibectl-tls ca rotate --finish`',
        });
      }
      kind = o.start;
      steps = stepsToRun({ kind, all: Boolean(o.all) });
    } else {
      if (!state) throw new UsageError('no rotation is in progress', { hint: 'start one with `kubectl vibectl-tls ca rotate` (intermediate) or `ca rotate --root`' });
      kind = state.kind;
      if (o.finish && state.step !== 'reissued') {
        throw new UsageError('the leaves have not been re-issued from the new CA yet; finishing now would break them', { hint: 'run `kubectl vibectl-tls ca rotate --continue` first' });
      }
      steps = o.finish ? ['finish'] : stepsToRun({ kind, done: state.step, all: Boolean(o.all) });
    }
    let kube: KubeClient | undefined;
    const getKube = async () => {
      if (!kube) {
        if (!o.kube) throw new UsageError('some certificates were delivered to the cluster; this step needs cluster access');
        kube = await o.kube();
      }
      return kube;
    };
    const reissued: CertSummary[] = [];
    const published = new Set<string>();
    let archive: string | undefined;
    for (const step of steps) {
      const now = clock.now();
      if (step === 'prepare') archive = await prepare({ o, ca, kind, now });
      else if (step === 'reissue') reissued.push(...(await reissue({ o, ca, now, getKube })));
      else await finish({ o, ca, now });
      ca = await readCa(o.store);
      for (const p of await publishBundle({ meta: ca.meta, bundlePem: ca.bundlePem, getKube })) published.add(p);
      o.onStep?.(step);
    }
    const now = clock.now();
    const nextStep = ca.meta.rotation ? (ca.meta.rotation.step === 'prepared' ? 'reissue' : 'finish') : undefined;
    return {
      kind,
      stepsRun: steps,
      next: nextStep,
      root: summarize(ca.rootPem, { role: 'root', now }),
      intermediate: summarize(ca.intermediatePem, { role: 'intermediate', now }),
      reissued,
      published: [...published],
      archive,
    };
  });
}

type Ca = Awaited<ReturnType<typeof readCa>>;

async function prepare(a: { o: RotateOptions; ca: Ca; kind: 'root' | 'intermediate'; now: Date }): Promise<string> {
  const { o, ca, kind, now } = a;
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const day = now.toISOString().slice(0, 10);
  const oldRoot = await loadSigner(o.store, 'root', o.passphrase);
  const oldIntermediateKey = await o.store.read(ITEMS.intermediateKey);
  let rootSigner = oldRoot;
  const files: CaFiles = {};
  if (kind === 'root') {
    const root = await issueRoot({ commonName: `${ca.meta.commonName} Root CA ${day}`, organization: ca.meta.organization, keyAlgorithm: ca.meta.rootKeyAlgorithm, now });
    rootSigner = { certDer: root.cert.der, keys: root.keys };
    files[ITEMS.rootCert] = root.cert.pem;
    files[ITEMS.rootKey] = await exportPrivateKeyPem(root.keys.privateKey, o.passphrase);
    files[ITEMS.previousRootCert] = ca.rootPem;
  }
  const inter = await issueIntermediate({
    root: rootSigner,
    commonName: `${ca.meta.commonName} Intermediate CA ${day}`,
    organization: ca.meta.organization,
    keyAlgorithm: ca.meta.intermediateKeyAlgorithm,
    nameConstraints: ca.meta.nameConstraints,
    crlUrl: ca.meta.crlUrl,
    now,
  });
  const archiveDir = `archive/${stamp}-${kind}`;
  files[`${archiveDir}/intermediate.crt`] = ca.intermediatePem;
  if (oldIntermediateKey) files[`${archiveDir}/intermediate.key`] = oldIntermediateKey;
  if (kind === 'root') {
    files[`${archiveDir}/root.crt`] = ca.rootPem;
    const oldRootKey = await o.store.read(ITEMS.rootKey);
    if (oldRootKey) files[`${archiveDir}/root.key`] = oldRootKey;
  }
  files[ITEMS.intermediateCert] = inter.cert.pem;
  files[ITEMS.intermediateKey] = await exportPrivateKeyPem(inter.keys.privateKey, o.passphrase);
  const roots = kind === 'root' ? [files[ITEMS.rootCert] as string, ca.rootPem] : [ca.rootPem, ca.previousRootPem ?? ''];
  files[ITEMS.bundle] = transitionBundle({ roots, intermediates: [inter.cert.pem, ca.intermediatePem] });
  const crlNumber = ca.meta.crlNumber + 1;
  // Keep the old intermediate's CRL next to the new (empty) one: its leaves stay valid until re-issued.
  files[ITEMS.crl] = concatPem(await buildCrl({ issuer: { certDer: inter.cert.der, keys: inter.keys }, revoked: [], crlNumber, now }), ca.crlPem);
  const meta: CaMeta = {
    ...ca.meta,
    crlNumber,
    rotation: {
      kind,
      startedAt: now.toISOString(),
      step: 'prepared',
      previousIntermediateSerial: normalizeSerial(parseCertificate(ca.intermediatePem).serialNumber),
      previousRootSerial: kind === 'root' ? normalizeSerial(parseCertificate(ca.rootPem).serialNumber) : undefined,
    },
  };
  await o.store.write({ ...files, ...metaFile(meta) });
  return archiveDir;
}

async function reissue(a: { o: RotateOptions; ca: Ca; now: Date; getKube: () => Promise<KubeClient> }): Promise<CertSummary[]> {
  const { o, ca, now } = a;
  const intermediate = await loadSigner(o.store, 'intermediate', o.passphrase);
  const newSerial = normalizeSerial(parseCertificate(intermediate.certDer).serialNumber);
  const due = currentEntries(ca.meta).filter((e) => !e.revoked && normalizeSerial(e.issuerSerial) !== newSerial && new Date(e.notAfter) > now);
  const replaced = new Map<string, IssuedEntry>();
  const out: CertSummary[] = [];
  for (const e of due) {
    const { cert, keys } = await issueLeaf({
      intermediate,
      kind: e.kind,
      commonName: parseCertificate(e.certPem).subject.match(/CN=([^\n]*)/)?.[1] ?? e.name,
      sans: parseSans(e.sans.map((s) => s.replace(/^(DNS|IP):/, ''))),
      keyAlgorithm: e.keyAlgorithm,
      validityMs: e.validityMs,
      crlUrl: ca.meta.crlUrl,
      now,
    });
    const c = parseCertificate(cert.der);
    const entry: IssuedEntry = {
      ...e,
      serial: cert.serial,
      notBefore: new Date(c.validFrom).toISOString(),
      notAfter: new Date(c.validTo).toISOString(),
      issuedAt: now.toISOString(),
      issuerSerial: newSerial,
      certPem: cert.pem,
      superseded: undefined,
    };
    const leaf = { chainPem: concatPem(cert.pem, ca.intermediatePem), keyPem: await exportPrivateKeyPem(keys.privateKey), bundlePem: ca.bundlePem, entry };
    if (e.secret) {
      await deliverTlsSecret({ kube: await a.getKube(), namespace: e.secret.namespace, name: e.secret.name, chainPem: leaf.chainPem, keyPem: leaf.keyPem, caPem: leaf.bundlePem, serial: entry.serial });
    }
    const summary = summarize(cert.pem, { role: e.kind, name: e.name, now });
    if (e.outDir) summary.files = await writeLeafFiles(e.outDir, leaf);
    summary.secret = e.secret;
    replaced.set(e.serial, entry);
    out.push(summary);
  }
  const issued = ca.meta.issued.map((e) => (replaced.has(e.serial) ? { ...e, superseded: true } : e)).concat([...replaced.values()]);
  await o.store.write(metaFile({ ...ca.meta, issued, rotation: { ...ca.meta.rotation!, step: 'reissued' } }));
  return out;
}

async function finish(a: { o: RotateOptions; ca: Ca; now: Date }): Promise<void> {
  const { o, ca, now } = a;
  const rotation = ca.meta.rotation!;
  const meta: CaMeta = {
    ...ca.meta,
    rotation: undefined,
    retiredIntermediates: [
      ...ca.meta.retiredIntermediates,
      { serial: rotation.previousIntermediateSerial, notAfter: '', retiredAt: now.toISOString() },
    ],
  };
  await o.store.write({
    [ITEMS.bundle]: concatPem(ca.rootPem, ca.intermediatePem),
    [ITEMS.previousRootCert]: null,
    ...metaFile(meta),
  });
}

/** Writes the current bundle everywhere it was delivered: leaf directories, leaf Secrets (ca.crt only), published ConfigMaps. */
export async function publishBundle(a: { meta: CaMeta; bundlePem: string; getKube: () => Promise<KubeClient> }): Promise<string[]> {
  const done: string[] = [];
  const entries = currentEntries(a.meta).filter((e) => !e.revoked);
  for (const dir of new Set(entries.map((e) => e.outDir).filter((d): d is string => Boolean(d)))) {
    await writeFileAtomic(join(dir, 'ca.crt'), a.bundlePem, 0o644);
    done.push(join(dir, 'ca.crt'));
  }
  for (const e of entries) {
    if (!e.secret) continue;
    const kube = await a.getKube();
    // A merge patch of ca.crt alone: tls.crt/tls.key stay as they are (we don't keep leaf keys).
    await kube.request('PATCH', path(R.secrets, { namespace: e.secret.namespace, name: e.secret.name }), {
      body: { data: { 'ca.crt': Buffer.from(a.bundlePem).toString('base64') } },
      contentType: 'application/merge-patch+json',
    });
    done.push(`Secret ${e.secret.namespace}/${e.secret.name}`);
  }
  for (const p of a.meta.published) {
    if (p.kind !== 'configmap') continue;
    const kube = await a.getKube();
    await kube.apply(path(R.configmaps, { namespace: p.namespace, name: p.name }), trustConfigMap({ bundle: p.name, namespace: p.namespace, caPem: a.bundlePem }));
    done.push(`ConfigMap ${p.namespace}/${p.name}`);
  }
  return done;
}
