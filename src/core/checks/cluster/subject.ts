// The cluster as a doctor subject: API reachability, what the caller may read (one
// SelfSubjectAccessReview per need), and the cert-manager installation (CRDs, version, Deployments,
// webhook configuration, a server-side dry-run Certificate, issuers). Gathered once per run; a
// lookup that is forbidden or fails is kept as such, so the checks that need it skip and say why.
import { isForbidden, type KubeClient, type KubeObject } from '../../kube/client.js';
import { path, resourcePath, R, type ResourceRef } from '../../kube/paths.js';
import type { Subject } from '../framework.js';
import { memo } from '../subjects.js';
import { CM_GROUP, describeAccess, lookup, type CmObject, type Condition, type Lookup } from '../../cert-manager/walk.js';

export const VALIDATING_WEBHOOKS: ResourceRef = { group: 'admissionregistration.k8s.io', version: 'v1', plural: 'validatingwebhookconfigurations' };
export const EVENTS: ResourceRef = { group: '', version: 'v1', plural: 'events' };

export const CERT_MANAGER_CRDS = [
  'certificates.cert-manager.io',
  'certificaterequests.cert-manager.io',
  'issuers.cert-manager.io',
  'clusterissuers.cert-manager.io',
  'orders.acme.cert-manager.io',
  'challenges.acme.cert-manager.io',
] as const;

export interface Need {
  verb: string;
  ref: ResourceRef;
  /** Undefined for cluster-scoped resources and -A runs. */
  namespace: string | undefined;
  /** The checks that skip without it, in words. */
  for: string;
  /** Not in doctor's read-only ClusterRole (--print-rbac): missing it is expected, not a finding. */
  optional?: true;
}

export interface Permission extends Need {
  /** undefined when the review itself failed. */
  allowed: boolean | undefined;
  /** "list secrets in namespace shop" */
  access: string;
}

export function doctorNeeds(namespace: string | undefined): Need[] {
  const ns = namespace;
  return [
    { verb: 'list', ref: R.secrets, namespace: ns, for: 'Secret checks (SEC1xx) and Ingress TLS checks (ING102, ING103)' },
    { verb: 'list', ref: R.certificates, namespace: ns, for: 'Certificate checks (CRT1xx)' },
    { verb: 'list', ref: R.certificaterequests, namespace: ns, for: 'CertificateRequest checks (CRT105, CRT106)' },
    { verb: 'list', ref: R.orders, namespace: ns, for: 'ACME Order checks (CRT110–CRT113)' },
    { verb: 'list', ref: R.challenges, namespace: ns, for: 'ACME Challenge checks (CRT110–CRT113)' },
    { verb: 'list', ref: R.issuers, namespace: ns, for: 'issuer checks (CM110, CRT104)' },
    { verb: 'list', ref: R.clusterissuers, namespace: undefined, for: 'ClusterIssuer checks (CM110, CRT104, ING101)' },
    { verb: 'get', ref: R.crds, namespace: undefined, for: 'cert-manager install checks (CM101, CM102)' },
    { verb: 'list', ref: R.deployments, namespace: undefined, for: 'cert-manager Deployment readiness (CM103)' },
    { verb: 'list', ref: VALIDATING_WEBHOOKS, namespace: undefined, for: 'cert-manager webhook configuration (CM105)' },
    { verb: 'create', ref: R.certificates, namespace: ns ?? 'default', for: 'the server-side dry-run Certificate (CM104)', optional: true },
    { verb: 'list', ref: EVENTS, namespace: ns, for: 'events in the Certificate walk' },
    { verb: 'list', ref: R.ingresses, namespace: ns, for: 'Ingress checks (ING1xx)' },
    { verb: 'list', ref: R.ingressclasses, namespace: undefined, for: 'HTTP-01 ingress class check (CM111)' },
  ];
}

export interface DeploymentFact {
  namespace: string;
  name: string;
  component: string;
  desired: number;
  ready: number;
  version: string | undefined;
}

export interface IssuerFact {
  kind: 'Issuer' | 'ClusterIssuer';
  namespace: string | undefined;
  name: string;
  ready: Condition | undefined;
  type: string | undefined;
  solvers: Array<Record<string, unknown>>;
}

export type DryRun = { ok: true } | { ok: false; kind: 'crds' | 'webhook-service' | 'webhook-refused' | 'webhook-ca' | 'webhook-timeout' | 'forbidden' | 'other'; error: string };

