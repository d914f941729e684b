// `doctor`: gathers what to check (Secrets, live endpoints, a client CA bundle), runs the check
// registry over it and returns a report. No printing, no exit codes: the command decides those.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { TlsError, ExitCode, InvalidInputError, UsageError } from '../core/errors.js';
import type { KubeClient, KubeObject } from '../core/kube/client.js';
import { isForbidden } from '../core/kube/client.js';
import type { CertificateWalk } from '../core/cert-manager/walk.js';
import { blockedSubject, certificateWalks, forbiddenAccess, planClusterSubjects } from './doctor-cluster.js';
import { planCloudSubjects } from './doctor-cloud.js';
import { ctPlanner, type CtOptions, type CtPlan } from './doctor-ct.js';
import { path, R } from '../core/kube/paths.js';
import { allChecks } from '../core/checks/registry.js';
import { failed, runChecks, runUntilClean, summarize, systemClock, type CheckDefinition, type CheckResult, type Clock, type FailOn, type Subject, type Summary } from '../core/checks/framework.js';
import { endpointSubject, formatAddress, memo, parseSecretMaterial, secretSubject, type CheckSettings, type EndpointMode, type EndpointSubject } from '../core/checks/subjects.js';
import type { EndpointAddress } from '../core/tls/handshake.js';
import { scanEndpoint, type ScanOptions, type ScanResult } from '../core/tls/scan.js';
import { gradeEndpoint, type GradeResult } from '../core/tls/grade.js';
import { storeFromPem, chainComplete, findAnchor, systemStore, type TrustStore } from '../core/x509/evaluate.js';
import { coversName, type CertFacts } from '../core/x509/certificate.js';
import { tlsSecretInventory, type InventoryRow } from '../core/inventory/tls-secrets.js';
import type { ProfileName } from '../core/tls/mozilla.js';

export interface DoctorOptions {
  /** Opened only when something needs the cluster (endpoint-only runs work without a kubeconfig). */
  kube: () => Promise<KubeClient>;
  namespace?: string | undefined;
  allNamespaces?: boolean;
  endpoints?: string[];
  certificate?: string | undefined;
  ingress?: string | undefined;
  secret?: string | undefined;
  target?: string | undefined;
  days?: number;
  profile?: ProfileName;
  caBundleFile?: string | undefined;
  waitMs?: number;
  failOn?: FailOn;
  clock?: Clock;
  /** Replaceable for tests; defaults to a real scan. */
  scan?: (address: EndpointAddress, options: ScanOptions) => Promise<ScanResult>;
  checks?: CheckDefinition<Subject>[];
  onProgress?: (message: string) => void;
  /** --ct DOMAIN…: what Certificate Transparency logs show (CT1xx); the search answers once per run. */
  ct?: CtOptions | undefined;
}

export interface EndpointSummary {
  endpoint: string;
  mode: EndpointMode;
  reachable: boolean;
  grade: GradeResult | null;
  protocols: Record<string, boolean>;
  ciphers: Array<{ version: string; name: string; preferred: boolean }>;
  groups: Array<{ version: string; name: string }>;
  alpn: string | false;
  scanMs: number;
}

export interface DoctorReport {
  kind: 'doctor';
  success: boolean;
  failOn: FailOn;
  summary: Summary;
  subjects: Array<Pick<Subject, 'id' | 'kind' | 'objects'>>;
  results: CheckResult[];
  endpoints: EndpointSummary[];
  attempts: number;
  timedOut: boolean;
  notes: string[];
  /** What RBAC kept doctor from reading among the subjects asked about ("list secrets in namespace shop"); the command exits 5 when nothing else failed. */
  forbidden?: string[];
  /** --certificate: the Certificate's walk (Certificate → CertificateRequest → Order → Challenge). */
  certificates?: CertificateWalk[];
}

export interface InventoryReport {
  kind: 'inventory';
  scope: string;
  count: number;
  secrets: InventoryRow[];
}

