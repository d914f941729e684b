// A real kubectl (built by the harness, not whatever is on this machine's PATH) finds the plugin
// by its file name and runs it: `kubectl plugin list` shows it and `kubectl vibectl-tls` works.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { program } from '../harness/manifest.js';
import { BUILD_TIMEOUT_MS, builtCli } from '../cli/built.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let kubectl: string;
let env: NodeJS.ProcessEnv;
let pluginDir: string;
const work = mkdtempSync(join(tmpdir(), 'vibectl-tls-kubectl-plugin-'));

function run(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubectl, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  // Throws "… run `npm run harness:build`" when the harness has not been built: never a silent skip.
  kubectl = program('kubectl').path;
  pluginDir = join((await builtCli()).dir, 'bin');
  // PATH holds only the plugin and node (the plugin's #! line needs it), so other kubectl-* files
  // on this machine cannot make `plugin list` warn or fail.
  const nodeDir = join(work, 'node-bin');
  symlinkSync(dirname(process.execPath), nodeDir);
  env = {
    PATH: [pluginDir, nodeDir].join(':'),
    HOME: work,
    KUBECONFIG: join(work, 'no-kubeconfig'),
    NO_COLOR: '1',
  };
}, BUILD_TIMEOUT_MS);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('kubectl discovers the plugin', () => {
  it('kubectl plugin list shows kubectl-vibectl_tls from bin/', async () => {
    const r = await run(['plugin', 'list']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(join(pluginDir, 'kubectl-vibectl_tls'));
    expect(r.stderr).not.toMatch(/warning/i);
  });

  it('kubectl vibectl-tls --help exits 0 and lists the commands', async () => {
    const r = await run(['vibectl-tls', '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('USAGE');
    expect(r.stdout).toMatch(/^\s+context\s+\S/m);
    expect(r.stdout).toMatch(/^\s+version\s+\S/m);
  });

  it('kubectl passes arguments and the exit code through', async () => {
    const r = await run(['vibectl-tls', 'context', '--kubeconfig', join(work, 'missing.yaml')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: .*missing\.yaml/m);
  });
});
