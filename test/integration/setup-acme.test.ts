// setup's built-in ACME path end to end: a real Pebble issues through DNS-01 to the real BIND
// (RFC2136 + TSIG), the certificate lands in one Secret, the renewal CronJob and its least-privilege
// RBAC are accepted by the real API server, and a second run changes nothing.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, startDns, startPebble, stopAll, type ControlPlane, type DnsServer, type Pebble } from '../harness/index.js';
import type { KubeClient, KubeObject } from '../../src/core/kube/client.js';
import { path, R } from '../../src/core/kube/paths.js';

const exec = promisify(execFile);
const bin = join(import.meta.dirname, '..', '..', 'bin', 'kubectl-vibectl_tls');
let cp: ControlPlane;
let admin: KubeClient;
let dns: DnsServer;
let pebble: Pebble;
const home = mkdtempSync(join(tmpdir(), 'setup-acme-'));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, [bin, ...args, '--kubeconfig', cp.kubeconfigPath], { cwd: home, env: { ...process.env, CI: '1', NO_COLOR: '1', XDG_CONFIG_HOME: home }, timeout: 200_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  cp = await startControlPlane();
  admin = await cp.client('admin');
  dns = await startDns({ zone: 'example.test.' });
  pebble = await startPebble({ dnsServer: dns.hostPort });
  await admin.create(path(R.namespaces), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } });
});

afterAll(async () => {
  await stopAll();
});

describe('setup --via built-in with an ACME CA', () => {
  const args = () => [
    'setup', '-n', 'web', '--issuer', 'acme', '--acme-server', pebble.directoryUrl, '--acme-ca-bundle', pebble.caFile, '--via', 'built-in',
    '--domain', 'shop.example.test', '--email', 'ops@corp-example.net', '--challenge', 'dns01', '--dns-provider', 'rfc2136',
    '--rfc2136-server', dns.hostPort, '--tsig-key-name', dns.tsig.name, '--tsig-secret-file', dns.tsig.secretFile, '--dns-resolver', dns.hostPort,
    '--target', 'none', '--renew-image', 'registry.corp.example/vibectl-tls:0.1.0', '--yes', '-o', 'json',
  ];

  it('orders through DNS-01, delivers one Secret that matches its key, installs the renewal CronJob', async () => {
    const r = await cli(args());
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { applied: Array<{ status: string }>; doctor?: { errors: number } };
    expect(result.applied.every((a) => a.status === 'ok')).toBe(true);
    const secret = await admin.get<KubeObject & { type: string; data: Record<string, string> }>(path(R.secrets, { namespace: 'web', name: 'shop-tls' }));
    expect(secret?.type).toBe('kubernetes.io/tls');
    const chain = Buffer.from(secret!.data['tls.crt']!, 'base64').toString();
    const leaf = new X509Certificate(chain);
    expect(leaf.subjectAltName).toBe('DNS:shop.example.test');
    expect(leaf.checkPrivateKey(createPrivateKey(Buffer.from(secret!.data['tls.key']!, 'base64')))).toBe(true);
    // Issued by Pebble's intermediate, which chains to the root Pebble serves.
    const root = new X509Certificate(await pebble.rootPem());
    const inter = new X509Certificate(chain.slice(chain.indexOf('-----BEGIN CERTIFICATE-----', 10)));
    expect(leaf.checkIssued(inter)).toBe(true);
    expect(inter.checkIssued(root)).toBe(true);

    const cron = await admin.get<KubeObject & { spec: { jobTemplate: { spec: { template: { spec: { containers: Array<{ image: string; args: string[] }>; serviceAccountName: string } } } } } }>(
      '/apis/batch/v1/namespaces/web/cronjobs/vibectl-tls-renew',
    );
    const pod = cron?.spec.jobTemplate.spec.template.spec;
    expect(pod?.containers[0]).toMatchObject({ image: 'registry.corp.example/vibectl-tls:0.1.0', args: ['renew', '--all', '-n', 'web'] });
    const role = await admin.get<KubeObject & { rules: Array<{ resources: string[] }> }>('/apis/rbac.authorization.k8s.io/v1/namespaces/web/roles/vibectl-tls-renew');
    expect(role?.rules.flatMap((x) => x.resources)).toEqual(['secrets']);
  });

  it('a second run keeps the current certificate and changes nothing', async () => {
    const before = await admin.get(path(R.secrets, { namespace: 'web', name: 'shop-tls' }));
    const r = await cli(args());
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { plan: { upToDate: boolean } }).plan.upToDate, r.stdout).toBe(true);
    const after = await admin.get(path(R.secrets, { namespace: 'web', name: 'shop-tls' }));
    expect(after?.metadata?.resourceVersion).toBe(before?.metadata?.resourceVersion);
  });
});
