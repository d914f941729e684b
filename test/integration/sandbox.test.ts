// `npm run sandbox` starts the whole stack, prints how to use it, runs `context` against it, and
// (with --exit-after-ready) stops everything again: nothing may still listen afterwards.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { parse } from 'yaml';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const state = mkdtempSync(join(tmpdir(), 'vibectl-tls-sandbox-state-'));

afterAll(() => rmSync(state, { recursive: true, force: true }));

function refused(hostPort: string): Promise<boolean> {
  const [host, port] = [hostPort.slice(0, hostPort.lastIndexOf(':')), Number(hostPort.slice(hostPort.lastIndexOf(':') + 1))];
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

it('starts the stack, reports it through `context`, and leaves nothing running', async () => {
  const { stdout, stderr } = await run(process.execPath, ['scripts/sandbox.mjs', '--skip-prepare', '--exit-after-ready'], {
    cwd: root,
    env: { ...process.env, XDG_STATE_HOME: state, NO_COLOR: '1' },
    timeout: 170_000,
  });
  const kubeconfig = join(state, 'vibectl-tls', 'sandbox', 'kubeconfig');
  expect(stdout).toContain(`export KUBECONFIG=${kubeconfig}`);
  expect(statSync(kubeconfig).mode & 0o777).toBe(0o600);
  expect(statSync(join(state, 'vibectl-tls', 'sandbox', 'tsig.secret')).mode & 0o777).toBe(0o600);
  // The context command ran against the sandbox and saw its workload and cert-manager.
  expect(stdout).toMatch(/cert-manager\s+yes \(v\d+\.\d+\.\d+\)/);
  expect(stdout).toMatch(/vibectl-server\s+deployment\/vibectl-server -n vibectl/);
  expect(stderr).toContain('sandbox stopped.');

  const kc = parse(readFileSync(kubeconfig, 'utf8')) as { clusters: Array<{ cluster: { server: string } }>; contexts: Array<{ name: string }> };
  expect(kc.contexts.map((c) => c.name)).toEqual(['vibectl-tls-sandbox', 'vibectl-tls-sandbox-readonly']);
  const endpoints = [
    new URL(kc.clusters[0]!.cluster.server).host,
    /ACME \(Pebble\):\s+https:\/\/([\d.:]+)\/dir/.exec(stdout)?.[1],
    /DNS \(BIND\):\s+([\d.:]+),/.exec(stdout)?.[1],
  ];
  for (const hp of endpoints) {
    expect(hp).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await refused(hp!), `${hp} still accepts connections after the sandbox exited`).toBe(true);
  }
});
