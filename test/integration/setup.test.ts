// setup end to end against the real API server: the private-CA built-in path issues a certificate,
// delivers it as one Secret, publishes the CA bundle, wires the workload, runs doctor — and a
// second run changes nothing. A TLS 1.3 client trusting only the published bundle verifies a server
// that uses the delivered Secret. A user without write rights is stopped before anything changes.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import tls from 'node:tls';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, stopAll, type ControlPlane } from '../harness/index.js';
import type { KubeClient, KubeObject } from '../../src/core/kube/client.js';
import { path, R } from '../../src/core/kube/paths.js';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'kubectl-vibectl_tls');

let cp: ControlPlane;
let admin: KubeClient;
const workDir = mkdtempSync(join(tmpdir(), 'setup-ca-'));
const caDir = join(workDir, 'ca');

async function cli(args: string[], kubeconfig: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    // Local trust files (--trust-output pem|pkcs12) are written to the cwd: keep them out of the repo.
    const r = await exec(process.execPath, [bin, ...args, '--kubeconfig', kubeconfig], { cwd: workDir, env: { ...process.env, CI: '1', NO_COLOR: '1' }, timeout: 120_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const setupArgs = ['setup', '-n', 'apps', '--issuer', 'private-ca', '--via', 'built-in', '--domain', 'web.apps.example.test', '--target', 'deployment/web', '--ca-dir', caDir, '--trust-output', 'configmap', '--trust-output', 'pem', '--trust-output', 'pkcs12', '--yes', '-o', 'json'];

interface Secret extends KubeObject {
  data?: Record<string, string>;
}
const b64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8');

beforeAll(async () => {
  cp = await startControlPlane();
  admin = await cp.client('admin');
  await admin.create(path(R.namespaces), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
  await admin.create(path(R.deployments, { namespace: 'apps' }), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'apps' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'registry.example/web:1', ports: [{ containerPort: 8443 }] }] } },
    },
  });
});

afterAll(async () => {
  await stopAll();
});

