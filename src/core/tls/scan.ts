// A whole endpoint scan: protocol versions, accepted cipher suites per version, key-exchange
// groups, ALPN, served chain, stapled OCSP, session resumption and (for HTTP targets) the
// response headers. Probes run concurrently in a small pool; accepted TLS ≤ 1.2 suites are
// found by elimination (offer everything, remove what the server picked, repeat), split into
// independent partitions so the eliminations run side by side — the same answer sslscan gets
// by trying suites one by one, in fewer round trips.
import { mapPool } from '../checks/framework.js';
import { handshake, type EndpointAddress, type HandshakeOffer, type HandshakeResult, type Negotiated, type TlsVersion, TLS_VERSIONS } from './handshake.js';
import { fetchHead, type HttpHead } from './http.js';
import { probeGroup13 } from './hello.js';

export interface AcceptedCipher {
  version: TlsVersion;
  name: string;
  standardName: string;
  /** The suite the server picks when offered everything. */
  preferred: boolean;
}

export interface AcceptedGroup {
  version: 'TLSv1.2' | 'TLSv1.3';
  name: string;
}

export interface ScanResult {
  address: EndpointAddress;
  reachable: boolean;
  /** Why the endpoint could not be scanned at all. */
  error: string | undefined;
  protocols: Record<TlsVersion, boolean>;
  ciphers: AcceptedCipher[];
  groups: AcceptedGroup[];
  alpn: string | false;
  /** Served chain, leaf first (DER). */
  chain: Buffer[];
  ocspStapled: boolean;
  resumption: { offered: boolean; reused: boolean };
  http: HttpHead | undefined;
  /** A plain-HTTP request to the redirect port, when one was probed. */
  redirect: HttpHead | undefined;
  durationMs: number;
}

export interface ScanOptions {
  timeoutMs?: number;
  concurrency?: number;
  /** Fetch / over TLS to read HSTS and friends. */
  http?: boolean;
  /** Plain-HTTP port to test for an HTTP→HTTPS redirect. */
  redirectPort?: number;
}

const ALL = 'ALL:COMPLEMENTOFALL';
const SEC0 = '@SECLEVEL=0';
/** Disjoint slices of OpenSSL's cipher list; each is eliminated on its own. */
const PARTITIONS = ['kECDHE+aECDSA', 'kECDHE+aRSA', 'kECDHE:!aECDSA:!aRSA', 'kRSA', 'kDHE', `${ALL}:!kECDHE:!kRSA:!kDHE`];
export const TLS13_SUITES = ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256'];
export const TLS13_GROUPS = ['X25519MLKEM768', 'X25519', 'P-256', 'P-384', 'P-521', 'X448', 'ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192'];
export const TLS12_GROUPS = ['X25519', 'P-256', 'P-384', 'P-521', 'X448'];

/** Counts in-flight handshakes so every probe of a scan shares one bound. */
class Limiter {
  #active = 0;
  #queue: Array<() => void> = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#active >= this.limit) await new Promise<void>((r) => this.#queue.push(r));
    this.#active += 1;
    try {
      return await fn();
    } finally {
      this.#active -= 1;
      this.#queue.shift()?.();
    }
  }
}

