// Certificate Transparency search through a crt.sh-compatible JSON endpoint
// (`/?q=%.example.com&output=json`). crt.sh is slow and rate-limited, so every request is retried
// with bounded exponential backoff on 429, 5xx, timeouts and garbled answers (honouring
// Retry-After), all under one overall deadline. Precertificate/certificate pairs share a serial
// and are merged into one entry.
import { ExternalServiceError, InvalidInputError } from '../errors.js';

export const CRTSH_URL = 'https://crt.sh/';

/** One row of crt.sh's JSON output (fields we use; others are ignored). */
export interface CrtShRow {
  id: number;
  issuer_name: string;
  common_name?: string;
  name_value: string;
  not_before: string;
  not_after: string;
  serial_number: string;
  entry_timestamp?: string | null;
}

/** One certificate, after merging its precertificate and final-certificate log entries. */
export interface CtEntry {
  /** Log entry ids on the service (the lowest first). */
  ids: number[];
  issuerName: string;
  commonName: string | undefined;
  names: string[];
  notBefore: Date;
  notAfter: Date;
  serial: string;
  /** When it was first logged; undefined when the service did not say. */
  loggedAt: Date | undefined;
}

export interface CtClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: CtClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

export interface CtSearchOptions {
  /** Base URL of the service; crt.sh by default. */
  baseUrl?: string;
  /** example.com (apex and subdomains) or *.example.com (subdomains only). */
  domain: string;
  /** Give up after this long in all (requests and waits). */
  deadlineMs?: number;
  /** One request may take this long (crt.sh often needs tens of seconds). */
  requestTimeoutMs?: number;
  maxAttempts?: number;
  /** First backoff; doubles per attempt up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  fetch?: typeof fetch;
  clock?: CtClock;
  onRetry?: (info: { query: string; attempt: number; waitMs: number; reason: string }) => void;
}

export interface CtSearchResult {
  entries: CtEntry[];
  /** The URLs asked, in order. */
  urls: string[];
  /** Requests made, retries included. */
  requests: number;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Normalises `--ct` input: lower case, no trailing dot; `*.`/`%.` prefix = subdomains only. */
export function parseCtDomain(input: string): { domain: string; subdomainsOnly: boolean } {
  let d = input.trim().toLowerCase().replace(/\.$/, '');
  let subdomainsOnly = false;
  if (d.startsWith('*.') || d.startsWith('%.')) {
    d = d.slice(2);
    subdomainsOnly = true;
  }
  const labels = d.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || d.length > 253) {
    throw new InvalidInputError(`--ct "${input}" is not a domain name`, { hint: 'for example --ct example.com (apex and subdomains) or --ct "*.example.com"' });
  }
  return { domain: d, subdomainsOnly };
}

/** The queries for a domain: subdomains (`%.d`) and, unless only those were asked, the apex. */
export function ctQueries(input: string): string[] {
  const { domain, subdomainsOnly } = parseCtDomain(input);
  return subdomainsOnly ? [`%.${domain}`] : [`%.${domain}`, domain];
}

