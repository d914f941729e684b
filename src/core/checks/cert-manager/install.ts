// cert-manager installation: CRDs, version, the three Deployments, the webhook and whether the API
// server answers a dry-run Certificate. Built for clusters where parts are elsewhere or missing
// (controller run out of cluster, no webhook): those are said, not crashed on.
import type { CheckDefinition, Outcome } from '../framework.js';
import type { Lookup } from '../../cert-manager/walk.js';
import type { ClusterFacts, ClusterSubject } from '../cluster/subject.js';
import { compareVersions } from '../../cert-manager/version.js';

/** A lookup that failed becomes a skip (forbidden: names the verb and resource) or a failure. */
export function unavailable<T>(l: Lookup<T>): Outcome | undefined {
  if (l.ok) return undefined;
  return l.forbidden ? { result: 'skip', message: `forbidden: ${l.forbidden}` } : { result: 'fail', message: l.error };
}

/** True when cert-manager is not installed at all: the checks after CM101 then do not apply. */
function absent(f: ClusterFacts): boolean {
  return f.crds.ok && f.crds.value.present.length === 0;
}

export const crdsInstalled: CheckDefinition<ClusterSubject> = {
  code: 'CM101',
  category: 'cert-manager',
  severity: 'error',
  title: 'cert-manager CRDs are installed and established',
  hint: 'install or upgrade cert-manager with its CRDs (kubectl vibectl-tls setup --via cert-manager prints the command)',
  appliesTo: 'cluster',
  dependsOn: ['CLU101'],
  async run({ subject }) {
    const f = await subject.facts();
    const u = unavailable(f.crds);
    if (u) return u;
    if (!f.crds.ok) return null;
    const { present, missing } = f.crds.value;
    if (present.length === 0) return { result: 'info', message: 'cert-manager is not installed; Certificate checks do not apply' };
    if (missing.length) return { result: 'fail', message: `missing or not established: ${missing.join(', ')}`, details: [`present: ${present.join(', ')}`] };
    return { result: 'pass', message: `${present.length} CRDs established` };
  },
};

export const versionConsistent: CheckDefinition<ClusterSubject> = {
  code: 'CM102',
  category: 'cert-manager',
  severity: 'warning',
  title: 'cert-manager CRDs and controller are the same version',
  hint: 'upgrade the CRDs together with the controller (Helm: --set crds.enabled=true; static: the release cert-manager.yaml)',
  appliesTo: 'cluster',
  dependsOn: ['CM101'],
  async run({ subject }) {
    const f = await subject.facts();
    if (!f.crds.ok || absent(f)) return null;
    const crdVersion = f.crds.value.version;
    const deployed = f.deployments.ok ? [...new Set(f.deployments.value.map((d) => d.version).filter((v): v is string => Boolean(v)))] : [];
    if (!crdVersion && deployed.length === 0) return { result: 'info', message: 'version unknown (CRDs carry no app.kubernetes.io/version label and no Deployment was found)' };
    const behind = deployed.filter((v) => crdVersion && compareVersions(crdVersion, v) === -1);
    if (deployed.length > 1) return { result: 'fail', message: `Deployments run different versions: ${deployed.join(', ')}` };
    if (behind.length) return { result: 'fail', message: `CRDs are ${crdVersion}, the controller is ${behind[0]}: fields of the newer version are silently dropped` };
    return { result: 'pass', message: `cert-manager ${crdVersion ?? deployed[0]}${deployed.length ? '' : ' (from the CRD labels)'}` };
  },
};

const COMPONENTS = ['controller', 'webhook', 'cainjector'] as const;

