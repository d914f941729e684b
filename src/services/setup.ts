// setup: from complete answers (wizard or flags) to a plan — every object to create or patch with
// its diff against the cluster, every local file — and the tasks that carry it out. Planning writes
// nothing; applying runs the tasks in order and the same answers a second time change nothing.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { KubeClient, KubeObject } from '../core/kube/client.js';
import { path, R } from '../core/kube/paths.js';
import { applyPlan, offlinePlan, type PlanResult, type PlannedChange } from '../core/kube/apply-plan.js';
import type { SetupAnswers, SetupFacts } from '../core/setup/answers.js';
import { isAcme } from '../core/setup/answers.js';
import { reproduceCommand } from '../core/setup/flags.js';
import type { ClusterFacts } from '../core/cluster/facts.js';
import { InvalidInputError, UnauthorizedError, UsageError } from '../core/errors.js';
import { planCertManager, type CertManagerOptions, type PlanFile } from './cert-manager.js';
import type { SolverInput } from '../core/manifests/cert-manager/issuer.js';
import { parseGatewayRef } from '../core/manifests/cert-manager/solvers/http01.js';
import type { Dns01Input } from '../core/manifests/cert-manager/solvers/dns01/index.js';
import { albIngress } from '../core/manifests/cloud/eks.js';
import { gkeManagedCertificate } from '../core/manifests/cloud/gke.js';
import { secretProviderClass } from '../core/manifests/cloud/aks.js';
import { DEFAULT_TRUST_NAME, trustBundle, trustConfigMap } from '../core/manifests/trust-manager.js';
import { tlsSecret } from '../core/pki/manifests.js';
import { LocalCaStore, defaultCaDir } from '../core/pki/ca-store.js';
import { readCa } from '../core/pki/ca-state.js';
import { initCa, issueCertificates } from './ca.js';
import { planHardening } from './setup-hardening.js';
import { vibectlServerHsts } from '../core/manifests/hardening/vibectl-server.js';
import { DEFAULT_RENEW_IMAGE, renewCronJob } from '../core/manifests/renew-cronjob.js';
import { assertChainMatchesKey, parseTarget, wireSecretIntoWorkload } from './ca-deliver.js';

/** Provider settings that are not secret (from flags). */
export interface DnsSettings {
  /** Resolver used to find the zone's authoritative servers for the self-check (default: the system's). */
  dnsResolver?: string | undefined;
  rfc2136Server?: string | undefined;
  tsigKeyName?: string | undefined;
  tsigAlgorithm?: 'hmac-sha256' | 'hmac-sha512' | undefined;
  route53HostedZoneId?: string | undefined;
  awsRegion?: string | undefined;
  gcpProject?: string | undefined;
  azureSubscriptionId?: string | undefined;
  azureResourceGroup?: string | undefined;
  azureZone?: string | undefined;
}

/** Secret inputs, read from files or the environment by the command, never from flag values. */
export interface SetupSecrets {
  eabHmacKey?: string | undefined;
  tsigSecret?: string | undefined;
  cloudflareApiToken?: string | undefined;
  acmeCaBundlePem?: string | undefined;
}

export interface SetupOptions {
  /** Complete answers: fillDefaults applied and nothing required missing. */
  answers: SetupAnswers;
  namespace: string;
  dns?: DnsSettings;
  secrets?: SetupSecrets;
  /** The files the secrets came from (the built-in ACME client reads them itself). */
  secretFiles?: { [K in keyof SetupSecrets]?: string | undefined };
  context?: string | undefined;
  /** Name of the cert-manager ClusterIssuer to create (default from the issuer choice). */
  issuerName?: string | undefined;
  /** For the cloud paths: the service the Ingress sends traffic to. */
  service?: { name: string; port: number } | undefined;
  gcpSslPolicy?: string | undefined;
  azure?: { tenantId: string; clientId: string } | undefined;
  /** Image of the renewal CronJob (built-in ACME path). */
  renewImage?: string | undefined;
  now?: () => Date;
}

export interface SetupStep {
  id: string;
  title: string;
  /** Object changes, compared with the cluster where there is one. */
  changes: PlannedChange[];
  /** Local effects (files written, keys created), in words. */
  local: string[];
}

export interface SetupPlan {
  answers: SetupAnswers;
  namespace: string;
  steps: SetupStep[];
  /** Every object the plan would apply, for `--dry-run -o yaml`. */
  objects: KubeObject[];
  files: PlanFile[];
  notes: string[];
  /** True when the plan was compared with a live cluster. */
  compared: boolean;
  /** Nothing to do: a second run of the same setup. */
  upToDate: boolean;
  /** The non-interactive command that reproduces this run. */
  command: string;
}

export interface SetupTask {
  title: string;
  run: () => Promise<string | void>;
}

export interface SetupRun {
  plan: SetupPlan;
  tasks: SetupTask[];
  /** What doctor should check afterwards. */
  verify: { secret?: { namespace: string; name: string } | undefined; certificate?: string | undefined };
}

