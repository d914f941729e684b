import { describe, expect, it } from 'vitest';
import { TEST_CA_PEM } from '../../test/support/test-cert.js';
import { parseAllDocuments } from 'yaml';
import { buildCertManagerPlan, planCertManager, type CertManagerOptions } from './cert-manager.js';
import { toYamlDocuments } from '../core/manifests/yaml.js';
import { validateWithModels } from '../../test/support/cert-manager-models.js';

const PEM = TEST_CA_PEM;
const TSIG = Buffer.alloc(32, 9).toString('base64');

const options: CertManagerOptions = {
  issuer: { type: 'acme', kind: 'ClusterIssuer', name: 'letsencrypt', server: 'letsencrypt', email: 'ops@example.com', solvers: [{ type: 'dns01', provider: 'rfc2136', nameserver: '10.0.0.53:53', tsigKeyName: 'acme', tsigSecret: TSIG }] },
  certificate: { name: 'app', namespace: 'web', secretName: 'app-tls', dnsNames: ['app.example.com'] },
  trust: { caPem: PEM, namespaces: ['web'], via: 'auto' },
  alerts: { namespace: 'monitoring', via: 'auto' },
};

describe('buildCertManagerPlan', () => {
  it('orders Secrets before the issuer before the Certificate, and wires the issuerRef', async () => {
    const plan = await buildCertManagerPlan(options);
    expect(plan.objects.map((o) => `${o.kind} ${o.metadata?.namespace ? o.metadata.namespace + '/' : ''}${o.metadata?.name}`)).toEqual([
      'Secret cert-manager/letsencrypt-rfc2136-tsig',
      'ClusterIssuer letsencrypt',
      'Certificate web/app',
      'ConfigMap web/vibectl-tls-ca-bundle',
    ]);
    expect((plan.objects[2] as { spec: { issuerRef: unknown } }).spec.issuerRef).toEqual({ group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt' });
    // 'auto' without cluster knowledge: ConfigMaps and a rules file
    expect(plan.files.map((f) => f.name)).toEqual(['vibectl-tls-cert-manager.rules.yaml']);
    expect(plan.notes.join('\n')).toMatch(/trust sync/);
    expect(validateWithModels(plan.objects)).toBe(2);
    for (const o of plan.objects) expect(o.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('vibectl-tls');
  });

  it('with trust-manager v1alpha2 and the Prometheus Operator, uses a ClusterBundle and a PrometheusRule', async () => {
    const plan = await buildCertManagerPlan({ ...options, cluster: { trustApi: 'v1alpha2', prometheusOperator: true } });
    expect(plan.objects.slice(3).map((o) => o.kind)).toEqual(['ClusterBundle', 'PrometheusRule']);
    expect(plan.files).toEqual([]);
  });

  it('refuses a Certificate and the Ingress annotation for the same target', async () => {
    await expect(buildCertManagerPlan({ ...options, ingress: { ingress: { metadata: { name: 'x', namespace: 'web' }, spec: { rules: [{ host: 'a.example.com' }] } } } })).rejects.toThrow(/both a Certificate and the Ingress annotation/);
  });

  it('refuses version-gated input with the version in the message', async () => {
    const acme = { ...options.issuer, profile: 'tlsserver' } as CertManagerOptions['issuer'];
    await expect(buildCertManagerPlan({ ...options, issuer: acme, capabilities: { installed: true, version: 'v1.16.3' } })).rejects.toThrow('ACME profile needs cert-manager 1.18.0 or newer; this cluster runs v1.16.3');
  });
});

describe('offline --dry-run -o yaml', () => {
  it('prints every object with no cluster, Secret values redacted', async () => {
    const { plan, result } = await planCertManager(undefined, options);
    expect(result.compared).toBe(false);
    expect(result.changes.every((c) => c.action === 'create')).toBe(true);
    const yaml = await toYamlDocuments(plan.objects);
    const docs = parseAllDocuments(yaml).map((d) => d.toJS() as { kind: string; data?: Record<string, string> });
    expect(docs.map((d) => d.kind)).toEqual(['Secret', 'ClusterIssuer', 'Certificate', 'ConfigMap']);
    expect(yaml).not.toContain(TSIG);
    expect(yaml).not.toContain(Buffer.from(TSIG).toString('base64'));
    expect(docs[0]!.data).toEqual({ 'tsig-secret': '<redacted: 44 bytes>' });
  });
});