export const deploymentsReady: CheckDefinition<ClusterSubject> = {
  code: 'CM103',
  category: 'cert-manager',
  severity: 'warning',
  title: 'cert-manager controller, webhook and cainjector are ready',
  hint: 'look at the pods: kubectl -n cert-manager get pods; kubectl -n cert-manager logs deploy/cert-manager',
  appliesTo: 'cluster',
  dependsOn: ['CM101'],
  async run({ subject }) {
    const f = await subject.facts();
    if (absent(f)) return null;
    const u = unavailable(f.deployments);
    if (u) return u;
    if (!f.deployments.ok) return null;
    const deps = f.deployments.value;
    if (deps.length === 0) {
      // An out-of-cluster controller (or one in another cluster) is legitimate: say what we see instead.
      const evidence: string[] = [];
      if (f.certificates.ok) {
        const total = f.certificates.value.length;
        const ready = f.certificates.value.filter((c) => c.ready?.status === 'True').length;
        const acted = f.certificates.value.filter((c) => c.ready || c.issuing).length;
        evidence.push(`${ready} of ${total} Certificate(s) Ready; ${acted} have conditions set by a controller`);
        if (total > 0 && acted === 0) evidence.push('no Certificate has any condition: no cert-manager controller is acting on them');
      }
      return { result: 'fail', message: "cert-manager's Deployments not found (the controller may run elsewhere)", details: evidence };
    }
    const notReady = deps.filter((d) => d.ready < d.desired);
    const missing = COMPONENTS.filter((c) => !deps.some((d) => d.component === c));
    const details = deps.map((d) => `${d.namespace}/${d.name} (${d.component}): ${d.ready}/${d.desired} ready`);
    if (notReady.length) return { result: 'fail', message: `not ready: ${notReady.map((d) => `${d.namespace}/${d.name}`).join(', ')}`, details };
    if (missing.length) return { result: 'fail', message: `no ${missing.join(', ')} Deployment found`, details };
    return { result: 'pass', message: deps.map((d) => d.name).join(', '), details };
  },
};

const DRY_RUN_FIX: Record<string, string> = {
  crds: 'the API server does not serve certificates.cert-manager.io/v1: install the CRDs',
  'webhook-service': 'the webhook Service does not exist: reinstall cert-manager or check the webhook Service name',
  'webhook-refused': 'the webhook Service has no ready endpoint: the webhook pod is not running or not ready',
  'webhook-ca': "the webhook's CA bundle is not injected yet: check cainjector (kubectl -n cert-manager logs deploy/cert-manager-cainjector)",
  'webhook-timeout': 'the API server cannot reach the webhook in time: a NetworkPolicy or a private cluster firewall blocks port 10250 (or the webhook port)',
};

export const webhookAnswers: CheckDefinition<ClusterSubject> = {
  code: 'CM104',
  category: 'cert-manager',
  severity: 'error',
  title: 'the API server accepts a dry-run Certificate (cmctl check api)',
  hint: 'fix what the message names, then run doctor again; cert-manager objects cannot be created until this passes',
  appliesTo: 'cluster',
  dependsOn: ['CM101'],
  async run({ subject }) {
    const f = await subject.facts();
    if (absent(f) || !f.dryRun) return null;
    const d = f.dryRun;
    if (d.ok) return { result: 'pass', message: 'server-side dry-run create of a v1 Certificate succeeded' };
    if (d.kind === 'forbidden') return { result: 'skip', message: `forbidden: create certificates.cert-manager.io (dry run)` };
    return { result: 'fail', message: DRY_RUN_FIX[d.kind] ?? 'the dry-run create failed', details: [d.error] };
  },
};

export const webhookConfigured: CheckDefinition<ClusterSubject> = {
  code: 'CM105',
  category: 'cert-manager',
  severity: 'warning',
  title: "cert-manager's validating webhook is configured",
  hint: 'install cert-manager with its webhook (the default); without it, invalid Certificates and Issuers are accepted and only fail later',
  appliesTo: 'cluster',
  dependsOn: ['CM101'],
  async run({ subject }) {
    const f = await subject.facts();
    if (absent(f)) return null;
    const u = unavailable(f.webhooks);
    if (u) return u;
    if (!f.webhooks.ok) return null;
    if (f.webhooks.value.length === 0)
      return { result: 'fail', message: 'no ValidatingWebhookConfiguration for cert-manager: the dry run above checked the CRD schema only, not the webhook' };
    return { result: 'pass', message: f.webhooks.value.join(', ') };
  },
};
