// Runs bin/kubectl-vibectl_tls as a user would: a separate process, with its exit code, stdout
// and stderr kept apart.
import { spawn } from 'node:child_process';
import { builtCli, root } from './built.js';

export { root, builtCli, BUILD_TIMEOUT_MS } from './built.js';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Arguments for node itself, before the script (e.g. --import). */
  nodeArgs?: string[];
  timeoutMs?: number;
}

/** The environment of a plain, non-interactive shell: no colours forced, no CI, no debug. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['FORCE_COLOR', 'NO_COLOR', 'DEBUG', 'NODE_DEBUG', 'NODE_OPTIONS', 'KUBECONFIG', 'CI']) delete env[k];
  // Never touch the real ~/.kube/config from a test.
  env.KUBECONFIG = '/nonexistent/kubeconfig-not-set-by-test';
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export async function runCli(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const { bin } = await builtCli();
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), bin, ...args], {
      cwd: root,
      env: cleanEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A kubeconfig (YAML) with one context aimed at server. */
export function kubeconfigFor(server: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: test',
    '  cluster:',
    `    server: ${server}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: test',
    '  user:',
    '    token: not-a-real-token',
    'contexts:',
    '- name: test-context',
    '  context: {cluster: test, user: test, namespace: default}',
    'current-context: test-context',
    '',
  ].join('\n');
}