/** Flattens `context`'s facts into what the decision tree needs, plus the header the wizard shows. */
export async function setupFacts(facts: ClusterFacts, kube: KubeClient | undefined): Promise<{ facts: SetupFacts; header: Array<[string, string]> }> {
  const known = <T,>(f: { known: true; value: T } | { known: false; reason: string }): T | null => (f.known ? f.value : null);
  const cm = known(facts.certManager);
  const targets: SetupFacts['targets'] = (known(facts.vibectlServers) ?? []).filter((w) => w.namespace === facts.namespace).map((w) => ({ ref: `${w.kind.toLowerCase()}/${w.name}`, why: `vibectl-server, ${w.why}` }));
  if (kube) {
    try {
      const deps = await kube.list(path(R.deployments, { namespace: facts.namespace }), { limit: 200 });
      for (const d of deps) {
        const ref = `deployment/${d.metadata?.name ?? ''}`;
        if (!targets.some((t) => t.ref === ref)) targets.push({ ref, why: 'deployment in this namespace' });
      }
    } catch {
      // candidates are a convenience; --target still works without list permission
    }
  }
  const setup: SetupFacts = {
    certManager: cm ? { installed: cm.installed, version: cm.version } : null,
    trustManager: facts.trustManager.known ? facts.trustManager.value.installed : null,
    ingressClasses: known(facts.ingressClasses)?.names ?? [],
    defaultIngressClass: known(facts.ingressClasses)?.default,
    gatewayApi: known(facts.gatewayApi)?.installed ?? false,
    gateways: [],
    cloud: known(facts.cloudProvider)?.provider ?? null,
    targets,
  };
  const header: Array<[string, string]> = [
    ['context', `${facts.context} (${facts.server})`],
    ['namespace', facts.namespace],
    ['kubernetes', facts.kubernetesVersion.known ? facts.kubernetesVersion.value : 'unknown'],
    ['cert-manager', cm ? (cm.installed ? `installed${cm.version ? ` ${cm.version}` : ''}` : 'not installed') : 'unknown'],
    ['trust-manager', setup.trustManager === null ? 'unknown' : setup.trustManager ? 'installed' : 'not installed'],
    ['ingress', setup.ingressClasses.length ? setup.ingressClasses.join(', ') : 'no IngressClass'],
    ['Gateway API', setup.gatewayApi ? `yes (${(known(facts.gatewayApi)?.gatewayClasses ?? []).join(', ') || 'no classes'})` : 'no'],
    ['cloud', setup.cloud ?? 'unknown'],
    ['targets', targets.length ? targets.map((t) => t.ref).join(', ') : 'none found'],
  ];
  return { facts: setup, header };
}

/** Builds the plan and its tasks. With `kube` undefined the plan is offline: objects only, nothing compared. */
export async function planSetup(kube: KubeClient | undefined, o: SetupOptions): Promise<SetupRun> {
  const a = o.answers;
  if (a.issuer === 'cloud') return finish(o, await planCloud(kube, o));
  if (a.issuer === 'private-ca' && a.via === 'built-in') return finish(o, await planPrivateCaBuiltIn(kube, o));
  if (isAcme(a) && a.via === 'built-in') return finish(o, await planAcmeBuiltIn(kube, o));
  return finish(o, await planViaCertManager(kube, o));
}

interface Partial {
  steps: SetupStep[];
  objects: KubeObject[];
  files: PlanFile[];
  notes: string[];
  compared: boolean;
  tasks: SetupTask[];
  verify: SetupRun['verify'];
}

function finish(o: SetupOptions, p: Partial): SetupRun {
  const upToDate = p.compared && p.steps.every((s) => s.changes.every((c) => c.action === 'unchanged') && s.local.length === 0);
  return {
    plan: {
      answers: o.answers,
      namespace: o.namespace,
      steps: p.steps,
      objects: p.objects,
      files: p.files,
      notes: p.notes,
      compared: p.compared,
      upToDate,
      command: reproduceCommand(o.answers, { namespace: o.namespace, context: o.context }),
    },
    tasks: upToDate ? [] : p.tasks,
    verify: p.verify,
  };
}

async function compare(kube: KubeClient | undefined, objects: KubeObject[]): Promise<PlanResult> {
  return kube ? applyPlan(kube, { objects }, { dryRun: true }) : offlinePlan({ objects });
}

function requireKube(kube: KubeClient | undefined): KubeClient {
  if (!kube) throw new UsageError('applying needs a cluster', { hint: 'pass --dry-run to print the plan without one' });
  return kube;
}

interface Permission {
  verb: string;
  resource: string;
  group?: string | undefined;
  namespace?: string | undefined;
}

