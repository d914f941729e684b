// Ingresses and Gateways as doctor subjects: their TLS blocks, the Secrets those name, and the
// cert-manager issuer annotation ingress-shim acts on. Lookups are memoized per run.
import type { KubeClient, KubeObject } from '../../kube/client.js';
import { path, R } from '../../kube/paths.js';
import { memo } from '../subjects.js';
import { CM_GROUP, describeAccess, lookup, type CmObject } from '../../cert-manager/walk.js';
import { parseSecretMaterial } from '../subjects.js';
import type { IssuerAnnotation, SecretState, TlsEntry, TlsFrontSubject } from './subject.js';

export type IngressObject = KubeObject & { spec?: { tls?: Array<{ hosts?: string[]; secretName?: string }> } };
export type GatewayObject = KubeObject & {
  spec?: { listeners?: Array<{ name?: string; hostname?: string; protocol?: string; tls?: { mode?: string; certificateRefs?: Array<{ name?: string; namespace?: string; kind?: string; group?: string }> } }> };
};

export function issuerAnnotation(annotations: Record<string, string> | undefined): IssuerAnnotation | undefined {
  const a = annotations ?? {};
  const group = a['cert-manager.io/issuer-group'] ?? CM_GROUP;
  if (a['cert-manager.io/cluster-issuer']) return { kind: 'ClusterIssuer', name: a['cert-manager.io/cluster-issuer'], group };
  if (a['cert-manager.io/issuer']) return { kind: a['cert-manager.io/issuer-kind'] === 'ClusterIssuer' ? 'ClusterIssuer' : 'Issuer', name: a['cert-manager.io/issuer'], group };
  return undefined;
}

export function ingressEntries(ing: IngressObject, namespace: string): TlsEntry[] {
  return (ing.spec?.tls ?? []).map((t, i) => ({ hosts: t.hosts ?? [], secretName: t.secretName, secretNamespace: namespace, where: `spec.tls[${i}]` }));
}

export function gatewayEntries(gw: GatewayObject, namespace: string): TlsEntry[] {
  const out: TlsEntry[] = [];
  for (const l of gw.spec?.listeners ?? []) {
    if (l.tls?.mode === 'Passthrough') continue;
    for (const ref of l.tls?.certificateRefs ?? []) {
      if ((ref.kind ?? 'Secret') !== 'Secret' || (ref.group ?? '') !== '') continue;
      out.push({ hosts: l.hostname ? [l.hostname] : [], secretName: ref.name, secretNamespace: ref.namespace ?? namespace, where: `listener ${l.name ?? '?'}` });
    }
  }
  return out;
}

type SecretObject = KubeObject & { data?: Record<string, string> };

export interface FrontContext {
  kube: KubeClient;
  /** Shared across fronts of a run: several Ingresses often share a Secret or an issuer. */
  cache: Map<string, Promise<unknown>>;
}

function cached<T>(ctx: FrontContext, key: string, fn: () => Promise<T>): Promise<T> {
  if (!ctx.cache.has(key)) ctx.cache.set(key, fn());
  return ctx.cache.get(key) as Promise<T>;
}

export function tlsFrontSubject(ctx: FrontContext, input: { objectKind: 'Ingress' | 'Gateway'; object: KubeObject; tls: TlsEntry[] }): TlsFrontSubject {
  const namespace = input.object.metadata?.namespace ?? '';
  const name = input.object.metadata?.name ?? '';
  const ann = issuerAnnotation(input.object.metadata?.annotations);
  const { kube } = ctx;
  return {
    kind: 'ingress',
    id: `${input.objectKind.toLowerCase()} ${namespace}/${name}`,
    objects: [{ kind: input.objectKind, namespace, name }],
    objectKind: input.objectKind,
    namespace,
    name,
    tls: input.tls,
    issuerAnnotation: ann,
    issuerExists: memo(async () => {
      if (!ann || ann.group !== CM_GROUP) return { exists: true, ready: undefined };
      const res = ann.kind === 'ClusterIssuer' ? R.clusterissuers : R.issuers;
      const ns = ann.kind === 'ClusterIssuer' ? undefined : namespace;
      const got = await cached(ctx, `issuer:${ann.kind}:${ns ?? ''}:${ann.name}`, () => lookup({ verb: 'get', ref: res, namespace: ns }, () => kube.get<CmObject>(path(res, { namespace: ns, name: ann.name }))));
      if (!got.ok) return got.forbidden ? { forbidden: got.forbidden } : { error: got.error };
      if (!got.value) return { exists: false, ready: undefined };
      return { exists: true, ready: got.value.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' };
    }),
    secret: (entry) =>
      cached(ctx, `secret:${entry.secretNamespace}/${entry.secretName}`, async (): Promise<SecretState> => {
        const got = await lookup({ verb: 'get', ref: R.secrets, namespace: entry.secretNamespace }, () => kube.get<SecretObject>(path(R.secrets, { namespace: entry.secretNamespace, name: entry.secretName })));
        if (!got.ok) return got.forbidden ? { state: 'forbidden', access: got.forbidden } : { state: 'error', error: got.error };
        if (!got.value) return { state: 'missing' };
        const m = parseSecretMaterial(got.value.data ?? {});
        return { state: 'found', chain: m.chain, parseError: m.chainError ?? (m.certPem === undefined ? 'no tls.crt' : undefined) };
      }),
    certificateFor: async (secretName) => {
      const all = await cached(ctx, `certificates:${namespace}`, () => lookup({ verb: 'list', ref: R.certificates, namespace }, () => kube.list<CmObject>(path(R.certificates, { namespace }))));
      if (!all.ok) return undefined;
      const c = all.value.find((x) => (x.spec as { secretName?: string } | undefined)?.secretName === secretName);
      return c ? { name: c.metadata?.name ?? '', ready: c.status?.conditions?.find((x) => x.type === 'Ready')?.status } : undefined;
    },
  };
}

export { describeAccess };
