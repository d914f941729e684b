// Faults in the middle of `setup`, against the real API server: Ctrl+C during the apply, a
// concurrent writer replacing the Secret, two setups racing for the same target, and the API
// server going away. Afterwards no Secret holds a certificate and key that disagree, and running
// the same command again converges. (ACME-side faults — Pebble's nonce rejections, a refused
// TSIG update — are covered by acme-pebble.test.ts and acme-renew.test.ts.)
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, stopAll, waitFor, type ControlPlane } from '../harness/index.js';
import { builtCli, BUILD_TIMEOUT_MS } from '../cli/built.js';
import type { KubeClient, KubeObject } from '../../src/core/kube/client.js';
import { path, R } from '../../src/core/kube/paths.js';

interface Secret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}
interface Proc {
  child: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let cp: ControlPlane;
let admin: KubeClient;
let bin: string;
const work = mkdtempSync(join(tmpdir(), 'vibectl-tls-faults-'));
const caDir = join(work, 'ca');

function start(args: string[], kubeconfig = cp.kubeconfigPath): Proc {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: work, KUBECONFIG: kubeconfig, NO_COLOR: '1', CI: '1' };
  delete env.DEBUG;
  const child = spawn(process.execPath, [bin, ...args], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, stderr: () => err, stdout: () => out, done };
}

const setupArgs = (ns: string, domain: string) => ['setup', '-n', ns, '--issuer', 'private-ca', '--via', 'built-in', '--domain', domain, '--target', 'deployment/web', '--ca-dir', caDir, '--trust-output', 'configmap', '--yes', '--skip-doctor'];

async function namespaceWithWorkload(ns: string): Promise<void> {
  await admin.create(path(R.namespaces), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await admin.create(path(R.deployments, { namespace: ns }), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: ns },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'registry.example/web:1' }] } } },
  });
}

/** Every TLS Secret in ns whose tls.crt (first certificate) does not belong to tls.key. */
async function mismatched(ns: string): Promise<string[]> {
  const bad: string[] = [];
  for (const s of await admin.list<Secret>(path(R.secrets, { namespace: ns }))) {
    const crt = s.data?.['tls.crt'];
    const key = s.data?.['tls.key'];
    if (!crt && !key) continue;
    try {
      if (!new X509Certificate(Buffer.from(crt ?? '', 'base64')).checkPrivateKey(createPrivateKey(Buffer.from(key ?? '', 'base64')))) bad.push(s.metadata!.name!);
    } catch {
      bad.push(`${s.metadata!.name} (unreadable)`);
    }
  }
  return bad;
}

async function converges(ns: string, domain: string): Promise<void> {
  const again = start(setupArgs(ns, domain));
  const r = await again.done;
  expect(r.code, again.stderr()).toBe(0);
  const third = start(setupArgs(ns, domain));
  expect((await third.done).code, third.stderr()).toBe(0);
  expect(third.stderr()).toMatch(/Nothing to change/);
  expect(await mismatched(ns)).toEqual([]);
}

beforeAll(async () => {
  bin = (await builtCli()).bin;
  cp = await startControlPlane();
  admin = await cp.client('admin');
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await stopAll();
});

