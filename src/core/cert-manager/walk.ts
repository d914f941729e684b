// The story of one cert-manager Certificate, as `cmctl status certificate` tells it: the objects it
// owns (CertificateRequest → Order → Challenge), each with its conditions and recent events, and
// its issuer. A lookup that fails is kept inline (forbidden, missing, error) instead of aborting,
// and the last finished request is kept too, which cmctl stops showing once nothing is in flight.
import type { KubeClient, KubeObject } from '../kube/client.js';
import { isForbidden, isNotFound } from '../kube/client.js';
import { path, resourcePath, R, type ResourceRef } from '../kube/paths.js';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/** A lookup's outcome: the value, or why there is none (forbidden names the verb and resource). */
export type Lookup<T> = { ok: true; value: T } | { ok: false; forbidden?: string; error: string };

export interface CmObject extends KubeObject {
  spec?: Record<string, unknown>;
  status?: { conditions?: Condition[] } & Record<string, unknown>;
}

export interface CertificateObject extends CmObject {
  spec?: {
    secretName?: string;
    commonName?: string;
    dnsNames?: string[];
    ipAddresses?: string[];
    issuerRef?: { name?: string; kind?: string; group?: string };
    [k: string]: unknown;
  };
  status?: {
    conditions?: Condition[];
    notAfter?: string;
    notBefore?: string;
    renewalTime?: string;
    revision?: number;
    lastFailureTime?: string;
    failedIssuanceAttempts?: number;
    nextPrivateKeySecretName?: string;
  };
}

export interface EventSummary {
  type: string;
  reason: string;
  message: string;
  count: number;
  last: string | undefined;
}

/** One object in the walk, trimmed to what the story needs (plain data: it goes into JSON). */
export interface WalkNode {
  kind: string;
  name: string;
  namespace: string;
  conditions: Condition[];
  /** Kind-specific facts in words: "state: pending", "type: http-01", "revision: 3". */
  facts: Record<string, string>;
  events: EventSummary[];
}

export interface RequestNode extends WalkNode {
  revision: number | undefined;
  created: string | undefined;
  orders: Array<WalkNode & { challenges: WalkNode[] | { error: string } }> | { error: string };
}

export interface IssuerNode extends WalkNode {
  /** False when the issuer does not exist. */
  exists: boolean;
  /** cert-manager.io issuers are looked up; external ones (other groups) are named only. */
  external: boolean;
  acme?: { server?: string; solvers: Array<Record<string, unknown>> };
}

export interface CertificateWalk {
  namespace: string;
  name: string;
  certificate: WalkNode & {
    secretName: string | undefined;
    dnsNames: string[];
    notAfter: string | undefined;
    renewalTime: string | undefined;
    revision: number | undefined;
    lastFailureTime: string | undefined;
    failedIssuanceAttempts: number | undefined;
    issuerRef: { name: string; kind: string; group: string };
  };
  issuer: IssuerNode | { error: string; forbidden?: string };
  /** The request for the revision being issued now (status.revision + 1), if any. */
  current: RequestNode | undefined;
  /** The newest request that finished (Ready True, or Failed/Denied), which cmctl hides; may be `current`. */
  lastFinished: RequestNode | undefined;
  /** Lookups that failed, in words ("forbidden: list orders in namespace shop"). */
  errors: string[];
  /** The raw Certificate conditions' index of `Issuing`, for the exact status patch a retry needs. */
  issuingIndex: number;
}

export const CM_GROUP = 'cert-manager.io';

/** "list orders in namespace shop" — what a 403 on a lookup was about. */
export function describeAccess(verb: string, ref: ResourceRef, namespace?: string): string {
  const res = ref.group ? `${ref.plural}.${ref.group}` : ref.plural;
  return `${verb} ${res}${namespace ? ` in namespace ${namespace}` : ' (cluster-wide)'}`;
}

