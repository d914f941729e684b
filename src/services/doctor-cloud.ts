// doctor's cloud side: finds the Ingresses, ManagedCertificates and SecretProviderClasses of the
// EKS, GKE and AKS certificate paths in scope and turns each into a subject for the CLD checks.
// Optional CRDs that are absent mean the path is not in use; what RBAC forbids becomes a note.
import type { KubeClient, KubeObject } from '../core/kube/client.js';
import { isForbidden, isNotFound } from '../core/kube/client.js';
import { path, R } from '../core/kube/paths.js';
import { memo } from '../core/checks/subjects.js';
import { describeAccess, lookup, type Lookup } from '../core/cert-manager/walk.js';
import {
  ANNOTATION,
  CLOUD_RESOURCES,
  ingressClass,
  ingressPath,
  type AlbPolicySource,
  type CloudIngress,
  type CloudSubject,
  type ManagedCertificateObject,
  type RegionFact,
  type SecretProviderClassObject,
} from '../core/checks/cloud/subject.js';
import { regionFromProviderId } from '../core/checks/cloud/eks.js';
import { managedCertificateNames } from '../core/checks/cloud/gke.js';
import { podMountsProviderClass } from '../core/checks/cloud/aks.js';

export interface CloudPlanOptions {
  kube: KubeClient;
  namespace: string;
  allNamespaces: boolean;
  /** --ingress NAME: that Ingress, the ManagedCertificates it names and the SecretProviderClasses syncing its Secrets. */
  ingress?: string | undefined;
}

export interface CloudPlan {
  subjects: CloudSubject[];
  notes: string[];
}

type IngressClassObject = KubeObject & { spec?: { controller?: string; parameters?: { apiGroup?: string; kind?: string; name?: string } } };
type NodeObject = KubeObject & { spec?: { providerID?: string } };
type PodObject = KubeObject & { spec?: { volumes?: Array<{ csi?: { driver?: string; volumeAttributes?: Record<string, string> } }> }; status?: { phase?: string } };

const ALB_CONTROLLER = 'ingress.k8s.aws/alb';
const REGION_LABELS = ['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'];