describe('faults during setup', () => {
  it('Ctrl+C during the apply: exit 130, one line, no mismatched Secret; a rerun converges', async () => {
    await namespaceWithWorkload('sigint');
    const p = start(setupArgs('sigint', 'web.sigint.example.test'));
    // Interrupt once the plan is shown and the steps begin.
    await waitFor(async () => /Apply|apply|✔|Secret/.test(p.stderr()) || p.child.exitCode !== null, { what: 'setup to start applying', timeoutMs: 90_000 });
    p.child.kill('SIGINT');
    const r = await p.done;
    if (r.code === 0) {
      // It finished first: nothing to judge about the interruption itself, but the state must be whole.
      expect(await mismatched('sigint')).toEqual([]);
    } else {
      expect(r.code, p.stderr()).toBe(130);
      expect(p.stderr()).toMatch(/^error: interrupted/m);
      expect(p.stderr()).not.toMatch(/\n\s+at /);
      expect(await mismatched('sigint')).toEqual([]);
    }
    await converges('sigint', 'web.sigint.example.test');
  });

  it('a concurrent writer replacing the Secret: the result is consistent and a rerun converges', async () => {
    await namespaceWithWorkload('writer');
    // Someone else's consistent pair, written over and over while setup runs.
    const init = start(['ca', 'init', '--ca-dir', join(work, 'other-ca')]);
    expect((await init.done).code, init.stderr()).toBe(0);
    const issued = start(['ca', 'issue', 'other.writer.example.test', '--ca-dir', join(work, 'other-ca'), '--out', join(work, 'other')]);
    expect((await issued.done).code, issued.stderr()).toBe(0);
    const crt = readFileSync(join(work, 'other', 'other.writer.example.test.crt')).toString('base64');
    const key = readFileSync(join(work, 'other', 'other.writer.example.test.key')).toString('base64');
    let stop = false;
    let writes = 0;
    const writer = (async () => {
      while (!stop) {
        const name = 'web-tls';
        const body = { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name, namespace: 'writer' }, data: { 'tls.crt': crt, 'tls.key': key } };
        const cur = await admin.get<Secret>(path(R.secrets, { namespace: 'writer', name }));
        try {
          if (cur) await admin.replace(path(R.secrets, { namespace: 'writer', name }), { ...body, metadata: { ...body.metadata, resourceVersion: cur.metadata!.resourceVersion } });
          else await admin.create(path(R.secrets, { namespace: 'writer' }), body);
          writes++;
        } catch {
          // lost a race with setup: that is the point
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const p = start(setupArgs('writer', 'web.writer.example.test'));
    const r = await p.done;
    stop = true;
    await writer;
    expect(writes).toBeGreaterThan(0);
    expect([0, 6], p.stderr()).toContain(r.code);
    if (r.code === 6) expect(p.stderr()).toMatch(/^error: .*(conflict|changed|another)/im);
    expect(await mismatched('writer')).toEqual([]);
    await converges('writer', 'web.writer.example.test');
  });

  it('two setups on the same target at once: one wins or both converge; never a mismatched Secret', async () => {
    await namespaceWithWorkload('race');
    const a = start(setupArgs('race', 'web.race.example.test'));
    const b = start(setupArgs('race', 'web.race.example.test'));
    const [ra, rb] = await Promise.all([a.done, b.done]);
    const codes = [ra.code, rb.code].sort();
    // Either both converge on one Secret, or the loser reports the conflict (exit 6) naming it.
    expect([[0, 0], [0, 6]], `${a.stderr()}\n---\n${b.stderr()}`).toContainEqual(codes);
    for (const [r, p] of [[ra, a], [rb, b]] as const) {
      if (r.code === 6) expect(p.stderr()).toMatch(/^error: /m);
      expect(p.stderr()).not.toMatch(/\n\s+at /);
    }
    expect(await mismatched('race')).toEqual([]);
    await converges('race', 'web.race.example.test');
  });

  it('the API server stops during setup: exit 4 with one clear line, no stack trace', async () => {
    await namespaceWithWorkload('down');
    const p = start([...setupArgs('down', 'web.down.example.test'), '--request-timeout', '3s']);
    await waitFor(async () => p.stderr().length > 0 || p.child.exitCode !== null, { what: 'setup to start', timeoutMs: 90_000 });
    await cp.processes.apiserver.stop();
    const r = await p.done;
    if (r.code !== 0) {
      expect(r.code, p.stderr()).toBe(4);
      expect(p.stderr()).toMatch(/cannot reach the Kubernetes API/);
      expect(p.stderr()).not.toMatch(/\n\s+at /);
    }
  });
});
