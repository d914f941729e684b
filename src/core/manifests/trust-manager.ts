// Distributing the private CA's certificate to namespaces: a trust-manager Bundle (v1alpha1) or
// ClusterBundle (v1alpha2), whichever the cluster serves, or — without trust-manager — one
// ConfigMap per namespace that `trust sync` keeps current.
import type { KubeObject } from '../kube/client.js';
import { InvalidInputError } from '../errors.js';
import { readCertificateDers } from '../pki/pem.js';
import { ownedMetadata } from './labels.js';

export const TRUST_APIS = {
  v1alpha1: { apiVersion: 'trust.cert-manager.io/v1alpha1', kind: 'Bundle', fact: 'trust.cert-manager.io/v1alpha1 Bundle' },
  v1alpha2: { apiVersion: 'trust-manager.io/v1alpha2', kind: 'ClusterBundle', fact: 'trust-manager.io/v1alpha2 ClusterBundle' },
} as const;
export type TrustApi = keyof typeof TRUST_APIS;

/** Label on every ConfigMap `trust sync` writes: value = bundle name. */
export const TRUST_BUNDLE_LABEL = 'vibectl-tls.io/trust-bundle';
export const DEFAULT_TRUST_KEY = 'ca.crt';
/** Same name and key as `ca export --format configmap`, so both paths write one object. */
export const DEFAULT_TRUST_NAME = 'vibectl-tls-ca-bundle';

/** From the `trustManager.apis` cluster fact: the newer API when both are served. */
export function pickTrustApi(apis: string[]): TrustApi | undefined {
  if (apis.includes(TRUST_APIS.v1alpha2.fact)) return 'v1alpha2';
  if (apis.includes(TRUST_APIS.v1alpha1.fact)) return 'v1alpha1';
  return undefined;
}

export interface TrustBundleInput {
  name: string;
  /** PEM of the CA certificate(s) to trust. Public material only. */
  caPem: string;
  /** Namespaces to receive the bundle, or 'all'. */
  namespaces: string[] | 'all';
  key?: string | undefined;
  /** Also include the default public CAs (trust-manager's package). */
  includeDefaultCAs?: boolean | undefined;
}

export function checkCaPem(pem: string, source = 'the CA to distribute'): string {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new InvalidInputError(`${source} is not a PEM certificate`, { hint: 'pass the CA certificate (ca.crt / root.crt), never its key' });
  if (/PRIVATE KEY-----/.test(pem)) throw new InvalidInputError(`${source} contains a private key`, { hint: 'distribute only the certificate: keys must never reach application namespaces' });
  // A truncated or corrupted block would otherwise be copied into every namespace.
  readCertificateDers(blocks.join('\n'), source);
  return blocks.join('\n') + '\n';
}

function namespaceLabelKey(bundle: string): string {
  return `trust.vibectl-tls.io/${bundle}`.slice(0, 63 + 'trust.vibectl-tls.io/'.length);
}

/**
 * The bundle object, plus (v1alpha1 with several namespaces, whose selector knows only matchLabels)
 * a label patch for each chosen Namespace.
 */
export function trustBundle(api: TrustApi, input: TrustBundleInput): { objects: KubeObject[]; notes: string[] } {
  const pem = checkCaPem(input.caPem);
  const key = input.key ?? DEFAULT_TRUST_KEY;
  const namespaces = input.namespaces === 'all' ? 'all' : [...new Set(input.namespaces)].sort();
  if (namespaces !== 'all' && namespaces.length === 0) throw new InvalidInputError('no namespaces chosen for the CA bundle', { hint: 'pass the namespaces whose workloads must trust the CA' });
  const meta = ownedMetadata({ name: input.name, component: 'trust' });
  const objects: KubeObject[] = [];
  const notes: string[] = [];
  if (api === 'v1alpha2') {
    const spec: Record<string, unknown> = { inLineCAs: pem };
    if (input.includeDefaultCAs) spec.defaultCAs = { provider: 'System' };
    const target: Record<string, unknown> = { configMap: { data: [{ key }] } };
    // The real v1alpha2 CRD requires a selector: an empty one selects every namespace.
    target.namespaceSelector = namespaces === 'all' ? {} : { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: namespaces }] };
    spec.target = target;
    objects.push({ apiVersion: TRUST_APIS.v1alpha2.apiVersion, kind: 'ClusterBundle', metadata: meta, spec });
  } else {
    const sources: Record<string, unknown>[] = [{ inLine: pem }];
    if (input.includeDefaultCAs) sources.push({ useDefaultCAs: true });
    const target: Record<string, unknown> = { configMap: { key } };
    if (namespaces !== 'all') {
      if (namespaces.length === 1) {
        target.namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': namespaces[0]! } };
      } else {
        const label = namespaceLabelKey(input.name);
        target.namespaceSelector = { matchLabels: { [label]: 'true' } };
        for (const ns of namespaces) objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { [label]: 'true' } } });
        notes.push(`Bundle (v1alpha1) selects namespaces by label only: namespaces ${namespaces.join(', ')} get the label ${label}=true. Label another namespace the same way to add it.`);
      }
    }
    objects.push({ apiVersion: TRUST_APIS.v1alpha1.apiVersion, kind: 'Bundle', metadata: meta, spec: { sources, target } });
  }
  return { objects, notes };
}

export interface TrustConfigMapInput {
  bundle: string;
  namespace: string;
  caPem: string;
  key?: string | undefined;
}

/** The trust-manager-less path: one ConfigMap per namespace, named after the bundle. */
export function trustConfigMap(input: TrustConfigMapInput): KubeObject {
  const meta = ownedMetadata({ name: input.bundle, namespace: input.namespace, component: 'trust', labels: { [TRUST_BUNDLE_LABEL]: input.bundle } });
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { [input.key ?? DEFAULT_TRUST_KEY]: checkCaPem(input.caPem) } };
}
