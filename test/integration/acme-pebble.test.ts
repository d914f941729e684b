// `acme issue`, `acme account` and `renew` as a user runs them (the built binary), against the
// current Pebble and a real BIND: HTTP-01 standalone, DNS-01 over RFC2136 with TSIG, wildcards,
// profiles, half of all nonces rejected, errors users hit.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDns, type DnsServer } from '../harness/dns.js';
import { startPebble, type Pebble } from '../harness/pebble.js';
import { freePort } from '../harness/processes.js';
import { runCli, type RunResult } from '../cli/run.js';
import { localAccountPath } from '../../src/core/acme/account-store.js';

let dns: DnsServer;
let pebble: Pebble;
let httpPort: number;
let configDir: string;

beforeAll(async () => {
  dns = await startDns();
  httpPort = await freePort();
  // Half of all good nonces rejected: every issuance below must still succeed.
  pebble = await startPebble({ dnsServer: dns.hostPort, httpPort, nonceRejectPercent: 50 });
  configDir = mkdtempSync(join(tmpdir(), 'vtls-acme-'));
});

afterAll(async () => {
  await pebble?.stop();
  await dns?.stop();
});

function acme(args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
  return runCli(args, { env: { VIBECTL_TLS_CONFIG_DIR: configDir, ...extraEnv }, timeoutMs: 90_000 });
}

function common(): string[] {
  return ['--acme-server', pebble.directoryUrl, '--acme-ca-bundle', pebble.caFile, '--email', 'ops@example.org', '--dns-resolver', dns.hostPort];
}

function http01(): string[] {
  return ['--standalone', '--http-port', String(httpPort), '--challenge-port', String(httpPort)];
}

function rfc2136(): string[] {
  return ['--challenge', 'dns01', '--dns-provider', 'rfc2136', '--rfc2136-server', dns.hostPort, '--tsig-key-name', dns.tsig.name, '--tsig-secret-file', dns.tsig.secretFile];
}

function sans(certPem: string): string[] {
  return (new X509Certificate(certPem).subjectAltName ?? '').split(', ').map((s) => s.replace(/^DNS:/, '')).sort();
}

async function verifiesAgainstPebble(dir: string): Promise<void> {
  const chain = readFileSync(join(dir, 'tls.crt'), 'utf8');
  const certs = chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  expect(certs.length).toBeGreaterThanOrEqual(2);
  const root = new X509Certificate(await pebble.rootPem());
  const leaf = new X509Certificate(certs[0] as string);
  const inter = new X509Certificate(certs[1] as string);
  expect(leaf.verify(inter.publicKey)).toBe(true);
  expect(inter.verify(root.publicKey)).toBe(true);
}

