// Renewal against real CAs: ARI windows from the current Pebble (and `replaces` on the renewal
// order), the lifetime rule on Debian's Pebble 2.4.0 (no ARI, no profiles) with 2-minute
// certificates, and the Secret path against a real kube-apiserver.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../harness/control-plane.js';
import { startDns, type DnsServer } from '../harness/dns.js';
import { httpRequest } from '../harness/http.js';
import { startPebble, type Pebble } from '../harness/pebble.js';
import { createCa, issueCert, writePair } from '../harness/pki.js';
import { freePort, makeDir, spawnManaged, waitFor, type ManagedProcess } from '../harness/processes.js';
import { runCli, type RunResult } from '../cli/run.js';
import { ariCertId } from '../../src/core/acme/ari.js';
import { accountSecretName } from '../../src/core/acme/account-store.js';

let dns: DnsServer;

beforeAll(async () => {
  dns = await startDns();
});
afterAll(async () => {
  await dns?.stop();
});

function cli(args: string[], configDir: string, extra: Record<string, string> = {}): Promise<RunResult> {
  return runCli(args, { env: { VIBECTL_TLS_CONFIG_DIR: configDir, ...extra }, timeoutMs: 90_000 });
}

describe('ARI with the current Pebble (2-minute certificates)', () => {
  let pebble: Pebble;
  let port: number;
  let configDir: string;
  const out = () => join(configDir, 'out');

  beforeAll(async () => {
    port = await freePort();
    pebble = await startPebble({ dnsServer: dns.hostPort, httpPort: port, validitySeconds: 120 });
    configDir = mkdtempSync(join(tmpdir(), 'vtls-ari-'));
  });
  afterAll(async () => {
    await pebble?.stop();
  });

  it('issues, is not due inside a future ARI window, renews with `replaces` once the CA says so', async () => {
    const issued = await cli(
      ['acme', 'issue', 'ari.example.test', '--acme-server', pebble.directoryUrl, '--acme-ca-bundle', pebble.caFile, '--dns-resolver', dns.hostPort,
        '--standalone', '--http-port', String(port), '--challenge-port', String(port), '--out', out()],
      configDir,
    );
    expect(issued.code, issued.stderr).toBe(0);
    const oldPem = readFileSync(join(out(), 'tls.crt'), 'utf8');
    const oldSerial = new X509Certificate(oldPem).serialNumber;
    const certId = await ariCertId(oldPem);
    expect(certId).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

    // The CA moves the window an hour ahead: not due, whatever the lifetime says.
    const future = { start: new Date(Date.now() + 3_600_000).toISOString(), end: new Date(Date.now() + 7_200_000).toISOString() };
    await pebble.setRenewalInfo(oldPem, { suggestedWindow: future });
    const notDue = await cli(['renew', '-o', 'json'], configDir);
    expect(notDue.code, notDue.stderr).toBe(0);
    const nd = JSON.parse(notDue.stdout);
    expect(nd.items).toHaveLength(1);
    expect(nd.items[0]).toMatchObject({ outcome: 'not-due', plan: { source: 'ari', window: future } });

    // Window in the past: due. --dry-run says so and writes nothing.
    const past = { start: new Date(Date.now() - 120_000).toISOString(), end: new Date(Date.now() - 60_000).toISOString() };
    await pebble.setRenewalInfo(oldPem, { suggestedWindow: past });
    const dry = await cli(['renew', '--dry-run', '-o', 'json'], configDir);
    expect(JSON.parse(dry.stdout).items[0].outcome).toBe('would-renew');
    expect(new X509Certificate(readFileSync(join(out(), 'tls.crt'), 'utf8')).serialNumber).toBe(oldSerial);

    const renewed = await cli(['renew', '-o', 'json'], configDir);
    expect(renewed.code, renewed.stderr).toBe(0);
    const r = JSON.parse(renewed.stdout);
    expect(r.items[0]).toMatchObject({ outcome: 'renewed', replaced: certId });
    const newPem = readFileSync(join(out(), 'tls.crt'), 'utf8');
    expect(new X509Certificate(newPem).serialNumber).not.toBe(oldSerial);
    // The new key matches the new certificate (one consistent pair on disk).
    const { createPublicKey } = await import('node:crypto');
    expect(createPublicKey(readFileSync(join(out(), 'tls.key'), 'utf8')).export({ type: 'spki', format: 'der' }))
      .toEqual(new X509Certificate(newPem).publicKey.export({ type: 'spki', format: 'der' }));

    // The renewed certificate is judged by its own ARI window: a second run is a no-op.
    await pebble.setRenewalInfo(newPem, { suggestedWindow: future });
    const again = await cli(['renew', '-o', 'json'], configDir);
    expect(JSON.parse(again.stdout).items[0]).toMatchObject({ outcome: 'not-due', plan: { source: 'ari', window: future } });
  });
});

