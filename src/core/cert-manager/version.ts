// Which cert-manager fields the cluster can take. Two sources, used together: the installed CRD
// schema (authoritative: it is what the API server validates and prunes against) and the
// cert-manager version (the fallback when the CRDs cannot be read). A field the schema lacks is
// refused even when the version says it should exist: that is the "controller upgraded, CRDs not"
// case, where the API server would silently drop the field.
import type { KubeClient, KubeObject } from '../kube/client.js';
import { isForbidden } from '../kube/client.js';
import { path, R } from '../kube/paths.js';
import { InvalidInputError } from '../errors.js';

export interface Feature {
  /** What the user asked for, in their words ("ACME profile"). */
  title: string;
  /** Field path inside the ClusterIssuer/Issuer CRD schema (`[]` steps into array items); absent for annotations, which no schema checks. */
  field?: string;
  /** First cert-manager release with the field. */
  since: string;
  /** The flag that asked for it, for the message. */
  flag?: string;
}

export const FEATURES = {
  acmeProfile: { title: 'ACME profile', field: 'spec.acme.profile', since: '1.18.0', flag: '--acme-profile' },
  acmeCaBundle: { title: 'ACME server CA bundle', field: 'spec.acme.caBundle', since: '1.13.0', flag: '--acme-ca-bundle' },
  http01IngressClassName: { title: 'HTTP-01 ingressClassName', field: 'spec.acme.solvers[].http01.ingress.ingressClassName', since: '1.12.0', flag: '--ingress-class' },
  http01GatewayParentRefs: { title: 'HTTP-01 through a Gateway (parentRefs)', field: 'spec.acme.solvers[].http01.gatewayHTTPRoute.parentRefs', since: '1.8.0', flag: '--gateway' },
  ingressPrivateKeyAnnotations: { title: 'private-key annotations on an Ingress (cert-manager.io/private-key-*)', since: '1.13.0', flag: '--key-algorithm' },
} as const satisfies Record<string, Feature>;

export type FeatureId = keyof typeof FEATURES;

/** What we know about the installed cert-manager. Any part may be unknown. */
export interface CertManagerCapabilities {
  installed: boolean | undefined;
  version?: string | undefined;
  /** From the CRD schema: true = present, false = absent, missing = could not read the schema. */
  fields?: Partial<Record<FeatureId, boolean>>;
}

export type Support = { supported: true; basis: 'schema' | 'version' | 'unchecked' } | { supported: false; reason: string; hint: string };

const SEMVER = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/;

