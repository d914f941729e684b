// The built-in path's renewal inside the cluster: a CronJob that runs `renew --all` in the
// namespace (a no-op until a certificate is due; ARI-aware), with a ServiceAccount whose Role can
// only read and update Secrets there. The image is the plugin's own binary in a container; its
// reference is configurable because teams mirror images.
import type { KubeObject } from '../kube/client.js';
import { ownedMetadata } from './labels.js';

export const DEFAULT_RENEW_IMAGE = 'ghcr.io/vibectl/vibectl-tls';

export interface RenewCronJobInput {
  namespace: string;
  image: string;
  /** Cron schedule; twice a day by default, at an odd minute to spread load on the CA. */
  schedule?: string | undefined;
}

export function renewCronJob(i: RenewCronJobInput): KubeObject[] {
  const name = 'vibectl-tls-renew';
  const meta = (kind: string) => ownedMetadata({ name, namespace: i.namespace, component: `renew-${kind}` });
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('sa') },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta('role'),
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'create', 'update', 'patch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta('binding'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: i.namespace }],
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta('cronjob'),
      spec: {
        schedule: i.schedule ?? '17 */12 * * *',
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            template: {
              spec: {
                serviceAccountName: name,
                restartPolicy: 'OnFailure',
                securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
                containers: [
                  {
                    name: 'renew',
                    image: i.image,
                    args: ['renew', '--all', '-n', i.namespace],
                    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                    resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } },
                  },
                ],
              },
            },
          },
        },
      },
    },
  ];
}
