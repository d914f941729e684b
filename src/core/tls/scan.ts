// A whole endpoint scan: protocol versions, accepted cipher suites per version, key-exchange
// groups, ALPN, served chain, stapled OCSP, session resumption and (for HTTP targets) the
// response headers. Versions, suites and groups come from raw ClientHello probes (hello.ts) run
// concurrently in a small pool; accepted TLS ≤ 1.2 suites are found by elimination (offer all,
// drop what the server picked, repeat), split into independent partitions that run side by side.
// Chain, ALPN, OCSP and resumption need real handshakes: three of them, through Node's tls.
import { handshake, type EndpointAddress, type HandshakeOffer, type HandshakeResult, type TlsVersion, TLS_VERSIONS } from './handshake.js';
import { fetchHead, type HttpHead } from './http.js';
import { clientHello, sendHello, GROUP_IDS, VERSION_IDS, type HelloAnswer, type HelloSpec } from './hello.js';
import { tls12Suites, TLS13_SUITE_IDS, type SuiteInfo } from './cipher-suites.js';

export interface AcceptedCipher {
  version: TlsVersion;
  name: string;
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

export const TLS13_SUITES = Object.keys(TLS13_SUITE_IDS);
export const TLS13_GROUPS = Object.keys(GROUP_IDS);
export const TLS12_GROUPS = ['X25519', 'P-256', 'P-384', 'P-521', 'X448'];

/** Counts in-flight probes so every probe of a scan shares one bound. */
class Limiter {
  #active = 0;
  #queue: Array<() => void> = [];
  readonly #limit: number;
  constructor(limit: number) {
    this.#limit = limit;
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#limit) await new Promise<void>((r) => this.#queue.push(r));
    this.#active += 1;
    try {
      return await fn();
    } finally {
      this.#active -= 1;
      this.#queue.shift()?.();
    }
  }
}

/** Which suites run on a version: SSLv3-era suites on TLS 1.0+, TLS 1.2 suites on 1.2 only. */
function suitesFor(all: SuiteInfo[], v: TlsVersion): SuiteInfo[] {
  return v === 'TLSv1.2' ? all : all.filter((s) => s.since !== 'TLSv1.2');
}

/** Disjoint slices eliminated in parallel, split by key exchange and authentication. */
function partitions(suites: SuiteInfo[]): SuiteInfo[][] {
  const key = (s: SuiteInfo) => (s.kx === 'ECDH' ? `ECDH/${s.au === 'ECDSA' || s.au === 'RSA' ? s.au : 'other'}` : s.kx === 'RSA' || s.kx === 'DH' ? s.kx : 'other');
  const map = new Map<string, SuiteInfo[]>();
  for (const s of suites) map.set(key(s), [...(map.get(key(s)) ?? []), s]);
  return [...map.values()];
}

export async function scanEndpoint(address: EndpointAddress, options: ScanOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 5000;
  const limiter = new Limiter(options.concurrency ?? 8);
  const sni = address.servername ?? (/^[\d.]+$/.test(address.host) || address.host.includes(':') ? undefined : address.host);
  const hello = (spec: Omit<HelloSpec, 'servername'>): Promise<HelloAnswer> =>
    limiter.run(() => sendHello({ host: address.host, port: address.port, hello: clientHello({ ...spec, servername: sni }), timeoutMs }));
  const hs = (offer: HandshakeOffer): Promise<HandshakeResult> => limiter.run(() => handshake(address, offer, { timeoutMs }));
  const accepted = (a: HelloAnswer, v: TlsVersion): a is Extract<HelloAnswer, { kind: 'hello' }> => a.kind === 'hello' && a.version === VERSION_IDS[v];

  const all12 = tls12Suites();
  const byId = new Map(all12.map((s) => [s.id, s]));
  const ids13 = Object.values(TLS13_SUITE_IDS);
  const name13 = new Map(Object.entries(TLS13_SUITE_IDS).map(([n, id]) => [id, n]));

  // 1. Versions, each offering every suite; the answer is also the preferred suite. In parallel,
  //    the one full handshake that yields chain, ALPN, stapled OCSP and a session to resume.
  const fullP = hs({ alpn: ['h2', 'http/1.1'], requestOCSP: true, waitForSessionMs: Math.min(1000, timeoutMs) });
  const versionAnswers = await Promise.all(
    TLS_VERSIONS.map((v) => hello({ version: v, suites: v === 'TLSv1.3' ? ids13 : suitesFor(all12, v).map((s) => s.id) })),
  );
  const protocols = Object.fromEntries(TLS_VERSIONS.map((v, i) => [v, accepted(versionAnswers[i]!, v)])) as Record<TlsVersion, boolean>;
  const result: ScanResult = {
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
  if (!TLS_VERSIONS.some((v) => protocols[v])) {
    await fullP;
    const none = versionAnswers.find((a): a is Extract<HelloAnswer, { kind: 'none' }> => a.kind === 'none');
    const unreachable = versionAnswers.every((a) => a.kind === 'none' && a.unreachable);
    result.reachable = !unreachable;
    result.error = unreachable ? (none?.error ?? 'unreachable') : `no TLS version was accepted (${none ? none.error : 'every ClientHello was refused with an alert'})`;
    result.durationMs = performance.now() - started;
    return result;
  }

  const tasks: Array<Promise<void>> = [];
  const ciphers: AcceptedCipher[] = [];
  const groups: AcceptedGroup[] = [];
  const nameOf = (v: TlsVersion, id: number) => (v === 'TLSv1.3' ? name13.get(id) : byId.get(id)?.name) ?? `0x${id.toString(16).padStart(4, '0')}`;

  // 2. Cipher suites per version.
  for (const [i, v] of TLS_VERSIONS.entries()) {
    const answer = versionAnswers[i]!;
    if (!accepted(answer, v)) continue;
    ciphers.push({ version: v, name: nameOf(v, answer.suite), preferred: true });
    if (v === 'TLSv1.3') {
      for (const id of ids13.filter((s) => s !== answer.suite))
        tasks.push(hello({ version: v, suites: [id] }).then((a) => void (accepted(a, v) && a.suite === id && ciphers.push({ version: v, name: nameOf(v, id), preferred: false }))));
      continue;
    }
    for (const part of partitions(suitesFor(all12, v).filter((s) => s.id !== answer.suite))) {
      tasks.push(
        (async () => {
          let offer = part.map((s) => s.id);
          while (offer.length > 0) {
            const a = await hello({ version: v, suites: offer });
            if (!accepted(a, v) || !offer.includes(a.suite)) return;
            ciphers.push({ version: v, name: nameOf(v, a.suite), preferred: false });
            offer = offer.filter((id) => id !== a.suite);
          }
        })(),
      );
    }
  }

  // 3. Key-exchange groups, one per probe.
  if (protocols['TLSv1.3'])
    for (const g of TLS13_GROUPS)
      tasks.push(hello({ version: 'TLSv1.3', suites: ids13, groups: [GROUP_IDS[g]!] }).then((a) => void (accepted(a, 'TLSv1.3') && a.group === GROUP_IDS[g] && groups.push({ version: 'TLSv1.3', name: g }))));
  if (protocols['TLSv1.2']) {
    const ecdhe = all12.filter((s) => s.kx === 'ECDH').map((s) => s.id);
    for (const g of TLS12_GROUPS)
      tasks.push(hello({ version: 'TLSv1.2', suites: ecdhe, groups: [GROUP_IDS[g]!] }).then((a) => void (accepted(a, 'TLSv1.2') && groups.push({ version: 'TLSv1.2', name: g }))));
  }

  // 4. The full handshake: chain, ALPN, OCSP; then offer its session back.
  tasks.push(
    (async () => {
      const full = await fullP;
      if (!full.ok) {
        result.error = `a full TLS handshake failed: ${full.error.split('\n')[0]}`;
        return;
      }
      result.chain = full.chain;
      result.alpn = full.alpn;
      result.ocspStapled = full.ocsp !== undefined && full.ocsp.length > 0;
      if (!full.session) return;
      result.resumption.offered = true;
      const again = await hs({ session: full.session, alpn: ['h2', 'http/1.1'] });
      result.resumption.reused = again.ok && again.reused;
    })(),
  );

  // 5. HTTP response headers over TLS, and the plain-HTTP redirect.
  if (options.http) tasks.push(limiter.run(async () => void (result.http = await fetchHead({ ...address, tls: true, timeoutMs }))));
  if (options.redirectPort !== undefined) {
    const port = options.redirectPort;
    tasks.push(limiter.run(async () => void (result.redirect = await fetchHead({ host: address.host, port, servername: address.servername, tls: false, timeoutMs }))));
  }
  await Promise.all(tasks);

  const order = new Map(TLS_VERSIONS.map((v, i) => [v, i]));
  result.ciphers = dedupe(ciphers).sort((a, b) => order.get(b.version)! - order.get(a.version)! || Number(b.preferred) - Number(a.preferred) || a.name.localeCompare(b.name));
  result.groups = groups.sort((a, b) => (a.version === b.version ? TLS13_GROUPS.indexOf(a.name) - TLS13_GROUPS.indexOf(b.name) : a.version < b.version ? 1 : -1));
  result.durationMs = performance.now() - started;
  return result;
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