/** Debian's pebble 2.4.0 (`apt-get install pebble`): no ARI, no profiles, no test certificates. */
async function startDebianPebble(options: { httpPort: number; validitySeconds?: number }): Promise<{ directoryUrl: string; caFile: string; proc: ManagedProcess }> {
  const bin = '/usr/bin/pebble';
  if (!existsSync(bin)) throw new Error('Debian pebble is not installed: apt-get install -y pebble (scripts/install-system-deps.sh installs it)');
  const dir = makeDir('pebble-debian');
  const ca = await createCa('Debian Pebble HTTPS CA');
  const caFile = join(dir, 'ca.crt');
  writeFileSync(caFile, ca.certPem);
  const tls = writePair(dir, 'https', await issueCert(ca, { commonName: 'pebble', dnsNames: ['localhost'], ips: ['127.0.0.1'], usage: 'server' }));
  const [port, mport, tlsPort] = [await freePort(), await freePort(), await freePort()];
  writeFileSync(join(dir, 'config.json'), JSON.stringify({
    pebble: {
      listenAddress: `127.0.0.1:${port}`, managementListenAddress: `127.0.0.1:${mport}`, certificate: tls.certFile, privateKey: tls.keyFile,
      httpPort: options.httpPort, tlsPort, externalAccountBindingRequired: false,
      ...(options.validitySeconds ? { certificateValidityPeriod: options.validitySeconds } : {}),
    },
  }));
  const proc = spawnManaged({
    name: 'pebble-2.4.0', command: bin, args: ['-config', join(dir, 'config.json'), '-dnsserver', dns.hostPort],
    env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '50', PEBBLE_AUTHZREUSE: '0' }, cwd: dir,
  });
  const directoryUrl = `https://127.0.0.1:${port}/dir`;
  await waitFor(async () => (await httpRequest(directoryUrl, { ca: ca.certPem })).status === 200, { what: 'Debian pebble', proc, timeoutMs: 20_000 });
  return { directoryUrl, caFile, proc };
}

