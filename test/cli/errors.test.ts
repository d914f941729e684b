// How failures look from the outside: exit codes, one-line messages with a next step, stack traces
// only on request, JSON error documents for scripts, and no colour when asked for none.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, builtCli, kubeconfigFor, runCli } from './run.js';
import { waitFor } from '../support/frames.js';

beforeAll(() => builtCli(), BUILD_TIMEOUT_MS);

const dir = mkdtempSync(join(tmpdir(), 'vibectl-tls-cli-'));
const ESC = '\u001b';
const STACK_LINE = /^\s+at .+(:\d+:\d+\)?|native\)?)$/m;

function writeKubeconfig(name: string, server: string): string {
  const file = join(dir, name);
  writeFileSync(file, kubeconfigFor(server), { mode: 0o600 });
  return file;
}

/** A loopback port nothing listens on: bind an ephemeral port, then close it. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let closedKubeconfig: string;
let silent: Server;
let silentKubeconfig: string;
/** When the silent server accepted and lost each connection, to see how long the client waited. */
const silentConnections: Array<{ accepted: number; closed?: number }> = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  closedKubeconfig = writeKubeconfig('closed.yaml', `https://127.0.0.1:${await closedPort()}`);
  // Accepts TCP and never answers the TLS handshake: only the request timeout ends the wait.
  silent = createServer((socket) => {
    const entry: { accepted: number; closed?: number } = { accepted: Date.now() };
    silentConnections.push(entry);
    sockets.add(socket);
    socket.on('error', () => undefined);
    // Read (and drop) the ClientHello; a paused socket would never report the close.
    socket.resume();
    socket.on('close', () => {
      entry.closed = Date.now();
      sockets.delete(socket);
    });
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentKubeconfig = writeKubeconfig('silent.yaml', `https://127.0.0.1:${(silent.address() as AddressInfo).port}`);
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
});

describe('invalid input', () => {
  it('a missing kubeconfig is exit 3 and names the path', async () => {
    const r = await runCli(['context', '--kubeconfig', '/nonexistent/kubeconfig']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*\/nonexistent\/kubeconfig/);
    expect(r.stderr).toMatch(/^ {2}next: /m);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('KUBECONFIG is honoured the same way', async () => {
    const r = await runCli(['context'], { env: { KUBECONFIG: '/nonexistent/from-env' } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('/nonexistent/from-env');
  });
});

describe('cluster unreachable', () => {
  it('a closed loopback port is exit 4, one message with a next step, no stack trace', async () => {
    const r = await runCli(['context', '--kubeconfig', closedKubeconfig, '--request-timeout', '2s']);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:\d+/);
    expect(r.stderr).toMatch(/^ {2}next: /m);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr).not.toContain('TlsError');
  });

  it('a server that never answers is exit 4 once --request-timeout has passed, not later', async () => {
    const before = silentConnections.length;
    const r = await runCli(['context', '--kubeconfig', silentKubeconfig, '--request-timeout', '2s']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^error: cannot reach .* no answer within 2000 ms/);
    const mine = silentConnections.slice(before);
    // One attempt: an unreachable server stops the command instead of being asked again.
    expect(mine).toHaveLength(1);
    // The server learns of the close a moment after the client process has gone.
    await waitFor(() => mine[0]!.closed !== undefined, { what: 'the server to see the connection close' });
    // Measured at the server, so Node start-up and module loading do not count: the client gave
    // up about 2 s after connecting — not at twice the timeout, not never.
    const waited = mine[0]!.closed! - mine[0]!.accepted;
    expect(waited).toBeGreaterThanOrEqual(1900);
    expect(waited).toBeLessThan(3000);
  });

  it('--verbose adds the stack trace and its cause on stderr', async () => {
    const r = await runCli(['context', '--kubeconfig', closedKubeconfig, '--request-timeout', '2s', '--verbose']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^error: cannot reach/);
    expect(r.stderr).toMatch(STACK_LINE);
    expect(r.stderr).toMatch(/caused by: Error: connect ECONNREFUSED 127\.0\.0\.1:\d+/);
    expect(r.stdout).toBe('');
  });

  it('DEBUG=1 shows the stack trace too', async () => {
    const r = await runCli(['context', '--kubeconfig', closedKubeconfig], { env: { DEBUG: '1' } });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(STACK_LINE);
  });
});

describe('-o json errors', () => {
  it.each([
    ['missing kubeconfig', ['context', '--kubeconfig', '/nonexistent/kubeconfig', '-o', 'json'], 3, 'invalid-input'],
    ['unreachable cluster', ['context', '--kubeconfig', '', '-o', 'json'], 4, 'cluster-unreachable'],
    ['unknown flag', ['context', '--bogus', '--output', 'json'], 2, 'usage'],
  ])('%s: stdout is one JSON error document, the message is on stderr', async (_name, args, code, kind) => {
    const argv = args.map((a) => (a === '' ? closedKubeconfig : a));
    const r = await runCli(argv);
    expect(r.code).toBe(code);
    const doc = JSON.parse(r.stdout) as { error: { kind: string; message: string; hint: string | null; exitCode: number } };
    expect(doc.error.kind).toBe(kind);
    expect(doc.error.exitCode).toBe(code);
    expect(doc.error.message.length).toBeGreaterThan(0);
    expect(doc.error.hint).toEqual(expect.any(String));
    expect(r.stderr).toContain(`error: ${doc.error.message}`);
  });
});

describe('colour', () => {
  // FORCE_COLOR makes colour the default even in a pipe, so these tests can fail.
  const erroring = ['context', '--kubeconfig', '/nonexistent/kubeconfig'];

  it('FORCE_COLOR alone colours the error (the control for the cases below)', async () => {
    const r = await runCli(erroring, { env: { FORCE_COLOR: '1' } });
    expect(r.stderr).toContain(ESC);
  });

  it.each([
    ['NO_COLOR=1', erroring, { NO_COLOR: '1' }],
    ['--no-color', [...erroring, '--no-color'], {}],
    ['NO_COLOR=1 on help', ['--help'], { NO_COLOR: '1' }],
    ['--no-color on command help', ['context', '--help', '--no-color'], {}],
    ['NO_COLOR=1 on version', ['version', '--kubeconfig', '/nonexistent/kubeconfig'], { NO_COLOR: '1' }],
    ['--no-color on version', ['version', '--kubeconfig', '/nonexistent/kubeconfig', '--no-color'], {}],
  ])('%s: no ANSI escapes on stdout or stderr', async (_name, args, env) => {
    const r = await runCli(args, { env: { FORCE_COLOR: '1', ...env } });
    expect(r.stdout + r.stderr).not.toContain(ESC);
  });
});
