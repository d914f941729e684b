// Ctrl+C during `acme issue` leaves nothing behind: the DNS-01 TXT record in a real BIND and the
// in-cluster HTTP-01 solver objects in the harness API server are removed, the run exits 130 and
// says what it cleaned; a second signal exits at once. The orders stall on purpose: the zone
// lists a second name server (127.0.0.2) that never answers, so the DNS self-check waits; the
// solver Pod never becomes Ready because the harness has no kubelet.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, makeDir, startControlPlane, startDns, startPebble, stopAll, waitFor, type ControlPlane, type DnsServer, type Pebble } from '../harness/index.js';
import { BUILD_TIMEOUT_MS, builtCli, cleanEnv } from '../cli/run.js';
import type { KubeClient } from '../../src/core/kube/client.js';
import { path, R } from '../../src/core/kube/paths.js';
import { SOLVER_LABEL } from '../../src/core/acme/http01-cluster.js';

let dns: DnsServer;
let pebble: Pebble;
let cp: ControlPlane;
let admin: KubeClient;
let bin: string;
let configDir: string;

beforeAll(async () => {
  bin = (await builtCli()).bin;
  dns = await startDns({ records: ['@ IN NS ns2', 'ns2 IN A 127.0.0.2'] });
  pebble = await startPebble({ dnsServer: dns.hostPort, httpPort: await freePort() });
  cp = await startControlPlane();
  admin = await cp.client('admin');
  configDir = makeDir('acme-interrupt-');
}, BUILD_TIMEOUT_MS + 180_000);

afterAll(async () => {
  await stopAll();
});

interface Running {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; stdout: string }>;
}

function start(args: string[]): Running {
  const child = spawn(process.execPath, [bin, ...args], { env: cleanEnv({ VIBECTL_TLS_CONFIG_DIR: configDir, NO_COLOR: '1' }), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const exited = new Promise<{ code: number | null; stdout: string }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout });
    }),
  );
  return { child, stderr: () => stderr, exited };
}

function dns01(name: string): string[] {
  return [
    'acme', 'issue', name,
    '--acme-server', pebble.directoryUrl, '--acme-ca-bundle', pebble.caFile, '--email', 'ops@example.org',
    '--challenge', 'dns01', '--dns-provider', 'rfc2136', '--rfc2136-server', dns.hostPort, '--tsig-key-name', dns.tsig.name, '--tsig-secret-file', dns.tsig.secretFile,
    '--dns-resolver', dns.hostPort, '--self-check-timeout', '90s', '--out', join(configDir, name),
  ];
}

const txt = (name: string) => dns.query(`_acme-challenge.${name}`, 'TXT');

