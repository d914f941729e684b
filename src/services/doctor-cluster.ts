// doctor's cluster side: the cluster subject (API, RBAC, cert-manager install and issuers), one
// subject per cert-manager Certificate (walked to its Requests, Orders and Challenges) and per
// Ingress/Gateway serving TLS. What RBAC forbids becomes a subject whose checks are skipped with
// the verb and resource named, never a crash.
import type { KubeClient, KubeObject } from '../core/kube/client.js';
import { isForbidden, isNotFound } from '../core/kube/client.js';
import { path, R } from '../core/kube/paths.js';
import type { CheckResult, Subject } from '../core/checks/framework.js';
import { clusterSubject } from '../core/checks/cluster/subject.js';
import { certificateSubject, type CertificateSubject } from '../core/checks/cert-manager/subject.js';
import { gatewayEntries, ingressEntries, issuerAnnotation, tlsFrontSubject, type FrontContext, type GatewayObject, type IngressObject } from '../core/checks/cert-manager/front.js';
import { describeAccess, listIn, lookup, namespaceEvents, walkCertificate, type CertificateObject, type CertificateWalk, type CmObject, type IssuerCache, type Lookup } from '../core/cert-manager/walk.js';

export interface ClusterPlanOptions {
  kube: KubeClient;
  /** The namespace in scope; ignored for lists when allNamespaces. */
  namespace: string;
  allNamespaces: boolean;
  /** --certificate NAME: only that Certificate (already known to exist). */
  certificate?: CertificateObject | undefined;
  /** --ingress NAME: only that Ingress. */
  ingress?: KubeObject | undefined;
  /** An unscoped run: every Certificate, Ingress and Gateway in scope. */
  everything: boolean;
}

/** A subject RBAC keeps doctor from reading: its checks show as skipped with the reason. */
export function blockedSubject(kind: Subject['kind'], id: string, objects: Subject['objects'], access: string): Subject {
  return { kind, id, objects, skip: `forbidden: ${access}` };
}