/** SelfSubjectAccessReviews for everything a plan will do; one error naming every missing right. */
async function preflight(kube: KubeClient, needs: Permission[]): Promise<void> {
  const missing: string[] = [];
  for (const n of needs) {
    if (!(await kube.can(n))) missing.push(`${n.verb} ${n.group ? `${n.resource}.${n.group}` : n.resource}${n.namespace ? ` in namespace ${n.namespace}` : ''}`);
  }
  if (missing.length > 0) {
    throw new UnauthorizedError(`forbidden: setup needs ${missing.join(', ')}; nothing was changed`, { hint: 'ask for these rights (kubectl vibectl-tls setup --print-rbac prints the ClusterRole), or run with a context that has them' });
  }
}

// ------------------------------------------------------------------------------ cert-manager

const ISSUER_NAMES: Record<string, string> = {
  letsencrypt: 'letsencrypt',
  'letsencrypt-staging': 'letsencrypt-staging',
  zerossl: 'zerossl',
  google: 'google-trust-services',
  acme: 'acme',
  'private-ca': 'vibectl-tls-ca',
  'selfsigned-bootstrap': 'vibectl-tls-ca',
};

function solverFor(a: SetupAnswers, o: SetupOptions): SolverInput {
  if (a.challenge === 'http01') {
    if ((a.domains ?? []).some((d) => d.startsWith('*.'))) throw new InvalidInputError('wildcard names can only be validated with DNS-01', { hint: 'pass --challenge dns01 --dns-provider …' });
    if (a.gateway) return { type: 'http01', via: 'gateway', gateway: parseGatewayRef(a.gateway) };
    if (!a.ingressClass) throw new UsageError('HTTP-01 needs an ingress class or a Gateway', { hint: 'pass --ingress-class NAME or --gateway NS/NAME' });
    return { type: 'http01', via: 'ingress', ingressClassName: a.ingressClass };
  }
  return { type: 'dns01', ...dnsInput(a, o) };
}

function dnsInput(a: SetupAnswers, o: SetupOptions): Dns01Input {
  const d = o.dns ?? {};
  const s = o.secrets ?? {};
  const need = (v: string | undefined, flag: string): string => {
    if (!v) throw new UsageError(`DNS-01 with ${a.dnsProvider} needs ${flag}`, { hint: `pass ${flag}` });
    return v;
  };
  switch (a.dnsProvider) {
    case 'rfc2136':
      return { provider: 'rfc2136', nameserver: need(d.rfc2136Server, '--rfc2136-server HOST:PORT'), tsigKeyName: d.tsigKeyName, tsigAlgorithm: d.tsigAlgorithm, tsigSecret: s.tsigSecret };
    case 'route53':
      return { provider: 'route53', region: need(d.awsRegion, '--aws-region R'), hostedZoneId: d.route53HostedZoneId };
    case 'cloudflare':
      return { provider: 'cloudflare', apiToken: need(s.cloudflareApiToken, '--cloudflare-api-token-file FILE') };
    case 'clouddns':
      return { provider: 'clouddns', project: need(d.gcpProject, '--gcp-project P') };
    case 'azuredns':
      return {
        provider: 'azuredns',
        subscriptionId: need(d.azureSubscriptionId, '--azure-subscription-id S'),
        resourceGroup: need(d.azureResourceGroup, '--azure-resource-group G'),
        hostedZoneName: need(d.azureZone, '--azure-zone Z'),
      };
    default:
      throw new UsageError('DNS-01 needs a DNS provider', { hint: 'pass --dns-provider rfc2136|route53|cloudflare|clouddns|azuredns' });
  }
}

async function certManagerOptions(o: SetupOptions): Promise<CertManagerOptions> {
  const a = o.answers;
  const name = o.issuerName ?? ISSUER_NAMES[a.issuer ?? ''] ?? 'vibectl-tls';
  const certificate = {
    name: a.secretName!,
    namespace: o.namespace,
    secretName: a.secretName!,
    dnsNames: a.domains ?? [],
    keyAlgorithm: a.keyAlgorithm ?? 'ecdsa-p256',
    component: name,
  };
  const alerts = { via: 'auto' as const, namespace: o.namespace };
  if (isAcme(a)) {
    if (!a.email) throw new UsageError('an ACME account needs a contact email', { hint: 'pass --email ADDR' });
    const eab = a.eabKid ? { keyId: a.eabKid, hmacKey: o.secrets?.eabHmacKey ?? '' } : undefined;
    if (eab && !eab.hmacKey) throw new UsageError(`EAB key ${a.eabKid} has no HMAC key`, { hint: 'pass --eab-hmac-key-file FILE' });
    return {
      issuer: {
        type: 'acme',
        kind: 'ClusterIssuer',
        name,
        server: a.issuer === 'acme' ? a.acmeServer! : a.issuer!,
        email: a.email,
        eab,
        caBundlePem: o.secrets?.acmeCaBundlePem,
        profile: a.acmeProfile,
        solvers: [solverFor(a, o)],
      },
      certificate,
      alerts,
    };
  }
  if (a.issuer === 'selfsigned-bootstrap') {
    return {
      issuer: { type: 'selfsigned-bootstrap', kind: 'ClusterIssuer', name, caCommonName: `${name} CA`, keyAlgorithm: a.keyAlgorithm ?? 'ecdsa-p256' },
      certificate,
      alerts,
    };
  }
  // Private CA renewed by cert-manager: the intermediate (never the root) goes into a Secret.
  const store = new LocalCaStore({ dir: a.caDir ?? defaultCaDir() });
  if (!(await store.exists())) {
    throw new UsageError(`no CA in ${store.location} to hand to cert-manager`, { hint: `create it first: kubectl vibectl-tls ca init --ca-dir ${a.caDir ?? defaultCaDir()}` });
  }
  const ca = await readCa(store);
  const keyPem = await store.read('intermediate.key');
  if (!keyPem) throw new UsageError(`the intermediate key is missing from ${store.location}`, { hint: 'import the CA again with its intermediate key' });
  return {
    issuer: { type: 'ca', kind: 'ClusterIssuer', name, secretName: `${name}-intermediate`, keyPair: { certPem: ca.intermediatePem, keyPem, chainPem: ca.rootPem } },
    certificate,
    trust: { caPem: ca.rootPem, namespaces: [o.namespace], via: 'auto', name: DEFAULT_TRUST_NAME },
    alerts,
  };
}