describe("Debian's Pebble 2.4.0 (no ARI, no profiles)", () => {
  let peb: Awaited<ReturnType<typeof startDebianPebble>>;
  let port: number;
  let configDir: string;
  const base = () => ['--acme-server', peb.directoryUrl, '--acme-ca-bundle', peb.caFile, '--dns-resolver', dns.hostPort];

  beforeAll(async () => {
    port = await freePort();
    peb = await startDebianPebble({ httpPort: port, validitySeconds: 120 });
    configDir = mkdtempSync(join(tmpdir(), 'vtls-peb24-'));
  });
  afterAll(async () => {
    await peb?.proc.stop();
  });

  it('issues over DNS-01 (RFC2136) with 50% of nonces rejected', async () => {
    const r = await cli(['acme', 'issue', '*.p24.example.test', ...base(), '--challenge', 'dns01', '--dns-provider', 'rfc2136', '--rfc2136-server', dns.hostPort,
      '--tsig-key-name', dns.tsig.name, '--tsig-secret-file', dns.tsig.secretFile, '--out', join(configDir, 'wild')], configDir);
    expect(r.code, r.stderr).toBe(0);
  });

  it('refuses --acme-profile because the directory lists no profiles', async () => {
    const r = await cli(['acme', 'issue', 'prof.example.test', ...base(), '--standalone', '--http-port', String(port), '--challenge-port', String(port),
      '--acme-profile', 'shortlived', '--out', join(configDir, 'prof')], configDir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('offers no certificate profiles');
  });

  it('renews by the lifetime rule: half of a 2-minute lifetime, no `replaces`', async () => {
    const out = join(configDir, 'life');
    const r = await cli(['acme', 'issue', 'life.example.test', ...base(), '--standalone', '--http-port', String(port), '--challenge-port', String(port), '--out', out], configDir);
    expect(r.code, r.stderr).toBe(0);
    const first = new X509Certificate(readFileSync(join(out, 'tls.crt'), 'utf8'));
    const early = await cli(['renew', '-o', 'json'], configDir);
    const item = JSON.parse(early.stdout).items.find((i: { target: string }) => i.target.endsWith('/life'));
    expect(item).toMatchObject({ outcome: 'not-due', plan: { source: 'lifetime' } });
    const lifetime = Date.parse(first.validTo) - Date.parse(first.validFrom);
    expect(Date.parse(item.plan.renewAt)).toBe(Date.parse(first.validTo) - lifetime / 2);
    // Wait for the renewal moment itself (no fixed sleep: poll the clock).
    await waitFor(async () => Date.now() >= Date.parse(item.plan.renewAt) + 1000, { what: 'the renewal moment', timeoutMs: 90_000 });
    const due = await cli(['renew', '-o', 'json'], configDir);
    expect(due.code, due.stderr).toBe(0);
    const renewed = JSON.parse(due.stdout).items.find((i: { target: string }) => i.target.endsWith('/life'));
    expect(renewed).toMatchObject({ outcome: 'renewed', replaced: null });
    expect(new X509Certificate(readFileSync(join(out, 'tls.crt'), 'utf8')).serialNumber).not.toBe(first.serialNumber);
  }, 150_000);
});

describe('--secret against a real kube-apiserver', () => {
  let cp: ControlPlane;
  let pebble: Pebble;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    [cp, pebble] = await Promise.all([startControlPlane(), startPebble({ dnsServer: dns.hostPort, httpPort: port })]);
  });
  afterAll(async () => {
    await pebble?.stop();
    await cp?.stop();
  });

  it('writes one kubernetes.io/tls Secret, keeps the account in a Secret, and renew finds it', async () => {
    const configDir = mkdtempSync(join(tmpdir(), 'vtls-secret-'));
    const args = ['--kubeconfig', cp.kubeconfigPath, '-n', 'default'];
    const r = await cli(['acme', 'issue', 'sec.example.test', '--acme-server', pebble.directoryUrl, '--acme-ca-bundle', pebble.caFile, '--dns-resolver', dns.hostPort,
      '--standalone', '--http-port', String(port), '--challenge-port', String(port), '--secret', 'sec-tls', ...args, '-o', 'json'], configDir);
    expect(r.code, r.stderr).toBe(0);
    const kube = await cp.client();
    const secret = await kube.get<{ type: string; data: Record<string, string> }>('/api/v1/namespaces/default/secrets/sec-tls');
    expect(secret?.type).toBe('kubernetes.io/tls');
    const crt = Buffer.from(secret?.data['tls.crt'] ?? '', 'base64').toString();
    const key = Buffer.from(secret?.data['tls.key'] ?? '', 'base64').toString();
    const { createPublicKey } = await import('node:crypto');
    expect(createPublicKey(key).export({ type: 'spki', format: 'der' })).toEqual(new X509Certificate(crt).publicKey.export({ type: 'spki', format: 'der' }));
    const account = await kube.get(`/api/v1/namespaces/default/secrets/${accountSecretName(pebble.directoryUrl)}`);
    expect(account).not.toBeNull();
    expect(existsSync(join(configDir, 'acme'))).toBe(false);

    const renew = await cli(['renew', ...args, '-o', 'json'], configDir);
    expect(renew.code, renew.stderr).toBe(0);
    expect(JSON.parse(renew.stdout).items).toEqual([expect.objectContaining({ target: 'secret default/sec-tls', outcome: 'not-due' })]);
  });
});