export async function scanEndpoint(address: EndpointAddress, options: ScanOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 5000;
  const limiter = new Limiter(options.concurrency ?? 8);
  const hs = (offer: HandshakeOffer): Promise<HandshakeResult> => limiter.run(() => handshake(address, offer, { timeoutMs }));
  const sni = address.servername ?? (/^[\d.]+$/.test(address.host) || address.host.includes(':') ? undefined : address.host);
  const only = (v: TlsVersion): HandshakeOffer => ({ minVersion: v, maxVersion: v });

  // 1. Versions, each offering everything; the answer is also the preferred suite.
  const versionProbes = await Promise.all(
    TLS_VERSIONS.map((v) => hs({ ...only(v), ciphers: v === 'TLSv1.3' ? TLS13_SUITES.join(':') : `${ALL}:${SEC0}`, ...(v === 'TLSv1.3' || v === 'TLSv1.2' ? { requestOCSP: true } : {}) })),
  );
  const protocols = Object.fromEntries(TLS_VERSIONS.map((v, i) => [v, versionProbes[i]!.ok])) as Record<TlsVersion, boolean>;
  const base: ScanResult = {
    address,
    reachable: true,
    error: undefined,
    protocols,
    ciphers: [],
    groups: [],
    alpn: false,
    chain: [],
    ocspStapled: false,
    resumption: { offered: false, reused: false },
    http: undefined,
    redirect: undefined,
    durationMs: 0,
  };
  const successes = versionProbes.filter((r): r is Negotiated => r.ok);
  if (successes.length === 0) {
    const first = versionProbes[0] as Exclude<HandshakeResult, Negotiated>;
    const unreachable = versionProbes.every((r) => !r.ok && r.unreachable);
    return { ...base, reachable: !unreachable, error: unreachable ? first.error : `no TLS version was accepted (${first.error.split('\n')[0]})`, durationMs: performance.now() - started };
  }
  const best = successes[successes.length - 1]!;
  base.chain = best.chain;
  base.ocspStapled = successes.some((r) => r.ocsp != null && r.ocsp.length > 0);

  const tasks: Array<Promise<void>> = [];
  const ciphers: AcceptedCipher[] = [];
  const groups: AcceptedGroup[] = [];

  // 2. Cipher suites per version.
  for (const [i, v] of TLS_VERSIONS.entries()) {
    const probe = versionProbes[i]!;
    if (!probe.ok) continue;
    ciphers.push({ version: v, name: probe.cipher, standardName: probe.cipherStandardName, preferred: true });
    if (v === 'TLSv1.3') {
      for (const suite of TLS13_SUITES.filter((s) => s !== probe.cipher)) {
        tasks.push(
          hs({ ...only(v), ciphers: suite }).then((r) => {
            if (r.ok) ciphers.push({ version: v, name: r.cipher, standardName: r.cipherStandardName, preferred: false });
          }),
        );
      }
      continue;
    }
    for (const part of PARTITIONS) {
      tasks.push(
        (async () => {
          const excluded = [probe.cipher];
          for (let guard = 0; guard < 200; guard++) {
            const r = await hs({ ...only(v), ciphers: `${part}:${excluded.map((c) => `!${c}`).join(':')}:${SEC0}` });
            if (!r.ok || excluded.includes(r.cipher)) return;
            excluded.push(r.cipher);
            ciphers.push({ version: v, name: r.cipher, standardName: r.cipherStandardName, preferred: false });
          }
        })(),
      );
    }
  }

  // 3. Key-exchange groups (TLS 1.3 by raw HelloRetryRequest probes, TLS 1.2 by handshakes).
  if (protocols['TLSv1.3'])
    for (const g of TLS13_GROUPS)
      tasks.push(
        limiter
          .run(() => probeGroup13({ host: address.host, port: address.port, servername: sni, group: g, timeoutMs }))
          .then((ok) => void (ok && groups.push({ version: 'TLSv1.3', name: g }))),
      );
  if (protocols['TLSv1.2'])
    for (const g of TLS12_GROUPS)
      tasks.push(hs({ ...only('TLSv1.2'), ciphers: `kECDHE:${SEC0}`, groups: g }).then((r) => void (r.ok && r.group !== undefined && groups.push({ version: 'TLSv1.2', name: g }))));

  // 4. ALPN (h2 first, as browsers and gRPC clients offer it).
  tasks.push(hs({ alpn: ['h2', 'http/1.1'] }).then((r) => void (r.ok && (base.alpn = r.alpn))));

  // 5. Resumption: take a session, offer it back.
  tasks.push(
    (async () => {
      const first = await hs({ waitForSessionMs: Math.min(1000, timeoutMs) });
      if (!first.ok || !first.session) return;
      base.resumption.offered = true;
      const again = await hs({ session: first.session });
      base.resumption.reused = again.ok && again.reused;
    })(),
  );

  // 6. HTTP response headers over TLS, and the plain-HTTP redirect.
  if (options.http)
    tasks.push(
      limiter.run(async () => {
        base.http = await fetchHead({ ...address, tls: true, timeoutMs });
      }),
    );
  if (options.redirectPort !== undefined) {
    const port = options.redirectPort;
    tasks.push(
      limiter.run(async () => {
        base.redirect = await fetchHead({ host: address.host, port, servername: address.servername, tls: false, timeoutMs });
      }),
    );
  }
  await Promise.all(tasks);

  const order = new Map(TLS_VERSIONS.map((v, i) => [v, i]));
  base.ciphers = dedupe(ciphers).sort((a, b) => order.get(b.version)! - order.get(a.version)! || Number(b.preferred) - Number(a.preferred) || a.name.localeCompare(b.name));
  base.groups = groups.sort((a, b) => (a.version === b.version ? TLS13_GROUPS.indexOf(a.name) - TLS13_GROUPS.indexOf(b.name) : a.version < b.version ? 1 : -1));
  base.durationMs = performance.now() - started;
  return base;
}

function dedupe(list: AcceptedCipher[]): AcceptedCipher[] {
  const seen = new Map<string, AcceptedCipher>();
  for (const c of list) {
    const k = `${c.version} ${c.name}`;
    const prev = seen.get(k);
    if (!prev || (c.preferred && !prev.preferred)) seen.set(k, c);
  }
  return [...seen.values()];
}

/** Runs scans of several endpoints with a bound, for doctor runs with many targets. */
export function scanEndpoints(addresses: EndpointAddress[], options: ScanOptions = {}): Promise<ScanResult[]> {
  return mapPool(addresses, 2, (a) => scanEndpoint(a, options));
}