async function planViaCertManager(kube: KubeClient | undefined, o: SetupOptions): Promise<Partial> {
  const options = await certManagerOptions(o);
  const { plan, result } = await planCertManager(kube, options, { dryRun: true });
  const notes = [...plan.notes];
  const hardening = await planHardening(kube, o.answers);
  notes.push(...hardening.notes);
  const hardeningResult = hardening.objects.length ? await compare(kube, hardening.objects) : undefined;
  const tasks: SetupTask[] = [
    {
      title: `Apply ${plan.objects.length} cert-manager object${plan.objects.length === 1 ? '' : 's'}`,
      run: async () => (await planCertManager(requireKube(kube), options, { dryRun: false })).result.summary,
    },
  ];
  // A file that already holds exactly this content is not a change (second runs stay no-ops).
  const files = await changedFiles(plan.files);
  if (files.length) {
    tasks.push({ title: `Write ${files.map((f) => f.name).join(', ')}`, run: async () => writePlanFiles(files) });
  }
  const steps: SetupStep[] = [
    {
      id: 'cert-manager',
      title: `cert-manager ${plan.issuerRef.kind} ${plan.issuerRef.name} and Certificate ${o.namespace}/${o.answers.secretName}`,
      changes: result.changes,
      local: files.map((f) => `write ${f.name}: ${f.description}`),
    },
  ];
  if (hardeningResult) {
    steps.push({ id: 'hardening', title: `TLS profile ${o.answers.tlsProfile ?? 'intermediate'} and HSTS where TLS terminates`, changes: hardeningResult.changes, local: [] });
    tasks.push({ title: 'Apply the TLS profile where TLS terminates', run: async () => (await applyPlan(requireKube(kube), { objects: hardening.objects })).summary });
  }
  return {
    steps,
    objects: [...plan.objects, ...hardening.objects],
    files: plan.files,
    notes,
    compared: result.compared,
    tasks,
    verify: { secret: { namespace: o.namespace, name: o.answers.secretName! }, certificate: o.answers.secretName },
  };
}

async function changedFiles(files: PlanFile[]): Promise<PlanFile[]> {
  const { readFile } = await import('node:fs/promises');
  const out: PlanFile[] = [];
  for (const f of files) {
    const current = await readFile(f.name, 'utf8').catch(() => undefined);
    if (current !== f.content) out.push(f);
  }
  return out;
}

async function writePlanFiles(files: PlanFile[]): Promise<string> {
  const { writeFile, rename } = await import('node:fs/promises');
  for (const f of files) {
    const tmp = `${f.name}.tmp-${process.pid}`;
    await writeFile(tmp, f.content, { mode: 0o644 });
    await rename(tmp, f.name);
  }
  return files.map((f) => f.name).join(', ');
}

// ------------------------------------------------------------------------ private CA, built-in

/** Renew a kept certificate once a third of its lifetime is left (the ACME clients' rule too). */
function stillGood(cert: X509Certificate, now: Date): boolean {
  const from = new Date(cert.validFrom).getTime();
  const to = new Date(cert.validTo).getTime();
  return to - now.getTime() > (to - from) / 3;
}

/**
 * Is the live Secret a certificate for these names, matching its key, not due for renewal — and,
 * when an issuer is given, signed by it?
 */
