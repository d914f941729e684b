// --help and --version must not pay for Ink, React or the Kubernetes client: record every module
// the process resolves (ESM and CommonJS) and look for them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, builtCli, root, runCli } from './run.js';

beforeAll(() => builtCli(), BUILD_TIMEOUT_MS);

const dir = mkdtempSync(join(tmpdir(), 'vibectl-tls-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function loadedModules(args: string[]): Promise<{ code: number | null; modules: string[] }> {
  const file = join(dir, `trace-${n++}.txt`);
  const r = await runCli(args, {
    nodeArgs: ['--import', join(root, 'test/cli/fixtures/trace-imports.mjs')],
    env: { VIBECTL_TLS_TRACE_FILE: file },
  });
  const modules = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  return { code: r.code, modules };
}

const heavy = ['/node_modules/ink/', '/node_modules/react/', '/node_modules/@kubernetes/client-node/', '/node_modules/acme-client/', '/node_modules/node-forge/'];
const loadedHeavy = (modules: string[]) => heavy.filter((h) => modules.some((m) => m.includes(h)));

describe('start-up cost', () => {
  it('the tracer sees the Kubernetes client when a command really uses it (control)', async () => {
    const { modules } = await loadedModules(['context', '--kubeconfig', join(root, 'test/cli/fixtures/missing-server.kubeconfig'), '--request-timeout', '1s']);
    expect(modules.some((m) => m.includes('/node_modules/@oclif/core/'))).toBe(true);
    expect(loadedHeavy(modules)).toContain('/node_modules/@kubernetes/client-node/');
  });

  it.each([[['--help']], [['context', '--help']], [['version', '--help']]])('%j loads none of ink, react, the Kubernetes client, acme-client, node-forge', async (args) => {
    const { code, modules } = await loadedModules(args);
    expect(code).toBe(0);
    expect(modules.length).toBeGreaterThan(10);
    expect(loadedHeavy(modules)).toEqual([]);
  });

  it('--version does not even load oclif', async () => {
    const { code, modules } = await loadedModules(['--version']);
    expect(code).toBe(0);
    expect(modules.filter((m) => m.includes('/node_modules/'))).toEqual([]);
  });
});
