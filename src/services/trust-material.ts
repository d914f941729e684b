// The CA certificates clients are told to trust, wherever they live: the private CA directory,
// a PEM/DER file, or the cluster (a ConfigMap key, what a trust-manager Bundle/ClusterBundle
// writes, or the ca.crt of a Secret). Shared by `trust export` and `trust verify`.
import { readFile } from 'node:fs/promises';
import { InvalidInputError, UsageError } from '../core/errors.js';
import type { KubeClient, KubeObject } from '../core/kube/client.js';
import { path, R, resourcePath } from '../core/kube/paths.js';
import { readCertificateDers } from '../core/pki/pem.js';
import { certFacts } from '../core/x509/certificate.js';
import { readCaBundle } from './trust.js';

export type TrustSource =
  | { kind: 'ca-dir'; dir?: string | undefined }
  | { kind: 'file'; file: string }
  | { kind: 'cluster'; spec: string; kube: () => Promise<KubeClient>; namespace?: string | undefined };

export interface TrustMaterial {
  /** Where it came from, for messages ("ConfigMap web/vibectl-tls-ca-bundle[ca.crt]"). */
  source: string;
  /** Each certificate once, in bundle order. */
  ders: Buffer[];
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  serial: string;
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
  /** Whole days until notAfter (negative once expired). */
  daysLeft: number;
  expired: boolean;
  ca: boolean;
  selfSigned: boolean;
}

const CLUSTER_SPEC = /^(configmap|cm|bundle|secret)\/([a-z0-9]([a-z0-9.-]*[a-z0-9])?)(?::(.+))?$/;
const SPEC_FORMS = 'configmap/NAME[:KEY], bundle/NAME or secret/NAME[:KEY]';

/** Throws a usage error unless spec is one of the cluster forms. */
export function checkClusterSpec(spec: string): void {
  if (!CLUSTER_SPEC.test(spec)) throw new UsageError(`--from "${spec}" is not ${SPEC_FORMS}`, { hint: 'for example --from configmap/vibectl-tls-ca-bundle or --from secret/app-tls' });
}