/** Parses `[grpc://|https://|tls://]HOST[:PORT][/SNI]`; IPv6 hosts in brackets. */
export function parseEndpoint(spec: string): { address: EndpointAddress; mode: EndpointMode } {
  const m = /^(?:(grpc|https|tls):\/\/)?(\[[^\]\s]+\]|[^:/[\]\s]+)(?::(\d{1,5}))?(?:\/([^/\s]+))?$/.exec(spec.trim());
  if (!m) throw new UsageError(`--endpoint "${spec}" is not HOST:PORT[/SNI]`, { hint: 'for example --endpoint 127.0.0.1:8443/app.example.com or --endpoint grpc://vibectl.example.com:443' });
  const port = m[3] ? Number(m[3]) : 443;
  if (port < 1 || port > 65535) throw new UsageError(`--endpoint "${spec}": port ${port} is out of range`);
  const address: EndpointAddress = { host: m[2]!.replace(/^\[|\]$/g, ''), port };
  if (m[4]) address.servername = m[4];
  return { address, mode: (m[1] as EndpointMode | undefined) ?? 'https' };
}

/**
 * The bundle clients are given: a PEM file, or from the cluster `configmap/NAME[:KEY]` or
 * `bundle/NAME` (trust-manager writes a Bundle to a ConfigMap of the same name in each namespace).
 */
async function loadClientBundle(spec: string, options: DoctorOptions): Promise<TrustStore> {
  // A file that exists wins over the cluster forms, so ./configmap/x.pem still reads the file.
  const m = existsSync(spec) ? null : /^(configmap|cm|bundle)\/([a-z0-9.-]+)(?::(.+))?$/.exec(spec);
  if (!m) {
    const data = await readFile(spec).catch((err: NodeJS.ErrnoException) => {
      throw new InvalidInputError(`cannot read --ca-bundle ${spec}: ${err.code ?? err.message}`, {
        hint: 'pass a PEM file with the CA certificates clients trust, or configmap/NAME[:KEY] or bundle/NAME',
      });
    });
    return storeFromPem(`--ca-bundle ${spec}`, data);
  }
  const kube = await options.kube();
  const ns = options.namespace ?? kube.target.namespace;
  const [, kind, name, explicitKey] = m;
  let key = explicitKey;
  if (kind === 'bundle') {
    const bundle = await kube.get<KubeObject & { spec?: { target?: { configMap?: { key?: string } } } }>(`/apis/trust.cert-manager.io/v1alpha1/bundles/${encodeURIComponent(name!)}`);
    if (!bundle) throw couldNotRun(`trust-manager Bundle ${name} does not exist (or trust-manager is not installed)`, 'check the name: kubectl get bundles');
    key ??= bundle.spec?.target?.configMap?.key;
    if (!key) throw couldNotRun(`Bundle ${name} has no spec.target.configMap.key`, 'give the Bundle a ConfigMap target, or pass configmap/NAME:KEY');
  }
  const cm = await kube.get<KubeObject & { data?: Record<string, string> }>(path(R.configmaps, { namespace: ns, name }));
  if (!cm) throw couldNotRun(`ConfigMap ${ns}/${name} does not exist${kind === 'bundle' ? ' (trust-manager has not synced the Bundle to this namespace)' : ''}`, `check the namespace (-n) and name: kubectl get configmap -n ${ns}`);
  const data = cm.data ?? {};
  key ??= Object.keys(data).find((k) => /\.(pem|crt)$/.test(k) && data[k]?.includes('BEGIN CERTIFICATE'));
  const pem = key === undefined ? undefined : data[key];
  if (!pem) throw couldNotRun(`ConfigMap ${ns}/${name} has no ${key ? `key ${key}` : 'PEM key (*.pem, *.crt)'}`, `name the key: --ca-bundle configmap/${name}:KEY`);
  return storeFromPem(`${kind === 'bundle' ? `Bundle ${name} → ` : ''}ConfigMap ${ns}/${name}[${key}]`, pem);
}

function couldNotRun(message: string, hint: string): TlsError {
  return new TlsError('could-not-run', ExitCode.CouldNotRun, message, { hint });
}

interface Plan {
  subjects: Subject[];
  notes: string[];
  endpoints: EndpointSubject[];
}

