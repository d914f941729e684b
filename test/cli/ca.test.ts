// The `ca` commands as a user runs them: exit codes, JSON on stdout, next steps on stderr, and no
// private key ever printed.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, builtCli, runCli } from './run.js';

beforeAll(() => builtCli(), BUILD_TIMEOUT_MS);

const dir = mkdtempSync(join(tmpdir(), 'vibectl-tls-cli-ca-'));
const caDir = join(dir, 'ca');
const ca = (...args: string[]) => runCli(['ca', ...args, '--ca-dir', caDir], { env: { NO_COLOR: '1' } });

describe('ca commands', () => {
  it('init creates the CA with private directories and keys; a second init refuses with the way out', async () => {
    const r = await ca('init');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('CA created');
    expect(statSync(caDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(caDir, 'root.key')).mode & 0o777).toBe(0o600);
    const again = await ca('init');
    expect(again.code).toBe(6);
    expect(again.stderr).toMatch(/error: a CA already exists[\s\S]*next: .*--force/);
  });

  it('issue -o json prints one JSON document with the files, and never the key', async () => {
    const r = await ca('issue', 'api.example.test', '--san', '10.0.0.5', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { issued: Array<{ name: string; sans: string[]; files: { cert: string; key: string } }> };
    expect(doc.issued[0]!.sans).toEqual(['DNS:api.example.test', 'IP:10.0.0.5']);
    expect(r.stdout + r.stderr).not.toContain('PRIVATE KEY');
    expect(readFileSync(doc.issued[0]!.files.key, 'utf8')).toContain('PRIVATE KEY');
    expect(statSync(doc.issued[0]!.files.key).mode & 0o777).toBe(0o600);
  });

  it('bad input: invalid host name and too-long validity exit 3 with the reason', async () => {
    const bad = await ca('issue', 'bad_name.example.test');
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('underscores');
    const long = await ca('issue', 'x.example.test', '--validity', '2y');
    expect(long.code).toBe(3);
    expect(long.stderr).toContain('397-day maximum');
  });

  it('status exits 0 when all is valid and 1 once something expires within --days', async () => {
    const ok = await ca('status', '-o', 'json');
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).ok).toBe(true);
    expect((await ca('issue', 'short.example.test', '--validity', '7d')).code).toBe(0);
    const soon = await ca('status');
    expect(soon.code).toBe(1);
    expect(soon.stdout).toMatch(/short\.example\.test.*Expiring soon/);
    expect((await ca('status', '--days', '3')).code).toBe(0);
  });

  it('export: PEM to stdout, PKCS#12 needs --out, no key format exists', async () => {
    const pem = await ca('export');
    expect(pem.code).toBe(0);
    expect(pem.stdout.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    const p12 = await ca('export', '--format', 'pkcs12');
    expect(p12.code).toBe(2);
    expect(p12.stderr).toContain('--out');
    const out = join(dir, 'trust.p12');
    expect((await ca('export', '--format', 'pkcs12', '--out', out)).code).toBe(0);
    expect(statSync(out).size).toBeGreaterThan(500);
    expect((await ca('export', '--format', 'key')).code).toBe(2);
  });

  it('rotate (intermediate) re-issues the leaves; revoke marks one revoked and status fails', async () => {
    const r = await ca('rotate', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { stepsRun: string[]; reissued: Array<{ name: string }> };
    expect(doc.stepsRun).toEqual(['prepare', 'reissue', 'finish']);
    expect(doc.reissued.map((c) => c.name).sort()).toEqual(['api.example.test', 'short.example.test']);
    const rev = await ca('revoke', 'api.example.test');
    expect(rev.code, rev.stderr).toBe(0);
    const st = await ca('status', '--days', '3', '-o', 'json');
    expect(st.code).toBe(1);
    expect(JSON.parse(st.stdout).counts.Revoked).toBe(1);
    const twice = await ca('revoke', 'api.example.test');
    expect(twice.code).toBe(6);
  });

  it('a missing CA says how to create one', async () => {
    const r = await runCli(['ca', 'list', '--ca-dir', join(dir, 'nothing-here')], { env: { NO_COLOR: '1' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ca init');
  });
});