function reusableSecret(live: KubeObject | null, o: { names: string[]; intermediatePem?: string | undefined; now: Date }): boolean {
  const data = (live as { data?: Record<string, string> } | null)?.data;
  if (!data?.['tls.crt'] || !data['tls.key']) return false;
  try {
    const chain = Buffer.from(data['tls.crt'], 'base64').toString('utf8');
    const key = Buffer.from(data['tls.key'], 'base64').toString('utf8');
    const leaf = new X509Certificate(chain);
    if (!leaf.checkPrivateKey(createPrivateKey(key))) return false;
    if (o.intermediatePem && !leaf.checkIssued(new X509Certificate(o.intermediatePem))) return false;
    if (o.intermediatePem && !leaf.verify(new X509Certificate(o.intermediatePem).publicKey)) return false;
    if (!stillGood(leaf, o.now)) return false;
    return o.names.every((n) => (n.startsWith('*.') ? (leaf.subjectAltName ?? '').includes(`DNS:${n}`) : leaf.checkHost(n, { wildcards: false }) === n || (leaf.subjectAltName ?? '').includes(`DNS:${n}`)));
  } catch {
    return false;
  }
}

interface WorkloadSpec extends KubeObject {
  spec?: { template?: { spec?: { volumes?: Array<{ name: string; secret?: { secretName?: string } }>; containers?: Array<{ name: string; volumeMounts?: Array<{ name: string }> }> } } };
}

function alreadyWired(w: WorkloadSpec | null, secretName: string): boolean {
  const spec = w?.spec?.template?.spec;
  const vol = spec?.volumes?.find((v) => v.secret?.secretName === secretName);
  return Boolean(vol && spec?.containers?.some((c) => c.volumeMounts?.some((m) => m.name === vol.name)));
}