export async function planCloudSubjects(o: CloudPlanOptions): Promise<CloudPlan> {
  const { kube } = o;
  const scopeNs = o.allNamespaces && !o.ingress ? undefined : o.namespace;
  const notes: string[] = [];
  const subjects: CloudSubject[] = [];
  const cache = new Map<string, Promise<unknown>>();
  const cached = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    if (!cache.has(key)) cache.set(key, fn());
    return cache.get(key) as Promise<T>;
  };

  // IngressClasses run by the AWS controller may have any name; reading them is optional.
  const classes = await lookup({ verb: 'list', ref: R.ingressclasses }, () => kube.list<IngressClassObject>(path(R.ingressclasses)));
  const albClasses = new Set(['alb']);
  const classParams = new Map<string, string>();
  if (classes.ok) {
    for (const c of classes.value) {
      if (c.spec?.controller !== ALB_CONTROLLER || !c.metadata?.name) continue;
      albClasses.add(c.metadata.name);
      const p = c.spec.parameters;
      if (p?.kind === 'IngressClassParams' && p.name) classParams.set(c.metadata.name, p.name);
    }
  }

  let ingresses: CloudIngress[] = [];
  if (o.ingress) {
    const one = await kube.get<CloudIngress>(path(R.ingresses, { namespace: o.namespace, name: o.ingress }));
    if (one) ingresses = [one];
  } else {
    try {
      ingresses = await kube.list<CloudIngress>(path(R.ingresses, { namespace: scopeNs }), { limit: 500 });
    } catch (err) {
      if (!isForbidden(err)) throw err;
      notes.push(`cloud checks: cannot ${describeAccess('list', R.ingresses, scopeNs)}; ALB, GKE and app-routing Ingresses not checked`);
    }
  }

  const region = memo(() => clusterRegion(kube));
  const ingressesIn = (ns: string) =>
    cached(`ingresses:${ns}`, async () => (o.ingress ? kube.list<CloudIngress>(path(R.ingresses, { namespace: ns })) : ingresses.filter((i) => (i.metadata?.namespace ?? o.namespace) === ns)));
  const managedIn = (ns: string) =>
    cached(`managed:${ns}`, () => lookup({ verb: 'list', ref: CLOUD_RESOURCES.managedCertificates, namespace: ns }, () => kube.list<ManagedCertificateObject>(path(CLOUD_RESOURCES.managedCertificates, { namespace: ns })))) as Promise<Lookup<ManagedCertificateObject[]>>;
  const secretExists = (ns: string, name: string) =>
    cached(`secret:${ns}/${name}`, () => lookup({ verb: 'get', ref: R.secrets, namespace: ns }, async () => (await kube.get(path(R.secrets, { namespace: ns, name }))) !== null));
  const podsIn = (ns: string) => cached(`pods:${ns}`, () => lookup({ verb: 'list', ref: R.pods, namespace: ns }, () => kube.list<PodObject>(path(R.pods, { namespace: ns }), { limit: 500 })));

  for (const ing of ingresses) {
    const kind = ingressPath(ing, albClasses);
    if (!kind) continue;
    const namespace = ing.metadata?.namespace ?? o.namespace;
    const name = ing.metadata?.name ?? '';
    const base = { kind: 'cloud' as const, id: `ingress ${namespace}/${name}`, objects: [{ kind: 'Ingress', namespace, name }], namespace, name, ingress: ing };
    if (kind === 'alb-ingress') {
      subjects.push({
        ...base,
        path: kind,
        region,
        inheritedPolicy: memo(() => inheritedAlbPolicy({ kube, ing, peers: () => ingressesIn(namespace), albClasses, classParams })),
      });
    } else if (kind === 'gke-ingress') {
      subjects.push({
        ...base,
        path: kind,
        frontendConfig: (fc) =>
          lookup({ verb: 'get', ref: CLOUD_RESOURCES.frontendConfigs, namespace }, () => kube.get<KubeObject & { spec?: { sslPolicy?: string } }>(path(CLOUD_RESOURCES.frontendConfigs, { namespace, name: fc }))),
        managedCertificates: async () => {
          const got = await managedIn(namespace);
          return got.ok ? { ok: true, value: got.value.map((m) => m.metadata?.name ?? '') } : got;
        },
      });
    } else if (kind === 'app-routing-ingress') {
      subjects.push({ ...base, path: kind, keyvaultUri: ing.metadata?.annotations?.[ANNOTATION.aksKeyVault] ?? '', secretExists: () => secretExists(namespace, `keyvault-${name}`) });
    }
  }

  // ManagedCertificates: all in scope, or those the --ingress names.
  const wantedManaged = o.ingress ? new Set(ingresses.flatMap((i) => managedCertificateNames(i.metadata?.annotations))) : undefined;
  if (!o.ingress || (wantedManaged && wantedManaged.size)) {
    const got = await lookup({ verb: 'list', ref: CLOUD_RESOURCES.managedCertificates, namespace: scopeNs }, () => kube.list<ManagedCertificateObject>(path(CLOUD_RESOURCES.managedCertificates, { namespace: scopeNs })));
    if (got.ok) {
      for (const m of got.value) {
        const namespace = m.metadata?.namespace ?? o.namespace;
        const name = m.metadata?.name ?? '';
        if (wantedManaged && !wantedManaged.has(name)) continue;
        let referencedBy: string[] | undefined;
        try {
          referencedBy = (await ingressesIn(namespace)).filter((i) => managedCertificateNames(i.metadata?.annotations).includes(name)).map((i) => i.metadata?.name ?? '');
        } catch {
          referencedBy = undefined;
        }
        subjects.push({ kind: 'cloud', path: 'managed-certificate', id: `managedcertificate ${namespace}/${name}`, objects: [{ kind: 'ManagedCertificate', namespace, name }], namespace, name, object: m, referencedBy });
      }
    } else if (got.forbidden) notes.push(`cloud checks: cannot ${got.forbidden}; GKE ManagedCertificates not checked`);
    // Otherwise the CRD is absent: not a GKE cluster, the checks do not apply.
  }

  // SecretProviderClasses that sync a Secret: all in scope, or those producing the --ingress's Secrets.
  const ingressSecrets = o.ingress ? new Set(ingresses.flatMap((i) => (i.spec?.tls ?? []).map((t) => t.secretName).filter(Boolean))) : undefined;
  if (!o.ingress || (ingressSecrets && ingressSecrets.size)) {
    const got = await lookup({ verb: 'list', ref: CLOUD_RESOURCES.secretProviderClasses, namespace: scopeNs }, () =>
      kube.list<SecretProviderClassObject>(path(CLOUD_RESOURCES.secretProviderClasses, { namespace: scopeNs })),
    );
    if (got.ok) {
      for (const c of got.value) {
        const synced = (c.spec?.secretObjects ?? []).map((s) => s.secretName).filter((n): n is string => Boolean(n));
        if (synced.length === 0) continue;
        if (ingressSecrets && !synced.some((n) => ingressSecrets.has(n))) continue;
        const namespace = c.metadata?.namespace ?? o.namespace;
        const name = c.metadata?.name ?? '';
        subjects.push({
          kind: 'cloud',
          path: 'secret-provider-class',
          id: `secretproviderclass ${namespace}/${name}`,
          objects: [{ kind: 'SecretProviderClass', namespace, name }],
          namespace,
          name,
          object: c,
          secretExists: (n) => secretExists(namespace, n),
          mountingPods: async () => {
            const pods = await podsIn(namespace);
            if (!pods.ok) return pods;
            const live = pods.value.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && podMountsProviderClass(p, name));
            return { ok: true, value: live.map((p) => `pod/${p.metadata?.name} (${p.status?.phase ?? 'Pending'})`) };
          },
        });
      }
    } else if (got.forbidden) notes.push(`cloud checks: cannot ${got.forbidden}; Key Vault SecretProviderClasses not checked`);
  }
  return { subjects, notes };
}

