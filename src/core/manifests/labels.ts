// The labels every object we own carries, so `cleanup`, `doctor --inventory` and people running
// `kubectl get -l app.kubernetes.io/managed-by=vibectl-tls` can find what this tool created.
import type { KubeObject } from '../kube/client.js';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'vibectl-tls';
/** Names the job an object belongs to (e.g. "letsencrypt", "trust"), so one setup can be told from another. */
export const PART_OF_LABEL = 'vibectl-tls.io/component';

export function managedLabels(component?: string): Record<string, string> {
  return component ? { [MANAGED_BY_LABEL]: MANAGED_BY, [PART_OF_LABEL]: component } : { [MANAGED_BY_LABEL]: MANAGED_BY };
}

export interface MetaInput {
  name: string;
  namespace?: string | undefined;
  component?: string | undefined;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
}

/** metadata for an object this tool creates and owns. */
export function ownedMetadata(m: MetaInput): NonNullable<KubeObject['metadata']> {
  const meta: NonNullable<KubeObject['metadata']> = { name: m.name };
  if (m.namespace) meta.namespace = m.namespace;
  meta.labels = { ...m.labels, ...managedLabels(m.component) };
  if (m.annotations && Object.keys(m.annotations).length > 0) meta.annotations = { ...m.annotations };
  return meta;
}

export function isManagedByUs(obj: KubeObject): boolean {
  return obj.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY;
}