type SecretObject = KubeObject & { type?: string; data?: Record<string, string> };

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const clock = options.clock ?? systemClock;
  const failOn = options.failOn ?? 'error';
  const checks = options.checks ?? allChecks();
  const settings: CheckSettings = { days: options.days ?? 30, profile: options.profile ?? 'intermediate' };
  const clientBundle = options.caBundleFile ? await loadClientBundle(options.caBundleFile, options) : undefined;
  // Asked once, also under --wait: the CT search is slow and rate-limited.
  const ct = options.ct?.domains.length
    ? ctPlanner({ ct: options.ct, days: settings.days, kube: options.kube, namespace: options.namespace, allNamespaces: options.allNamespaces, onProgress: options.onProgress })
    : undefined;
  const attempt = async (): Promise<{ plan: Plan; results: CheckResult[] }> => {
    const plan = await planSubjects(options, settings, clientBundle, ct);
    options.onProgress?.(`checking ${plan.subjects.length} subject(s)`);
    const results = await runChecks({ checks, subjects: plan.subjects, clock, concurrency: 4 });
    return { plan, results };
  };
  const run = await runUntilClean({
    attempt,
    isClean: (v) => !failed(v.results, failOn),
    waitMs: options.waitMs ?? 0,
    clock,
    onRetry: (v, n) => options.onProgress?.(`attempt ${n}: ${summarize(v.results).error} error(s), ${summarize(v.results).warning} warning(s); checking again`),
  });
  const { plan, results } = run.value;
  const endpoints = await Promise.all(plan.endpoints.map((e) => summarizeEndpoint(e, clock.now())));
  return {
    kind: 'doctor',
    success: !failed(results, failOn),
    failOn,
    summary: summarize(results),
    subjects: plan.subjects.map((s) => ({ id: s.id, kind: s.kind, objects: s.objects })),
    results,
    endpoints,
    attempts: run.attempts,
    timedOut: run.timedOut,
    notes: plan.notes,
    forbidden: forbiddenAccess(results, plan.subjects),
    ...(options.certificate ? { certificates: await certificateWalks(plan.subjects) } : {}),
  };
}

async function summarizeEndpoint(e: EndpointSubject, now: Date): Promise<EndpointSummary> {
  const scan = await e.scan();
  const chain = scan.reachable ? await e.served() : [];
  const stores = e.trustStores();
  const leaf = chain[0];
  return {
    endpoint: formatAddress(e.address),
    mode: e.mode,
    reachable: scan.reachable && !scan.error,
    grade: scan.reachable && leaf
      ? gradeEndpoint({ scan, chain, now, trusted: findAnchor(chain, stores) !== undefined, chainComplete: chainComplete(chain, stores).complete, hostnameMatches: coversName(leaf, e.hostname) })
      : null,
    protocols: scan.protocols,
    ciphers: scan.ciphers.map((c) => ({ version: c.version, name: c.name, preferred: c.preferred })),
    groups: scan.groups,
    alpn: scan.alpn,
    scanMs: Math.round(scan.durationMs),
  };
}

