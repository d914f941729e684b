// Finds what an interrupted or killed run may leave behind — ACME HTTP-01 solver objects, which
// carry the `vibectl-tls.io/acme-solver` label — and removes them. Objects younger than a
// threshold are left alone: an order may be running right now.
import type { KubeClient, KubeObject } from '../core/kube/client.js';
import { isForbidden, isNotFound } from '../core/kube/client.js';
import { path, R, resourcePath, type ResourceRef } from '../core/kube/paths.js';
import { SOLVER_LABEL } from '../core/acme/http01-cluster.js';

const KINDS: Array<{ kind: string; ref: ResourceRef }> = [
  { kind: 'Ingress', ref: R.ingresses },
  { kind: 'HTTPRoute', ref: { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes' } },
  { kind: 'Service', ref: R.services },
  { kind: 'Pod', ref: R.pods },
  { kind: 'ConfigMap', ref: R.configmaps },
];

export interface Leftover {
  kind: string;
  namespace: string;
  name: string;
  order: string;
  ageSeconds: number;
  deleted?: boolean;
}

export interface CleanupReport {
  leftovers: Leftover[];
  deleted: number;
  /** Kinds that could not be listed, with the reason (forbidden, not served). */
  skipped: string[];
}

export interface CleanupOptions {
  kube: KubeClient;
  /** undefined: every namespace. */
  namespace?: string | undefined;
  olderThanMs: number;
  apply: boolean;
  now?: () => Date;
}

export async function findLeftovers(o: CleanupOptions): Promise<CleanupReport> {
  const now = (o.now ?? (() => new Date()))().getTime();
  const leftovers: Leftover[] = [];
  const skipped: string[] = [];
  for (const { kind, ref } of KINDS) {
    let items: KubeObject[];
    try {
      items = await o.kube.list(resourcePath({ ...ref, namespace: o.namespace }), { query: { labelSelector: SOLVER_LABEL } });
    } catch (err) {
      if (isNotFound(err)) continue; // e.g. Gateway API not installed: no HTTPRoutes to leave behind
      if (isForbidden(err)) {
        skipped.push(`${kind}: no permission to list ${ref.plural}`);
        continue;
      }
      throw err;
    }
    for (const item of items) {
      const created = Date.parse(item.metadata?.creationTimestamp ?? '') || now;
      const ageSeconds = Math.round((now - created) / 1000);
      if (now - created < o.olderThanMs) continue;
      leftovers.push({ kind, namespace: item.metadata?.namespace ?? '', name: item.metadata?.name ?? '', order: item.metadata?.labels?.[SOLVER_LABEL] ?? '', ageSeconds });
    }
  }
  let deleted = 0;
  if (o.apply) {
    for (const l of leftovers) {
      const ref = KINDS.find((k) => k.kind === l.kind)!.ref;
      l.deleted = await o.kube.delete(path(ref, { namespace: l.namespace, name: l.name }));
      if (l.deleted) deleted++;
    }
  }
  return { leftovers, deleted, skipped };
}
