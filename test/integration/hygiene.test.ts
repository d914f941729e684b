// Secret hygiene, end to end against the real API server: every command runs with --verbose and
// DEBUG=*, and everything it prints or writes is scanned for private key material. Only explicit
// key outputs (<name>.key files, the CA's own key files) may hold a key; they are 0600 in 0700
// directories. Certificate Secrets are kubernetes.io/tls with the managed-by label, and the root
// key reaches the cluster only with --include-root-key.
import { spawn, spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, stopAll, type ControlPlane } from '../harness/index.js';
import { builtCli, BUILD_TIMEOUT_MS } from '../cli/built.js';
import type { KubeClient, KubeObject } from '../../src/core/kube/client.js';
import { path, R } from '../../src/core/kube/paths.js';

interface Secret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}
interface Run {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}

let cp: ControlPlane;
let admin: KubeClient;
let bin: string;
const work = mkdtempSync(join(tmpdir(), 'vibectl-tls-hygiene-'));
const home = join(work, 'home');
const cwd = join(work, 'cwd');
const caDir = join(work, 'ca');
const caDir2 = join(work, 'ca-cluster-root');
const outDir = join(work, 'leaves');
const runs: Run[] = [];

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), KUBECONFIG: cp.kubeconfigPath, DEBUG: '*', NO_COLOR: '1', CI: '1' };
    delete env.VIBECTL_TLS_CA_DIR;
    const child = spawn(process.execPath, [bin, ...args, '--verbose'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const r = { args, code, stdout, stderr };
      runs.push(r);
      resolve(r);
    });
  });
}

async function ok(args: string[]): Promise<Run> {
  const r = await cli(args);
  expect(r.code, `${args.join(' ')}\n${r.stderr.slice(-3000)}`).toBe(0);
  return r;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    out.push(p);
    if (e.isDirectory()) out.push(...walk(p));
  }
  return out;
}

/** Markers of a PEM private key, as text and as the base64 a Secret or a debug dump would carry. */
const KEY_MARKERS = [/PRIVATE KEY-----/, /LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t/, /LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t/, /LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tL/, /LS0tLS1CRUdJTiBFTkNSWVBURUQgUFJJVkFURSBLRVktLS0tL/];

/** Distinctive fragments of every private key that exists, in the encodings they could leak in. */
function keyFragments(): string[] {
  const frags: string[] = [];
  for (const dir of [caDir, caDir2, outDir]) {
    for (const f of walk(dir).filter((p) => p.endsWith('.key'))) {
      const key = createPrivateKey(readFileSync(f));
      const der = key.export({ format: 'der', type: 'pkcs8' });
      // The private scalar only: an EC PKCS#8 also carries the public key, which certificates share.
      const d = Buffer.from(String(key.export({ format: 'jwk' }).d), 'base64url');
      const off = der.indexOf(d);
      const start = Math.ceil(off / 3) * 3;
      const end = Math.floor((off + d.length) / 3) * 3;
      // Base64 of the 3-byte-aligned middle of d is a substring of the PEM body and of base64(PEM) dumps.
      frags.push(der.subarray(start, end).toString('base64'), d.toString('hex'), d.toString('base64'));
    }
  }
  return frags;
}

function leaks(text: string, frags: string[]): string[] {
  return [...KEY_MARKERS.filter((m) => m.test(text)).map(String), ...frags.filter((f) => text.includes(f))];
}

beforeAll(async () => {
  for (const d of [home, cwd]) mkdirSync(d, { recursive: true });
  bin = (await builtCli()).bin;
  cp = await startControlPlane();
  admin = await cp.client('admin');
  await admin.create(path(R.namespaces), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
  await admin.create(path(R.deployments, { namespace: 'apps' }), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'apps' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'registry.example/web:1' }] } },
    },
  });
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await stopAll();
});