export function ctQueryUrl(baseUrl: string, q: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new InvalidInputError(`--ct-url "${baseUrl}" is not a URL`, { hint: `for example --ct-url ${CRTSH_URL}` });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidInputError(`--ct-url "${baseUrl}" is not an http(s) URL`);
  url.searchParams.set('q', q);
  url.searchParams.set('output', 'json');
  // Less work for a rate-limited service; the precert/cert merge below still runs for services
  // that ignore these.
  url.searchParams.set('exclude', 'expired');
  url.searchParams.set('deduplicate', 'Y');
  return url.toString();
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** crt.sh timestamps carry no zone and are UTC. */
function utc(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function normSerial(s: string): string {
  return s.toLowerCase().replace(/[^0-9a-f]/g, '').replace(/^0+(?=.)/, '');
}

/** Rows → entries: one per (issuer, serial), precert and cert merged, earliest log time kept. */
export function mergeRows(rows: readonly CrtShRow[]): CtEntry[] {
  const byKey = new Map<string, CtEntry>();
  for (const r of rows) {
    if (typeof r !== 'object' || r === null || typeof r.serial_number !== 'string' || typeof r.issuer_name !== 'string') continue;
    const notBefore = utc(r.not_before);
    const notAfter = utc(r.not_after);
    if (!notBefore || !notAfter) continue;
    // Merged on the normalised serial; shown as the log printed it (crt.sh search takes that form).
    const serial = r.serial_number.toLowerCase();
    const key = `${r.issuer_name}\n${normSerial(serial)}`;
    const names = String(r.name_value ?? '')
      .split('\n')
      .map((n) => n.trim().toLowerCase())
      .filter(Boolean);
    const loggedAt = utc(r.entry_timestamp);
    const e = byKey.get(key);
    if (!e) {
      byKey.set(key, { ids: [r.id], issuerName: r.issuer_name, commonName: r.common_name || undefined, names: [...new Set(names)], notBefore, notAfter, serial, loggedAt });
      continue;
    }
    if (!e.ids.includes(r.id)) e.ids.push(r.id);
    e.ids.sort((a, b) => a - b);
    for (const n of names) if (!e.names.includes(n)) e.names.push(n);
    if (loggedAt && (!e.loggedAt || loggedAt < e.loggedAt)) e.loggedAt = loggedAt;
  }
  return [...byKey.values()].sort((a, b) => (b.loggedAt ?? b.notBefore).getTime() - (a.loggedAt ?? a.notBefore).getTime());
}

class Retryable extends Error {
  constructor(
    message: string,
    readonly waitMs?: number,
  ) {
    super(message);
  }
}

/** Searches the CT service for the domain; throws ExternalServiceError when it does not answer in time. */
export async function searchCt(o: CtSearchOptions): Promise<CtSearchResult> {
  const baseUrl = o.baseUrl ?? CRTSH_URL;
  const clock = o.clock ?? realClock;
  const doFetch = o.fetch ?? globalThis.fetch;
  const deadline = clock.now() + (o.deadlineMs ?? 120_000);
  const maxAttempts = o.maxAttempts ?? 6;
  const backoff = o.backoffMs ?? 2000;
  const maxBackoff = o.maxBackoffMs ?? 30_000;
  const requestTimeout = o.requestTimeoutMs ?? 60_000;
  const host = new URL(ctQueryUrl(baseUrl, 'x')).host;
  const urls: string[] = [];
  const rows: CrtShRow[] = [];
  let requests = 0;

  for (const q of ctQueries(o.domain)) {
    const url = ctQueryUrl(baseUrl, q);
    urls.push(url);
    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - clock.now();
      requests += 1;
      try {
        rows.push(...(await fetchRows({ url, doFetch, timeoutMs: Math.max(1, Math.min(requestTimeout, remaining)), now: clock.now() })));
        break;
      } catch (err) {
        if (!(err instanceof Retryable)) throw err;
        const waitMs = err.waitMs ?? Math.min(maxBackoff, backoff * 2 ** (attempt - 1));
        const left = deadline - clock.now();
        if (attempt >= maxAttempts || waitMs >= left) {
          const why =
            attempt >= maxAttempts
              ? `after ${attempt} attempts`
              : err.waitMs !== undefined
                ? `it asked to wait ${Math.ceil(waitMs / 1000)}s, past the deadline`
                : `the ${Math.round((o.deadlineMs ?? 120_000) / 1000)}s deadline ran out after ${attempt} attempt(s)`;
          throw new ExternalServiceError(`the CT log search at ${host} did not answer for "${q}" (${err.message}; ${why})`, {
            hint: 'crt.sh is slow and rate-limited: try again in a few minutes, raise --ct-timeout, or point --ct-url at another crt.sh-compatible service',
          });
        }
        o.onRetry?.({ query: q, attempt, waitMs, reason: err.message });
        await clock.sleep(waitMs);
      }
    }
  }
  return { entries: mergeRows(rows), urls, requests };
}

async function fetchRows(a: { url: string; doFetch: typeof fetch; timeoutMs: number; now: number }): Promise<CrtShRow[]> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), a.timeoutMs);
  let res: Response;
  let body: string;
  try {
    res = await a.doFetch(a.url, { signal: ctrl.signal, headers: { Accept: 'application/json', 'User-Agent': 'kubectl-vibectl_tls' } });
    body = await res.text();
  } catch (err) {
    if (ctrl.signal.aborted) throw new Retryable(`no answer within ${Math.round(a.timeoutMs / 1000)}s`);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Retryable(cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err)));
  } finally {
    clearTimeout(timer);
  }
  if (res.status === 429 || res.status >= 500) throw new Retryable(`HTTP ${res.status}`, retryAfterMs(res.headers.get('retry-after'), a.now));
  if (res.status === 404 && body.trim() === '') return []; // some mirrors answer an empty 404 for no results
  if (res.status !== 200) {
    throw new ExternalServiceError(`the CT log search refused ${a.url}: HTTP ${res.status} ${body.trim().slice(0, 120)}`, {
      hint: '--ct-url must be a crt.sh-compatible endpoint that answers ?q=DOMAIN&output=json with a JSON array',
    });
  }
  let parsed: unknown;
  try {
    parsed = body.trim() === '' ? [] : JSON.parse(body);
  } catch {
    // crt.sh answers an HTML error page with 200 when its database is overloaded.
    throw new Retryable('the answer was not JSON');
  }
  if (!Array.isArray(parsed)) throw new Retryable('the answer was not a JSON array');
  return parsed as CrtShRow[];
}