export async function planClusterSubjects(o: ClusterPlanOptions): Promise<Subject[]> {
  const { kube } = o;
  const scopeNs = o.allNamespaces ? undefined : o.namespace;
  const subjects: Subject[] = [];
  let certificates: Lookup<CmObject[]> | undefined;
  // Discovery is open to every authenticated user: it tells "cert-manager is not installed" apart
  // from "may not list Certificates" (RBAC answers 403 for resources that do not exist, too).
  const served = o.everything ? (await kube.get('/apis/cert-manager.io/v1').catch(() => undefined)) !== null : false;
  if (o.everything && served) {
    certificates = await lookup({ verb: 'list', ref: R.certificates, namespace: scopeNs }, () => kube.list<CmObject>(path(R.certificates, { namespace: scopeNs }), { limit: 500 }));
  }
  subjects.push(clusterSubject({ kube, namespace: scopeNs, ...(certificates ? { certificates } : {}) }));

  // Per-namespace lookups shared by the Certificates of that namespace.
  const perNs = new Map<string, { events: ReturnType<typeof namespaceEvents>; requests: Promise<Lookup<CmObject[]>>; orders: Promise<Lookup<CmObject[]>>; challenges: Promise<Lookup<CmObject[]>> }>();
  const shared = (ns: string) => {
    let s = perNs.get(ns);
    if (!s) {
      s = { events: namespaceEvents(kube, ns), requests: listIn(kube, R.certificaterequests, ns), orders: listIn(kube, R.orders, ns), challenges: listIn(kube, R.challenges, ns) };
      perNs.set(ns, s);
    }
    return s;
  };
  const issuers: IssuerCache = new Map();
  const addCertificate = (crt: CertificateObject) => {
    const ns = crt.metadata?.namespace ?? o.namespace;
    const s = shared(ns);
    const walkInput = { kube, namespace: ns, certificate: crt, issuers };
    const subject = certificateSubject(walkInput);
    // The shared lookups are awaited inside the walk, so only Certificates that are checked pay for them.
    subject.walk = memoWalk(async () => {
      const [events, requests, orders, challenges] = await Promise.all([s.events, s.requests, s.orders, s.challenges]);
      return walkCertificate({ ...walkInput, events, requests, orders, challenges });
    });
    subjects.push(subject);
  };

  if (o.certificate) addCertificate(o.certificate);
  if (certificates) {
    if (certificates.ok) for (const c of certificates.value) addCertificate(c);
    else if (certificates.forbidden) subjects.push(blockedSubject('certificate', `certificates in ${scopeNs ? `namespace ${scopeNs}` : 'all namespaces'}`, [{ kind: 'Certificate', name: '*', ...(scopeNs ? { namespace: scopeNs } : {}) }], certificates.forbidden));
    // Not found: cert-manager is not installed; CM101 says so.
  }

  const front: FrontContext = { kube, cache: new Map() };
  if (o.ingress) {
    const ing = o.ingress as IngressObject;
    subjects.push(tlsFrontSubject(front, { objectKind: 'Ingress', object: ing, tls: ingressEntries(ing, ing.metadata?.namespace ?? o.namespace) }));
  }
  if (o.everything) {
    try {
      for (const ing of await kube.list<IngressObject>(path(R.ingresses, { namespace: scopeNs }), { limit: 500 })) {
        const ns = ing.metadata?.namespace ?? o.namespace;
        if (!ing.spec?.tls?.length && !issuerAnnotation(ing.metadata?.annotations)) continue;
        subjects.push(tlsFrontSubject(front, { objectKind: 'Ingress', object: ing, tls: ingressEntries(ing, ns) }));
      }
    } catch (err) {
      if (!isForbidden(err)) throw err;
      const access = describeAccess('list', R.ingresses, scopeNs);
      subjects.push(blockedSubject('ingress', `ingresses in ${scopeNs ? `namespace ${scopeNs}` : 'all namespaces'}`, [{ kind: 'Ingress', name: '*', ...(scopeNs ? { namespace: scopeNs } : {}) }], access));
    }
    try {
      for (const gw of await kube.list<GatewayObject>(path(R.gateways, { namespace: scopeNs }), { limit: 500 })) {
        const tls = gatewayEntries(gw, gw.metadata?.namespace ?? o.namespace);
        if (!tls.length && !issuerAnnotation(gw.metadata?.annotations)) continue;
        subjects.push(tlsFrontSubject(front, { objectKind: 'Gateway', object: gw, tls }));
      }
    } catch (err) {
      // No Gateway API in this cluster (404), or not ours to read: Gateways are optional here.
      if (!isNotFound(err) && !isForbidden(err)) throw err;
    }
  }
  return subjects;
}

function memoWalk(fn: () => Promise<CertificateWalk>): () => Promise<CertificateWalk> {
  let p: Promise<CertificateWalk> | undefined;
  return () => (p ??= fn());
}

/** The walks of the Certificates checked, for the status output of --certificate. */
export async function certificateWalks(subjects: readonly Subject[]): Promise<CertificateWalk[]> {
  return Promise.all(subjects.filter((s): s is CertificateSubject => s.kind === 'certificate' && 'walk' in s).map((s) => s.walk()));
}

/**
 * What RBAC kept doctor from checking among the subjects it was asked about (Secrets,
 * Certificates, Ingresses). Cluster-level lookups a namespace user typically lacks (CRDs,
 * webhooks, Deployments) are skipped without counting here, so they do not change the exit code.
 */
export function forbiddenAccess(results: readonly CheckResult[], subjects: readonly Subject[]): string[] {
  const clusterIds = new Set(subjects.filter((s) => s.kind === 'cluster').map((s) => s.id));
  const out = new Set<string>();
  for (const r of results) {
    if (r.status !== 'skipped' || clusterIds.has(r.subject)) continue;
    const m = /^skipped: forbidden: (.+)$/.exec(r.message);
    if (m) out.add(m[1]!);
  }
  return [...out];
}
