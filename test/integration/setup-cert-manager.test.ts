// setup through cert-manager against the real API server, CRDs and controller: the ACME path plans
// a ClusterIssuer + Certificate and hardens the ingress-nginx controller's ConfigMap; the
// selfSigned → CA bootstrap path ends with a Ready Certificate and a Secret issued by the CA
// cert-manager created, checked by doctor; second runs change nothing.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCertManagerCRDs, startCertManagerController, startControlPlane, stopAll, type ControlPlane } from '../harness/index.js';
import type { KubeClient, KubeObject } from '../../src/core/kube/client.js';
import { path, R } from '../../src/core/kube/paths.js';

const exec = promisify(execFile);
const bin = join(import.meta.dirname, '..', '..', 'bin', 'kubectl-vibectl_tls');

let cp: ControlPlane;
let admin: KubeClient;
const workDir = mkdtempSync(join(tmpdir(), 'setup-cm-'));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    // Run in a scratch directory: without the Prometheus Operator setup writes its alert rules file to the cwd.
    const r = await exec(process.execPath, [bin, ...args, '--kubeconfig', cp.kubeconfigPath], { cwd: workDir, env: { ...process.env, CI: '1', NO_COLOR: '1' }, timeout: 200_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

interface Plan {
  plan: { upToDate: boolean; compared: boolean; steps: Array<{ id: string; changes: Array<{ ref: string; action: string; changes: Array<{ path: string }> }> }> };
  applied: Array<{ status: string }>;
  doctor?: { success: boolean; findings: unknown[] };
}

beforeAll(async () => {
  cp = await startControlPlane();
  admin = await cp.client('admin');
  await installCertManagerCRDs(cp);
  await startCertManagerController(cp);
  for (const ns of ['apps', 'ingress-nginx']) await admin.create(path(R.namespaces), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await admin.create(path(R.ingressclasses), { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } });
  await admin.create(path(R.configmaps, { namespace: 'ingress-nginx' }), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx' }, data: { 'use-forwarded-headers': 'true' } });
  await admin.create(path(R.deployments, { namespace: 'ingress-nginx' }), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
    spec: {
      selector: { matchLabels: { app: 'ingress-nginx' } },
      template: { metadata: { labels: { app: 'ingress-nginx' } }, spec: { containers: [{ name: 'controller', image: 'registry.k8s.io/ingress-nginx/controller:v1.12.0', args: ['/nginx-ingress-controller', '--configmap=ingress-nginx/ingress-nginx-controller'] }] } },
    },
  });
});

afterAll(async () => {
  await stopAll();
});

const acmeArgs = ['setup', '-n', 'apps', '--issuer', 'letsencrypt-staging', '--domain', 'app.corp-example.net', '--email', 'ops@corp-example.net', '--challenge', 'http01', '--ingress-class', 'nginx', '--target', 'none', '-o', 'json'];

describe('setup via cert-manager', () => {
  it('ACME over HTTP-01 with ingress-nginx: plans issuer, Certificate and the controller hardening, then applies them', async () => {
    const dry = await cli([...acmeArgs, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as Plan;
    expect(plan.plan.compared).toBe(true);
    const refs = plan.plan.steps.flatMap((s) => s.changes.map((c) => `${c.action} ${c.ref}`));
    expect(refs).toEqual(expect.arrayContaining(['create ClusterIssuer letsencrypt-staging', 'create Certificate apps/app-tls']));
    const hardening = plan.plan.steps.find((s) => s.id === 'hardening');
    expect(hardening?.changes[0]?.ref).toBe('ConfigMap ingress-nginx/ingress-nginx-controller');
    expect(hardening?.changes[0]?.changes.map((c) => c.path)).toEqual(expect.arrayContaining(['data.ssl-protocols', 'data.ssl-ciphers', 'data.hsts-max-age']));
    expect(await admin.get(path(R.clusterissuers, { name: 'letsencrypt-staging' }))).toBeNull();

    const applied = await cli([...acmeArgs, '--yes', '--skip-doctor']);
    expect(applied.code, applied.stderr).toBe(0);
    const cm = await admin.get<KubeObject & { data: Record<string, string> }>(path(R.configmaps, { namespace: 'ingress-nginx', name: 'ingress-nginx-controller' }));
    expect(cm?.data).toMatchObject({ 'ssl-protocols': 'TLSv1.2 TLSv1.3', hsts: 'true', 'hsts-max-age': '63072000', 'use-forwarded-headers': 'true' });
    expect(cm?.metadata?.labels?.['app.kubernetes.io/managed-by']).toBeUndefined();
    const cert = await admin.get<KubeObject & { spec: { dnsNames: string[]; issuerRef: { name: string } } }>(path(R.certificates, { namespace: 'apps', name: 'app-tls' }));
    expect(cert?.spec).toMatchObject({ dnsNames: ['app.corp-example.net'], issuerRef: { name: 'letsencrypt-staging' } });

    const again = await cli([...acmeArgs, '--yes', '--skip-doctor']);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as Plan).plan.upToDate, again.stdout).toBe(true);
    expect(existsSync(join(workDir, 'vibectl-tls-cert-manager.rules.yaml'))).toBe(true);
  });

  it('selfSigned → CA bootstrap: the real controller issues, doctor confirms, and a rerun is a no-op', async () => {
    const args = ['setup', '-n', 'apps', '--issuer', 'selfsigned-bootstrap', '--domain', 'api.apps.svc.cluster.local', '--secret-name', 'api-tls', '--target', 'none', '--yes', '-o', 'json'];
    const r = await cli(args);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as Plan;
    expect(result.applied.every((a) => a.status === 'ok')).toBe(true);
    expect(result.doctor?.success, JSON.stringify(result.doctor?.findings)).toBe(true);
    const secret = await admin.get<KubeObject & { data: Record<string, string> }>(path(R.secrets, { namespace: 'apps', name: 'api-tls' }));
    const leaf = new X509Certificate(Buffer.from(secret!.data['tls.crt']!, 'base64'));
    const ca = new X509Certificate(Buffer.from(secret!.data['ca.crt']!, 'base64'));
    expect(leaf.subjectAltName).toContain('DNS:api.apps.svc.cluster.local');
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);

    const again = await cli(args);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as Plan).plan.upToDate, again.stdout).toBe(true);
  });
});
