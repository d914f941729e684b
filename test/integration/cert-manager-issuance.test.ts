// End to end with the real cert-manager controllers: objects built by the cert-manager service,
// applied with server-side apply, and issued for real.
// - ACME: a ClusterIssuer → Pebble (HTTPS trusted through caBundle, profile `shortlived`) with a
//   DNS-01 rfc2136 solver that updates the harness BIND over TSIG → a Ready Certificate whose
//   Secret chains to Pebble's root (checked with openssl).
// - CA: a CA ClusterIssuer on a CA made here → Ready, chained to that CA; deleting the Secret
//   makes cert-manager issue again (new serial, new key).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCa,
  installCertManagerCRDs,
  startCertManagerController,
  startControlPlane,
  startDns,
  startPebble,
  stopAll,
  waitFor,
  type CertManagerController,
  type ControlPlane,
  type DnsServer,
  type Pebble,
  type TestCa,
} from '../harness/index.js';
import type { KubeClient, KubeObject } from '../../src/core/kube/client.js';
import { path, R } from '../../src/core/kube/paths.js';
import { planCertManager } from '../../src/services/cert-manager.js';

const run = promisify(execFile);

let cp: ControlPlane;
let dns: DnsServer;
let pebble: Pebble;
let controller: CertManagerController;
let admin: KubeClient;
let work: string;

type Conditioned = KubeObject & { status?: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> } };
type TlsSecret = KubeObject & { data: Record<string, string> };