describe('acme issue against the current Pebble', () => {
  it('issues over HTTP-01 standalone, saves the account once and reuses it', async () => {
    const out = join(configDir, 'out-http');
    const r = await acme(['acme', 'issue', 'app.example.test', 'www.example.test', ...common(), ...http01(), '--out', out, '-o', 'json']);
    expect(r.stderr).not.toMatch(/reading 'config'/);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.account.created).toBe(true);
    expect(sans(readFileSync(join(out, 'tls.crt'), 'utf8'))).toEqual(['app.example.test', 'www.example.test']);
    expect(statSync(join(out, 'tls.key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(out, 'tls.key'), 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
    // ECDSA P-256 by default.
    expect(new X509Certificate(readFileSync(join(out, 'tls.crt'), 'utf8')).publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    await verifiesAgainstPebble(out);
    const accountFile = localAccountPath(pebble.directoryUrl, { VIBECTL_TLS_CONFIG_DIR: configDir });
    expect(statSync(accountFile).mode & 0o777).toBe(0o600);

    const again = await acme(['acme', 'issue', 'app.example.test', ...common(), ...http01(), '--out', join(configDir, 'out-http2'), '-o', 'json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).account).toMatchObject({ created: false, url: report.account.url });
  });

  it('issues a wildcard with its apex over DNS-01 (RFC2136 + TSIG to BIND) and removes the TXT records', async () => {
    const out = join(configDir, 'out-wild');
    const r = await acme(['acme', 'issue', '*.example.test', 'example.test', ...common(), ...rfc2136(), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('issued a certificate for *.example.test, example.test');
    expect(sans(readFileSync(join(out, 'tls.crt'), 'utf8'))).toEqual(['*.example.test', 'example.test']);
    await verifiesAgainstPebble(out);
    expect(await dns.query('_acme-challenge.example.test', 'TXT')).toEqual([]);
  });

  it('follows a CNAME-delegated _acme-challenge name', async () => {
    // BIND refuses a CNAME next to other data, so create the delegation by update first.
    const up = await dns.nsupdate(['update add _acme-challenge.deleg.example.test. 60 CNAME deleg-target.example.test.']);
    expect(up.code, up.stderr).toBe(0);
    const r = await acme(['acme', 'issue', 'deleg.example.test', ...common(), ...rfc2136(), '--out', join(configDir, 'out-deleg')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('delegated by CNAME to deleg-target.example.test');
    expect(await dns.query('deleg-target.example.test', 'TXT')).toEqual([]);
  });

  it('refuses a wildcard over HTTP-01 before any order or account exists', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'vtls-acme-fresh-'));
    const r = await runCli(['acme', 'issue', '*.example.test', ...common(), ...http01(), '--out', join(fresh, 'o')], { env: { VIBECTL_TLS_CONFIG_DIR: fresh } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('can only be validated with DNS-01');
    expect(existsSync(join(fresh, 'acme'))).toBe(false);
  });

  it('honours --acme-profile when the directory lists it', async () => {
    const out = join(configDir, 'out-short');
    const r = await acme(['acme', 'issue', 'short.example.test', ...common(), ...http01(), '--acme-profile', 'shortlived', '--out', out, '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const cert = new X509Certificate(readFileSync(join(out, 'tls.crt'), 'utf8'));
    const hours = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 3_600_000;
    expect(hours).toBeGreaterThan(150);
    expect(hours).toBeLessThan(170);
  });

  it('shows the account as the CA sees it, then deactivates it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vtls-acme-acct-'));
    const env = { VIBECTL_TLS_CONFIG_DIR: dir };
    const args = ['--acme-server', pebble.directoryUrl, '--acme-ca-bundle', pebble.caFile];
    const none = await runCli(['acme', 'account', ...args, '-o', 'json'], { env });
    expect(none.code, none.stderr).toBe(0);
    expect(JSON.parse(none.stdout).found).toBe(false);
    const issued = await runCli(['acme', 'issue', 'acct.example.test', ...common(), ...http01(), '--out', join(dir, 'o')], { env, timeoutMs: 60_000 });
    expect(issued.code, issued.stderr).toBe(0);
    const shown = await runCli(['acme', 'account', 'show', ...args, '-o', 'json'], { env });
    expect(JSON.parse(shown.stdout).account).toMatchObject({ status: 'valid', contact: ['mailto:ops@example.org'] });
    const refused = await runCli(['acme', 'account', 'deactivate', ...args], { env });
    expect(refused.code).toBe(2);
    const gone = await runCli(['acme', 'account', 'deactivate', ...args, '-y', '-o', 'json'], { env });
    expect(gone.code, gone.stderr).toBe(0);
    expect(JSON.parse(gone.stdout).account.status).toBe('deactivated');
    expect(existsSync(localAccountPath(pebble.directoryUrl, env))).toBe(false);
  });
});

describe('errors users hit', () => {
  it('an unreachable ACME server: the real cause, never acme-client\'s TypeError', async () => {
    const port = await freePort();
    const r = await acme(['acme', 'issue', 'x.example.test', '--acme-server', `https://127.0.0.1:${port}/dir`, ...http01(), '--out', join(configDir, 'nope')]);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('refused the connection');
    expect(r.stderr).not.toMatch(/TypeError|reading 'config'/);
  });

  it('an invalid contact email is refused by the CA and named', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'vtls-acme-email-'));
    const r = await runCli(['acme', 'issue', 'x.example.test', '--acme-server', pebble.directoryUrl, '--acme-ca-bundle', pebble.caFile, '--email', 'not an email@', ...http01(), '--out', join(fresh, 'o')], {
      env: { VIBECTL_TLS_CONFIG_DIR: fresh },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('the CA refused the contact email');
    expect(r.stderr).toContain('--email');
    expect(existsSync(localAccountPath(pebble.directoryUrl, { VIBECTL_TLS_CONFIG_DIR: fresh }))).toBe(false);
  });

  it('an untrusted private ACME server names --acme-ca-bundle', async () => {
    const r = await acme(['acme', 'issue', 'x.example.test', '--acme-server', pebble.directoryUrl, ...http01(), '--out', join(configDir, 'nope')]);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('not trusted');
    expect(r.stderr).toContain('--acme-ca-bundle');
  });

  it('HTTP-01 self-check: says what answered instead (404 from another server)', async () => {
    const { createServer } = await import('node:http');
    const other = createServer((_q, s) => s.writeHead(404).end('nope'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    const otherPort = (other.address() as { port: number }).port;
    try {
      const r = await acme(['acme', 'issue', 'miss.example.test', ...common(), '--standalone', '--http-port', String(httpPort), '--challenge-port', String(otherPort), '--self-check-timeout', '2s', '--out', join(configDir, 'nope')]);
      expect(r.code).toBe(7);
      expect(r.stderr).toContain(`127.0.0.1:${otherPort} answers 404`);
    } finally {
      other.close();
    }
  });

  it('HTTP-01 self-check: a redirect to HTTPS is named as such', async () => {
    const { createServer } = await import('node:http');
    const other = createServer((q, s) => s.writeHead(301, { location: `https://${q.headers.host}${q.url}` }).end());
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    const otherPort = (other.address() as { port: number }).port;
    try {
      const r = await acme(['acme', 'issue', 'redir.example.test', ...common(), '--standalone', '--http-port', String(httpPort), '--challenge-port', String(otherPort), '--self-check-timeout', '1s', '--out', join(configDir, 'nope')]);
      expect(r.code).toBe(7);
      expect(r.stderr).toContain('redirects to HTTPS');
      expect(r.stderr).toContain('without redirecting');
    } finally {
      other.close();
    }
  });

  it('a wrong TSIG secret is reported as a signature problem', async () => {
    const bad = join(configDir, 'bad.secret');
    writeFileSync(bad, Buffer.alloc(32, 7).toString('base64'));
    const args = rfc2136();
    args[args.indexOf('--tsig-secret-file') + 1] = bad;
    const r = await acme(['acme', 'issue', 'tsig.example.test', ...common(), ...args, '--out', join(configDir, 'nope')]);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('BADSIG');
  });
});

describe('External Account Binding', () => {
  let eabPebble: Pebble;
  let eabPort: number;
  const kid = 'kid-1';
  const hmac = Buffer.alloc(32, 9).toString('base64url');

  beforeAll(async () => {
    eabPort = await freePort();
    eabPebble = await startPebble({ dnsServer: dns.hostPort, httpPort: eabPort, eabRequired: true, eabKeys: { [kid]: hmac } });
  });
  afterAll(async () => {
    await eabPebble?.stop();
  });

  const base = () => ['--acme-server', eabPebble.directoryUrl, '--acme-ca-bundle', eabPebble.caFile, '--dns-resolver', dns.hostPort, '--standalone', '--http-port', String(eabPort), '--challenge-port', String(eabPort)];

  it('without EAB: says the CA needs it and which flags to pass', async () => {
    const r = await acme(['acme', 'issue', 'eab.example.test', ...base(), '--out', join(configDir, 'eab0')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('requires External Account Binding');
    expect(r.stderr).toContain('--eab-kid');
  });

  it('with a wrong key: says the binding was rejected', async () => {
    const f = join(configDir, 'eab-wrong');
    writeFileSync(f, Buffer.alloc(32, 1).toString('base64url'));
    const r = await acme(['acme', 'issue', 'eab.example.test', ...base(), '--eab-kid', kid, '--eab-hmac-key-file', f, '--out', join(configDir, 'eab1')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/External Account Binding/);
    expect(r.stderr).not.toMatch(/TypeError/);
  });

  it('with the right key: issues', async () => {
    const f = join(configDir, 'eab-right');
    writeFileSync(f, hmac);
    const r = await acme(['acme', 'issue', 'eab.example.test', ...base(), '--eab-kid', kid, '--eab-hmac-key-file', f, '--out', join(configDir, 'eab2')]);
    expect(r.code, r.stderr).toBe(0);
  });
});