describe('secret hygiene with --verbose and DEBUG=*', () => {
  it('runs every command', async () => {
    await ok(['version']);
    await ok(['context']);
    await ok(['ca', 'init', '--ca-dir', caDir]);
    await ok(['ca', 'issue', 'app.apps.example.test', '--san', '10.0.0.5', '--ca-dir', caDir, '--out', outDir]);
    await ok(['ca', 'issue', 'alice', '--client', '--ca-dir', caDir, '--out', outDir, '-o', 'json']);
    await ok(['ca', 'issue', 'api.apps.example.test', '--ca-dir', caDir, '-n', 'apps', '--secret', 'api-tls', '-o', 'yaml']);
    await ok(['ca', 'list', '--ca-dir', caDir, '-o', 'json']);
    await ok(['ca', 'inspect', 'root', '--ca-dir', caDir, '-o', 'yaml']);
    await ok(['ca', 'inspect', join(outDir, 'app.apps.example.test.crt'), '--ca-dir', caDir]);
    const st = await cli(['ca', 'status', '--ca-dir', caDir]);
    expect([0, 1]).toContain(st.code);
    const pem = await ok(['ca', 'export', '--ca-dir', caDir]);
    expect(pem.stdout).toContain('BEGIN CERTIFICATE');
    await ok(['ca', 'export', '--ca-dir', caDir, '--format', 'pkcs12', '--out', join(cwd, 'truststore.p12')]);
    await ok(['ca', 'export', '--ca-dir', caDir, '--format', 'configmap', '-n', 'apps', '--apply']);
    await ok(['ca', 'export', '--ca-dir', caDir, '--format', 'crl', '--out', join(cwd, 'crl.pem')]);
    await ok(['trust', 'sync', '--ca-dir', caDir, '--target-namespace', 'apps', '--target-namespace', 'default']);
    await ok(['setup', '-n', 'apps', '--issuer', 'private-ca', '--via', 'built-in', '--domain', 'web.apps.example.test', '--target', 'deployment/web', '--ca-dir', caDir, '--trust-output', 'configmap', '--trust-output', 'pem', '--trust-output', 'pkcs12', '--yes']);
    await ok(['setup', '-n', 'apps', '--issuer', 'private-ca', '--via', 'built-in', '--domain', 'web.apps.example.test', '--target', 'deployment/web', '--ca-dir', caDir, '--trust-output', 'configmap', '--yes', '-o', 'json']);
    await ok(['setup', '--print-rbac']);
    await ok(['doctor', '--print-rbac']);
    const doc = await cli(['doctor', '-n', 'apps', '--secret', 'web-tls', '-o', 'json']);
    expect([0, 1]).toContain(doc.code);
    await ok(['doctor', '--inventory', '-A']);
    await ok(['ca', 'revoke', 'alice', '--ca-dir', caDir]);
    // A cluster-stored CA keeps its root key local unless asked.
    await ok(['ca', 'init', '--store', 'cluster', '--ca-namespace', 'vibectl-tls-system', '--ca-dir', caDir2]);
    await ok(['ca', 'issue', 'svc.apps.example.test', '--store', 'cluster', '--ca-namespace', 'vibectl-tls-system', '--ca-dir', caDir2, '--out', join(outDir, 'from-cluster')]);
    await ok(['renew', '--all', '--dry-run']);
    expect(runs.length).toBeGreaterThanOrEqual(20);
  });

  it('no output of any command holds private key material', () => {
    const frags = keyFragments();
    expect(frags.length).toBeGreaterThanOrEqual(10);
    for (const r of runs) {
      expect(leaks(r.stdout, frags), `stdout of ${r.args.join(' ')}`).toEqual([]);
      expect(leaks(r.stderr, frags), `stderr of ${r.args.join(' ')}`).toEqual([]);
    }
    // The scan can fail: the key files themselves are found by it.
    expect(leaks(readFileSync(join(outDir, 'app.apps.example.test.key'), 'utf8'), frags).length).toBeGreaterThan(0);
  });

  it('only explicit key files hold keys; they are 0600 in 0700 directories', () => {
    const frags = keyFragments();
    const files = [home, cwd, caDir, caDir2, outDir].flatMap(walk);
    expect(files.some((f) => f.endsWith('truststore.p12'))).toBe(true);
    for (const f of files) {
      const st = statSync(f);
      if (st.isDirectory()) continue;
      if (f.endsWith('.key')) {
        expect(st.mode & 0o777, `${f} mode`).toBe(0o600);
        const parent = statSync(join(f, '..'));
        expect(parent.mode & 0o077, `${join(f, '..')} is not shared with group/others`).toBe(0);
        continue;
      }
      const text = readFileSync(f).toString('latin1');
      expect(leaks(text, frags), `${f} holds key material`).toEqual([]);
    }
    // PKCS#12 trust stores hold certificates only: openssl finds no key bag in them.
    for (const p12 of files.filter((f) => f.endsWith('.p12'))) {
      const info = spawnSync('openssl', ['pkcs12', '-in', p12, '-info', '-noout', '-passin', 'pass:changeit'], { encoding: 'utf8' });
      expect(info.status, info.stderr).toBe(0);
      expect(info.stdout + info.stderr).toMatch(/Certificate bag/);
      expect(info.stdout + info.stderr).not.toMatch(/Key bag|Shrouded Keybag/i);
    }
    for (const d of [caDir, caDir2]) expect(statSync(d).mode & 0o077, d).toBe(0);
  });

  it('certificate Secrets are kubernetes.io/tls with the managed-by label; no Secret holds a root key', async () => {
    const secrets = await admin.list<Secret>(path(R.secrets));
    const withKeys = secrets.filter((s) => s.data?.['tls.key']);
    const names = withKeys.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`);
    expect(names).toEqual(expect.arrayContaining(['apps/api-tls', 'apps/web-tls']));
    for (const s of withKeys) {
      expect(s.type, `${names.join(',')}`).toBe('kubernetes.io/tls');
      expect(s.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('vibectl-tls');
    }
    // Trust bundles are ConfigMaps of certificates, never keys.
    const cms = await admin.list<KubeObject & { data?: Record<string, string> }>(path(R.configmaps));
    const frags = keyFragments();
    for (const cm of cms) expect(leaks(JSON.stringify(cm.data ?? {}), frags), `ConfigMap ${cm.metadata?.namespace}/${cm.metadata?.name}`).toEqual([]);
    expect(rootKeyHolders(secrets)).toEqual([]);
  });

  it('--include-root-key is the one way the root key reaches the cluster (the check can fail)', async () => {
    await admin.apply(path(R.namespaces, { name: 'with-root' }), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'with-root' } });
    await ok(['ca', 'init', '--store', 'cluster', '--ca-namespace', 'with-root', '--ca-dir', join(work, 'ca-with-root'), '--include-root-key', '--force']);
    const secrets = await admin.list<Secret>(path(R.secrets));
    const holders = rootKeyHolders(secrets);
    expect(holders.length).toBe(1);
    expect(holders[0]).toMatch(/^with-root\//);
  });
});

/** Secrets holding the private key of a root certificate (from the local CA dirs or a cluster CA Secret). */
function rootKeyHolders(secrets: Secret[], dirs = [caDir, caDir2, join(work, 'ca-with-root')]): string[] {
  const roots: X509Certificate[] = [];
  for (const d of dirs) {
    try {
      roots.push(new X509Certificate(readFileSync(join(d, 'root.crt'))));
    } catch {
      // this CA keeps its root certificate in the cluster only
    }
  }
  for (const s of secrets) if (s.data?.['root.crt']) roots.push(new X509Certificate(Buffer.from(s.data['root.crt'], 'base64')));
  const out = new Set<string>();
  for (const s of secrets) {
    for (const v of Object.values(s.data ?? {})) {
      const text = Buffer.from(v, 'base64').toString('utf8');
      for (const m of text.matchAll(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----/g)) {
        let key;
        try {
          key = createPrivateKey(m[0]);
        } catch {
          continue;
        }
        if (roots.some((r) => r.publicKey.asymmetricKeyType === key.asymmetricKeyType && r.checkPrivateKey(key))) out.add(`${s.metadata?.namespace}/${s.metadata?.name}`);
      }
    }
  }
  return [...out];
}
