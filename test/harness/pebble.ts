// A real ACME server for tests: Let's Encrypt's Pebble (pinned module build) on loopback ports, with
// an HTTPS certificate made per run (Pebble ships none that fit), optional EAB, profiles, nonce
// rejection and short certificate lifetimes. Pebble always advertises ARI (`renewalInfo`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpRequest } from './http.js';
import { loadManifest, program } from './manifest.js';
import { createCa, issueCert, writePair } from './pki.js';
import { freePort, makeDir, spawnManaged, waitFor, type ManagedProcess } from './processes.js';

export interface PebbleProfile {
  description?: string;
  /** Certificate lifetime in seconds. */
  validityPeriod?: number;
}

export interface PebbleOptions {
  /** Certificate profiles (default: Let's Encrypt's classic 90 d, tlsserver 45 d, shortlived 160 h). */
  profiles?: Record<string, PebbleProfile>;
  /** Overrides the lifetime of every profile (e.g. 120 for renewal tests). */
  validitySeconds?: number;
  eabRequired?: boolean;
  /** EAB key id → base64url HMAC key. */
  eabKeys?: Record<string, string>;
  /** Percent of valid nonces Pebble rejects with badNonce (default 0 here; Pebble's own default is 5). */
  nonceRejectPercent?: number;
  /** DNS server Pebble resolves challenge names with (e.g. the harness BIND: `127.0.0.1:port`). */
  dnsServer?: string;
  /** Port Pebble connects to for http-01 (default: a free port). */
  httpPort?: number;
  /** Port Pebble connects to for tls-alpn-01 (default: a free port). */
  tlsPort?: number;
  /** Skip Pebble's random 0–15 s validation delay (default true). */
  noSleep?: boolean;
  /** Authorization reuse percent (default 0 here, so each order validates). */
  authzReusePercent?: number;
  /** Mark every challenge valid without checking (PEBBLE_VA_ALWAYS_VALID). */
  alwaysValid?: boolean;
  startTimeoutMs?: number;
}

export interface Pebble {
  directoryUrl: string;
  /** CA file to trust for Pebble's own HTTPS (directory and management API). */
  caFile: string;
  managementUrl: string;
  httpPort: number;
  tlsPort: number;
  version: string;
  /** The current ACME issuing root (regenerated at every start). */
  rootPem(): Promise<string>;
  intermediatePem(): Promise<string>;
  /** Overrides the ARI answer for an issued certificate (management `/set-renewal-info/`). */
  setRenewalInfo(certPem: string, ariResponse: unknown): Promise<void>;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export const LETSENCRYPT_PROFILES: Record<string, PebbleProfile> = {
  classic: { description: 'classic (90 days)', validityPeriod: 90 * 86400 },
  tlsserver: { description: 'tlsserver (45 days)', validityPeriod: 45 * 86400 },
  shortlived: { description: 'shortlived (160 hours)', validityPeriod: 160 * 3600 },
};

export async function startPebble(opts: PebbleOptions = {}): Promise<Pebble> {
  const bin = program('pebble', loadManifest());
  const dir = makeDir('pebble');
  const ca = await createCa('vibectl-tls harness Pebble HTTPS CA');
  const caFile = join(dir, 'https-ca.crt');
  writeFileSync(caFile, ca.certPem);
  const tls = writePair(dir, 'pebble-https', await issueCert(ca, { commonName: 'pebble', dnsNames: ['localhost', 'pebble'], ips: ['127.0.0.1'], usage: 'server' }));
  const [port, mgmtPort] = [await freePort(), await freePort()];
  const httpPort = opts.httpPort ?? (await freePort());
  const tlsPort = opts.tlsPort ?? (await freePort());

  const profiles = Object.fromEntries(
    Object.entries(opts.profiles ?? LETSENCRYPT_PROFILES).map(([name, p]) => [
      name,
      { description: p.description ?? name, validityPeriod: opts.validitySeconds ?? p.validityPeriod ?? 90 * 86400 },
    ]),
  );
  const config = {
    pebble: {
      listenAddress: `127.0.0.1:${port}`,
      managementListenAddress: `127.0.0.1:${mgmtPort}`,
      certificate: tls.certFile,
      privateKey: tls.keyFile,
      httpPort,
      tlsPort,
      ocspResponderURL: '',
      externalAccountBindingRequired: opts.eabRequired ?? false,
      externalAccountMACKeys: opts.eabKeys ?? {},
      domainBlocklist: ['blocked-domain.example'],
      retryAfter: { authz: 1, order: 1 },
      keyAlgorithm: 'ecdsa',
      profiles,
    },
  };
  const configFile = join(dir, 'pebble-config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PEBBLE_VA_NOSLEEP: '1',
    PEBBLE_WFE_NONCEREJECT: String(opts.nonceRejectPercent ?? 0),
    PEBBLE_AUTHZREUSE: String(opts.authzReusePercent ?? 0),
    ...(opts.alwaysValid ? { PEBBLE_VA_ALWAYS_VALID: '1' } : {}),
  };
  if (opts.noSleep === false) delete env.PEBBLE_VA_NOSLEEP;
  const proc = spawnManaged({
    name: 'pebble',
    command: bin.path,
    args: ['-config', configFile, ...(opts.dnsServer ? ['-dnsserver', opts.dnsServer] : [])],
    env,
    cwd: dir,
  });

  const directoryUrl = `https://127.0.0.1:${port}/dir`;
  const managementUrl = `https://127.0.0.1:${mgmtPort}`;
  const trust = { ca: ca.certPem };
  await waitFor(async () => (await httpRequest(directoryUrl, trust)).status === 200 && (await httpRequest(`${managementUrl}/roots/0`, trust)).status === 200, {
    what: `Pebble directory ${directoryUrl}`,
    proc,
    timeoutMs: opts.startTimeoutMs ?? 30_000,
  });
  const getPem = async (p: string): Promise<string> => {
    const r = await httpRequest(`${managementUrl}${p}`, trust);
    if (r.status !== 200) throw new Error(`Pebble management ${p} answered ${r.status}: ${r.body.slice(0, 200)}`);
    return r.body;
  };
  return {
    directoryUrl,
    caFile,
    managementUrl,
    httpPort,
    tlsPort,
    version: bin.version,
    rootPem: () => getPem('/roots/0'),
    intermediatePem: () => getPem('/intermediates/0'),
    async setRenewalInfo(certPem, ariResponse) {
      const r = await httpRequest(`${managementUrl}/set-renewal-info/`, {
        ...trust,
        method: 'POST',
        body: JSON.stringify({ Certificate: certPem, ARIResponse: typeof ariResponse === 'string' ? ariResponse : JSON.stringify(ariResponse) }),
      });
      if (r.status !== 200) throw new Error(`Pebble /set-renewal-info/ answered ${r.status}: ${r.body.slice(0, 200)}`);
    },
    process: proc,
    stop: () => proc.stop(),
  };
}
