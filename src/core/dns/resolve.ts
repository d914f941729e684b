// Direct DNS questions to named servers with dns-packet: the zone of a name (SOA walk), its
// authoritative servers, CNAME delegation of _acme-challenge, and TXT values as each
// authoritative server sees them. Never the system resolver: its cache lies during a challenge.
import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import { exchange, formatServer, type DnsServer } from './transport.js';

export interface DecodedRecord {
  name: string;
  type: string;
  data?: unknown;
}
export interface Decoded {
  rcode?: string;
  answers?: DecodedRecord[];
  authorities?: DecodedRecord[];
  additionals?: DecodedRecord[];
}

export interface QueryOptions {
  timeoutMs?: number;
  /** Ask for recursion (to a resolver) or not (to an authoritative server). */
  recursive?: boolean;
}

export async function query(server: DnsServer, name: string, type: 'SOA' | 'NS' | 'TXT' | 'A' | 'AAAA' | 'CNAME', options: QueryOptions = {}): Promise<Decoded> {
  const packet = (await import('dns-packet')).default;
  const message = packet.encode({
    type: 'query',
    id: randomInt(0, 65536),
    flags: options.recursive === false ? 0 : packet.RECURSION_DESIRED,
    questions: [{ type, name: name.replace(/\.$/, ''), class: 'IN' }],
  });
  const raw = await exchange(server, message, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  return packet.decode(raw) as unknown as Decoded;
}

function norm(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

/**
 * Follows CNAMEs from `name` (e.g. a delegated _acme-challenge) and returns where the TXT
 * record must really be written.
 */
export async function followCname(resolver: DnsServer, name: string, options: QueryOptions = {}): Promise<string> {
  let current = norm(name);
  for (let hops = 0; hops < 10; hops++) {
    const res = await query(resolver, current, 'CNAME', options);
    const cname = res.answers?.find((a) => a.type === 'CNAME' && norm(a.name) === current);
    if (!cname) return current;
    current = norm(String(cname.data));
  }
  throw new Error(`CNAME chain from ${name} is longer than 10 hops`);
}

/** The zone that holds `name`: walk up the labels until a SOA answers (RFC 1034 §4.3.2 style). */
export async function findZone(resolver: DnsServer, name: string, options: QueryOptions = {}): Promise<string> {
  const labels = norm(name).split('.');
  for (let i = 0; i < labels.length; i++) {
    const candidate = labels.slice(i).join('.');
    const res = await query(resolver, candidate, 'SOA', options);
    if (res.rcode !== 'NOERROR' && res.rcode !== 'NXDOMAIN') continue;
    const soa = res.answers?.find((a) => a.type === 'SOA');
    if (soa) return norm(soa.name);
    // A negative answer names the zone in its authority section.
    const auth = res.authorities?.find((a) => a.type === 'SOA');
    if (auth) return norm(auth.name);
  }
  throw new Error(`no zone (SOA) found for ${name} via ${formatServer(resolver)}`);
}

/** Addresses of the zone's NS hosts, at `port`. */
export async function authoritativeServers(resolver: DnsServer, zone: string, options: QueryOptions & { port?: number } = {}): Promise<DnsServer[]> {
  const res = await query(resolver, zone, 'NS', options);
  const hosts = (res.answers ?? []).filter((a) => a.type === 'NS').map((a) => norm(String(a.data)));
  const port = options.port ?? 53;
  const out: DnsServer[] = [];
  for (const host of hosts) {
    if (isIP(host)) {
      out.push({ host, port });
      continue;
    }
    const glue = (res.additionals ?? []).filter((a) => (a.type === 'A' || a.type === 'AAAA') && norm(a.name) === host);
    const addrs = glue.length ? glue.map((a) => String(a.data)) : await addresses(resolver, host, options);
    for (const a of addrs) out.push({ host: a, port });
  }
  const seen = new Set<string>();
  return out.filter((s) => (seen.has(formatServer(s)) ? false : (seen.add(formatServer(s)), true)));
}

export async function addresses(resolver: DnsServer, host: string, options: QueryOptions = {}): Promise<string[]> {
  const out: string[] = [];
  for (const type of ['A', 'AAAA'] as const) {
    const r = await query(resolver, host, type, options);
    for (const a of r.answers ?? []) if (a.type === type) out.push(String(a.data));
  }
  return out;
}

/** TXT strings at `name` as `server` answers them (no recursion). */
export async function txtValues(server: DnsServer, name: string, options: QueryOptions = {}): Promise<string[]> {
  const res = await query(server, name, 'TXT', { ...options, recursive: false });
  const values: string[] = [];
  for (const a of res.answers ?? []) {
    if (a.type !== 'TXT' || norm(a.name) !== norm(name)) continue;
    const data = a.data as Buffer | Buffer[] | string | string[];
    const parts = Array.isArray(data) ? data : [data];
    values.push(parts.map((p) => (Buffer.isBuffer(p) ? p.toString('utf8') : String(p))).join(''));
  }
  return values;
}

export interface TxtWaitResult {
  ok: boolean;
  /** Servers that did not (yet) answer the expected value, with what they answered. */
  lagging: { server: string; values: string[] | string }[];
}

/** Polls every server until all of them answer `expected` at `name`, or the time is up. */
export async function waitForTxt(options: {
  servers: DnsServer[];
  name: string;
  expected: string;
  timeoutMs: number;
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
}): Promise<TxtWaitResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const lagging: TxtWaitResult['lagging'] = [];
    await Promise.all(
      options.servers.map(async (s) => {
        try {
          const values = await txtValues(s, options.name, { timeoutMs: 2000 });
          if (!values.includes(options.expected)) lagging.push({ server: formatServer(s), values });
        } catch (err) {
          lagging.push({ server: formatServer(s), values: `error: ${(err as Error).message}` });
        }
      }),
    );
    if (lagging.length === 0) return { ok: true, lagging };
    if (Date.now() >= deadline) return { ok: false, lagging };
    await sleep(options.intervalMs ?? 1000);
  }
}