export interface ClusterFacts {
  api: { ok: true; version: string } | { ok: false; error: string };
  permissions: Permission[] | { error: string };
  crds: Lookup<{ present: string[]; missing: string[]; version: string | undefined }>;
  deployments: Lookup<DeploymentFact[]>;
  webhooks: Lookup<string[]>;
  dryRun: DryRun | undefined;
  issuers: Lookup<IssuerFact[]>;
  ingressClasses: Lookup<Array<{ name: string; default: boolean }>>;
  /** Certificates in scope with their Ready condition: evidence that a controller acts. */
  certificates: Lookup<Array<{ namespace: string; name: string; ready: Condition | undefined; issuing: Condition | undefined }>>;
}

export interface ClusterSubject extends Subject {
  kind: 'cluster';
  namespace: string | undefined;
  facts: () => Promise<ClusterFacts>;
}

export function clusterSubject(input: { kube: KubeClient; namespace: string | undefined; certificates?: Lookup<CmObject[]> }): ClusterSubject {
  const server = input.kube.target.server;
  return {
    kind: 'cluster',
    id: `cluster ${input.kube.target.contextName}`,
    objects: [{ kind: 'Cluster', name: server }],
    namespace: input.namespace,
    facts: memo(() => gatherClusterFacts(input)),
  };
}

type DeploymentObject = KubeObject & { spec?: { replicas?: number; template?: { spec?: { containers?: Array<{ image?: string }> } } }; status?: { readyReplicas?: number } };
type CrdObject = KubeObject & { status?: { conditions?: Condition[] } };

