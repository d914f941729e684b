// `kubectl vibectl-tls setup` in a real terminal: tmux runs the plugin against `npm run sandbox`,
// the test reads the screen (capture-pane) and types (send-keys) like a user, taking the private-CA
// path for the sandbox's stand-in vibectl-server. Afterwards the stand-in server serves the
// delivered Secret, and a TLS 1.3 + h2 client that trusts only the published CA bundle verifies it.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawnManaged, waitFor, type ManagedProcess } from '../harness/index.js';
import type { KubeClient, KubeObject } from '../../src/core/kube/client.js';
import { path, R } from '../../src/core/kube/paths.js';
import { openKube } from '../../src/services/kube.js';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'vibectl-tls-e2e-setup-'));
const state = join(work, 'state');
const config = join(work, 'config'); // XDG_CONFIG_HOME of the plugin: the default CA directory lands here
const plugin = join(work, 'plugin');
// A socket of our own: never touches the user's (or another test's) tmux server.
const socket = `vibectl-tls-e2e-${process.pid}-${Date.now().toString(36)}`;
const DOMAIN = 'vibectl-server.example.test';

interface SandboxJson {
  kubeconfig: string;
  namespace: string;
  deployment: string;
  secret: string;
  endpoint: { hostPort: string; serverName: string; caFile: string };
}

let sandbox: ManagedProcess | undefined;
let info: SandboxJson;
let kube: KubeClient;
let bin: string;
let socketPath: string | undefined;

/**
 * The plugin as it is in the working tree, transpiled into a directory of its own: `dist/` is
 * shared with whoever runs `npm run build` next (which starts with `rm -rf dist`).
 */
async function buildPlugin(): Promise<string> {
  const { build } = await import('esbuild');
  const entries = (readdirSync(join(root, 'src'), { recursive: true }) as string[])
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => join(root, 'src', f));
  await build({ entryPoints: entries, outdir: join(plugin, 'dist'), outbase: join(root, 'src'), format: 'esm', platform: 'node', target: 'node20', jsx: 'automatic', logLevel: 'error' });
  cpSync(join(root, 'bin'), join(plugin, 'bin'), { recursive: true });
  cpSync(join(root, 'package.json'), join(plugin, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(plugin, 'node_modules'));
  return join(plugin, 'bin', 'kubectl-vibectl_tls');
}

// Without TMUX: the test may itself run inside someone's tmux session.
const tmuxEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'TMUX'));
const tmux = async (...args: string[]): Promise<string> => (await exec('tmux', ['-L', socket, '-f', '/dev/null', ...args], { env: tmuxEnv })).stdout;
/** What the terminal shows now (plain text, no colours). */
const screen = () => tmux('capture-pane', '-p', '-t', 'setup');
/** Everything printed so far, wrapped lines joined. */
const history = () => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'setup');
const keys = (...k: string[]) => tmux('send-keys', '-t', 'setup', ...k);
const typeText = (text: string) => tmux('send-keys', '-t', 'setup', '-l', text);

