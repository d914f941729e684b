// The whole setup job: cluster facts → answers (wizard or flags) → plan → confirm → apply → doctor.
// Terminal interaction comes in through `SetupUi`, so the job runs the same under a wizard, in a
// script, and in tests.
import { readFile } from 'node:fs/promises';
import type { KubeClient, KubeObject } from '../core/kube/client.js';
import type { SetupAnswers, SetupFacts } from '../core/setup/answers.js';
import { fillDefaults, missingRequired, DECISION_TREE } from '../core/setup/decision-tree.js';
import { ClusterUnreachableError, ExitCode, InvalidInputError, TlsError, UsageError, type ExitCodeValue } from '../core/errors.js';
import { describeContext } from './context.js';
import { acquireLease } from '../core/kube/lease.js';
import { path, R } from '../core/kube/paths.js';
import { openKube, type KubeOptions } from './kube.js';
import { planSetup, setupFacts, type DnsSettings, type SetupPlan, type SetupSecrets, type SetupTask } from './setup.js';
import { parseTarget } from './ca-deliver.js';

export interface SetupUi {
  /** Asks the questions the flags left open; only called when canPrompt. */
  wizard: (o: { facts: SetupFacts; header: Array<[string, string]>; initial: SetupAnswers }) => Promise<SetupAnswers>;
  canPrompt: boolean;
  showPlan: (plan: SetupPlan) => Promise<void>;
  confirm: (question: string) => Promise<boolean>;
  tasks: (tasks: Array<{ title: string; run: () => Promise<unknown> }>) => Promise<{ ok: boolean; results: Array<{ title: string; status: string; ms: number; value?: unknown; error?: unknown }> }>;
  info: (message: string) => void;
}

export interface RunSetupOptions {
  answers: SetupAnswers;
  namespace?: string | undefined;
  context?: string | undefined;
  kube: KubeOptions;
  dryRun: boolean;
  skipDoctor?: boolean | undefined;
  dns?: DnsSettings;
  /** Paths of files holding secret inputs, keyed like SetupSecrets. */
  secretFiles?: { [K in keyof SetupSecrets]?: string | undefined };
  azure?: { tenantId: string; clientId: string } | undefined;
  gcpSslPolicy?: string | undefined;
  renewImage?: string | undefined;
}

export interface SetupResult {
  ok: boolean;
  exitCode: ExitCodeValue;
  dryRun: boolean;
  plan: SetupPlan;
  applied: Array<{ title: string; status: string; ms: number; detail?: string | undefined; error?: string | undefined }>;
  doctor?: { success: boolean; errors: number; warnings: number; findings: Array<{ code: string; status: string; message: string }> } | undefined;
  command: string;
}

const OFFLINE_FACTS: SetupFacts = { certManager: null, trustManager: null, ingressClasses: [], gatewayApi: false, gateways: [], cloud: null, targets: [] };

