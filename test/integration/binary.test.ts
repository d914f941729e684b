// The self-contained binary (Node 26 single-executable application) against the Node-20 run of
// the same sources: CLI behaviour, `context` on the real control plane, and a `doctor --endpoint`
// scan of loopback TLS servers must match. Then the linux/amd64 archive goes through a real krew
// (`kubectl krew install --manifest --archive`) and runs as `kubectl vibectl-tls` with no node on
// PATH, and kubectl's plugin completion reaches the shipped helper.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { X509Certificate } from 'node:crypto';
import { cacheDir, createCa, freePort, issueCert, makeDir, program, startControlPlane, startDns, startPebble, stopAll, type ControlPlane } from '../harness/index.js';
import { validateKrewManifest } from '../../scripts/package/krew-manifest.mjs';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: opts.env ?? { ...process.env, NO_COLOR: '1' }, cwd: opts.cwd ?? root, maxBuffer: 16 << 20, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let out: string;
let binary: string;
let archive: string;
let cp: ControlPlane;
const servers: Server[] = [];
let endpoints: string[] = [];
let caBundle: string;

const viaNode = (args: string[]) => run(process.execPath, [join(root, 'bin', 'kubectl-vibectl_tls'), ...args]);
const viaBinary = (args: string[]) => run(binary, args);

