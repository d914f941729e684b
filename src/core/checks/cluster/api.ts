// Cluster checks: is the API there, and may doctor read what it checks? A missing permission is
// not a crash: the checks that need it are skipped and this check names the verb and resource.
import type { CheckDefinition } from '../framework.js';
import type { ClusterSubject } from './subject.js';

export const apiReachable: CheckDefinition<ClusterSubject> = {
  code: 'CLU101',
  category: 'cluster',
  severity: 'error',
  title: 'Kubernetes API is reachable',
  hint: 'check the context (kubectl config current-context) and that the cluster is up (kubectl cluster-info)',
  appliesTo: 'cluster',
  async run({ subject }) {
    const f = await subject.facts();
    if (!f.api.ok) return { result: 'fail', message: f.api.error };
    return { result: 'pass', message: `Kubernetes ${f.api.version}` };
  },
};

export const permissions: CheckDefinition<ClusterSubject> = {
  code: 'CLU102',
  category: 'cluster',
  severity: 'warning',
  title: 'doctor may read everything it checks (RBAC)',
  hint: 'grant the missing verbs (kubectl vibectl-tls doctor --print-rbac prints a ClusterRole), or accept that those checks are skipped',
  appliesTo: 'cluster',
  dependsOn: ['CLU101'],
  async run({ subject }) {
    const f = await subject.facts();
    if ('error' in f.permissions) return { result: 'info', message: `could not ask the API server (SelfSubjectAccessReview): ${f.permissions.error}` };
    const denied = f.permissions.filter((p) => p.allowed === false && !p.optional);
    const optional = f.permissions.filter((p) => p.allowed === false && p.optional);
    const unknown = f.permissions.filter((p) => p.allowed === undefined);
    const notes = optional.map((p) => `may not ${p.access} (not part of the read-only role): ${p.for} skipped`);
    if (denied.length === 0 && unknown.length === 0)
      return { result: 'pass', message: optional.length ? `all ${f.permissions.length - optional.length} read permissions granted` : `all ${f.permissions.length} permissions granted`, details: notes };
    return {
      result: denied.length ? 'fail' : 'info',
      message: denied.length ? `cannot ${denied.map((p) => p.access).join('; cannot ')}` : `${unknown.length} permission(s) could not be reviewed`,
      details: [...denied.map((p) => `cannot ${p.access}: ${p.for} skipped`), ...unknown.map((p) => `unknown whether doctor may ${p.access} (${p.for})`), ...notes],
    };
  },
};