/** Runs a lookup, turning 403 and other failures into a Lookup instead of throwing. */
export async function lookup<T>(what: { verb: string; ref: ResourceRef; namespace?: string | undefined }, fn: () => Promise<T>): Promise<Lookup<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    const access = describeAccess(what.verb, what.ref, what.namespace);
    if (isForbidden(err)) return { ok: false, forbidden: access, error: `forbidden: ${access}` };
    if (isNotFound(err)) return { ok: false, error: `${access}: the API server does not serve it (CRDs not installed?)` };
    return { ok: false, error: `${access}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
}

export function condition(obj: { status?: { conditions?: Condition[] } } | undefined, type: string): Condition | undefined {
  return obj?.status?.conditions?.find((c) => c.type === type);
}

interface EventObject extends KubeObject {
  involvedObject?: { uid?: string; kind?: string; name?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
}

const EVENT_REF: ResourceRef = { group: '', version: 'v1', plural: 'events' };

/** Events of one namespace, grouped by the uid they are about, newest last. */
export async function namespaceEvents(kube: KubeClient, namespace: string): Promise<Lookup<Map<string, EventSummary[]>>> {
  return lookup({ verb: 'list', ref: EVENT_REF, namespace }, async () => {
    const items = await kube.list<EventObject>(resourcePath({ ...EVENT_REF, namespace }), { limit: 500 });
    const byUid = new Map<string, EventSummary[]>();
    for (const e of items) {
      const uid = e.involvedObject?.uid;
      if (!uid) continue;
      const list = byUid.get(uid) ?? [];
      list.push({
        type: e.type ?? 'Normal',
        reason: e.reason ?? '',
        message: (e.message ?? '').trim(),
        count: e.series?.count ?? e.count ?? 1,
        last: e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp,
      });
      byUid.set(uid, list);
    }
    for (const list of byUid.values()) list.sort((a, b) => (a.last ?? '').localeCompare(b.last ?? ''));
    return byUid;
  });
}

const RECENT_EVENTS = 5;

function node(kind: string, o: CmObject, events: Map<string, EventSummary[]> | undefined, facts: Record<string, string> = {}): WalkNode {
  return {
    kind,
    name: o.metadata?.name ?? '',
    namespace: o.metadata?.namespace ?? '',
    conditions: o.status?.conditions ?? [],
    facts,
    events: (events?.get(o.metadata?.uid ?? '') ?? []).slice(-RECENT_EVENTS),
  };
}

function ownedBy(o: KubeObject, owner: KubeObject): boolean {
  return (o.metadata?.ownerReferences ?? []).some((r) => (owner.metadata?.uid ? r.uid === owner.metadata.uid : r.name === owner.metadata?.name));
}

const REVISION = 'cert-manager.io/certificate-revision';

function revisionOf(o: KubeObject): number | undefined {
  const v = o.metadata?.annotations?.[REVISION];
  return v === undefined || !/^\d+$/.test(v) ? undefined : Number(v);
}

/** A request is finished when it is Ready, Failed, Denied or InvalidRequest. */
export function requestFinished(cr: CmObject): boolean {
  const ready = condition(cr, 'Ready');
  if (ready?.status === 'True') return true;
  if (ready?.status === 'False' && ['Failed', 'Denied'].includes(ready.reason ?? '')) return true;
  return condition(cr, 'Denied')?.status === 'True' || condition(cr, 'InvalidRequest')?.status === 'True';
}

export interface WalkOptions {
  kube: KubeClient;
  namespace: string;
  /** The Certificate when already fetched (namespace-wide runs list them once). */
  certificate: CertificateObject;
  /** Shared per namespace across Certificates of one run. */
  events?: Lookup<Map<string, EventSummary[]>>;
  requests?: Lookup<CmObject[]>;
  orders?: Lookup<CmObject[]>;
  challenges?: Lookup<CmObject[]>;
  issuers?: IssuerCache;
}

/** Issuer lookups shared by every Certificate of a run (many Certificates share one issuer). */
export type IssuerCache = Map<string, Promise<IssuerNode | { error: string; forbidden?: string }>>;

export function listIn(kube: KubeClient, ref: ResourceRef, namespace: string): Promise<Lookup<CmObject[]>> {
  return lookup({ verb: 'list', ref, namespace }, () => kube.list<CmObject>(path(ref, { namespace }), { limit: 500 }));
}

export async function walkCertificate(o: WalkOptions): Promise<CertificateWalk> {
  const { kube, namespace, certificate: crt } = o;
  const [events, requests, orders, challenges] = await Promise.all([
    o.events ?? namespaceEvents(kube, namespace),
    o.requests ?? listIn(kube, R.certificaterequests, namespace),
    o.orders ?? listIn(kube, R.orders, namespace),
    o.challenges ?? listIn(kube, R.challenges, namespace),
  ]);
  const errors: string[] = [];
  for (const l of [events, requests, orders, challenges]) if (!l.ok) errors.push(l.error);
  const ev = events.ok ? events.value : undefined;
  const ref = crt.spec?.issuerRef ?? {};
  const issuerRef = { name: ref.name ?? '', kind: ref.kind ?? 'Issuer', group: ref.group ?? CM_GROUP };
  const issuers = o.issuers ?? new Map();
  const key = `${issuerRef.group}/${issuerRef.kind}/${issuerRef.kind === 'ClusterIssuer' ? '' : namespace}/${issuerRef.name}`;
  if (!issuers.has(key)) issuers.set(key, fetchIssuer(kube, issuerRef, namespace));
  const issuer = await issuers.get(key)!;
  if ('error' in issuer) errors.push(issuer.error);

  const st = crt.status ?? {};
  const revision = st.revision;
  const mine = requests.ok ? requests.value.filter((r) => ownedBy(r, crt)) : [];
  // Newest first: by revision, then by creation time.
  mine.sort((a, b) => (revisionOf(b) ?? -1) - (revisionOf(a) ?? -1) || (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? ''));
  const next = (revision ?? 0) + 1;
  // As cmctl: a request is in flight only while the Certificate is Issuing, for the next revision.
  const issuing = (st.conditions ?? []).some((c) => c.type === 'Issuing' && c.status === 'True');
  const currentObj = issuing ? mine.find((r) => revisionOf(r) === next) : undefined;
  // The newest finished request, which may be the one in flight (a failure that has not yet been
  // recorded on the Certificate); the text output prints it once.
  const finishedObj = mine.find((r) => requestFinished(r));
  const requestNode = (cr: CmObject): RequestNode => {
    const spec = (cr.spec ?? {}) as { issuerRef?: { name?: string; kind?: string } };
    const base = node('CertificateRequest', cr, ev, {
      ...(revisionOf(cr) !== undefined ? { revision: String(revisionOf(cr)) } : {}),
      ...(spec.issuerRef?.name ? { issuer: `${spec.issuerRef.kind ?? 'Issuer'}/${spec.issuerRef.name}` } : {}),
    });
    let orderNodes: RequestNode['orders'];
    if (!orders.ok) orderNodes = { error: orders.error };
    else
      orderNodes = orders.value
        .filter((ord) => ownedBy(ord, cr))
        .map((ord) => {
          const os = (ord.status ?? {}) as { state?: string; reason?: string; url?: string };
          const on = node('Order', ord, ev, { ...(os.state ? { state: os.state } : {}), ...(os.reason ? { reason: os.reason } : {}), ...(os.url ? { url: os.url } : {}) });
          const chs: WalkNode[] | { error: string } = challenges.ok
            ? challenges.value
                .filter((ch) => ownedBy(ch, ord))
                .map((ch) => {
                  const cs = (ch.status ?? {}) as { state?: string; reason?: string; presented?: boolean; processing?: boolean };
                  const spec2 = (ch.spec ?? {}) as { type?: string; dnsName?: string; wildcard?: boolean };
                  return node('Challenge', ch, ev, {
                    ...(spec2.type ? { type: spec2.type } : {}),
                    ...(spec2.dnsName ? { dnsName: `${spec2.wildcard ? '*.' : ''}${spec2.dnsName}` } : {}),
                    ...(cs.state ? { state: cs.state } : {}),
                    ...(cs.presented !== undefined ? { presented: String(cs.presented) } : {}),
                    ...(cs.processing !== undefined ? { processing: String(cs.processing) } : {}),
                    ...(cs.reason ? { reason: cs.reason } : {}),
                  });
                })
            : { error: challenges.error };
          return { ...on, challenges: chs };
        });
    return { ...base, revision: revisionOf(cr), created: cr.metadata?.creationTimestamp, orders: orderNodes };
  };
  return {
    namespace,
    name: crt.metadata?.name ?? '',
    certificate: {
      ...node('Certificate', crt, ev, {
        ...(crt.spec?.secretName ? { secret: crt.spec.secretName } : {}),
        ...(st.notAfter ? { notAfter: st.notAfter } : {}),
        ...(st.renewalTime ? { renewalTime: st.renewalTime } : {}),
        ...(revision !== undefined ? { revision: String(revision) } : {}),
      }),
      secretName: crt.spec?.secretName,
      dnsNames: [...(crt.spec?.dnsNames ?? []), ...(crt.spec?.ipAddresses ?? [])],
      notAfter: st.notAfter,
      renewalTime: st.renewalTime,
      revision,
      lastFailureTime: st.lastFailureTime,
      failedIssuanceAttempts: st.failedIssuanceAttempts,
      issuerRef,
    },
    issuer,
    current: currentObj ? requestNode(currentObj) : undefined,
    lastFinished: finishedObj ? requestNode(finishedObj) : undefined,
    errors,
    issuingIndex: (crt.status?.conditions ?? []).findIndex((c) => c.type === 'Issuing'),
  };
}

interface IssuerObject extends CmObject {
  spec?: { acme?: { server?: string; solvers?: Array<Record<string, unknown>> }; [k: string]: unknown };
}

export async function fetchIssuer(kube: KubeClient, ref: { name: string; kind: string; group: string }, namespace: string): Promise<IssuerNode | { error: string; forbidden?: string }> {
  const base = { kind: ref.kind, name: ref.name, namespace: ref.kind === 'ClusterIssuer' ? '' : namespace, conditions: [], facts: {}, events: [] };
  if (ref.group !== CM_GROUP) return { ...base, exists: true, external: true, facts: { group: ref.group } };
  const res = ref.kind === 'ClusterIssuer' ? R.clusterissuers : R.issuers;
  const ns = ref.kind === 'ClusterIssuer' ? undefined : namespace;
  const got = await lookup({ verb: 'get', ref: res, namespace: ns }, () => kube.get<IssuerObject>(path(res, { namespace: ns, name: ref.name })));
  if (!got.ok) return got.forbidden ? { error: got.error, forbidden: got.forbidden } : { error: got.error };
  if (!got.value) return { ...base, exists: false, external: false };
  const iss = got.value;
  const type = Object.keys(iss.spec ?? {}).find((k) => ['acme', 'ca', 'selfSigned', 'vault', 'venafi'].includes(k));
  return {
    ...node(ref.kind, iss, undefined, type ? { type } : {}),
    namespace: base.namespace,
    exists: true,
    external: false,
    ...(iss.spec?.acme ? { acme: { ...(iss.spec.acme.server ? { server: iss.spec.acme.server } : {}), solvers: iss.spec.acme.solvers ?? [] } } : {}),
  };
}