export async function readTrustMaterial(source: TrustSource): Promise<TrustMaterial> {
  let found: { label: string; data: Buffer | string };
  if (source.kind === 'ca-dir') {
    const { pem, source: file } = await readCaBundle({ dir: source.dir });
    found = { label: file, data: pem };
  } else if (source.kind === 'file') {
    const data = await readFile(source.file).catch((err: NodeJS.ErrnoException) => {
      throw new InvalidInputError(`cannot read ${source.file}: ${err.code ?? err.message}`, { hint: 'pass a PEM (or DER) file with the CA certificates clients trust' });
    });
    found = { label: source.file, data };
  } else {
    found = await readClusterBundle(source);
  }
  const seen = new Set<string>();
  const ders = readCertificateDers(found.data, found.label).filter((d) => {
    const key = d.toString('base64');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { source: found.label, ders };
}

type ConfigMap = KubeObject & { data?: Record<string, string> };
type Secret = KubeObject & { data?: Record<string, string> };
type BundleObject = KubeObject & { spec?: { target?: { configMap?: { key?: string; data?: { key?: string }[] } } } };

async function readClusterBundle(source: Extract<TrustSource, { kind: 'cluster' }>): Promise<{ label: string; data: string }> {
  checkClusterSpec(source.spec);
  const m = CLUSTER_SPEC.exec(source.spec)!;
  const kind = m[1]!;
  const name = m[2]!;
  let key = m[4];
  const kube = await source.kube();
  const ns = source.namespace ?? kube.target.namespace;
  if (kind === 'secret') {
    const secret = await kube.get<Secret>(path(R.secrets, { namespace: ns, name }));
    if (!secret) throw new InvalidInputError(`Secret ${ns}/${name} does not exist`, { hint: `check the namespace (-n) and name: kubectl get secrets -n ${ns}` });
    key ??= 'ca.crt';
    const b64 = secret.data?.[key];
    if (!b64) {
      const keys = Object.keys(secret.data ?? {});
      throw new InvalidInputError(`Secret ${ns}/${name} has no ${key}${keys.length ? ` (it has ${keys.join(', ')})` : ''}`, {
        hint: key === 'ca.crt' ? `name the key: --from secret/${name}:KEY (a Secret made by an ACME CA carries no ca.crt)` : `pass one of its keys: --from secret/${name}:KEY`,
      });
    }
    return { label: `Secret ${ns}/${name}[${key}]`, data: Buffer.from(b64, 'base64').toString('latin1') };
  }
  let via = '';
  if (kind === 'bundle') {
    // trust-manager writes a Bundle (v1alpha1) or ClusterBundle (v1alpha2) into a ConfigMap of the same name in each namespace.
    const v1 = await kube.get<BundleObject>(resourcePath({ group: 'trust.cert-manager.io', version: 'v1alpha1', plural: 'bundles', name }));
    const v2 = v1 ? null : await kube.get<BundleObject>(resourcePath({ group: 'trust-manager.io', version: 'v1alpha2', plural: 'clusterbundles', name }));
    const bundle = v1 ?? v2;
    if (!bundle) throw new InvalidInputError(`trust-manager Bundle ${name} does not exist (or trust-manager is not installed)`, { hint: 'check the name: kubectl get bundles,clusterbundles' });
    const target = bundle.spec?.target?.configMap;
    key ??= target?.key ?? target?.data?.[0]?.key;
    if (!key) throw new InvalidInputError(`${v1 ? 'Bundle' : 'ClusterBundle'} ${name} has no ConfigMap target`, { hint: `read the ConfigMap directly: --from configmap/${name}:KEY` });
    via = `${v1 ? 'Bundle' : 'ClusterBundle'} ${name} → `;
  }
  const cm = await kube.get<ConfigMap>(path(R.configmaps, { namespace: ns, name }));
  if (!cm) {
    throw new InvalidInputError(`ConfigMap ${ns}/${name} does not exist${via ? ' (trust-manager has not synced the bundle to this namespace)' : ''}`, {
      hint: `check the namespace (-n) and name: kubectl get configmaps -n ${ns}`,
    });
  }
  const data = cm.data ?? {};
  key ??= Object.keys(data).find((k) => /\.(pem|crt)$/.test(k) && data[k]?.includes('BEGIN CERTIFICATE'));
  const pem = key === undefined ? undefined : data[key];
  if (!pem) throw new InvalidInputError(`ConfigMap ${ns}/${name} has no ${key ? `key ${key}` : 'PEM key (*.pem, *.crt)'}`, { hint: `name the key: --from configmap/${name}:KEY` });
  return { label: `${via}ConfigMap ${ns}/${name}[${key}]`, data: pem };
}

export function summarize(der: Buffer, now: Date): CertificateSummary {
  const c = certFacts(der);
  const oneLine = (dn: string) => dn.split('\n').join(', ');
  return {
    subject: oneLine(c.subject),
    issuer: oneLine(c.issuer),
    serial: c.serialNumber,
    fingerprintSha256: c.fingerprint256,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    daysLeft: Math.floor((c.notAfter.getTime() - now.getTime()) / 86_400_000),
    expired: c.notAfter.getTime() < now.getTime(),
    ca: Boolean(c.basicConstraints?.ca),
    selfSigned: c.selfSigned,
  };
}

/** keytool aliases: the CN (lower case, safe characters), made unique (rotations hold two roots of one name). */
export function trustAliases(ders: readonly Buffer[]): string[] {
  const used = new Set<string>();
  return ders.map((der, i) => {
    const c = certFacts(der);
    const base = (c.commonName ?? `ca-${i + 1}`).toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || `ca-${i + 1}`;
    let alias = base;
    for (let n = 2; used.has(alias); n++) alias = `${base}-${n}`;
    used.add(alias);
    return alias;
  });
}