async function planSubjects(options: DoctorOptions, settings: CheckSettings, clientBundle: TrustStore | undefined, ct?: () => Promise<CtPlan>): Promise<Plan> {
  const subjects: Subject[] = [];
  const endpoints: EndpointSubject[] = [];
  const notes: string[] = [];
  // CT first: an unanswered search (exit 7) should not wait behind a slow cluster walk.
  const ctPlan = ct ? await ct() : undefined;
  const withCt = (p: Plan): Plan => (ctPlan ? { ...p, subjects: [...p.subjects, ...ctPlan.subjects], notes: [...p.notes, ...ctPlan.notes] } : p);
  const scan = options.scan ?? scanEndpoint;
  const systemRoots = memo(systemStore);
  const addEndpoint = (spec: { address: EndpointAddress; mode: EndpointMode }, extra: { expectedChain?: CertFacts[]; objects?: Subject['objects'] } = {}) => {
    const e = endpointSubject({
      address: spec.address,
      mode: spec.mode,
      settings,
      systemRoots,
      ...(clientBundle ? { clientBundle } : {}),
      ...extra,
      scan: () => scan(spec.address, { http: spec.mode !== 'grpc', ...(spec.address.port === 443 ? { redirectPort: 80 } : {}) }),
    });
    subjects.push(e);
    endpoints.push(e);
  };
  for (const spec of options.endpoints ?? []) addEndpoint(parseEndpoint(spec));

  const scoped = Boolean(options.secret || options.certificate || options.ingress || options.target);
  // --endpoint and --ct alone ask nothing of the cluster's Secrets.
  const wantsCluster = scoped || ((options.endpoints ?? []).length === 0 && !ctPlan);
  if (!wantsCluster) return withCt({ subjects, notes, endpoints });

  const kube = await options.kube();
  const ns = options.namespace ?? kube.target.namespace;
  const getSecret = async (namespace: string, name: string, what: string): Promise<SecretObject> => {
    const s = await kube.get<SecretObject>(path(R.secrets, { namespace, name }));
    if (!s) throw couldNotRun(`Secret ${namespace}/${name} (${what}) does not exist`, `check the name, or list TLS Secrets with \`kubectl vibectl-tls doctor --inventory -n ${namespace}\``);
    return s;
  };
  const addSecret = (s: SecretObject, extra: { expectedNames?: string[]; objects?: Subject['objects'] } = {}) => {
    const md = s.metadata ?? {};
    const subject = secretSubject({ namespace: md.namespace ?? ns, name: md.name ?? '', type: s.type ?? '', data: s.data ?? {}, settings, systemRoots, ...extra });
    if (!subjects.some((x) => x.id === subject.id)) subjects.push(subject);
    return subject;
  };

  if (options.secret) addSecret(await getSecret(ns, options.secret, '--secret'));

  let certificateObject: KubeObject | undefined;
  let ingressObject: KubeObject | undefined;
  const secretOrBlocked = (namespace: string, name: string): Promise<SecretObject | null | undefined> =>
    kube.get<SecretObject>(path(R.secrets, { namespace, name })).catch((err: unknown) => {
      if (!isForbidden(err)) throw err;
      subjects.push(blockedSubject('secret', `secret ${namespace}/${name}`, [{ kind: 'Secret', namespace, name }], `get secrets in namespace ${namespace}`));
      return undefined;
    });

  if (options.certificate) {
    const cert = await kube.get<KubeObject & { spec?: { secretName?: string; dnsNames?: string[]; ipAddresses?: string[] } }>(path(R.certificates, { namespace: ns, name: options.certificate }));
    if (!cert) throw couldNotRun(`Certificate ${ns}/${options.certificate} does not exist (or cert-manager is not installed)`, 'check the name and namespace: kubectl get certificates -n ' + ns);
    certificateObject = cert;
    const secretName = cert.spec?.secretName;
    if (!secretName) throw couldNotRun(`Certificate ${ns}/${options.certificate} has no spec.secretName`, 'set spec.secretName on the Certificate');
    const s = await secretOrBlocked(ns, secretName);
    if (s) addSecret(s, { expectedNames: [...(cert.spec?.dnsNames ?? []), ...(cert.spec?.ipAddresses ?? [])], objects: [{ kind: 'Certificate', namespace: ns, name: options.certificate }] });
    else if (s === null) notes.push(`Secret ${ns}/${secretName} of Certificate ${options.certificate} does not exist yet; cert-manager has not issued it`);
  }

  if (options.ingress) {
    const ing = await kube.get<KubeObject & { spec?: { tls?: Array<{ hosts?: string[]; secretName?: string }> }; status?: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } } }>(
      path(R.ingresses, { namespace: ns, name: options.ingress }),
    );
    if (!ing) throw couldNotRun(`Ingress ${ns}/${options.ingress} does not exist`, `check the name and namespace: kubectl get ingress -n ${ns}`);
    ingressObject = ing;
    const lb = ing.status?.loadBalancer?.ingress?.[0];
    const lbHost = lb?.ip ?? lb?.hostname;
    const ref = { kind: 'Ingress', namespace: ns, name: options.ingress };
    if (!ing.spec?.tls?.length) notes.push(`Ingress ${ns}/${options.ingress} has no spec.tls: it serves no certificate of its own`);
    for (const t of ing.spec?.tls ?? []) {
      let chain: CertFacts[] | undefined;
      if (t.secretName) {
        const s = await secretOrBlocked(ns, t.secretName);
        if (s) {
          addSecret(s, { expectedNames: t.hosts ?? [], objects: [ref] });
          chain = parseSecretMaterial(s.data ?? {}).chain;
        } else if (s === null) notes.push(`Ingress ${options.ingress}: Secret ${ns}/${t.secretName} does not exist; the controller serves its default certificate`);
      }
      if (!lbHost) continue;
      for (const host of t.hosts ?? []) addEndpoint({ address: { host: lbHost, port: 443, servername: host }, mode: 'https' }, { ...(chain ? { expectedChain: chain } : {}), objects: [ref] });
    }
    if (!lbHost && ing.spec?.tls?.length) notes.push(`Ingress ${ns}/${options.ingress} has no load-balancer address yet; endpoint checks skipped (pass --endpoint to scan it directly)`);
  }

  if (options.target) await addTarget({ kube, ns, target: options.target, addSecret, addEndpoint, notes });

  if (!scoped || options.certificate || options.ingress) {
    // The cluster, cert-manager and its Certificates, Ingresses and Gateways: checked first.
    subjects.unshift(...(await planClusterSubjects({ kube, namespace: ns, allNamespaces: Boolean(options.allNamespaces), certificate: certificateObject, ingress: ingressObject, everything: !scoped })));
  }

  if (!scoped || options.ingress) {
    // Cloud certificate paths (AWS ALB, GKE managed certificates, Azure Key Vault): CLD1xx.
    const cloud = await planCloudSubjects({ kube, namespace: ns, allNamespaces: Boolean(options.allNamespaces), ingress: options.ingress });
    subjects.push(...cloud.subjects);
    notes.push(...cloud.notes);
  }

  if (!scoped) {
    const namespace = options.allNamespaces ? undefined : ns;
    try {
      for await (const page of kube.listPages<SecretObject>(path(R.secrets, { namespace }), { limit: 250, query: { fieldSelector: 'type=kubernetes.io/tls' } })) {
        for (const s of page) addSecret(s);
      }
    } catch (err) {
      // RBAC: the Secret checks are skipped and say which verb and resource was refused.
      if (!isForbidden(err)) throw err;
      const where = namespace ? `namespace ${namespace}` : 'all namespaces';
      subjects.push(blockedSubject('secret', `secrets in ${where}`, [{ kind: 'Secret', name: '*', ...(namespace ? { namespace } : {}) }], `list secrets ${namespace ? `in namespace ${namespace}` : '(cluster-wide)'}`));
    }
  }
  if (subjects.filter((s) => s.kind !== 'cluster').length === 0)
    throw couldNotRun(
      `nothing to check: no kubernetes.io/tls Secrets ${options.allNamespaces ? 'in any namespace' : `in namespace ${ns}`} and no --endpoint`,
      'pass --endpoint HOST:PORT, --secret NAME, --ingress NAME, or -A to look in every namespace',
    );
  return withCt({ subjects, notes, endpoints });
}