async function until(what: string, check: (s: string) => boolean, o: { timeoutMs?: number; all?: boolean } = {}): Promise<string> {
  let last = '';
  try {
    return await waitFor(
      async () => {
        last = o.all ? await history() : await screen();
        return check(last) ? last : undefined;
      },
      { what, timeoutMs: o.timeoutMs ?? 20_000, intervalMs: 50 },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- terminal ---\n${last}`);
  }
}

/** The question whose `in scripts:` line is `flag` is on screen and listening for keys. */
const asking = (flag: string) => until(`the question for ${flag}`, (s) => s.split('\n').some((l) => l.trimEnd() === `  in scripts: ${flag}`));
const pointed = (s: string) => s.split('\n').find((l) => l.startsWith('❯')) ?? '';
const answered = (title: string) => until(`"${title}" to be answered`, (s) => s.split('\n').some((l) => l.startsWith(`✔ ${title} · `)));

/** Moves the pointer down to the option containing `label`, checking each move on screen, and picks it. */
async function choose(flag: string, title: string, label: string): Promise<void> {
  let s = await asking(flag);
  for (let i = 0; i < 8 && !pointed(s).includes(label); i++) {
    const before = pointed(s);
    await keys('Down');
    s = await until(`the pointer to leave "${before}"`, (x) => pointed(x) !== before);
  }
  expect(pointed(s), s).toContain(label);
  await keys('Enter');
  await answered(title);
}

async function accept(flag: string, title: string): Promise<string> {
  const s = await asking(flag);
  await keys('Enter');
  await answered(title);
  return s;
}

/** Ink puts the terminal in raw mode once a prompt reads keys; before that, keys would be echoed and line-buffered. */
async function rawMode(): Promise<void> {
  const tty = (await tmux('display-message', '-p', '-t', 'setup', '#{pane_tty}')).trim();
  await waitFor(async () => / -icanon /.test((await exec('stty', ['-a', '-F', tty])).stdout.replace(/\n/g, ' ')), { what: `raw mode on ${tty}`, timeoutMs: 10_000, intervalMs: 50 });
}

function handshake(o: { hostPort: string; servername: string; ca: string }) {
  const i = o.hostPort.lastIndexOf(':');
  return new Promise<{ protocol: string | null; alpn: string | false | null; authorized: boolean; error: string | null; serial: string }>((resolve, reject) => {
    const s = tls.connect(
      // What the vibectl client does: TLS 1.3 only, h2 (gRPC), and only the CA it was given.
      { host: o.hostPort.slice(0, i), port: Number(o.hostPort.slice(i + 1)), servername: o.servername, ca: o.ca, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', ALPNProtocols: ['h2'], rejectUnauthorized: false },
      () => {
        resolve({ protocol: s.getProtocol(), alpn: s.alpnProtocol, authorized: s.authorized, error: s.authorizationError ? String(s.authorizationError) : null, serial: s.getPeerX509Certificate()?.serialNumber ?? '' });
        s.end();
      },
    );
    s.once('error', reject);
  });
}

beforeAll(async () => {
  mkdirSync(config, { recursive: true });
  await exec('tmux', ['-V']).catch(() => {
    throw new Error('tmux is not installed: run scripts/install-system-deps.sh');
  });
  bin = await buildPlugin();
  sandbox = spawnManaged({
    name: 'sandbox',
    command: process.execPath,
    args: [join(root, 'scripts', 'sandbox.mjs'), '--skip-prepare'],
    cwd: root,
    env: { ...process.env, XDG_STATE_HOME: state, NO_COLOR: '1' },
  });
  const file = join(state, 'vibectl-tls', 'sandbox', 'sandbox.json');
  await waitFor(async () => existsSync(file), { what: 'sandbox.json', proc: sandbox, timeoutMs: 150_000, intervalMs: 200 });
  info = JSON.parse(readFileSync(file, 'utf8')) as SandboxJson;
  kube = await openKube({ kubeconfig: info.kubeconfig });

  // CI disables prompting; the pane must look like a person's terminal. The shell keeps the pane
  // (and its output) after setup exits, and reports the exit status.
  const command = `env -u CI -u NO_COLOR XDG_CONFIG_HOME='${config}' '${process.execPath}' '${bin}' setup --kubeconfig '${info.kubeconfig}' -n ${info.namespace}; echo "[setup exited $?]"; exec sleep 600`;
  await tmux('new-session', '-d', '-s', 'setup', '-x', '160', '-y', '50', '-c', work, command);
  socketPath = (await tmux('display-message', '-p', '#{socket_path}')).trim();
}, 240_000);

afterAll(async () => {
  await tmux('kill-server').catch(() => undefined);
  if (socketPath) rmSync(socketPath, { force: true }); // tmux 3.3 leaves the socket file behind
  await sandbox?.stop(30_000);
  rmSync(work, { recursive: true, force: true });
});

it('private CA for the stand-in vibectl-server, chosen in a real terminal, ends in a verified TLS 1.3 handshake', async () => {
  // The wizard opens with what it found in the sandbox.
  const first = await asking('--audience public|internal|both');
  expect(first).toMatch(/cert-manager\s+installed v\d+\.\d+\.\d+/);
  expect(first).toMatch(/targets\s+deployment\/vibectl-server/);

  await choose('--audience public|internal|both', 'Who connects to this service?', 'Only clients inside');
  await choose('--issuer letsencrypt|letsencrypt-staging|zerossl|google|acme|private-ca|selfsigned-bootstrap', 'Which certificate authority?', 'Private CA (create');
  await choose('--ca-dir DIR (an existing CA directory is used as is)', 'Create a new private CA or import an existing one?', 'Create a new root');
  // cert-manager is installed in the sandbox, so it is preselected: the pointer has to move.
  await choose('--via cert-manager|built-in', 'Who renews the certificate?', 'Built-in');

  await asking('--domain NAME (repeatable)');
  await typeText(DOMAIN);
  await until('the typed name', (s) => s.includes(`› ${DOMAIN}`));
  await keys('Enter');
  await answered('DNS names for the certificate');

  const caDir = join(config, 'vibectl-tls', 'ca');
  expect(await accept('--ca-dir DIR', 'Directory of the private CA')).toContain(`default: ${caDir}`);
  await choose('--target KIND/NAME', 'Which workload serves TLS with this certificate?', 'deployment/vibectl-server');
  expect(await accept('--secret-name NAME', 'Name of the TLS Secret')).toContain('default: vibectl-server-tls');
  await accept('--key-algorithm ecdsa-p256|ecdsa-p384|rsa-2048|rsa-3072|rsa-4096', 'Key algorithm');
  await accept('--tls-profile intermediate|modern', 'TLS profile');
  await accept('--trust-output pem|pkcs12|configmap|bundle (repeatable)', 'How do clients get the CA to trust?');

  // The plan, then the confirmation.
  const plan = await until('the confirmation', (s) => s.includes('? Apply 4 steps? (Y/n)'), { all: true });
  expect(plan).toContain(`Issue a certificate for ${DOMAIN} into Secret vibectl/vibectl-server-tls`);
  expect(plan).toContain('Mount Secret vibectl/vibectl-server-tls into deployment/vibectl-server');
  expect(plan).toContain('+ create    ConfigMap vibectl/vibectl-tls-ca-bundle');
  await rawMode();
  await keys('y');

  const done = await until('setup to finish', (s) => /\[setup exited \d+\]/.test(s), { all: true, timeoutMs: 60_000 });
  expect(done).toContain('[setup exited 0]');
  expect(done).toContain('✔ Apply 4 steps? · yes');
  for (const task of [
    `✔ Create the private CA in ${caDir}`,
    '✔ Issue and deliver Secret vibectl/vibectl-server-tls',
    '✔ Publish the CA bundle (ConfigMap vibectl/vibectl-tls-ca-bundle)',
    '✔ Mount Secret vibectl/vibectl-server-tls into deployment/vibectl-server',
  ]) {
    expect(done).toContain(task);
  }
  expect(done).toContain('✔ doctor: no errors');
  const lineAfter = (heading: string) => {
    const lines = done.split('\n');
    return (lines[lines.findIndex((l) => l.includes(heading)) + 1] ?? '').trim();
  };
  const reproduce = lineAfter('Run it again without prompts:');
  expect(reproduce).toBe(lineAfter('Reproduce without prompts:'));
  expect(reproduce).toMatch(/^kubectl vibectl-tls setup -n vibectl /);
  for (const flag of ['--issuer private-ca', '--via built-in', `--domain ${DOMAIN}`, `--ca-dir ${caDir}`, '--target deployment/vibectl-server', '--secret-name vibectl-server-tls', '--trust-output configmap', '--non-interactive --yes']) {
    expect(reproduce).toContain(flag);
  }
  // Nothing of the terminal control sequences leaked as text (capture-pane shows only what a person sees).
  expect(done).not.toMatch(/\[\?25[hl]|\[\d+(;\d+)*m|\[\d*[ABCDGJK]/);

  // The root key stayed on this machine, 0600.
  expect(statSync(join(caDir, 'root.key')).mode & 0o777).toBe(0o600);

  // The stand-in pod picks up the mounted Secret (it polls, like the kubelet syncing a volume).
  const cm = await kube.get<KubeObject & { data?: Record<string, string> }>(path(R.configmaps, { namespace: info.namespace, name: 'vibectl-tls-ca-bundle' }));
  const bundle = cm?.data?.['ca.crt'] ?? '';
  expect(bundle).toContain('BEGIN CERTIFICATE');
  expect(bundle).not.toContain('PRIVATE KEY');
  const secret = await kube.get<KubeObject & { data?: Record<string, string> }>(path(R.secrets, { namespace: info.namespace, name: info.secret }));
  const delivered = new X509Certificate(Buffer.from(secret?.data?.['tls.crt'] ?? '', 'base64').toString('utf8'));
  const served = await waitFor(
    async () => {
      const r = await handshake({ hostPort: info.endpoint.hostPort, servername: DOMAIN, ca: bundle });
      return r.serial === delivered.serialNumber ? r : undefined;
    },
    { what: `the stand-in server to serve serial ${delivered.serialNumber}`, timeoutMs: 15_000, intervalMs: 200 },
  );
  expect(served).toEqual({ protocol: 'TLSv1.3', alpn: 'h2', authorized: true, error: null, serial: delivered.serialNumber });

  // The sandbox's original CA no longer vouches for what the server presents: the bundle is what verifies.
  const old = await handshake({ hostPort: info.endpoint.hostPort, servername: DOMAIN, ca: readFileSync(info.endpoint.caFile, 'utf8') });
  expect(old.authorized).toBe(false);
  // And the bundle does not vouch for another name.
  const wrongName = await handshake({ hostPort: info.endpoint.hostPort, servername: 'other.example.test', ca: bundle });
  expect(wrongName.authorized).toBe(false);

  // The printed command is a real one: run as printed (no TTY, CI set), it finds nothing to change.
  const again = await exec(process.execPath, [bin, ...reproduce.split(' ').slice(2), '--kubeconfig', info.kubeconfig, '-o', 'json'], { env: { ...process.env, CI: '1', NO_COLOR: '1' }, timeout: 60_000 });
  const rerun = JSON.parse(again.stdout) as { ok: boolean; plan: { upToDate: boolean }; applied: unknown[] };
  expect(rerun).toMatchObject({ ok: true, plan: { upToDate: true }, applied: [] });
  expect((await handshake({ hostPort: info.endpoint.hostPort, servername: DOMAIN, ca: bundle })).serial).toBe(delivered.serialNumber);
});
