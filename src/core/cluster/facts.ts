// Cluster facts that setup and doctor build on. Every fact degrades on its own: a forbidden or
// failing lookup becomes "unknown" with a reason, and never stops the others.
import type { KubeClient, KubeObject } from '../kube/client.js';
import { isForbidden, isNotFound } from '../kube/client.js';
import { path, R } from '../kube/paths.js';
import { ClusterUnreachableError, TlsError } from '../errors.js';

export type Fact<T> = { known: true; value: T } | { known: false; reason: string };

export interface WorkloadRef {
  kind: 'Deployment' | 'StatefulSet';
  namespace: string;
  name: string;
  ports: number[];
  why: string;
}

export interface ClusterFacts {
  context: string;
  cluster: string;
  server: string;
  namespace: string;
  authMethod: string;
  kubernetesVersion: Fact<string>;
  certManager: Fact<{ installed: boolean; version?: string | undefined; acmeProfileField?: boolean }>;
  trustManager: Fact<{ installed: boolean; apis: string[] }>;
  gatewayApi: Fact<{ installed: boolean; gatewayClasses: string[] }>;
  ingressClasses: Fact<{ names: string[]; default?: string | undefined; controllers: Record<string, string> }>;
  prometheusOperator: Fact<{ installed: boolean }>;
  cloudProvider: Fact<{ provider: 'aws' | 'gcp' | 'azure' | 'other' | 'none'; nodes: number }>;
  tlsSecrets: Fact<{ count: number; scope: string }>;
  vibectlServers: Fact<WorkloadRef[]>;
}

interface Crd extends KubeObject {
  spec?: { versions?: Array<{ name: string; served?: boolean; schema?: { openAPIV3Schema?: unknown } }> };
}

export async function gatherClusterFacts(kube: KubeClient, options: { allNamespaces?: boolean } = {}): Promise<ClusterFacts> {
  const t = kube.target;
  // The version call doubles as the reachability check: unreachable or unauthenticated stops here.
  let kubernetesVersion: Fact<string>;
  try {
    const v = await kube.request<{ gitVersion?: string }>('GET', '/version');
    kubernetesVersion = v.gitVersion ? { known: true, value: v.gitVersion } : { known: false, reason: 'the API server did not say' };
  } catch (err) {
    if (!isForbidden(err)) throw err;
    kubernetesVersion = { known: false, reason: 'no permission to GET /version' };
  }
  const crdNames = await fact('customresourcedefinitions', async () => {
    const names = new Map<string, Crd>();
    for await (const page of kube.listPages<Crd>(path(R.crds))) for (const c of page) names.set(c.metadata?.name ?? '', c);
    return names;
  });

  const ns = options.allNamespaces ? undefined : t.namespace;
  const [certManager, trustManager, gatewayApi, ingressClasses, prometheusOperator, cloudProvider, tlsSecrets, vibectlServers] =
    await Promise.all([
      mapFact(crdNames, async (crds) => {
        const crd = crds.get('certificates.cert-manager.io');
        if (!crd) return { installed: false };
        const issuerCrd = crds.get('clusterissuers.cert-manager.io');
        return {
          installed: true,
          version: crd.metadata?.labels?.['app.kubernetes.io/version'] ?? (await certManagerVersionFromDeployments(kube)),
          acmeProfileField: issuerCrd ? JSON.stringify(issuerCrd.spec?.versions ?? []).includes('"profile"') : false,
        };
      }),
      mapFact(crdNames, async (crds) => {
        const apis: string[] = [];
        if (crds.has('bundles.trust.cert-manager.io')) apis.push('trust.cert-manager.io/v1alpha1 Bundle');
        if (crds.has('clusterbundles.trust-manager.io')) apis.push('trust-manager.io/v1alpha2 ClusterBundle');
        return { installed: apis.length > 0, apis };
      }),
      mapFact(crdNames, async (crds) => {
        if (!crds.has('gateways.gateway.networking.k8s.io')) return { installed: false, gatewayClasses: [] };
        const classes = await kube.list(path(R.gatewayclasses)).catch((err: unknown) => {
          if (isForbidden(err) || isNotFound(err)) return [];
          throw err;
        });
        return { installed: true, gatewayClasses: classes.map((c) => c.metadata?.name ?? '') };
      }),
      fact('ingressclasses', async () => {
        const items = await kube.list<KubeObject & { spec?: { controller?: string } }>(path(R.ingressclasses));
        const def = items.find((i) => i.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true');
        return {
          names: items.map((i) => i.metadata?.name ?? ''),
          default: def?.metadata?.name,
          controllers: Object.fromEntries(items.map((i) => [i.metadata?.name ?? '', i.spec?.controller ?? ''])),
        };
      }),
      mapFact(crdNames, async (crds) => ({ installed: crds.has('prometheusrules.monitoring.coreos.com') })),
      fact('nodes', async () => {
        const nodes = await kube.list<KubeObject & { spec?: { providerID?: string } }>(path(R.nodes));
        return { provider: inferProvider(nodes.map((n) => n.spec?.providerID ?? '')), nodes: nodes.length };
      }),
      fact('secrets', async () => {
        let count = 0;
        for await (const page of kube.listPages(path(R.secrets, { namespace: ns }), {
          query: { fieldSelector: 'type=kubernetes.io/tls' },
          metadataOnly: true,
        }))
          count += page.length;
        return { count, scope: ns ? `namespace ${ns}` : 'all namespaces' };
      }),
      fact('deployments and statefulsets', async () => {
        const found: WorkloadRef[] = [];
        for (const [kind, ref] of [['Deployment', R.deployments], ['StatefulSet', R.statefulsets]] as const) {
          for await (const page of kube.listPages<Workload>(path(ref, { namespace: ns }))) {
            for (const w of page) {
              const why = looksLikeVibectlServer(w);
              if (why) found.push({ kind, namespace: w.metadata?.namespace ?? '', name: w.metadata?.name ?? '', ports: containerPorts(w), why });
            }
          }
        }
        return found;
      }),
    ]);

  return {
    context: t.contextName,
    cluster: t.clusterName,
    server: t.server,
    namespace: t.namespace,
    authMethod: t.execCommand ? `exec (${t.execCommand})` : t.authMethod,
    kubernetesVersion,
    certManager,
    trustManager,
    gatewayApi,
    ingressClasses,
    prometheusOperator,
    cloudProvider,
    tlsSecrets,
    vibectlServers,
  };
}

interface Workload extends KubeObject {
  spec?: { template?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: Array<{ name?: string; image?: string; ports?: Array<{ containerPort: number }> }> } } };
}