export function parseVersion(v: string): [number, number, number] | undefined {
  const m = SEMVER.exec(v.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/** -1, 0, 1; undefined when either side is not a version. Pre-release tags count as the release. */
export function compareVersions(a: string, b: string): -1 | 0 | 1 | undefined {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa || !pb) return undefined;
  for (let i = 0; i < 3; i++) {
    if (pa[i]! < pb[i]!) return -1;
    if (pa[i]! > pb[i]!) return 1;
  }
  return 0;
}

export function supports(feature: FeatureId, caps: CertManagerCapabilities | undefined): Support {
  const f: Feature = FEATURES[feature];
  const schema = caps?.fields?.[feature];
  const version = caps?.version;
  const cmp = version ? compareVersions(version, f.since) : undefined;
  if (schema === true) return { supported: true, basis: 'schema' };
  if (schema === false) {
    const why = cmp !== undefined && cmp >= 0
      ? `cert-manager ${version} should have ${f.field ?? f.title}, but the installed ClusterIssuer CRD does not: the CRDs are older than the controller`
      : `the installed cert-manager${version ? ` (${version})` : ''} does not know ${f.field ?? f.title} (added in ${f.since})`;
    return { supported: false, reason: why, hint: `upgrade cert-manager and its CRDs to ${f.since} or newer, or leave out ${f.flag ?? f.title}` };
  }
  if (cmp === undefined) return { supported: true, basis: 'unchecked' };
  if (cmp >= 0) return { supported: true, basis: 'version' };
  return {
    supported: false,
    reason: `${f.title} needs cert-manager ${f.since} or newer; this cluster runs ${version}`,
    hint: `upgrade cert-manager to ${f.since}+, or leave out ${f.flag ?? f.title}`,
  };
}

/** Throws InvalidInputError (exit 3) when the installed cert-manager lacks the feature. */
export function requireFeature(feature: FeatureId, caps: CertManagerCapabilities | undefined): void {
  const s = supports(feature, caps);
  if (!s.supported) throw new InvalidInputError(s.reason, { hint: s.hint });
}

interface Crd extends KubeObject {
  spec?: { versions?: Array<{ name: string; served?: boolean; storage?: boolean; schema?: { openAPIV3Schema?: Schema } }> };
}
interface Schema {
  properties?: Record<string, Schema>;
  items?: Schema;
}

/** Walks an openAPIV3Schema along "a.b[].c". */
export function schemaHasField(schema: Schema | undefined, field: string): boolean {
  let node: Schema | undefined = schema;
  for (const part of field.split('.')) {
    const isArray = part.endsWith('[]');
    const name = isArray ? part.slice(0, -2) : part;
    node = node?.properties?.[name];
    if (isArray) node = node?.items;
    if (!node) return false;
  }
  return true;
}

/** The fields of the served cert-manager.io/v1 version of a CRD. */
export function fieldsFromCrd(crd: Crd): Partial<Record<FeatureId, boolean>> {
  const v1 = crd.spec?.versions?.find((v) => v.name === 'v1' && v.served !== false);
  const schema = v1?.schema?.openAPIV3Schema;
  if (!schema) return {};
  const out: Partial<Record<FeatureId, boolean>> = {};
  for (const id of Object.keys(FEATURES) as FeatureId[]) {
    const field = (FEATURES[id] as Feature).field;
    if (field) out[id] = schemaHasField(schema, field);
  }
  return out;
}

/** Adapts the `certManager` fact of gatherClusterFacts (which only reads the profile field). */
export function capabilitiesFromFact(fact: { known: true; value: { installed: boolean; version?: string | undefined; acmeProfileField?: boolean } } | { known: false; reason: string }): CertManagerCapabilities {
  if (!fact.known) return { installed: undefined };
  const v = fact.value;
  return { installed: v.installed, version: v.version, fields: v.acmeProfileField === undefined ? {} : { acmeProfile: v.acmeProfileField } };
}

/** Reads the ClusterIssuer CRD and the version. Forbidden lookups leave parts unknown. */
export async function detectCertManager(kube: KubeClient): Promise<CertManagerCapabilities> {
  let crd: Crd | null;
  try {
    crd = await kube.get<Crd>(path(R.crds, { name: 'clusterissuers.cert-manager.io' }));
  } catch (err) {
    if (!isForbidden(err)) throw err;
    return { installed: undefined, version: await versionFromDeployments(kube) };
  }
  if (!crd) return { installed: false };
  const version = crd.metadata?.labels?.['app.kubernetes.io/version'] ?? (await versionFromDeployments(kube));
  return { installed: true, version, fields: fieldsFromCrd(crd) };
}

async function versionFromDeployments(kube: KubeClient): Promise<string | undefined> {
  try {
    const deps = await kube.list<KubeObject & { spec?: { template?: { spec?: { containers?: Array<{ image?: string }> } } } }>(path(R.deployments), {
      query: { labelSelector: 'app.kubernetes.io/name=cert-manager' },
    });
    for (const d of deps) {
      const v = d.metadata?.labels?.['app.kubernetes.io/version'];
      if (v) return v;
      const tag = /:(v\d+\.\d+\.\d+[^@]*)/.exec(d.spec?.template?.spec?.containers?.[0]?.image ?? '')?.[1];
      if (tag) return tag;
    }
  } catch {
    // the version is a fallback; without list on deployments it stays unknown
  }
  return undefined;
}

/** The version this tool's docs and tests are written against (the harness pins the same). */
export const RECOMMENDED_CERT_MANAGER_VERSION = 'v1.21.2';

/** What to run when cert-manager is missing. Printed, never run without an explicit yes. */
export function certManagerInstallCommands(version = RECOMMENDED_CERT_MANAGER_VERSION): { kubectl: string; helm: string } {
  return {
    kubectl: `kubectl apply -f https://github.com/cert-manager/cert-manager/releases/download/${version}/cert-manager.yaml`,
    helm: `helm install cert-manager oci://quay.io/jetstack/charts/cert-manager --version ${version} --namespace cert-manager --create-namespace --set crds.enabled=true`,
  };
}