async function planPrivateCaBuiltIn(kube: KubeClient | undefined, o: SetupOptions): Promise<Partial> {
  const a = o.answers;
  const now = (o.now ?? (() => new Date()))();
  const caDir = a.caDir ?? defaultCaDir();
  const store = new LocalCaStore({ dir: caDir });
  const caExists = await store.exists();
  const names = a.domains ?? [];
  const secretName = a.secretName!;
  const steps: SetupStep[] = [];
  const tasks: SetupTask[] = [];
  const notes: string[] = [];

  // Before anything is written, locally or in the cluster: may this user do what the tasks need?
  if (kube) {
    const target = a.target && a.target !== 'none' ? parseTarget(a.target) : undefined;
    await preflight(kube, [
      { verb: 'get', resource: 'secrets', namespace: o.namespace },
      { verb: 'create', resource: 'secrets', namespace: o.namespace },
      { verb: 'patch', resource: 'secrets', namespace: o.namespace },
      { verb: 'create', resource: 'configmaps', namespace: o.namespace },
      { verb: 'patch', resource: 'configmaps', namespace: o.namespace },
      { verb: 'create', resource: 'leases', group: 'coordination.k8s.io', namespace: o.namespace },
      ...(target ? [{ verb: 'patch', resource: target.ref.plural, group: target.ref.group, namespace: o.namespace }] : []),
    ]);
  }

  if (!caExists && a.caMode === 'import') {
    throw new UsageError(`no CA in ${caDir} to use`, { hint: `bring yours first: kubectl vibectl-tls ca import --ca-dir ${caDir} …` });
  }
  steps.push({
    id: 'ca',
    title: caExists ? `Use the private CA in ${caDir}` : `Create a private CA in ${caDir} (root key stays on this machine)`,
    changes: [],
    local: caExists ? [] : [`create root + intermediate (${a.keyAlgorithm ?? 'ecdsa-p256'}) in ${caDir}, keys 0600`],
  });
  if (!caExists) tasks.push({ title: `Create the private CA in ${caDir}`, run: async () => (await initCa({ store, keyAlgorithm: a.keyAlgorithm })).root.subject });

  // Decide whether the live Secret can stay: this is what makes a second run change nothing.
  const secretPath = path(R.secrets, { namespace: o.namespace, name: secretName });
  const live = kube ? await kube.get<KubeObject>(secretPath) : null;
  const ca = caExists ? await readCa(store) : undefined;
  const keep = ca ? reusableSecret(live, { names, intermediatePem: ca.intermediatePem, now }) : false;
  const secretRef = `Secret ${o.namespace}/${secretName}`;
  steps.push({
    id: 'secret',
    title: keep ? `${secretRef}: the certificate is current` : `Issue a certificate for ${names.join(', ')} into ${secretRef}`,
    changes: [{ ref: secretRef, apiVersion: 'v1', kind: 'Secret', name: secretName, namespace: o.namespace, action: keep ? 'unchanged' : live ? 'update' : 'create', changes: [] }],
    local: [],
  });

  // The objects that depend on the CA's content are built when the tasks run (the CA may not exist yet).
  // Where clients get the CA: the ConfigMap (default), a trust-manager Bundle, and/or local files.
  const trustName = DEFAULT_TRUST_NAME;
  const outputs = new Set(a.trustOutputs?.length ? a.trustOutputs : ['configmap']);
  const trustObjects = async (): Promise<KubeObject[]> => {
    const current = await readCa(store);
    const objs: KubeObject[] = [];
    // Root + intermediate, like `ca export --format configmap` and `trust sync` write it.
    if (outputs.has('configmap')) objs.push(trustConfigMap({ bundle: trustName, namespace: o.namespace, caPem: current.bundlePem }));
    if (outputs.has('bundle')) objs.push(...trustBundle(trustApi ?? 'v1alpha1', { name: trustName, caPem: current.bundlePem, namespaces: 'all' }).objects);
    return objs;
  };
  const trustApi = outputs.has('bundle') && kube ? await (await import('./ca-export.js')).servedTrustApi(kube) : undefined;
  let trustChanges: PlannedChange[];
  if (ca) trustChanges = (await compare(kube, await trustObjects())).changes;
  else trustChanges = [...outputs].filter((x) => x === 'configmap' || x === 'bundle').map((x) => ({ ref: x === 'configmap' ? `ConfigMap ${o.namespace}/${trustName}` : `trust-manager Bundle ${trustName}`, apiVersion: 'v1', kind: x === 'configmap' ? 'ConfigMap' : 'Bundle', name: trustName, namespace: o.namespace, action: 'create' as const, changes: [] }));
  const trustFiles = await trustFilesToWrite(outputs, ca?.bundlePem);
  steps.push({ id: 'trust', title: `CA bundle for clients in ${[...outputs].map((x) => (x === 'configmap' ? `ConfigMap ${o.namespace}/${trustName} (key ca.crt)` : x === 'bundle' ? `trust-manager bundle ${trustName}` : x === 'pem' ? TRUST_PEM : TRUST_P12)).join(', ')}`, changes: trustChanges, local: trustFiles.map((f) => `write ${f.name}: ${f.what}`) });

  let wired = false;
  const target = a.target && a.target !== 'none' ? a.target : undefined;
  if (target) {
    const { ref, name } = parseTarget(target);
    const w = kube ? await kube.get<WorkloadSpec>(path(ref, { namespace: o.namespace, name })) : null;
    if (kube && !w) throw new InvalidInputError(`${target} not found in namespace ${o.namespace}`, { hint: 'check --target and -n NAMESPACE' });
    wired = alreadyWired(w, secretName);
    steps.push({
      id: 'wire',
      title: `Mount ${secretRef} into ${target}`,
      changes: [{ ref: `${ref.kind} ${o.namespace}/${name}`, apiVersion: 'apps/v1', kind: ref.kind, name, namespace: o.namespace, action: wired && keep ? 'unchanged' : 'update', changes: [] }],
      local: [],
    });
  }

  const objectsForYaml: KubeObject[] = ca ? await trustObjects() : [];
  tasks.push({
    title: keep ? `Keep ${secretRef} (current)` : `Issue and deliver ${secretRef}`,
    run: async () => {
      if (keep) return 'unchanged';
      const k = requireKube(kube);
      const issued = await issueCertificates({ store, names, keyAlgorithm: a.keyAlgorithm, noFiles: true });
      const leaf = issued.leaves[0]!;
      assertChainMatchesKey(leaf.chainPem, leaf.keyPem, secretRef);
      await applyPlan(k, { objects: [tlsSecret({ namespace: o.namespace, name: secretName, chainPem: leaf.chainPem, keyPem: leaf.keyPem, caPem: leaf.bundlePem, serial: leaf.summary.serial })] });
      return `serial ${leaf.summary.serial}, valid to ${leaf.summary.notAfter}`;
    },
  });
  const destinations = [...outputs].map((x) => (x === 'configmap' ? `ConfigMap ${o.namespace}/${trustName}` : x === 'bundle' ? `trust-manager bundle ${trustName}` : x === 'pem' ? TRUST_PEM : TRUST_P12));
  tasks.push({ title: `Publish the CA bundle (${destinations.join(', ')})`, run: async () => {
    const parts: string[] = [];
    const objects = await trustObjects();
    if (objects.length) parts.push((await applyPlan(requireKube(kube), { objects })).summary);
    for (const f of await trustFilesToWrite(outputs, (await readCa(store)).bundlePem)) parts.push(await writeTrustFile(f, store));
    return parts.join('; ');
  } });
  if (target) {
    tasks.push({
      title: `Mount ${secretRef} into ${target}`,
      run: async () => {
        if (wired && keep) return 'unchanged';
        // HSTS belongs to public names; for vibectl-server it goes inside its `tls` block.
        const hsts = vibectlServerHsts({ enabled: Boolean(a.hsts) && a.audience !== 'internal' });
        const r = await wireSecretIntoWorkload({ kube: requireKube(kube), namespace: o.namespace, target, secretName, rolloutToken: keep ? undefined : now.toISOString(), hsts });
        return r.serverConfig ? `${r.files.cert}; vibectl-server tls.cert_file/tls.key_file set${r.serverConfig.configMap ? ` in ${r.serverConfig.configMap}` : ''}` : `mounted at ${r.mountPath}`;
      },
    });
  }
  if (outputs.has('configmap')) notes.push(`Clients trust the CA through ConfigMap ${o.namespace}/${trustName} (ca.crt); vibectl clients: set ca_bundle_path or VIBECTL_CA_BUNDLE to that file.`);
  if (outputs.has('pkcs12')) notes.push(`The PKCS#12 trust store ${TRUST_P12} uses the password "changeit" (the Java convention: a trust store holds no secret).`);
  if (!keep) notes.push('The root key stays in the CA directory on this machine; only the leaf key and the public CA certificates go to the cluster.');
  return {
    steps,
    objects: objectsForYaml,
    files: [],
    notes,
    compared: Boolean(kube),
    tasks,
    verify: { secret: { namespace: o.namespace, name: secretName } },
  };
}