beforeAll(async () => {
  cp = await startControlPlane();
  dns = await startDns({ zone: 'example.test.' });
  [pebble] = await Promise.all([startPebble({ dnsServer: dns.hostPort }), installCertManagerCRDs(cp)]);
  admin = await cp.client('admin');
  for (const name of ['cert-manager', 'apps']) await admin.apply(path(R.namespaces, { name }), { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  controller = await startCertManagerController(cp, { dnsServer: dns.hostPort });
  work = mkdtempSync(join(tmpdir(), 'cm-issuance-'));
});

afterAll(async () => {
  await stopAll();
});

async function ready(p: string, what: string, timeoutMs = 150_000): Promise<Conditioned> {
  return waitFor(
    async () => {
      const o = await admin.get<Conditioned>(p);
      return o?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? o : undefined;
    },
    { what: `${what} Ready`, proc: controller.process, timeoutMs, intervalMs: 500 },
  );
}

function pemBlocks(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** openssl verify of the Secret's leaf against `rootPem`, with the rest of tls.crt as untrusted intermediates. */
async function verifyChain(secret: TlsSecret, rootPem: string, name: string): Promise<{ leaf: X509Certificate; stdout: string }> {
  const chain = pemBlocks(Buffer.from(secret.data['tls.crt']!, 'base64').toString());
  expect(chain.length).toBeGreaterThanOrEqual(1);
  const dir = mkdtempSync(join(work, name));
  writeFileSync(join(dir, 'root.pem'), rootPem);
  writeFileSync(join(dir, 'leaf.pem'), chain[0]! + '\n');
  writeFileSync(join(dir, 'untrusted.pem'), chain.slice(1).join('\n') + '\n');
  const args = ['verify', '-CAfile', join(dir, 'root.pem'), ...(chain.length > 1 ? ['-untrusted', join(dir, 'untrusted.pem')] : []), join(dir, 'leaf.pem')];
  const { stdout } = await run('openssl', args);
  return { leaf: new X509Certificate(chain[0]!), stdout };
}

describe('ACME ClusterIssuer → Pebble, DNS-01 rfc2136 against BIND', () => {
  it('issues a Ready Certificate whose Secret chains to Pebble\'s root, with the requested profile\'s lifetime', async () => {
    const { plan, result } = await planCertManager(admin, {
      issuer: {
        type: 'acme',
        kind: 'ClusterIssuer',
        name: 'pebble',
        server: pebble.directoryUrl,
        email: 'ops@example.test',
        caBundlePem: readFileSync(pebble.caFile, 'utf8'),
        profile: 'shortlived',
        solvers: [{ type: 'dns01', provider: 'rfc2136', nameserver: dns.hostPort, tsigKeyName: dns.tsig.name, tsigAlgorithm: 'hmac-sha256', tsigSecret: dns.tsig.secret }],
      },
      certificate: { name: 'web', namespace: 'apps', secretName: 'web-tls', dnsNames: ['web.example.test', 'www.example.test'] },
    });
    expect(result.changes.map((c) => `${c.action} ${c.ref}`)).toEqual(['create Secret cert-manager/pebble-rfc2136-tsig', 'create ClusterIssuer pebble', 'create Certificate apps/web']);
    expect(plan.issuerRef).toEqual({ kind: 'ClusterIssuer', name: 'pebble' });

    await ready(path(R.clusterissuers, { name: 'pebble' }), 'ClusterIssuer pebble (ACME account at Pebble over HTTPS via caBundle)');
    await ready(path(R.certificates, { namespace: 'apps', name: 'web' }), 'Certificate apps/web');
    const secret = (await admin.get<TlsSecret>(path(R.secrets, { namespace: 'apps', name: 'web-tls' })))!;
    expect(secret.type).toBe('kubernetes.io/tls');
    const { leaf, stdout } = await verifyChain(secret, await pebble.rootPem(), 'acme');
    expect(stdout).toMatch(/leaf\.pem: OK/);
    expect(leaf.subjectAltName).toBe('DNS:web.example.test, DNS:www.example.test');
    // profile shortlived = 160 h in the harness Pebble (Let's Encrypt's values)
    const hours = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 3_600_000;
    expect(Math.round(hours)).toBe(160);
    // ECDSA P-256 key as planned
    expect(leaf.publicKey.asymmetricKeyType).toBe('ec');
    expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    // the challenge record was cleaned up from BIND
    await waitFor(async () => (await dns.query('_acme-challenge.web.example.test', 'TXT')).length === 0, { what: 'challenge TXT removed', timeoutMs: 60_000 });
  });
});

describe('CA ClusterIssuer on a private CA', () => {
  let ca: TestCa;

  it('issues a Ready Certificate chained to the CA', async () => {
    ca = await createCa('vibectl-tls issuance test private CA');
    const { result } = await planCertManager(admin, {
      issuer: { type: 'ca', kind: 'ClusterIssuer', name: 'private-ca', secretName: 'private-ca', keyPair: { certPem: ca.certPem, keyPem: ca.keyPem } },
      certificate: { name: 'internal', namespace: 'apps', secretName: 'internal-tls', dnsNames: ['internal.apps.svc'], keyAlgorithm: 'rsa-2048' },
    });
    expect(result.created).toBe(3);
    await ready(path(R.clusterissuers, { name: 'private-ca' }), 'ClusterIssuer private-ca');
    await ready(path(R.certificates, { namespace: 'apps', name: 'internal' }), 'Certificate apps/internal', 60_000);
    const secret = (await admin.get<TlsSecret>(path(R.secrets, { namespace: 'apps', name: 'internal-tls' })))!;
    const { leaf, stdout } = await verifyChain(secret, ca.certPem, 'ca');
    expect(stdout).toMatch(/leaf\.pem: OK/);
    expect(leaf.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    expect(leaf.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(Buffer.from(secret.data['ca.crt']!, 'base64').toString().trim()).toBe(ca.certPem.trim());
  });

  it('re-issues when the Secret is deleted: a new serial and, with rotationPolicy Always, a new key', async () => {
    const p = path(R.secrets, { namespace: 'apps', name: 'internal-tls' });
    const before = (await admin.get<TlsSecret>(p))!;
    const oldLeaf = new X509Certificate(pemBlocks(Buffer.from(before.data['tls.crt']!, 'base64').toString())[0]!);
    expect(await admin.delete(p)).toBe(true);
    const after = await waitFor(
      async () => {
        const s = await admin.get<TlsSecret>(p);
        return s?.data?.['tls.crt'] ? s : undefined;
      },
      { what: 'Secret apps/internal-tls re-issued', proc: controller.process, timeoutMs: 90_000, intervalMs: 500 },
    );
    const { leaf } = await verifyChain(after, ca.certPem, 'reissued');
    expect(leaf.serialNumber).not.toBe(oldLeaf.serialNumber);
    expect(leaf.publicKey.export({ type: 'spki', format: 'der' }).equals(oldLeaf.publicKey.export({ type: 'spki', format: 'der' }))).toBe(false);
    await ready(path(R.certificates, { namespace: 'apps', name: 'internal' }), 'Certificate apps/internal after re-issue', 60_000);
  });

  it('applying the same objects again changes nothing, even after cert-manager has written status', async () => {
    const ca2 = { certPem: ca.certPem, keyPem: ca.keyPem };
    const { result } = await planCertManager(admin, {
      issuer: { type: 'ca', kind: 'ClusterIssuer', name: 'private-ca', secretName: 'private-ca', keyPair: ca2 },
      certificate: { name: 'internal', namespace: 'apps', secretName: 'internal-tls', dnsNames: ['internal.apps.svc'], keyAlgorithm: 'rsa-2048' },
    });
    expect(result.summary).toBe('no changes: all 3 objects are already as desired');
  });
});