async function tlsServer(pair: { certPem: string; keyPem: string }): Promise<number> {
  const server = createServer({ cert: pair.certPem, key: pair.keyPem }, (socket) => socket.end());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  out = makeDir('package-');
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'package.mjs'), '--targets', 'linux-amd64', '--out', out], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run package failed:\n${built.stderr}`);
  binary = join(out, 'build', 'linux-amd64', 'kubectl-vibectl_tls');
  archive = join(out, `vibectl-tls_v${pkg.version}_linux_amd64.tar.gz`);

  const ca = await createCa('binary-test CA');
  const other = await createCa('someone else');
  const dir = makeDir('binary-tls-');
  caBundle = join(dir, 'ca.pem');
  writeFileSync(caBundle, ca.certPem);
  const good = await tlsServer(await issueCert(ca, { commonName: 'app.test', dnsNames: ['app.test'], usage: 'server' }));
  const bad = await tlsServer(await issueCert(other, { commonName: 'other.test', dnsNames: ['other.test'], usage: 'server' }));
  endpoints = [`127.0.0.1:${good}/app.test`, `127.0.0.1:${bad}/app.test`];

  cp = await startControlPlane();
}, 600_000);

afterAll(async () => {
  for (const s of servers) s.close();
  await stopAll();
});

/** The finding codes and severities of a doctor JSON report, in order, wherever they sit. */
function findings(report: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.code === 'string') found.push(`${o.code}:${String(o.severity ?? o.status ?? o.level ?? '')}`);
      Object.values(o).forEach(walk);
    }
  };
  walk(report);
  return found;
}

describe('the self-contained binary', () => {
  it('embeds Node 26 and reports the package version', async () => {
    const r = await viaBinary(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`vibectl-tls/${pkg.version} linux-x64 node-v26.10.0`);
    const v = await viaBinary(['version', '-o', 'json', '--kubeconfig', join(out, 'none')]);
    expect(v.code).toBe(0);
    const report = JSON.parse(v.stdout) as { plugin: string; node: string };
    expect(report).toMatchObject({ plugin: pkg.version, node: 'v26.10.0' });
    expect(v.stderr).toBe('');
  });

  it('prints the same help, command by command, as the Node-20 run', async () => {
    const strip = (s: string) => s.replace(/vibectl-tls\/\S+ \S+ node-v[\d.]+/, 'VERSION');
    for (const args of [['--help'], ['version', '--help'], ['context', '--help'], ['doctor', '--help']]) {
      const [a, b] = await Promise.all([viaNode(args), viaBinary(args)]);
      expect(b.code, args.join(' ')).toBe(a.code);
      expect(strip(b.stdout), args.join(' ')).toBe(strip(a.stdout));
    }
  });

  it('fails like the Node-20 run on an unknown command and an unknown flag', async () => {
    for (const args of [['no-such-command'], ['version', '--no-such-flag'], ['version', '-o', 'xml']]) {
      const [a, b] = await Promise.all([viaNode(args), viaBinary(args)]);
      expect(a.code, args.join(' ')).not.toBe(0);
      expect(b.code, args.join(' ')).toBe(a.code);
      expect(b.stderr.trim(), args.join(' ')).toBe(a.stderr.trim());
    }
  });

  it('reads the real cluster in `context` exactly as the Node-20 run does', async () => {
    const args = ['context', '-o', 'json', '--kubeconfig', cp.kubeconfigPath];
    const [a, b] = await Promise.all([viaNode(args), viaBinary(args)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const facts = JSON.parse(b.stdout) as { kubernetes?: unknown };
    expect(JSON.stringify(facts)).toContain(cp.version);
    expect(facts).toEqual(JSON.parse(a.stdout));
  });

  it('finds the same things on loopback TLS endpoints as the Node-20 run (doctor --endpoint)', async () => {
    const args = ['doctor', ...endpoints.flatMap((e) => ['--endpoint', e]), '--ca-bundle', caBundle, '-o', 'json', '--kubeconfig', join(out, 'none')];
    const [a, b] = await Promise.all([viaNode(args), viaBinary(args)]);
    expect(a.code, a.stderr).toBe(1); // the second server's certificate is not trusted
    expect(b.code, b.stderr).toBe(a.code);
    const fa = findings(JSON.parse(a.stdout));
    expect(fa.length).toBeGreaterThan(0);
    expect(findings(JSON.parse(b.stdout))).toEqual(fa);
  });

  it('issues a certificate with `acme issue` from Pebble (acme-client and axios bundled, per-client CA bundle)', async () => {
    const dns = await startDns();
    const httpPort = await freePort();
    const pebble = await startPebble({ dnsServer: dns.hostPort, httpPort });
    const config = makeDir('binary-acme-');
    const outDir = join(config, 'tls');
    const r = await run(
      binary,
      ['acme', 'issue', 'bin.example.test', '--acme-server', pebble.directoryUrl, '--acme-ca-bundle', pebble.caFile, '--email', 'ops@example.org', '--dns-resolver', dns.hostPort,
        '--standalone', '--http-port', String(httpPort), '--challenge-port', String(httpPort), '--out', outDir, '-o', 'json'],
      { env: { ...process.env, NO_COLOR: '1', VIBECTL_TLS_CONFIG_DIR: config } },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ names: ['bin.example.test'], account: { created: true } });
    const chain = readFileSync(join(outDir, 'tls.crt'), 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    const leaf = new X509Certificate(chain[0] ?? '');
    expect(leaf.subjectAltName).toBe('DNS:bin.example.test');
    expect(leaf.verify(new X509Certificate(chain[1] ?? '').publicKey)).toBe(true);
    await pebble.stop();
    await dns.stop();
  });

  it('answers the completion protocol from its built-in command table', async () => {
    const r = await viaBinary(['__complete', 'version', '--output', '']);
    expect(r.stdout).toBe('text\njson\nyaml\n:4\n');
    const top = await viaBinary(['__complete', '']);
    expect(top.stdout).toMatch(/^context\t/m);
    expect(top.stdout.trim().split('\n').at(-1)).toBe(':4');
  });
});

describe('plugin.yaml', () => {
  it("passes krew's own validate-krew-manifest and our rules", async () => {
    const manifestFile = join(out, 'plugin.yaml');
    const manifest = parse(readFileSync(manifestFile, 'utf8')) as { spec: { platforms: { sha256: string; uri: string }[] } };
    expect(validateKrewManifest(manifest)).toEqual([]);
    const tool = validateTool();
    // krew requires the file to be named after the plugin.
    const named = join(makeDir('krew-manifest-'), 'vibectl-tls.yaml');
    writeFileSync(named, readFileSync(manifestFile));
    const r = await run(tool, ['-manifest', named, '-skip-install']);
    expect(r.code, r.stderr).toBe(0);
    const committed = join(makeDir('krew-committed-'), 'vibectl-tls.yaml');
    writeFileSync(committed, readFileSync(join(root, 'plugin.yaml')));
    const c = await run(tool, ['-manifest', committed, '-skip-install']);
    expect(c.code, c.stderr).toBe(0);
  });
});

describe('krew', () => {
  it('installs the linux/amd64 archive; kubectl vibectl-tls then runs with no node on PATH', async () => {
    const krewRoot = makeDir('krew-root-');
    const tools = makeDir('krew-tools-');
    symlinkSync(program('kubectl').path, join(tools, 'kubectl'));
    symlinkSync(program('krew').path, join(tools, 'kubectl-krew'));
    const env = { PATH: `${join(krewRoot, 'bin')}:${tools}`, KREW_ROOT: krewRoot, HOME: krewRoot, NO_COLOR: '1' };
    expect(spawnSync('sh', ['-c', 'command -v node'], { env }).status).not.toBe(0);

    const install = await run(program('kubectl').path, ['krew', 'install', `--manifest=${join(out, 'plugin.yaml')}`, `--archive=${archive}`], { env });
    expect(install.code, install.stderr + install.stdout).toBe(0);
    expect(install.stdout + install.stderr).toContain('Installed plugin: vibectl-tls');
    const store = join(krewRoot, 'store', 'vibectl-tls', `v${pkg.version}`);
    expect(existsSync(join(store, 'LICENSE'))).toBe(true);

    const kubectl = (args: string[]) => run(program('kubectl').path, args, { env });
    const v = await kubectl(['vibectl-tls', 'version', '-o', 'json', '--kubeconfig', cp.kubeconfigPath]);
    expect(v.code, v.stderr).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ plugin: pkg.version, node: 'v26.10.0', kubernetes: { reachable: true, server: cp.version } });

    const ctx = await kubectl(['vibectl-tls', 'context', '-o', 'json', '--kubeconfig', cp.kubeconfigPath]);
    expect(ctx.code, ctx.stderr).toBe(0);
    expect(ctx.stdout).toContain(cp.version);

    const d = await kubectl(['vibectl-tls', 'doctor', '--endpoint', endpoints[0] ?? '', '--ca-bundle', caBundle, '-o', 'json', '--kubeconfig', join(out, 'none')]);
    expect([0, 1], d.stderr).toContain(d.code);
    expect(findings(JSON.parse(d.stdout)).length).toBeGreaterThan(0);

    // kubectl's plugin completion: the helper from the archive, on PATH.
    const bin = makeDir('complete-bin-');
    symlinkSync(join(store, 'kubectl_complete-vibectl_tls'), join(bin, 'kubectl_complete-vibectl_tls'));
    const comp = await run(program('kubectl').path, ['__complete', 'vibectl-tls', ''], { env: { ...env, PATH: `${env.PATH}:${bin}` } });
    expect(comp.code, comp.stderr).toBe(0);
    expect(comp.stdout).toMatch(/^context\t/m);
    expect(comp.stdout).toMatch(/^version\t/m);
    const flags = await run(program('kubectl').path, ['__complete', 'vibectl-tls', 'version', '-o', ''], { env: { ...env, PATH: `${env.PATH}:${bin}` } });
    expect(flags.stdout.split('\n').slice(0, 3)).toEqual(['text', 'json', 'yaml']);
  });
});

/** krew's validate-krew-manifest, built once from the krew module the harness pins. */
function validateTool(): string {
  const krew = program('krew');
  const dir = join(cacheDir(), 'bin', `krew-${krew.version}`);
  const tool = join(dir, 'validate-krew-manifest');
  if (existsSync(tool)) return tool;
  mkdirSync(dir, { recursive: true });
  const go = existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go';
  const r = spawnSync(go, ['build', '-mod=readonly', '-trimpath', '-ldflags=-s -w', '-o', `${tool}.tmp`, 'sigs.k8s.io/krew/cmd/validate-krew-manifest'], {
    cwd: join(root, 'test', 'harness', 'krew'),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`building validate-krew-manifest failed:\n${r.stderr}`);
  spawnSync('mv', [`${tool}.tmp`, tool]);
  return tool;
}
