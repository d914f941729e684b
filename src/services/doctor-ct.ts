// doctor --ct: asks a crt.sh-compatible CT search about each domain (once per run, also under
// --wait: the service is rate-limited) and works out which issuers to expect from what the cluster
// uses. Reading the cluster is best-effort: without it only --ct-expected-issuer counts.
import type { KubeClient, KubeObject } from '../core/kube/client.js';
import { path, R } from '../core/kube/paths.js';
import { CRTSH_URL, ctQueryUrl, parseCtDomain, searchCt, type CtClock } from '../core/ct/crtsh.js';
import { issuerForAcmeServer, issuerMatchFromDn, mergeExpected, type ExpectedIssuer } from '../core/ct/issuers.js';
import { ctSubject, type CtSubject } from '../core/checks/ct/transparency.js';
import { parseSecretMaterial } from '../core/checks/subjects.js';
import { CLOUD_RESOURCES } from '../core/checks/cloud/subject.js';
import { UsageError } from '../core/errors.js';

export interface CtOptions {
  domains: string[];
  url?: string | undefined;
  /** --ct-expected-issuer values. */
  expectedIssuers?: string[] | undefined;
  deadlineMs?: number | undefined;
  fetch?: typeof fetch;
  clock?: CtClock;
  /** Progress of the (slow) search; falls back to the run's onProgress. */
  onProgress?: ((message: string) => void) | undefined;
}

export interface CtPlanInput {
  ct: CtOptions;
  days: number;
  /** The cluster, when it should be read for expected issuers. */
  kube?: (() => Promise<KubeClient>) | undefined;
  namespace?: string | undefined;
  allNamespaces?: boolean | undefined;
  onProgress?: ((message: string) => void) | undefined;
}

export interface CtPlan {
  subjects: CtSubject[];
  notes: string[];
}

/** Validates --ct input before anything runs (a typo should not cost a slow CT query). */
export function checkCtOptions(ct: CtOptions): void {
  for (const d of ct.domains) parseCtDomain(d);
  ctQueryUrl(ct.url ?? CRTSH_URL, 'example.com');
  if (ct.expectedIssuers?.some((e) => e.trim() === '')) throw new UsageError('--ct-expected-issuer needs a non-empty substring', { hint: `for example --ct-expected-issuer "Let's Encrypt"` });
}

/** Returns a planner that searches once and reuses the answer on later --wait attempts. */
export function ctPlanner(input: CtPlanInput): () => Promise<CtPlan> {
  let pending: Promise<CtPlan> | undefined;
  return () => (pending ??= planCt(input));
}

async function planCt(input: CtPlanInput): Promise<CtPlan> {
  const { ct } = input;
  checkCtOptions(ct);
  const progress = ct.onProgress ?? input.onProgress;
  const notes: string[] = [];
  const service = new URL(ct.url ?? CRTSH_URL).host;
  const fromFlags: ExpectedIssuer[] = (ct.expectedIssuers ?? []).map((m) => ({ match: m, source: '--ct-expected-issuer' }));
  const subjects: CtSubject[] = [];
  let clusterIssuers: Promise<Expectation[]> | undefined;
  for (const raw of ct.domains) {
    const { domain } = parseCtDomain(raw);
    progress?.(`searching CT logs for ${domain} at ${service} (slow; retried with backoff)`);
    const result = await searchCt({
      domain: raw,
      ...(ct.url ? { baseUrl: ct.url } : {}),
      ...(ct.deadlineMs ? { deadlineMs: ct.deadlineMs } : {}),
      ...(ct.fetch ? { fetch: ct.fetch } : {}),
      ...(ct.clock ? { clock: ct.clock } : {}),
      onRetry: (r) => progress?.(`${service} answered "${r.reason}" for ${r.query}; retrying in ${Math.ceil(r.waitMs / 1000)}s`),
    });
    const entries = result.entries.filter((e) => e.names.some((n) => underDomain(n, domain)));
    let fromCluster: ExpectedIssuer[] = [];
    if (input.kube) {
      clusterIssuers ??= clusterExpectations(input, notes);
      fromCluster = (await clusterIssuers).filter((e) => !e.domain || e.domain === domain || underDomain(e.domain, domain) || underDomain(domain, e.domain));
    }
    subjects.push(ctSubject({ domain, service, entries, expected: mergeExpected([...fromFlags, ...fromCluster]), days: input.days }));
  }
  return { subjects, notes };
}