const TRUST_PEM = 'vibectl-tls-ca-bundle.pem';
const TRUST_P12 = 'vibectl-tls-truststore.p12';

interface TrustFile {
  name: string;
  what: string;
  format: 'pem' | 'pkcs12';
}

/** Local trust files that are missing or stale (a PEM file with the same bundle is left alone). */
async function trustFilesToWrite(outputs: Set<string>, bundlePem: string | undefined): Promise<TrustFile[]> {
  const { readFile } = await import('node:fs/promises');
  const out: TrustFile[] = [];
  if (outputs.has('pem') && (await readFile(TRUST_PEM, 'utf8').catch(() => undefined)) !== bundlePem) out.push({ name: TRUST_PEM, what: 'PEM bundle of the CA for clients', format: 'pem' });
  if (outputs.has('pkcs12') && (await readFile(TRUST_P12).catch(() => undefined)) === undefined) out.push({ name: TRUST_P12, what: 'PKCS#12 trust store (Java)', format: 'pkcs12' });
  return out;
}

async function writeTrustFile(f: TrustFile, store: LocalCaStore): Promise<string> {
  const { writeFile, rename } = await import('node:fs/promises');
  const { exportCa } = await import('./ca-export.js');
  const r = await exportCa({ store, format: f.format });
  const tmp = `${f.name}.tmp-${process.pid}`;
  await writeFile(tmp, r.content, { mode: 0o644 });
  await rename(tmp, f.name);
  return `wrote ${f.name}`;
}


// ---------------------------------------------------------------------------- ACME, built-in

async function planAcmeBuiltIn(kube: KubeClient | undefined, o: SetupOptions): Promise<Partial> {
  const a = o.answers;
  if (a.challenge !== 'dns01') {
    throw new UsageError('the built-in ACME path validates with DNS-01 only (HTTP-01 from here would need this machine to receive port 80)', {
      hint: 'pass --challenge dns01 --dns-provider …, or --via cert-manager for HTTP-01 through the ingress, or run `kubectl vibectl-tls acme issue --standalone` on a host that receives port 80',
    });
  }
  const names = a.domains ?? [];
  const secretName = a.secretName!;
  const secretRef = `Secret ${o.namespace}/${secretName}`;
  const now = (o.now ?? (() => new Date()))();
  const live = kube ? await kube.get<KubeObject>(path(R.secrets, { namespace: o.namespace, name: secretName })) : null;
  const keep = reusableSecret(live, { names, now });
  const d = o.dns ?? {};
  const files = o.secretFiles ?? {};
  const providerFlags: Record<string, string> = {};
  const put = (k: string, v: string | undefined) => {
    if (v) providerFlags[k] = v;
  };
  put('rfc2136-server', d.rfc2136Server);
  put('tsig-key-name', d.tsigKeyName);
  put('tsig-algorithm', d.tsigAlgorithm);
  put('tsig-secret-file', files.tsigSecret);
  put('route53-hosted-zone-id', d.route53HostedZoneId);
  put('aws-region', d.awsRegion);
  put('cloudflare-api-token-file', files.cloudflareApiToken);
  put('gcp-project', d.gcpProject);
  put('azure-subscription-id', d.azureSubscriptionId);
  put('azure-resource-group', d.azureResourceGroup);
  put('azure-zone', d.azureZone);
  const server = a.issuer === 'acme' ? a.acmeServer : a.issuer;
  const renewal = renewCronJob({ namespace: o.namespace, image: o.renewImage ?? `${DEFAULT_RENEW_IMAGE}:latest` });
  const renewalResult = await compare(kube, renewal);
  return {
    steps: [
      {
        id: 'acme',
        title: keep ? `${secretRef}: the certificate is current` : `Order a certificate for ${names.join(', ')} from ${server} (DNS-01 via ${a.dnsProvider}) into ${secretRef}`,
        changes: [{ ref: secretRef, apiVersion: 'v1', kind: 'Secret', name: secretName, namespace: o.namespace, action: keep ? 'unchanged' : live ? 'update' : 'create', changes: [] }],
        local: keep ? [] : ['ACME account key kept in the cluster next to the Secret (reused on every renewal)'],
      },
      { id: 'renewal', title: `CronJob ${o.namespace}/vibectl-tls-renew runs \`renew --all\` twice a day (ARI-aware, a no-op until due)`, changes: renewalResult.changes, local: [] },
    ],
    objects: renewal,
    files: [],
    notes: [`The renewal CronJob runs image ${o.renewImage ?? `${DEFAULT_RENEW_IMAGE}:latest`}; pass --renew-image to use your mirror. Its Role can only read and update Secrets in ${o.namespace}.`],
    compared: Boolean(kube),
    tasks: [
      {
        title: keep ? `Keep ${secretRef} (current)` : `Order and deliver ${secretRef}`,
        run: async () => {
          if (keep) return 'unchanged';
          const k = requireKube(kube);
          const { issueCertificate } = await import('./acme.js');
          const report = await issueCertificate(
            {
              acmeServer: server,
              names,
              email: a.email,
              caBundleFile: files.acmeCaBundlePem,
              eabKid: a.eabKid,
              eabHmacKeyFile: files.eabHmacKey,
              challenge: 'dns01',
              dnsResolver: d.dnsResolver,
              dnsProvider: a.dnsProvider,
              providerFlags,
              profile: a.acmeProfile,
              keyAlgorithm: a.keyAlgorithm ?? 'ecdsa-p256',
              target: { secret: secretName },
            },
            { kube: async () => k, namespace: o.namespace },
          );
          return `serial ${report.serial}, valid to ${report.notAfter}`;
        },
      },
      { title: 'Install the renewal CronJob', run: async () => (await applyPlan(requireKube(kube), { objects: renewal })).summary },
    ],
    verify: { secret: { namespace: o.namespace, name: secretName } },
  };
}

