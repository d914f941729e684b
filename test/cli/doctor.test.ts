// `doctor` from the outside: exit codes, one JSON document on stdout, linkerd-style text with
// docs links, --fail-on, --print-rbac, and usage errors — against real loopback TLS servers.
import https from 'node:https';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUILD_TIMEOUT_MS, builtCli, runCli } from './run.js';
import { makePki } from '../support/doctor-pki.js';

let goodPort: number;
let legacyPort: number;
const servers: https.Server[] = [];

async function serve(opts: https.ServerOptions, headers: Record<string, string> = {}): Promise<number> {
  const s = https.createServer(opts, (_req, res) => {
    res.writeHead(200, headers);
    res.end('ok');
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

beforeAll(async () => {
  const [pki] = await Promise.all([makePki('CLI Doctor'), builtCli()]);
  const leaf = await pki.leaf({ cn: 'app.test', dnsNames: ['app.test'] });
  const cert = leaf.certPem + pki.intermediate.certPem;
  goodPort = await serve({ key: leaf.keyPem, cert, minVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' }, { 'strict-transport-security': 'max-age=63072000; includeSubDomains' });
  legacyPort = await serve({ key: leaf.keyPem, cert, minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
}, BUILD_TIMEOUT_MS);

afterAll(() => {
  for (const s of servers) s.close();
});

describe('doctor command', () => {
  it('-o json: one document, results with code/status/hint/docsUrl/objects; exit 1 when a check errs', async () => {
    const r = await runCli(['doctor', '--endpoint', `127.0.0.1:${legacyPort}/app.test`, '-o', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { kind: string; success: boolean; results: Array<Record<string, unknown>>; endpoints: Array<{ grade: { grade: string } }> };
    expect(doc.kind).toBe('doctor');
    expect(doc.success).toBe(false);
    const tls102 = doc.results.find((x) => x.code === 'TLS102')!;
    expect(tls102).toMatchObject({
      category: 'protocols',
      status: 'error',
      docsUrl: expect.stringMatching(/troubleshooting\.md#tls102$/),
      hint: expect.stringContaining('TLS 1.2'),
      objects: [{ kind: 'Endpoint', name: `127.0.0.1:${legacyPort}/app.test` }],
    });
    expect(doc.endpoints[0]!.grade.grade).not.toMatch(/^A/);
  });

  it('text: ✔ / ✖ lines, the fix and the docs link under a failure, a summary line', async () => {
    const r = await runCli(['doctor', '--endpoint', `127.0.0.1:${legacyPort}/app.test`, '--no-color']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✔ endpoint answers with a TLS handshake \[TLS101\]/m);
    expect(r.stdout).toMatch(/^✖ TLS 1\.0 and 1\.1 are not offered \[TLS102\]\n {4}TLS 1\.0 and TLS 1\.1 offered/m);
    expect(r.stdout).toContain('see https://github.com/vibectl/vibectl-tls/blob/main/docs/troubleshooting.md#tls102 for hints');
    expect(r.stdout).toMatch(/^Status check results are ✖ {2}\d+ errors?, /m);
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('a private CA is untrusted without --ca-bundle (TLS122); an unreadable or empty bundle is invalid input (exit 3)', async () => {
    const probe = await runCli(['doctor', '--endpoint', `127.0.0.1:${goodPort}/app.test`, '-o', 'json']);
    expect(probe.code).toBe(1);
    const doc = JSON.parse(probe.stdout) as { results: Array<{ code: string; status: string }> };
    expect(doc.results.find((x) => x.code === 'TLS122')!.status).toBe('error');
    const dir = mkdtempSync(join(tmpdir(), 'doctor-cli-'));
    // No bundle file yet: an unreadable --ca-bundle is invalid input (exit 3).
    const missing = await runCli(['doctor', '--endpoint', `127.0.0.1:${goodPort}/app.test`, '--ca-bundle', join(dir, 'nope.pem')]);
    expect(missing.code).toBe(3);
    writeFileSync(join(dir, 'garbage.pem'), 'not a bundle');
    expect((await runCli(['doctor', '--endpoint', `127.0.0.1:${goodPort}/app.test`, '--ca-bundle', join(dir, 'garbage.pem')])).code).toBe(3);
  });

  it('--fail-on warning turns a warning-only run into exit 1', async () => {
    // TLS 1.3 off and a CBC suite accepted: warnings (TLS103, TLS110) and, with the bundle, no error.
    const pki = await makePki('Warn');
    const leaf = await pki.leaf({ cn: 'w.test', dnsNames: ['w.test'] });
    const port = await serve({ key: leaf.keyPem, cert: leaf.certPem + pki.intermediate.certPem, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES128-GCM-SHA256' }, { 'strict-transport-security': 'max-age=63072000; includeSubDomains' });
    const bundle = join(mkdtempSync(join(tmpdir(), 'doctor-cli-')), 'root.pem');
    writeFileSync(bundle, pki.root.certPem);
    const args = ['doctor', '--endpoint', `127.0.0.1:${port}/w.test`, '--ca-bundle', bundle, '-o', 'json'];
    const lenient = await runCli(args);
    const doc = JSON.parse(lenient.stdout) as { summary: { error: number; warning: number } };
    expect(doc.summary.error).toBe(0);
    expect(doc.summary.warning).toBeGreaterThan(0);
    expect(lenient.code).toBe(0);
    expect((await runCli([...args, '--fail-on', 'warning'])).code).toBe(1);
  });

  it('a malformed --endpoint is a usage error (exit 2) naming the expected form', async () => {
    const r = await runCli(['doctor', '--endpoint', 'https://host:99999999']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not HOST:PORT\[\/SNI\]|out of range/);
  });

  it('--print-rbac prints a read-only ClusterRole without touching a cluster', async () => {
    const r = await runCli(['doctor', '--print-rbac']);
    expect(r.code).toBe(0);
    const role = parse(r.stdout) as { kind: string; rules: Array<{ resources: string[]; verbs: string[] }> };
    expect(role.kind).toBe('ClusterRole');
    expect(role.rules.flatMap((x) => x.verbs)).not.toContain('create');
    expect(role.rules.flatMap((x) => x.resources)).toContain('secrets');
  });
});