describe('acme issue interrupted', () => {
  it('DNS-01: the first SIGINT removes the TXT record from BIND and exits 130 saying so', async () => {
    const name = 'stall.example.test';
    const run = start(dns01(name));
    await waitFor(async () => (await txt(name)).length > 0, { what: `TXT _acme-challenge.${name} in BIND`, timeoutMs: 60_000 });
    expect(run.stderr()).toContain('added TXT');
    run.child.kill('SIGINT');
    const { code, stdout } = await run.exited;
    expect(code, run.stderr()).toBe(130);
    expect(run.stderr()).toContain(`error: interrupted: cleaned up TXT _acme-challenge.${name}`);
    expect(stdout).toBe('');
    expect(await txt(name)).toEqual([]);
  }, 120_000);

  it('DNS-01: SIGTERM works the same way, with -o json giving the interrupted error document', async () => {
    const name = 'term.example.test';
    const run = start([...dns01(name), '-o', 'json']);
    await waitFor(async () => (await txt(name)).length > 0, { what: `TXT _acme-challenge.${name} in BIND`, timeoutMs: 60_000 });
    run.child.kill('SIGTERM');
    const { code, stdout } = await run.exited;
    expect(code, run.stderr()).toBe(130);
    expect(JSON.parse(stdout)).toMatchObject({ error: { kind: 'interrupted', exitCode: 130, message: `interrupted: cleaned up TXT _acme-challenge.${name}` } });
    expect(await txt(name)).toEqual([]);
  }, 120_000);

  it('a second SIGINT while cleanup hangs exits at once, without claiming to have cleaned up', async () => {
    const name = 'twice.example.test';
    const run = start(dns01(name));
    await waitFor(async () => (await txt(name)).length > 0, { what: `TXT _acme-challenge.${name} in BIND`, timeoutMs: 60_000 });
    // BIND frozen: removing the record now waits for its DNS timeout.
    process.kill(dns.process.pid, 'SIGSTOP');
    try {
      run.child.kill('SIGINT');
      await waitFor(async () => run.stderr().includes('stopping and cleaning up'), { what: 'the first signal acknowledged', timeoutMs: 20_000 });
      run.child.kill('SIGINT');
      const { code } = await run.exited;
      expect(code).toBe(130);
      expect(run.stderr()).toContain('SIGINT again: exiting without cleaning up');
      expect(run.stderr()).not.toContain('interrupted: cleaned up');
    } finally {
      process.kill(dns.process.pid, 'SIGCONT');
    }
    // The removal request may still sit in BIND's socket queue and apply once it runs again; tidy up either way.
    const del = await dns.nsupdate([`update delete _acme-challenge.${name}. TXT`]);
    expect(del.code, del.stderr).toBe(0);
  }, 120_000);

  it('in-cluster HTTP-01: SIGINT while the solver Pod waits removes every labelled object', async () => {
    const ns = 'acme-interrupt';
    await admin.create(path(R.namespaces), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const run = start([
      'acme', 'issue', 'cluster.example.test',
      '--acme-server', pebble.directoryUrl, '--acme-ca-bundle', pebble.caFile, '--email', 'ops@example.org',
      '--ingress-class', 'nginx', '--secret', 'cluster-tls', '-n', ns, '--kubeconfig', cp.kubeconfigPath, '--self-check-timeout', '90s',
    ]);
    const labelled = async (plural: 'pods' | 'services' | 'configmaps' | 'ingresses') => {
      const ref = plural === 'ingresses' ? R.ingresses : R[plural];
      return (await admin.list<{ metadata: { name: string } }>(path(ref, { namespace: ns }), { query: { labelSelector: SOLVER_LABEL } })).map((o) => o.metadata.name);
    };
    await waitFor(async () => (await labelled('pods')).length > 0, { what: 'the solver Pod', timeoutMs: 60_000 });
    expect(await labelled('ingresses')).toHaveLength(1);
    expect(await labelled('configmaps')).toHaveLength(1);
    run.child.kill('SIGINT');
    const { code } = await run.exited;
    expect(code, run.stderr()).toBe(130);
    const cleaned = /error: interrupted: cleaned up (.*)/.exec(run.stderr())?.[1] ?? '';
    for (const kind of ['Ingress', 'Pod', 'Service', 'ConfigMap']) expect(cleaned).toMatch(new RegExp(`${kind} acme-interrupt/acme-[0-9a-f]+`));
    for (const kind of ['pods', 'services', 'configmaps', 'ingresses'] as const) expect(await labelled(kind), kind).toEqual([]);
    expect(await admin.get(path(R.secrets, { namespace: ns, name: 'cluster-tls' }))).toBeNull();
  }, 120_000);

  it('after SIGKILL (no chance to clean up), `cleanup` finds and removes every solver object the run left', async () => {
    const ns = 'acme-killed';
    await admin.create(path(R.namespaces), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const run = start([
      'acme', 'issue', 'killed.example.test',
      '--acme-server', pebble.directoryUrl, '--acme-ca-bundle', pebble.caFile, '--email', 'ops@example.org',
      '--ingress-class', 'nginx', '--secret', 'killed-tls', '-n', ns, '--kubeconfig', cp.kubeconfigPath, '--self-check-timeout', '90s',
    ]);
    const count = async () => {
      let n = 0;
      for (const ref of [R.pods, R.services, R.configmaps, R.ingresses]) n += (await admin.list(path(ref, { namespace: ns }), { query: { labelSelector: SOLVER_LABEL } })).length;
      return n;
    };
    await waitFor(async () => (await count()) === 4, { what: 'Ingress, ConfigMap, Service and Pod of the solver', timeoutMs: 60_000 });
    run.child.kill('SIGKILL');
    await run.exited;
    expect(await count()).toBe(4);
    const r = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const c = spawn(process.execPath, [bin, 'cleanup', '-n', ns, '--older-than', '0s', '--yes', '-o', 'json', '--kubeconfig', cp.kubeconfigPath], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      c.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      c.on('close', (code) => resolve({ code, stdout: out }));
    });
    expect(r.code).toBe(0);
    const kinds = (JSON.parse(r.stdout) as { leftovers: { kind: string; deleted?: boolean }[] }).leftovers.filter((l) => l.deleted).map((l) => l.kind).sort();
    expect(kinds).toEqual(['ConfigMap', 'Ingress', 'Pod', 'Service']);
    expect(await count()).toBe(0);
  }, 120_000);
});