describe('setup --issuer private-ca --via built-in', () => {
  it('a user who may not write is stopped up front, with the permission named, and nothing changes', async () => {
    const r = await cli(setupArgs, cp.kubeconfigFor('readonly'));
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/forbidden/);
    expect(r.stderr).toMatch(/secrets/);
    expect(await admin.get(path(R.secrets, { namespace: 'apps', name: 'web-tls' }))).toBeNull();
  });

  it('a user who may read Secrets but not write them is refused before the CA is even created, every missing right named', async () => {
    await admin.create('/apis/rbac.authorization.k8s.io/v1/namespaces/apps/roles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'read-secrets', namespace: 'apps' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] } as never);
    await admin.create('/apis/rbac.authorization.k8s.io/v1/namespaces/apps/rolebindings', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'readonly-reads-secrets', namespace: 'apps' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-secrets' }, subjects: [{ kind: 'User', name: 'readonly', apiGroup: 'rbac.authorization.k8s.io' }] } as never);
    const otherCa = join(workDir, 'never-created');
    const r = await cli(setupArgs.map((x) => (x === caDir ? otherCa : x)), cp.kubeconfigFor('readonly'));
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('create secrets in namespace apps');
    expect(r.stderr).toContain('patch deployments.apps in namespace apps');
    expect(r.stderr).toContain('nothing was changed');
    expect(existsSync(otherCa)).toBe(false);
    await admin.delete('/apis/rbac.authorization.k8s.io/v1/namespaces/apps/rolebindings/readonly-reads-secrets');
  });

  it('issues, delivers, publishes the bundle, wires the workload and passes doctor', async () => {
    const r = await cli(setupArgs, cp.kubeconfigPath);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { ok: boolean; applied: Array<{ status: string; title: string }>; doctor?: { success: boolean; errors: number }; command: string };
    expect(result.ok).toBe(true);
    expect(result.applied.length).toBeGreaterThanOrEqual(3);
    expect(result.applied.every((a) => a.status === 'ok')).toBe(true);
    expect(result.doctor?.success).toBe(true);
    expect(result.command).toContain('--issuer private-ca');

    const secret = await admin.get<Secret & { type?: string }>(path(R.secrets, { namespace: 'apps', name: 'web-tls' }));
    expect(secret?.type).toBe('kubernetes.io/tls');
    const chain = b64(secret?.data?.['tls.crt']);
    const leaf = new X509Certificate(chain);
    expect(leaf.checkPrivateKey(createPrivateKey(b64(secret?.data?.['tls.key'])))).toBe(true);
    expect(leaf.subjectAltName).toContain('DNS:web.apps.example.test');
    expect(chain.match(/BEGIN CERTIFICATE/g)).toHaveLength(2); // leaf + intermediate

    const cm = await admin.get<KubeObject & { data?: Record<string, string> }>(path(R.configmaps, { namespace: 'apps', name: 'vibectl-tls-ca-bundle' }));
    const bundle = cm?.data?.['ca.crt'] ?? '';
    expect(bundle).toContain('BEGIN CERTIFICATE');
    // The same bundle as a local PEM file, and as a PKCS#12 trust store that OpenSSL reads.
    expect(readFileSync(join(workDir, 'vibectl-tls-ca-bundle.pem'), 'utf8')).toBe(bundle);
    const p12 = await exec('openssl', ['pkcs12', '-in', join(workDir, 'vibectl-tls-truststore.p12'), '-nokeys', '-passin', 'pass:changeit']);
    expect(p12.stdout.match(/BEGIN CERTIFICATE/g)?.length).toBe(bundle.match(/BEGIN CERTIFICATE/g)?.length);
    expect(p12.stdout).not.toContain('PRIVATE KEY');

    const dep = await admin.get<KubeObject & { spec: { template: { spec: { volumes?: Array<{ secret?: { secretName?: string } }>; containers: Array<{ volumeMounts?: unknown[] }> } } } }>(
      path(R.deployments, { namespace: 'apps', name: 'web' }),
    );
    expect(dep?.spec.template.spec.volumes?.some((v) => v.secret?.secretName === 'web-tls')).toBe(true);
    expect(dep?.spec.template.spec.containers[0]?.volumeMounts?.length).toBe(1);

    // The delivered material works: a TLS 1.3 + h2 client trusting only the bundle verifies the host.
    const server = tls.createServer({ cert: chain, key: b64(secret?.data?.['tls.key']), minVersion: 'TLSv1.3', ALPNProtocols: ['h2'] }, (s) => s.end());
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as { port: number }).port;
    try {
      const negotiated = await new Promise<{ protocol: string | null; alpn: string | false | null; authorized: boolean }>((res, rej) => {
        const s = tls.connect({ host: '127.0.0.1', port, servername: 'web.apps.example.test', ca: bundle, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', ALPNProtocols: ['h2'] }, () => {
          res({ protocol: s.getProtocol(), alpn: s.alpnProtocol, authorized: s.authorized });
          s.end();
        });
        s.on('error', rej);
      });
      expect(negotiated).toEqual({ protocol: 'TLSv1.3', alpn: 'h2', authorized: true });
      // A name the certificate does not cover is refused by the same client.
      await expect(
        new Promise((res, rej) => {
          const s = tls.connect({ host: '127.0.0.1', port, servername: 'other.apps.example.test', ca: bundle, minVersion: 'TLSv1.3' }, () => res(s.end()));
          s.on('error', rej);
        }),
      ).rejects.toThrow(/altnames|Hostname/i);
    } finally {
      server.close();
    }
  });

  it('a second run changes nothing and says so', async () => {
    const before = await admin.get<Secret>(path(R.secrets, { namespace: 'apps', name: 'web-tls' }));
    const depBefore = await admin.get(path(R.deployments, { namespace: 'apps', name: 'web' }));
    const r = await cli(setupArgs, cp.kubeconfigPath);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { plan: { upToDate: boolean }; applied: unknown[] };
    expect(result.plan.upToDate).toBe(true);
    expect(result.applied).toEqual([]);
    const after = await admin.get<Secret>(path(R.secrets, { namespace: 'apps', name: 'web-tls' }));
    const depAfter = await admin.get(path(R.deployments, { namespace: 'apps', name: 'web' }));
    expect(after?.metadata?.resourceVersion).toBe(before?.metadata?.resourceVersion);
    expect(depAfter?.metadata?.resourceVersion).toBe(depBefore?.metadata?.resourceVersion);
  });

  it('a setup already applying to the same target (its Lease is held) makes a second one stop with a conflict, changing nothing', async () => {
    const now = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
    await admin.create('/apis/coordination.k8s.io/v1/namespaces/apps/leases', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'vibectl-tls-setup-lock-tls' }, spec: { holderIdentity: 'other-host/4242/abcd', leaseDurationSeconds: 300, acquireTime: now, renewTime: now } } as never);
    const args = ['setup', '-n', 'apps', '--issuer', 'private-ca', '--via', 'built-in', '--domain', 'lock.apps.example.test', '--secret-name', 'lock-tls', '--target', 'none', '--ca-dir', caDir, '--yes'];
    const r = await cli(args, cp.kubeconfigPath);
    expect(r.code, r.stderr).toBe(6);
    expect(r.stderr).toContain('another setup (other-host/4242/abcd)');
    expect(await admin.get(path(R.secrets, { namespace: 'apps', name: 'lock-tls' }))).toBeNull();
    await admin.delete('/apis/coordination.k8s.io/v1/namespaces/apps/leases/vibectl-tls-setup-lock-tls');
    const again = await cli(args, cp.kubeconfigPath);
    expect(again.code, again.stderr).toBe(0);
    expect(await admin.get(path(R.secrets, { namespace: 'apps', name: 'lock-tls' }))).not.toBeNull();
    expect(await admin.get('/apis/coordination.k8s.io/v1/namespaces/apps/leases/vibectl-tls-setup-lock-tls')).toBeNull();
  });

  it('--dry-run shows the plan against the cluster and writes nothing', async () => {
    const r = await cli(['setup', '-n', 'apps', '--issuer', 'private-ca', '--via', 'built-in', '--domain', 'api.apps.example.test', '--secret-name', 'api-tls', '--target', 'none', '--ca-dir', caDir, '--dry-run', '-o', 'json'], cp.kubeconfigPath);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { plan: { compared: boolean; steps: Array<{ id: string; changes: Array<{ action: string }> }> } };
    expect(result.plan.compared).toBe(true);
    expect(result.plan.steps.find((s) => s.id === 'secret')?.changes[0]?.action).toBe('create');
    expect(await admin.get(path(R.secrets, { namespace: 'apps', name: 'api-tls' }))).toBeNull();
  });
});