export async function runSetup(o: RunSetupOptions, ui: SetupUi): Promise<SetupResult> {
  // A dry run works without a cluster; a real run needs one and says so up front.
  let kube: KubeClient | undefined;
  let namespace = o.namespace ?? 'default';
  let facts = OFFLINE_FACTS;
  let header: Array<[string, string]> = [['cluster', 'none (offline dry run)']];
  try {
    kube = await openKube(o.kube);
    namespace = o.namespace ?? kube.target.namespace;
    const described = await setupFacts(await describeContext({ kube }), kube);
    facts = described.facts;
    header = described.header;
  } catch (err) {
    if (!(o.dryRun && err instanceof ClusterUnreachableError)) throw err;
    kube = undefined;
    ui.info(`no cluster reachable (${err.message}); printing the plan without comparing it`);
  }

  let answers = o.answers;
  if (answers.challenge === 'http01' && (answers.domains ?? []).some((d) => d.startsWith('*.'))) {
    throw new UsageError('wildcard names can only be validated with DNS-01: no order was placed', { hint: 'pass --challenge dns01 --dns-provider …' });
  }
  const missing = missingRequired(answers, facts);
  if (missing.length > 0) {
    if (!ui.canPrompt) {
      throw new UsageError(`setup cannot ask here (no TTY, CI set, or --non-interactive) and lacks ${missing.map((n) => n.id).join(', ')}`, {
        hint: `pass ${missing.map((n) => n.flag).join('  ')}`,
      });
    }
    answers = await ui.wizard({ facts, header, initial: answers });
  }
  answers = fillDefaults(answers, facts);
  validateAnswers(answers);
  const secrets = await readSecrets(o.secretFiles ?? {});

  const run = await planSetup(kube, { answers, namespace, dns: o.dns, secrets, secretFiles: o.secretFiles, context: o.context, azure: o.azure, gcpSslPolicy: o.gcpSslPolicy, renewImage: o.renewImage });
  const base = { dryRun: o.dryRun, plan: run.plan, command: run.plan.command, applied: [] as SetupResult['applied'] };
  if (o.dryRun) return { ok: true, exitCode: ExitCode.Ok, ...base };
  await ui.showPlan(run.plan);
  if (run.plan.upToDate) {
    ui.info('Nothing to change.');
    return { ok: true, exitCode: ExitCode.Ok, ...base, doctor: o.skipDoctor ? undefined : await verify(kube!, run.verify, namespace) };
  }
  if (!(await ui.confirm(`Apply ${run.tasks.length} step${run.tasks.length === 1 ? '' : 's'}?`))) {
    throw new TlsError('cancelled', ExitCode.Interrupted, 'setup cancelled: nothing was changed');
  }
  // One setup at a time per target: a concurrent one stops here with a conflict, having changed nothing.
  const lockName = `vibectl-tls-setup-${(run.verify.secret?.name ?? run.plan.answers.secretName ?? 'cloud').slice(0, 40)}`;
  const release = kube ? await acquireLease(kube, { namespace, name: lockName, what: `Secret ${namespace}/${run.verify.secret?.name ?? run.plan.answers.secretName ?? ''}` }) : async () => {};
  let outcome: Awaited<ReturnType<SetupUi['tasks']>>;
  try {
    outcome = await ui.tasks(run.tasks.map((t: SetupTask) => ({ title: t.title, run: t.run })));
  } finally {
    await release().catch(() => undefined);
  }
  const applied = outcome.results.map((r) => ({
    title: r.title,
    status: r.status,
    ms: Math.round(r.ms),
    detail: typeof r.value === 'string' ? r.value : undefined,
    error: r.error instanceof Error ? r.error.message : r.error === undefined ? undefined : String(r.error),
  }));
  if (!outcome.ok) {
    const failed = outcome.results.find((r) => r.status === 'failed');
    const code = failed?.error instanceof TlsError ? failed.error.exitCode : ExitCode.Internal;
    return { ok: false, exitCode: code, ...base, applied };
  }
  const doctor = o.skipDoctor || !kube ? undefined : await verify(kube, run.verify, namespace);
  return { ok: true, exitCode: ExitCode.Ok, ...base, applied, doctor };
}

/** Typed answers from flags get the same validation the wizard applies inline. */
function validateAnswers(a: SetupAnswers): void {
  // The workloads and ingress classes are open sets (checked against the cluster later); the
  // target's shape is not.
  if (a.target !== undefined && a.target !== 'none') parseTarget(a.target);
  const open = new Set(['ingressClass', 'target', 'trustOutputs', 'hsts']);
  for (const node of DECISION_TREE) {
    const v = a[node.id];
    if (v === undefined || open.has(node.id)) continue;
    const flag = node.flag.split(' ')[0];
    if (node.kind === 'text') {
      const err = node.validate(Array.isArray(v) ? v.join(',') : String(v), a);
      if (err) throw new InvalidInputError(`${flag}: ${err}`);
      continue;
    }
    const choices = node.choices(a, OFFLINE_FACTS).map((c) => c.value);
    if (!choices.includes(String(v))) throw new UsageError(`${flag} ${String(v)} does not fit the other choices`, { hint: `with these answers: ${choices.join(', ')}` });
  }
}

