// Alerts on cert-manager's own metrics: expiry (warning < 21 d, critical < 7 d), a Certificate
// not Ready for 15 minutes, and an Issuer/ClusterIssuer not Ready. A PrometheusRule where the
// Prometheus Operator runs; otherwise the same groups as a Prometheus rules file.
import type { KubeObject } from '../kube/client.js';
import { InvalidInputError } from '../errors.js';
import { ownedMetadata } from './labels.js';

export interface AlertsInput {
  name?: string | undefined;
  namespace: string;
  warningDays?: number | undefined;
  criticalDays?: number | undefined;
  /** How long a Certificate/issuer may be not Ready before it pages. Prometheus duration. */
  notReadyFor?: string | undefined;
  /** Labels the Prometheus ruleSelector matches (e.g. release: kube-prometheus-stack). */
  labels?: Record<string, string> | undefined;
}

export interface RuleGroup {
  name: string;
  rules: Array<{ alert: string; expr: string; for?: string; labels: Record<string, string>; annotations: Record<string, string> }>;
}

const DAY = 86_400;

export function alertRuleGroups(input: AlertsInput): RuleGroup[] {
  const warn = input.warningDays ?? 21;
  const crit = input.criticalDays ?? 7;
  const notReadyFor = input.notReadyFor ?? '15m';
  if (!(crit > 0 && warn > crit)) throw new InvalidInputError(`alert thresholds: warning (${warn} d) must be longer than critical (${crit} d), both above 0`);
  if (!/^\d+[smhd]$/.test(notReadyFor)) throw new InvalidInputError(`"${notReadyFor}" is not a Prometheus duration`, { hint: 'use e.g. 15m' });
  const left = '(certmanager_certificate_expiration_timestamp_seconds - time())';
  const who = '{{ $labels.namespace }}/{{ $labels.name }}';
  return [
    {
      name: 'vibectl-tls.cert-manager',
      rules: [
        {
          alert: 'CertificateExpiresSoon',
          expr: `${left} < ${warn * DAY} and ${left} >= ${crit * DAY}`,
          for: '1h',
          labels: { severity: 'warning' },
          annotations: {
            summary: `Certificate ${who} expires in less than ${warn} days`,
            description: `cert-manager should have renewed it by now. Run: kubectl vibectl-tls doctor --certificate {{ $labels.name }} -n {{ $labels.namespace }}`,
          },
        },
        {
          alert: 'CertificateExpiresVerySoon',
          expr: `${left} < ${crit * DAY}`,
          for: '10m',
          labels: { severity: 'critical' },
          annotations: {
            summary: `Certificate ${who} expires in less than ${crit} days`,
            description: `Renewal is failing. Run: kubectl vibectl-tls doctor --certificate {{ $labels.name }} -n {{ $labels.namespace }}, then kubectl vibectl-tls renew`,
          },
        },
        {
          alert: 'CertificateNotReady',
          expr: 'certmanager_certificate_ready_status{condition="False"} == 1',
          for: notReadyFor,
          labels: { severity: 'warning' },
          annotations: {
            summary: `Certificate ${who} has not been Ready for ${notReadyFor}`,
            description: 'Run: kubectl vibectl-tls doctor --certificate {{ $labels.name }} -n {{ $labels.namespace }}',
          },
        },
        {
          alert: 'IssuerNotReady',
          expr: 'certmanager_clusterissuer_ready_status{condition="False"} == 1 or certmanager_issuer_ready_status{condition="False"} == 1',
          for: notReadyFor,
          labels: { severity: 'critical' },
          annotations: {
            summary: 'cert-manager issuer {{ $labels.name }} is not Ready',
            description: 'No certificate from this issuer can be issued or renewed. Check: kubectl describe clusterissuer,issuer {{ $labels.name }}',
          },
        },
      ],
    },
  ];
}

export function prometheusRule(input: AlertsInput): KubeObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: ownedMetadata({ name: input.name ?? 'vibectl-tls-cert-manager', namespace: input.namespace, component: 'alerts', labels: input.labels }),
    spec: { groups: alertRuleGroups(input) },
  };
}

/** The same rules as a Prometheus rules file (for `rule_files:`), when there is no Prometheus Operator. */
export async function prometheusRulesFile(input: AlertsInput): Promise<string> {
  const { stringify } = await import('yaml');
  return '# Prometheus alerting rules for cert-manager, written by vibectl-tls.\n' + stringify({ groups: alertRuleGroups(input) });
}
