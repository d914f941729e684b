// The objects written for add-ons — trust-manager Bundle/ClusterBundle, PrometheusRule, Gateway and
// HTTPRoute, the cloud Ingresses, the ingress-nginx hardening patch — against the add-ons' real
// CRD schemas (server-side dry run, strict field validation); `context` reports the add-ons; and
// setup's trust-manager output lands as the ClusterBundle the cluster serves.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, installAddonCRDs, installCertManagerCRDs, startControlPlane, stopAll, type ControlPlane } from '../harness/index.js';
import type { KubeClient, KubeObject } from '../../src/core/kube/client.js';
import { path, R } from '../../src/core/kube/paths.js';
import { applyPlan } from '../../src/core/kube/apply-plan.js';
import { trustBundle } from '../../src/core/manifests/trust-manager.js';
import { prometheusRule } from '../../src/core/manifests/prometheus-rule.js';
import { envoyClientTrafficPolicy, gatewayWithTls, httpsRedirectRoute } from '../../src/core/manifests/hardening/gateway.js';
import { albIngress } from '../../src/core/manifests/cloud/eks.js';
import { appRoutingIngress } from '../../src/core/manifests/cloud/aks.js';
import { ingressNginxConfigPatch } from '../../src/core/manifests/hardening/ingress-nginx.js';

const exec = promisify(execFile);
const bin = join(import.meta.dirname, '..', '..', 'bin', 'kubectl-vibectl_tls');
let cp: ControlPlane;
let admin: KubeClient;
let caPem: string;

beforeAll(async () => {
  cp = await startControlPlane();
  admin = await cp.client('admin');
  await installCertManagerCRDs(cp);
  await installAddonCRDs(cp, ['trust-manager', 'prometheus-operator', 'gateway-api']);
  await admin.create(path(R.namespaces), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
  await admin.create(path(R.namespaces), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ingress-nginx' } });
  await admin.create(path(R.configmaps, { namespace: 'ingress-nginx' }), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx' } });
  await admin.create(path(R.gatewayclasses), { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'eg' }, spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' } });
  caPem = (await createCa('addons test CA')).certPem;
});

afterAll(async () => {
  await stopAll();
});

async function dryRun(objects: KubeObject[]): Promise<string[]> {
  const result = await applyPlan(admin, { objects }, { dryRun: true });
  return result.changes.map((c) => `${c.action} ${c.ref}`);
}

describe('generated add-on objects pass the real schemas', () => {
  it('trust-manager Bundle (v1alpha1) and ClusterBundle (v1alpha2)', async () => {
    const v1 = trustBundle('v1alpha1', { name: 'vibectl-tls-ca-bundle', caPem, namespaces: ['apps'] }).objects;
    const v2 = trustBundle('v1alpha2', { name: 'vibectl-tls-ca-bundle', caPem, namespaces: 'all' }).objects;
    expect(await dryRun([...v1, ...v2])).toEqual(expect.arrayContaining([expect.stringMatching(/^create .*Bundle/)]));
    expect((await dryRun(v2)).some((r) => r.includes('ClusterBundle'))).toBe(true);
  });

  it('PrometheusRule with the expiry, not-ready and issuer alerts', async () => {
    expect(await dryRun([prometheusRule({ namespace: 'apps' })])).toEqual(['create PrometheusRule apps/vibectl-tls-cert-manager']);
  });

  it('Gateway with TLS listener and the HTTPS redirect route', async () => {
    const objs = [
      gatewayWithTls({ gateway: { namespace: 'apps', name: 'web', className: 'eg' }, hostname: 'app.corp-example.net', secretName: 'app-tls' }),
      httpsRedirectRoute({ namespace: 'apps', gateway: 'web', hostname: 'app.corp-example.net' }),
    ];
    expect(await dryRun(objs)).toEqual(['create Gateway apps/web', 'create HTTPRoute apps/web-https-redirect']);
  });

  it('cloud Ingresses and the ingress-nginx hardening patch', async () => {
    const objs = [
      albIngress({ name: 'web', namespace: 'apps', hosts: ['app.corp-example.net'], certificateArns: ['arn:aws:acm:eu-west-1:123456789012:certificate/abc-123'], service: { name: 'web', port: 443 }, profile: 'intermediate', hsts: { enabled: true } }),
      appRoutingIngress({ name: 'shop', namespace: 'apps', host: 'shop.corp-example.net', keyvaultUri: 'https://corpvault.vault.azure.net/certificates/shop', service: { name: 'shop', port: 80 } }),
      ingressNginxConfigPatch({ name: 'ingress-nginx-controller', namespace: 'ingress-nginx', profile: 'intermediate', hsts: { enabled: true } }),
    ];
    expect(await dryRun(objs)).toEqual(['create Ingress apps/web', 'create Ingress apps/shop', 'update ConfigMap ingress-nginx/ingress-nginx-controller']);
  });

  it('a CRD the cluster lacks is refused before anything is written (Envoy Gateway is not installed)', async () => {
    await expect(dryRun([envoyClientTrafficPolicy({ namespace: 'apps', gateway: 'web', profile: 'modern' })])).rejects.toThrow(/ClientTrafficPolicy/);
  });
});

describe('context and setup see the add-ons', () => {
  it('context reports trust-manager (both APIs), Gateway API with its class, and the Prometheus Operator', async () => {
    const { stdout } = await exec(process.execPath, [bin, 'context', '-o', 'json', '--kubeconfig', cp.kubeconfigPath]);
    const facts = JSON.parse(stdout) as Record<string, { known: boolean; value: Record<string, unknown> }>;
    expect(facts.trustManager?.value).toEqual({ installed: true, apis: ['trust.cert-manager.io/v1alpha1 Bundle', 'trust-manager.io/v1alpha2 ClusterBundle'] });
    expect(facts.gatewayApi?.value).toEqual({ installed: true, gatewayClasses: ['eg'] });
    expect(facts.prometheusOperator?.value).toEqual({ installed: true });
  });

  it('setup --trust-output bundle writes the ClusterBundle the cluster serves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'addons-'));
    const r = await exec(process.execPath, [bin, 'setup', '-n', 'apps', '--issuer', 'private-ca', '--via', 'built-in', '--domain', 'api.apps.example.test', '--target', 'none', '--ca-dir', join(dir, 'ca'), '--trust-output', 'bundle', '--yes', '-o', 'json', '--kubeconfig', cp.kubeconfigPath], {
      cwd: dir,
      env: { ...process.env, CI: '1' },
    });
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
    const cb = await admin.get<KubeObject & { spec: unknown }>('/apis/trust-manager.io/v1alpha2/clusterbundles/vibectl-tls-ca-bundle');
    expect(JSON.stringify(cb?.spec)).toContain('BEGIN CERTIFICATE');
    expect(await admin.get(path(R.configmaps, { namespace: 'apps', name: 'vibectl-tls-ca-bundle' }))).toBeNull();
  });
});