async function readSecrets(files: { [K in keyof SetupSecrets]?: string | undefined }): Promise<SetupSecrets> {
  const out: SetupSecrets = {};
  for (const [key, file] of Object.entries(files) as Array<[keyof SetupSecrets, string | undefined]>) {
    if (!file) continue;
    try {
      out[key] = (await readFile(file, 'utf8')).trim() + (key === 'acmeCaBundlePem' ? '\n' : '');
    } catch (err) {
      throw new InvalidInputError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { hint: 'check the path and its permissions' });
    }
  }
  return out;
}

async function verify(kube: KubeClient, target: { secret?: { namespace: string; name: string } | undefined; certificate?: string | undefined }, namespace: string): Promise<SetupResult['doctor']> {
  if (!target.secret && !target.certificate) return undefined;
  if (target.certificate && target.secret) await waitForCertificate(kube, target.secret.namespace, target.certificate, 120_000);
  const { runDoctor } = await import('./doctor.js');
  const report = await runDoctor({
    kube: async () => kube,
    namespace: target.secret?.namespace ?? namespace,
    secret: target.secret?.name,
  });
  const findings = report.results.filter((r) => r.status !== 'ok' && r.status !== 'skipped').map((r) => ({ code: r.code, status: r.status, message: r.message }));
  return { success: report.success, errors: findings.filter((f) => f.status === 'error').length, warnings: findings.filter((f) => f.status === 'warning').length, findings };
}

/** cert-manager issues asynchronously: wait (bounded) for Ready before doctor judges the Secret. */
async function waitForCertificate(kube: KubeClient, namespace: string, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const cert = await kube.get<KubeObject & { status?: { conditions?: Array<{ type: string; status: string }> } }>(path(R.certificates, { namespace, name }));
    if (cert?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return;
    if (Date.now() > deadline) return; // doctor then says why it is not Ready
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Least privilege for `setup`: what its paths create or patch. */
export function setupRbac(): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'vibectl-tls-setup', labels: { 'app.kubernetes.io/managed-by': 'vibectl-tls' } },
    rules: [
      { apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: ['get', 'list', 'create', 'patch'] },
      { apiGroups: [''], resources: ['namespaces', 'nodes', 'services'], verbs: ['get', 'list'] },
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets'], verbs: ['get', 'list', 'patch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'create', 'patch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: ['get', 'list'] },
      { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list'] },
      { apiGroups: ['cert-manager.io'], resources: ['certificates', 'issuers', 'clusterissuers', 'certificaterequests'], verbs: ['get', 'list', 'create', 'patch'] },
      { apiGroups: ['acme.cert-manager.io'], resources: ['orders', 'challenges'], verbs: ['get', 'list'] },
      { apiGroups: ['trust.cert-manager.io', 'trust-manager.io'], resources: ['bundles', 'clusterbundles'], verbs: ['get', 'list', 'create', 'patch'] },
      { apiGroups: ['monitoring.coreos.com'], resources: ['prometheusrules'], verbs: ['get', 'list', 'create', 'patch'] },
      { apiGroups: ['gateway.networking.k8s.io'], resources: ['gateways', 'gatewayclasses', 'httproutes'], verbs: ['get', 'list'] },
      { apiGroups: ['networking.gke.io'], resources: ['managedcertificates', 'frontendconfigs'], verbs: ['get', 'list', 'create', 'patch'] },
      { apiGroups: ['secrets-store.csi.x-k8s.io'], resources: ['secretproviderclasses'], verbs: ['get', 'list', 'create', 'patch'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews'], verbs: ['create'] },
      { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get', 'create', 'patch'] },
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ['get', 'create', 'patch'] },
      { apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['get', 'create', 'patch'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update', 'delete'] },
    ],
  };
}
