import { describe, expect, it } from 'vitest';
import { TEST_CA_PEM } from '../../../test/support/test-cert.js';
import { parse } from 'yaml';
import { pickTrustApi, trustBundle, trustConfigMap } from './trust-manager.js';
import { alertRuleGroups, prometheusRule, prometheusRulesFile } from './prometheus-rule.js';
import { validateWithModels } from '../../../test/support/cert-manager-models.js';

const PEM = TEST_CA_PEM;

describe('trust distribution', () => {
  it('prefers ClusterBundle when both APIs are served', () => {
    expect(pickTrustApi(['trust.cert-manager.io/v1alpha1 Bundle', 'trust-manager.io/v1alpha2 ClusterBundle'])).toBe('v1alpha2');
    expect(pickTrustApi(['trust.cert-manager.io/v1alpha1 Bundle'])).toBe('v1alpha1');
    expect(pickTrustApi([])).toBeUndefined();
  });

  it('v1alpha2 ClusterBundle: inline CA, ConfigMap target, namespaces by name', () => {
    const { objects } = trustBundle('v1alpha2', { name: 'vibectl-tls-ca-bundle', caPem: PEM, namespaces: ['web', 'api'] });
    expect(objects).toEqual([
      {
        apiVersion: 'trust-manager.io/v1alpha2',
        kind: 'ClusterBundle',
        metadata: { name: 'vibectl-tls-ca-bundle', labels: { 'app.kubernetes.io/managed-by': 'vibectl-tls', 'vibectl-tls.io/component': 'trust' } },
        spec: {
          inLineCAs: PEM,
          target: { configMap: { data: [{ key: 'ca.crt' }] }, namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['api', 'web'] }] } },
        },
      },
    ]);
  });

  it('v1alpha1 Bundle: one namespace by its name label; several by a label we put on them', () => {
    const one = trustBundle('v1alpha1', { name: 'b', caPem: PEM, namespaces: ['web'] });
    expect(one.objects).toHaveLength(1);
    expect((one.objects[0] as { spec: { target: unknown } }).spec.target).toEqual({ configMap: { key: 'ca.crt' }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } } });
    const many = trustBundle('v1alpha1', { name: 'b', caPem: PEM, namespaces: ['web', 'api'], includeDefaultCAs: true });
    expect(many.objects.map((o) => `${o.kind} ${o.metadata?.name}`)).toEqual(['Namespace api', 'Namespace web', 'Bundle b']);
    expect(many.objects[0]?.metadata?.labels).toEqual({ 'trust.vibectl-tls.io/b': 'true' });
    expect((many.objects[2] as { spec: { sources: unknown[] } }).spec.sources).toEqual([{ inLine: PEM }, { useDefaultCAs: true }]);
    expect(validateWithModels([...one.objects, ...many.objects])).toBe(2);
  });

  it('refuses private keys and non-PEM input', () => {
    expect(() => trustConfigMap({ bundle: 'b', namespace: 'n', caPem: PEM + '-----BEGIN PRIVATE KEY-----\n' })).toThrow(/private key/);
    expect(() => trustBundle('v1alpha2', { name: 'b', caPem: 'hello', namespaces: 'all' })).toThrow(/not a PEM/);
  });

  it('ConfigMap per namespace carries the bundle label trust sync looks for', () => {
    expect(trustConfigMap({ bundle: 'b', namespace: 'web', caPem: PEM })).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'b', namespace: 'web', labels: { 'vibectl-tls.io/trust-bundle': 'b', 'app.kubernetes.io/managed-by': 'vibectl-tls', 'vibectl-tls.io/component': 'trust' } },
      data: { 'ca.crt': PEM },
    });
  });
});

describe('alerts', () => {
  it('warning under 21 days, critical under 7, not-ready 15 minutes, issuer not ready', () => {
    const rules = alertRuleGroups({ namespace: 'monitoring' })[0]!.rules;
    expect(rules.map((r) => [r.alert, r.labels.severity, r.for])).toEqual([
      ['CertificateExpiresSoon', 'warning', '1h'],
      ['CertificateExpiresVerySoon', 'critical', '10m'],
      ['CertificateNotReady', 'warning', '15m'],
      ['IssuerNotReady', 'critical', '15m'],
    ]);
    expect(rules[0]!.expr).toBe('(certmanager_certificate_expiration_timestamp_seconds - time()) < 1814400 and (certmanager_certificate_expiration_timestamp_seconds - time()) >= 604800');
    expect(rules[1]!.expr).toBe('(certmanager_certificate_expiration_timestamp_seconds - time()) < 604800');
    expect(rules[2]!.expr).toBe('certmanager_certificate_ready_status{condition="False"} == 1');
    expect(rules[3]!.expr).toContain('certmanager_clusterissuer_ready_status{condition="False"} == 1');
    expect(() => alertRuleGroups({ namespace: 'm', warningDays: 5, criticalDays: 7 })).toThrow(/longer than critical/);
  });

  it('as a PrometheusRule with the selector labels, and as a rules file with the same groups', async () => {
    const rule = prometheusRule({ namespace: 'monitoring', labels: { release: 'kube-prometheus-stack' } });
    expect(rule).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { namespace: 'monitoring', labels: { release: 'kube-prometheus-stack', 'app.kubernetes.io/managed-by': 'vibectl-tls' } } });
    const file = parse(await prometheusRulesFile({ namespace: 'monitoring' })) as { groups: unknown };
    expect(file.groups).toEqual((rule.spec as { groups: unknown }).groups);
  });
});