function containerPorts(w: Workload): number[] {
  return (w.spec?.template?.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
}

/** vibectl-server is recognised by name, labels, image, or its gRPC port 50051. Returns why, or ''. */
export function looksLikeVibectlServer(w: Workload): string {
  const labels = { ...w.metadata?.labels, ...w.spec?.template?.metadata?.labels };
  if (labels['app.kubernetes.io/name'] === 'vibectl-server' || labels.app === 'vibectl-server') return 'label';
  if ((w.metadata?.name ?? '').includes('vibectl-server')) return 'name';
  const containers = w.spec?.template?.spec?.containers ?? [];
  if (containers.some((c) => (c.image ?? '').includes('vibectl-server') || c.name === 'vibectl-server')) return 'image';
  if (containerPorts(w).includes(50051) && containers.some((c) => (c.image ?? '').includes('vibectl'))) return 'port 50051';
  return '';
}

export function inferProvider(providerIds: string[]): 'aws' | 'gcp' | 'azure' | 'other' | 'none' {
  const ids = providerIds.filter(Boolean);
  if (ids.length === 0) return 'none';
  const first = ids[0]!;
  if (first.startsWith('aws://')) return 'aws';
  if (first.startsWith('gce://')) return 'gcp';
  if (first.startsWith('azure://')) return 'azure';
  return 'other';
}

async function certManagerVersionFromDeployments(kube: KubeClient): Promise<string | undefined> {
  try {
    const deps = await kube.list<Workload>(path(R.deployments), { query: { labelSelector: 'app.kubernetes.io/name=cert-manager' } });
    for (const d of deps) {
      const v = d.metadata?.labels?.['app.kubernetes.io/version'];
      if (v) return v;
      const image = d.spec?.template?.spec?.containers?.[0]?.image ?? '';
      const tag = /:(v\d+\.\d+\.\d+[^@]*)/.exec(image)?.[1];
      if (tag) return tag;
    }
  } catch {
    // the version is a nicety; without list on deployments it stays unknown
  }
  return undefined;
}

async function fact<T>(what: string, fn: () => Promise<T>): Promise<Fact<T>> {
  try {
    return { known: true, value: await fn() };
  } catch (err) {
    if (isForbidden(err)) return { known: false, reason: `no permission to list ${what}` };
    if (err instanceof ClusterUnreachableError) return { known: false, reason: `request failed: ${err.message}` };
    if (err instanceof TlsError) return { known: false, reason: err.message };
    throw err;
  }
}

async function mapFact<A, B>(input: Fact<A>, fn: (a: A) => Promise<B>): Promise<Fact<B>> {
  if (!input.known) return input;
  try {
    return { known: true, value: await fn(input.value) };
  } catch (err) {
    if (isForbidden(err)) return { known: false, reason: 'no permission' };
    if (err instanceof TlsError) return { known: false, reason: err.message };
    throw err;
  }
}