// ------------------------------------------------------------------------------------- cloud

async function planCloud(kube: KubeClient | undefined, o: SetupOptions): Promise<Partial> {
  const a = o.answers;
  const service = o.service ?? (a.target && a.target !== 'none' ? { name: parseTarget(a.target).name, port: 443 } : undefined);
  const hsts = { enabled: a.hsts !== false };
  const profile = a.tlsProfile ?? 'intermediate';
  let objects: KubeObject[];
  const notes: string[] = [];
  switch (a.provider) {
    case 'eks':
      if (!service) throw new UsageError('the ALB Ingress needs the Service to send traffic to', { hint: 'pass --target deployment/NAME (its Service has the same name)' });
      objects = [albIngress({ name: service.name, namespace: o.namespace, hosts: a.domains ?? [], certificateArns: [a.acmCertificateArn!], service, profile, hsts })];
      notes.push('The AWS Load Balancer Controller must be installed; the Ingress names a TLS 1.3 SSL policy instead of its ELBSecurityPolicy-2016-08 default.');
      break;
    case 'gke': {
      if (!service) throw new UsageError('the GKE Ingress needs the Service to send traffic to', { hint: 'pass --target deployment/NAME (its Service has the same name)' });
      const policy = o.gcpSslPolicy ?? 'vibectl-tls-restricted';
      objects = gkeManagedCertificate({ name: service.name, namespace: o.namespace, domains: a.domains ?? [], service, sslPolicy: policy, profile });
      notes.push(`The FrontendConfig names SSL policy ${policy}; create it once: gcloud compute ssl-policies create ${policy} --profile RESTRICTED --min-tls-version 1.2`);
      notes.push('A ManagedCertificate stays Provisioning until the domains resolve to the load balancer address; run doctor to follow it.');
      break;
    }
    case 'aks':
      if (!o.azure) throw new UsageError('the Key Vault path needs the tenant and the identity allowed to read the vault', { hint: 'pass --azure-tenant-id T --azure-client-id C' });
      objects = [secretProviderClass({ name: `${a.secretName}-kv`, namespace: o.namespace, keyvaultUri: a.keyvaultUri!, tenantId: o.azure.tenantId, clientId: o.azure.clientId, secretName: a.secretName! })];
      notes.push(`The synced Secret ${a.secretName} exists only while a pod mounts the CSI volume of SecretProviderClass ${a.secretName}-kv.`);
      break;
    default:
      throw new UsageError('choose the cloud path', { hint: 'pass --provider eks|gke|aks' });
  }
  const result = await compare(kube, objects);
  return {
    steps: [{ id: 'cloud', title: `${a.provider?.toUpperCase()} managed certificate objects`, changes: result.changes, local: [] }],
    objects,
    files: [],
    notes,
    compared: result.compared,
    tasks: [{ title: `Apply ${objects.length} object${objects.length === 1 ? '' : 's'}`, run: async () => (await applyPlan(requireKube(kube), { objects })).summary }],
    verify: {},
  };
}