interface TargetContext {
  kube: KubeClient;
  ns: string;
  target: string;
  addSecret: (s: SecretObject, extra?: { expectedNames?: string[]; objects?: Subject['objects'] }) => unknown;
  addEndpoint: (spec: { address: EndpointAddress; mode: EndpointMode }, extra?: { objects?: Subject['objects'] }) => void;
  notes: string[];
}

/** --target KIND/NAME: the TLS Secrets a workload mounts, or the TLS ports a Service exposes. */
async function addTarget(c: TargetContext): Promise<void> {
  const [kindRaw, name] = c.target.split('/');
  const kind = (kindRaw ?? '').toLowerCase();
  if (!name) throw new UsageError(`--target "${c.target}" is not KIND/NAME`, { hint: 'for example --target deployment/vibectl-server or --target service/app' });
  const ref = { kind: kindRaw!, namespace: c.ns, name };
  const grpc = name.includes('vibectl-server');
  const workloads: Record<string, (typeof R)[keyof typeof R]> = { deployment: R.deployments, deploy: R.deployments, statefulset: R.statefulsets, sts: R.statefulsets };
  if (kind in workloads) {
    const w = await c.kube.get<KubeObject & { spec?: { template?: { spec?: { volumes?: Array<{ secret?: { secretName?: string } }> } } } }>(path(workloads[kind]!, { namespace: c.ns, name }));
    if (!w) throw couldNotRun(`${kindRaw}/${name} does not exist in namespace ${c.ns}`, `check the name: kubectl get ${kind} -n ${c.ns}`);
    const names = (w.spec?.template?.spec?.volumes ?? []).map((v) => v.secret?.secretName).filter((n): n is string => Boolean(n));
    for (const n of names) {
      const s = await c.kube.get<SecretObject>(path(R.secrets, { namespace: c.ns, name: n }));
      if (s?.type === 'kubernetes.io/tls') c.addSecret(s, { objects: [ref] });
      else if (!s) c.notes.push(`${kindRaw}/${name} mounts Secret ${n}, which does not exist`);
    }
    if (!names.length) c.notes.push(`${kindRaw}/${name} mounts no Secrets`);
    return;
  }
  if (kind === 'service' || kind === 'svc') {
    const svc = await c.kube.get<KubeObject & { spec?: { ports?: Array<{ port: number; name?: string }> }; status?: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } } }>(
      path(R.services, { namespace: c.ns, name }),
    );
    if (!svc) throw couldNotRun(`service/${name} does not exist in namespace ${c.ns}`, `check the name: kubectl get svc -n ${c.ns}`);
    const lb = svc.status?.loadBalancer?.ingress?.[0];
    const host = lb?.ip ?? lb?.hostname;
    if (!host) {
      c.notes.push(`service/${name} has no load-balancer address; scan it with --endpoint (e.g. after kubectl port-forward)`);
      return;
    }
    for (const p of svc.spec?.ports ?? []) {
      if (p.port === 80) continue;
      c.addEndpoint({ address: { host, port: p.port }, mode: grpc || p.name?.includes('grpc') ? 'grpc' : 'https' }, { objects: [ref] });
    }
    return;
  }
  throw new UsageError(`--target kind "${kindRaw}" is not supported`, { hint: 'use deployment/NAME, statefulset/NAME or service/NAME' });
}