/** name (possibly *.x) is the domain or below it. */
export function underDomain(name: string, domain: string): boolean {
  const n = name.replace(/^\*\./, '');
  return n === domain || n.endsWith(`.${domain}`);
}

type Expectation = ExpectedIssuer & { domain?: string };
type SecretObject = KubeObject & { data?: Record<string, string> };
type IssuerObject = KubeObject & { spec?: { acme?: { server?: string } } };
type IngressObject = KubeObject & { spec?: { ingressClassName?: string } };

/**
 * Issuers the cluster uses: the CA of each TLS Secret (tied to the names it covers), the public
 * CAs behind cert-manager ACME issuers, ACM behind ALB Ingresses, and the CAs of Google-managed
 * certificates. Each lookup that fails becomes a note, not an error.
 */
async function clusterExpectations(input: CtPlanInput, notes: string[]): Promise<Expectation[]> {
  let kube: KubeClient;
  try {
    kube = await input.kube!();
  } catch (err) {
    notes.push(`CT: could not read the cluster for expected issuers (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); only --ct-expected-issuer counts`);
    return [];
  }
  const ns = input.allNamespaces ? undefined : (input.namespace ?? kube.target.namespace);
  const where = ns ? `namespace ${ns}` : 'all namespaces';
  const out: Expectation[] = [];
  const tryList = async <T>(what: string, fn: () => Promise<T[]>, optional = false): Promise<T[]> => {
    try {
      return await fn();
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (optional && status === 404) return [];
      notes.push(`CT: could not list ${what} in ${where} for expected issuers (${status === 403 ? 'forbidden' : err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
      return [];
    }
  };
  const secrets = await tryList('TLS Secrets', () => kube.list<SecretObject>(path(R.secrets, { namespace: ns }), { limit: 250, query: { fieldSelector: 'type=kubernetes.io/tls' } }));
  for (const s of secrets) {
    const leaf = parseSecretMaterial(s.data ?? {}).chain[0];
    if (!leaf || leaf.selfSigned) continue;
    const match = issuerMatchFromDn(leaf.issuer);
    if (!match) continue;
    const source = `Secret ${s.metadata?.namespace}/${s.metadata?.name}`;
    for (const name of leaf.dnsNames) out.push({ match, source, domain: name.replace(/^\*\./, '') });
  }
  const issuers = [
    ...(await tryList('ClusterIssuers', () => kube.list<IssuerObject>(path(R.clusterissuers)), true)).map((i) => ({ i, kind: 'ClusterIssuer' })),
    ...(await tryList('Issuers', () => kube.list<IssuerObject>(path(R.issuers, { namespace: ns })), true)).map((i) => ({ i, kind: 'Issuer' })),
  ];
  for (const { i, kind } of issuers) {
    const ca = i.spec?.acme?.server ? issuerForAcmeServer(i.spec.acme.server) : undefined;
    if (ca) out.push({ match: ca, source: `${kind} ${i.metadata?.name}` });
  }
  const ingresses = await tryList('Ingresses', () => kube.list<IngressObject>(path(R.ingresses, { namespace: ns })));
  for (const ing of ingresses) {
    const a = ing.metadata?.annotations ?? {};
    if (a['alb.ingress.kubernetes.io/certificate-arn']) out.push({ match: 'Amazon', source: `ALB Ingress ${ing.metadata?.namespace}/${ing.metadata?.name} (ACM)` });
  }
  const managed = await tryList('ManagedCertificates', () => kube.list<KubeObject & { spec?: { domains?: string[] } }>(path(CLOUD_RESOURCES.managedCertificates, { namespace: ns })), true);
  for (const m of managed) {
    const source = `ManagedCertificate ${m.metadata?.namespace}/${m.metadata?.name}`;
    // Google-managed certificates come from Google Trust Services or Let's Encrypt.
    for (const d of m.spec?.domains ?? []) out.push({ match: 'Google Trust Services', source, domain: d }, { match: "Let's Encrypt", source, domain: d });
  }
  return out;
}