/** The cluster's region from its nodes' labels (or AWS providerIDs). */
export async function clusterRegion(kube: KubeClient): Promise<RegionFact> {
  let nodes: NodeObject[];
  try {
    nodes = await kube.list<NodeObject>(path(R.nodes), { limit: 500 });
  } catch (err) {
    if (isForbidden(err)) return { regions: [], unknown: `forbidden: ${describeAccess('list', R.nodes)}` };
    if (isNotFound(err)) return { regions: [], unknown: 'nodes cannot be listed' };
    throw err;
  }
  if (nodes.length === 0) return { regions: [], unknown: 'the cluster has no nodes' };
  const regions = new Set<string>();
  for (const n of nodes) {
    const labels = n.metadata?.labels ?? {};
    const r = REGION_LABELS.map((l) => labels[l]).find(Boolean) ?? regionFromProviderId(n.spec?.providerID);
    if (r) regions.add(r);
  }
  if (regions.size === 0) return { regions: [], unknown: `no node carries ${REGION_LABELS[0]}` };
  return { regions: [...regions].sort() };
}

/**
 * An SSL policy that reaches this Ingress's listener from elsewhere: another Ingress of the same
 * IngressGroup (the controller merges their listener settings) or the IngressClassParams of its class.
 */
async function inheritedAlbPolicy(a: {
  kube: KubeClient;
  ing: CloudIngress;
  peers: () => Promise<CloudIngress[]>;
  albClasses: ReadonlySet<string>;
  classParams: ReadonlyMap<string, string>;
}): Promise<AlbPolicySource | undefined> {
  const group = a.ing.metadata?.annotations?.[ANNOTATION.albGroup];
  if (group) {
    let peers: CloudIngress[] = [];
    try {
      peers = await a.peers();
    } catch {
      // unreadable peers: judge the Ingress on its own annotations
    }
    for (const p of peers) {
      const pa = p.metadata?.annotations ?? {};
      if (p.metadata?.uid === a.ing.metadata?.uid || pa[ANNOTATION.albGroup] !== group || !pa[ANNOTATION.albSslPolicy]) continue;
      const cls = ingressClass(p);
      if (cls !== undefined && !a.albClasses.has(cls)) continue;
      return { policy: pa[ANNOTATION.albSslPolicy]!.trim(), from: `Ingress ${p.metadata?.namespace}/${p.metadata?.name} of group ${group}` };
    }
  }
  const cls = ingressClass(a.ing);
  const params = cls ? a.classParams.get(cls) : undefined;
  if (params) {
    const got = await lookup({ verb: 'get', ref: CLOUD_RESOURCES.ingressClassParams }, () =>
      a.kube.get<KubeObject & { spec?: { sslPolicy?: string } }>(path(CLOUD_RESOURCES.ingressClassParams, { name: params })),
    );
    if (got.ok && got.value?.spec?.sslPolicy) return { policy: got.value.spec.sslPolicy, from: `IngressClassParams ${params}` };
  }
  return undefined;
}
