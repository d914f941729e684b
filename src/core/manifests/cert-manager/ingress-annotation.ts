// The ingress-shim path: annotate the user's existing Ingress so cert-manager creates and keeps
// the Certificate itself. Cleaner when the Ingress already lists the hosts: one source of truth.
// The result is a server-side-apply patch holding only what we set; the Ingress stays the user's,
// so it gets no managed-by label (Helm and Argo CD read that label as theirs).
import type { KubeObject } from '../../kube/client.js';
import { InvalidInputError } from '../../errors.js';
import { requireFeature, type CertManagerCapabilities } from '../../cert-manager/version.js';
import { KEY_ALGORITHMS, checkDnsName, goDuration, type CertKeyAlgorithm, type IssuerRef } from './certificate.js';

interface IngressLike extends KubeObject {
  spec?: { rules?: Array<{ host?: string }>; tls?: Array<{ hosts?: string[]; secretName?: string }> };
}

export interface IngressAnnotationInput {
  /** The live Ingress (read first: spec.tls is an atomic list, so we must carry its other entries). */
  ingress: IngressLike;
  issuerRef: IssuerRef;
  /** Secret for the hosts; default `<ingress>-tls`. */
  secretName?: string | undefined;
  /** Hosts to cover; default every rule host. */
  hosts?: string[] | undefined;
  keyAlgorithm?: CertKeyAlgorithm | undefined;
  rotationPolicy?: 'Always' | 'Never' | undefined;
  durationMs?: number | undefined;
  renewBeforeMs?: number | undefined;
}

export const INGRESS_ANNOTATIONS = {
  clusterIssuer: 'cert-manager.io/cluster-issuer',
  issuer: 'cert-manager.io/issuer',
  keyAlgorithm: 'cert-manager.io/private-key-algorithm',
  keySize: 'cert-manager.io/private-key-size',
  rotationPolicy: 'cert-manager.io/private-key-rotation-policy',
  duration: 'cert-manager.io/duration',
  renewBefore: 'cert-manager.io/renew-before',
} as const;

export function ingressIssuerPatch(input: IngressAnnotationInput, caps?: CertManagerCapabilities): { patch: KubeObject; notes: string[] } {
  const ing = input.ingress;
  const name = ing.metadata?.name;
  const namespace = ing.metadata?.namespace;
  if (!name || !namespace) throw new InvalidInputError('the Ingress to annotate has no name or namespace');
  const ruleHosts = (ing.spec?.rules ?? []).map((r) => r.host).filter((h): h is string => Boolean(h));
  const hosts = (input.hosts ?? ruleHosts).map((h) => checkDnsName(h));
  if (hosts.length === 0) throw new InvalidInputError(`Ingress ${namespace}/${name} has no host rules to certify`, { hint: 'add spec.rules[].host to the Ingress, or pass --domain NAME' });
  const missing = hosts.filter((h) => !ruleHosts.includes(h));
  const notes: string[] = [];
  if (missing.length) notes.push(`Ingress ${namespace}/${name} has no rule for ${missing.join(', ')}: the certificate will cover them but the Ingress will not route them.`);

  const annotations: Record<string, string> = {};
  if (input.issuerRef.kind === 'ClusterIssuer') annotations[INGRESS_ANNOTATIONS.clusterIssuer] = input.issuerRef.name;
  else annotations[INGRESS_ANNOTATIONS.issuer] = input.issuerRef.name;
  if (input.keyAlgorithm || input.rotationPolicy) {
    requireFeature('ingressPrivateKeyAnnotations', caps);
    if (input.keyAlgorithm) {
      const k = KEY_ALGORITHMS[input.keyAlgorithm];
      annotations[INGRESS_ANNOTATIONS.keyAlgorithm] = k.algorithm;
      annotations[INGRESS_ANNOTATIONS.keySize] = String(k.size);
    }
    if (input.rotationPolicy) annotations[INGRESS_ANNOTATIONS.rotationPolicy] = input.rotationPolicy;
  }
  if (input.durationMs !== undefined) annotations[INGRESS_ANNOTATIONS.duration] = goDuration(input.durationMs);
  if (input.renewBeforeMs !== undefined) annotations[INGRESS_ANNOTATIONS.renewBefore] = goDuration(input.renewBeforeMs);

  const existing = ing.spec?.tls ?? [];
  const secretName = input.secretName ?? `${name}-tls`;
  // Keep every entry that is not about our hosts; replace the ones that are with one entry.
  const others = existing.filter((t) => !(t.hosts ?? []).some((h) => hosts.includes(h)));
  const covered = existing.find((t) => t.secretName === secretName && hosts.every((h) => (t.hosts ?? []).includes(h)));
  const tls = covered ? existing : [...others, { hosts, secretName }];
  if (!covered && others.length !== existing.length) notes.push(`Ingress ${namespace}/${name}: the existing TLS entry for ${hosts.join(', ')} is replaced by Secret ${secretName}.`);
  const managedBy = ing.metadata?.labels?.['app.kubernetes.io/managed-by'];
  if (managedBy) notes.push(`Ingress ${namespace}/${name} is managed by ${managedBy}: put these annotations and spec.tls into its source too, or the next ${managedBy} sync may remove them.`);

  return {
    patch: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name, namespace, annotations },
      spec: { tls: tls.map((t) => ({ ...(t.hosts ? { hosts: [...t.hosts] } : {}), ...(t.secretName ? { secretName: t.secretName } : {}) })) },
    },
    notes,
  };
}