export async function gatherClusterFacts(input: { kube: KubeClient; namespace: string | undefined; certificates?: Lookup<CmObject[]> }): Promise<ClusterFacts> {
  const { kube, namespace } = input;
  const api = await kube
    .request<{ gitVersion?: string }>('GET', '/version')
    .then((v) => ({ ok: true as const, version: v.gitVersion ?? 'unknown' }))
    .catch((err: unknown) => ({ ok: false as const, error: err instanceof Error ? err.message : String(err) }));
  if (!api.ok) {
    const error = { ok: false as const, error: 'the API server is not reachable' };
    return { api, permissions: { error: error.error }, crds: error, deployments: error, webhooks: error, dryRun: undefined, issuers: error, ingressClasses: error, certificates: error };
  }
  const permissionsP = Promise.all(
    doctorNeeds(namespace).map(async (n): Promise<Permission> => {
      const access = describeAccess(n.verb, n.ref, n.namespace);
      const allowed = await kube
        .can({ verb: n.verb, resource: n.ref.plural, group: n.ref.group, ...(n.namespace ? { namespace: n.namespace } : {}) })
        .catch(() => undefined);
      return { ...n, allowed, access };
    }),
  ).catch((err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }));

  const crdsP = lookup({ verb: 'get', ref: R.crds }, async () => {
    const present: string[] = [];
    const missing: string[] = [];
    let version: string | undefined;
    for (const name of CERT_MANAGER_CRDS) {
      const crd = await kube.get<CrdObject>(path(R.crds, { name }));
      const established = crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
      if (crd && established) present.push(name);
      else missing.push(name);
      version ??= crd?.metadata?.labels?.['app.kubernetes.io/version'];
    }
    return { present, missing, version };
  });

  const deploymentsP = lookup({ verb: 'list', ref: R.deployments }, async () => {
    const items = await kube.list<DeploymentObject>(path(R.deployments), {
      query: { labelSelector: 'app.kubernetes.io/component in (controller,webhook,cainjector),app.kubernetes.io/name in (cert-manager,webhook,cainjector)' },
    });
    return items.map((d) => ({
      namespace: d.metadata?.namespace ?? '',
      name: d.metadata?.name ?? '',
      component: d.metadata?.labels?.['app.kubernetes.io/component'] ?? '',
      desired: d.spec?.replicas ?? 1,
      ready: d.status?.readyReplicas ?? 0,
      version: d.metadata?.labels?.['app.kubernetes.io/version'] ?? /:(v\d+\.\d+\.\d+[^@]*)/.exec(d.spec?.template?.spec?.containers?.[0]?.image ?? '')?.[1],
    }));
  });

  const webhooksP = lookup({ verb: 'list', ref: VALIDATING_WEBHOOKS }, async () => {
    const items = await kube.list<KubeObject & { webhooks?: Array<{ name?: string }> }>(resourcePath(VALIDATING_WEBHOOKS));
    return items.filter((w) => (w.webhooks ?? []).some((h) => (h.name ?? '').endsWith('cert-manager.io'))).map((w) => w.metadata?.name ?? '');
  });

  const issuersP = lookup({ verb: 'list', ref: R.issuers, namespace }, async () => {
    const type = (o: CmObject) => Object.keys(o.spec ?? {}).find((k) => ['acme', 'ca', 'selfSigned', 'vault', 'venafi'].includes(k));
    const fact = (kind: IssuerFact['kind']) => (o: CmObject): IssuerFact => ({
      kind,
      namespace: kind === 'Issuer' ? o.metadata?.namespace : undefined,
      name: o.metadata?.name ?? '',
      ready: o.status?.conditions?.find((c) => c.type === 'Ready'),
      type: type(o),
      solvers: ((o.spec as { acme?: { solvers?: Array<Record<string, unknown>> } } | undefined)?.acme?.solvers) ?? [],
    });
    // ClusterIssuers that may not be listed are left out here; CLU102 names the missing permission.
    const [cluster, local] = await Promise.all([
      kube.list<CmObject>(path(R.clusterissuers)).catch((err: unknown) => (isForbidden(err) ? [] : Promise.reject(err))),
      kube.list<CmObject>(path(R.issuers, { namespace })),
    ]);
    return [...cluster.map(fact('ClusterIssuer')), ...local.map(fact('Issuer'))];
  });

  const ingressClassesP = lookup({ verb: 'list', ref: R.ingressclasses }, async () => {
    const items = await kube.list<KubeObject>(path(R.ingressclasses));
    return items.map((c) => ({ name: c.metadata?.name ?? '', default: c.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true' }));
  });

  const certificatesP: Promise<ClusterFacts['certificates']> = (input.certificates ? Promise.resolve(input.certificates) : lookup({ verb: 'list', ref: R.certificates, namespace }, () => kube.list<CmObject>(path(R.certificates, { namespace })))).then((l) =>
    l.ok
      ? {
          ok: true as const,
          value: l.value.map((c) => ({
            namespace: c.metadata?.namespace ?? '',
            name: c.metadata?.name ?? '',
            ready: c.status?.conditions?.find((x) => x.type === 'Ready'),
            issuing: c.status?.conditions?.find((x) => x.type === 'Issuing'),
          })),
        }
      : l,
  );

  const [permissions, crds, deployments, webhooks, issuers, ingressClasses, certificates] = await Promise.all([permissionsP, crdsP, deploymentsP, webhooksP, issuersP, ingressClassesP, certificatesP]);
  const dryRun = crds.ok && crds.value.present.length > 0 ? await dryRunCertificate(kube, namespace ?? 'default') : undefined;
  return { api, permissions, crds, deployments, webhooks, dryRun, issuers, ingressClasses, certificates };
}

/**
 * `cmctl check api`: a server-side dry-run create of a v1 Certificate goes through the API server's
 * admission chain, so it reaches cert-manager's webhook when one is configured. Its failures are
 * translated into what to fix, as cmctl does.
 */
export async function dryRunCertificate(kube: KubeClient, namespace: string): Promise<DryRun> {
  try {
    await kube.create(
      path(R.certificates, { namespace }),
      {
        apiVersion: `${CM_GROUP}/v1`,
        kind: 'Certificate',
        metadata: { generateName: 'vibectl-tls-doctor-', namespace },
        spec: { dnsNames: ['doctor.vibectl-tls.invalid'], secretName: 'vibectl-tls-doctor-dry-run', issuerRef: { name: 'vibectl-tls-doctor', kind: 'Issuer' } },
      },
      { dryRun: true },
    );
    return { ok: true };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, kind: classifyDryRunError(message, (err as { status?: number }).status), error: message.split('\n')[0] ?? message };
  }
}

export function classifyDryRunError(message: string, status?: number): Exclude<DryRun, { ok: true }>['kind'] {
  if (status === 403) return 'forbidden';
  if (status === 404 || /could not find the requested resource|no matches for kind|failed to find API group/.test(message)) return 'crds';
  if (/service "[^"]+" not found/.test(message)) return 'webhook-service';
  if (/connection refused|no endpoints available/.test(message)) return 'webhook-refused';
  if (/x509|certificate signed by unknown authority|failed to verify certificate/.test(message)) return 'webhook-ca';
  if (/context deadline exceeded|timeout|i\/o timeout/i.test(message)) return 'webhook-timeout';
  return 'other';
}
