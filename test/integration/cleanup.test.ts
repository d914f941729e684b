// cleanup against the real API server: solver objects an interrupted ACME order left behind are
// listed, deleted only with --yes, and nothing else is touched.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, stopAll, type ControlPlane } from '../harness/index.js';
import type { KubeClient } from '../../src/core/kube/client.js';
import { path, R } from '../../src/core/kube/paths.js';

const exec = promisify(execFile);
const bin = join(import.meta.dirname, '..', '..', 'bin', 'kubectl-vibectl_tls');
let cp: ControlPlane;
let admin: KubeClient;

async function cli(args: string[]) {
  const r = await exec(process.execPath, [bin, 'cleanup', ...args, '-o', 'json', '--kubeconfig', cp.kubeconfigPath], { env: { ...process.env, CI: '1' } });
  return JSON.parse(r.stdout) as { leftovers: Array<{ kind: string; name: string; namespace: string }>; deleted: number };
}

beforeAll(async () => {
  cp = await startControlPlane();
  admin = await cp.client('admin');
  await admin.create(path(R.namespaces), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  const labels = { 'app.kubernetes.io/managed-by': 'vibectl-tls', 'vibectl-tls.io/acme-solver': 'order-abc' };
  await admin.create(path(R.configmaps, { namespace: 'shop' }), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'acme-solver-abc', labels }, data: { token: 'x' } });
  await admin.create(path(R.services, { namespace: 'shop' }), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'acme-solver-abc', labels }, spec: { ports: [{ port: 8080 }], selector: labels } });
  await admin.create(path(R.ingresses, { namespace: 'shop' }), {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'acme-solver-abc', labels },
    spec: { rules: [{ host: 'shop.example.test', http: { paths: [{ path: '/.well-known/acme-challenge/x', pathType: 'Exact', backend: { service: { name: 'acme-solver-abc', port: { number: 8080 } } } }] } }] },
  });
  await admin.create(path(R.configmaps, { namespace: 'shop' }), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unrelated', labels: { 'app.kubernetes.io/managed-by': 'vibectl-tls' } } });
});

afterAll(async () => {
  await stopAll();
});

describe('cleanup', () => {
  it('leaves young objects alone (an order may be running)', async () => {
    expect((await cli(['-A'])).leftovers).toEqual([]);
  });

  it('lists leftovers without --yes and deletes nothing', async () => {
    const r = await cli(['-A', '--older-than', '0s']);
    expect(r.leftovers.map((l) => `${l.kind} ${l.namespace}/${l.name}`).sort()).toEqual(['ConfigMap shop/acme-solver-abc', 'Ingress shop/acme-solver-abc', 'Service shop/acme-solver-abc']);
    expect(r.deleted).toBe(0);
    expect(await admin.get(path(R.services, { namespace: 'shop', name: 'acme-solver-abc' }))).not.toBeNull();
  });

  it('deletes them with --yes and keeps everything else', async () => {
    const r = await cli(['-n', 'shop', '--older-than', '0s', '--yes']);
    expect(r.deleted).toBe(3);
    for (const ref of [R.configmaps, R.services, R.ingresses]) expect(await admin.get(path(ref, { namespace: 'shop', name: 'acme-solver-abc' }))).toBeNull();
    expect(await admin.get(path(R.configmaps, { namespace: 'shop', name: 'unrelated' }))).not.toBeNull();
    expect((await cli(['-A', '--older-than', '0s'])).leftovers).toEqual([]);
  });
});