describe('in-cluster HTTP-01 solver against a real kube-apiserver (no nodes: the Pod never runs)', () => {
  let cp: ControlPlane;
  let pebble: Pebble;

  beforeAll(async () => {
    [cp, pebble] = await Promise.all([startControlPlane(), startPebble({ dnsServer: dns.hostPort })]);
  });
  afterAll(async () => {
    await pebble?.stop();
    await cp?.stop();
  });

  const labelled = async (kind: string) => {
    const kube = await cp.client();
    const path = kind === 'ingresses' ? '/apis/networking.k8s.io/v1/namespaces/default/ingresses' : `/api/v1/namespaces/default/${kind}`;
    return kube.list<{ metadata: { name: string; labels: Record<string, string> }; spec?: unknown }>(path, { query: { labelSelector: 'vibectl-tls.io/acme-solver' } });
  };

  it('creates labelled Ingress rules per name, a Pod, Service and ConfigMap, and removes all of them after a failed order', async () => {
    const configDir = mkdtempSync(join(tmpdir(), 'vtls-cluster-solver-'));
    const run = cli(['acme', 'issue', 'c1.example.test', 'c2.example.test', '--acme-server', pebble.directoryUrl, '--acme-ca-bundle', pebble.caFile, '--dns-resolver', dns.hostPort,
      '--ingress-class', 'nginx', '--self-check-timeout', '6s', '--secret', 'c-tls', '--kubeconfig', cp.kubeconfigPath, '-n', 'default'], configDir);
    // While the order runs: one Ingress per name, with the exact challenge path and host.
    const ingresses = await waitFor(async () => {
      const list = await labelled('ingresses');
      return list.length === 2 ? list : undefined;
    }, { what: 'solver Ingresses', timeoutMs: 30_000 });
    const rules = ingresses.map((i) => (i.spec as { rules: { host: string; http: { paths: { path: string; pathType: string }[] } }[] }).rules[0]);
    expect(rules.map((r) => r?.host).sort()).toEqual(['c1.example.test', 'c2.example.test']);
    expect(rules.every((r) => r?.http.paths[0]?.pathType === 'Exact' && r.http.paths[0].path.startsWith('/.well-known/acme-challenge/'))).toBe(true);
    const pods = await waitFor(async () => ((await labelled('pods')).length === 1 ? labelled('pods') : undefined), { what: 'solver Pod', timeoutMs: 20_000 });
    expect(pods[0]?.metadata.labels['app.kubernetes.io/managed-by']).toBe('vibectl-tls');
    expect(await labelled('services')).toHaveLength(1);
    expect(await labelled('configmaps')).toHaveLength(1);

    const r = await run;
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('did not become ready');
    for (const kind of ['ingresses', 'pods', 'services', 'configmaps']) expect(await labelled(kind), kind).toEqual([]);
    const kube = await cp.client();
    expect(await kube.get('/api/v1/namespaces/default/secrets/c-tls')).toBeNull();
  });

  it('refuses in-cluster HTTP-01 into local files', async () => {
    const r = await cli(['acme', 'issue', 'x.example.test', '--acme-server', pebble.directoryUrl, '--ingress-class', 'nginx', '--out', '/tmp/nope'], mkdtempSync(join(tmpdir(), 'vtls-')));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--secret');
  });
});