export interface InventoryOptions {
  kube: () => Promise<KubeClient>;
  namespace?: string | undefined;
  allNamespaces?: boolean;
  now?: Date;
}

export async function runInventory(options: InventoryOptions): Promise<InventoryReport> {
  const kube = await options.kube();
  const namespace = options.allNamespaces ? undefined : (options.namespace ?? kube.target.namespace);
  const secrets = await tlsSecretInventory({ kube, namespace, now: options.now ?? new Date() });
  return { kind: 'inventory', scope: namespace === undefined ? 'all namespaces' : `namespace ${namespace}`, count: secrets.length, secrets };
}

/** What doctor reads, as a ClusterRole (read-only; Secrets are read to check their contents). */
export function doctorRbac(): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'vibectl-tls-doctor' },
    rules: [
      { apiGroups: [''], resources: ['secrets', 'services', 'configmaps', 'namespaces', 'events'], verbs: ['get', 'list'] },
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['get', 'list'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingressclasses'], verbs: ['get', 'list'] },
      { apiGroups: ['gateway.networking.k8s.io'], resources: ['gateways'], verbs: ['get', 'list'] },
      { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get'] },
      { apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], verbs: ['list'] },
      { apiGroups: ['cert-manager.io'], resources: ['certificates', 'certificaterequests', 'issuers', 'clusterissuers'], verbs: ['get', 'list'] },
      { apiGroups: ['acme.cert-manager.io'], resources: ['orders', 'challenges'], verbs: ['get', 'list'] },
      { apiGroups: ['trust.cert-manager.io'], resources: ['bundles'], verbs: ['get', 'list'] },
      // Cloud paths (CLD1xx): the region from Nodes, Pods mounting Key Vault CSI volumes, the cloud CRDs.
      { apiGroups: [''], resources: ['nodes', 'pods'], verbs: ['list'] },
      { apiGroups: ['networking.gke.io'], resources: ['managedcertificates', 'frontendconfigs'], verbs: ['get', 'list'] },
      { apiGroups: ['secrets-store.csi.x-k8s.io'], resources: ['secretproviderclasses'], verbs: ['get', 'list'] },
      { apiGroups: ['elbv2.k8s.aws'], resources: ['ingressclassparams'], verbs: ['get'] },
    ],
  };
}
