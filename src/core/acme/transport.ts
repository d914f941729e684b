// Per-client HTTP transport for acme-client. acme-client sends every request through one
// process-wide axios instance (src/axios.js), so a global https agent would leak one CA bundle
// into every other client. Its HttpClient.request(url, method, opts) passes `opts` straight to
// axios.request, so we wrap that method on *this client's* HttpClient instance and add, per
// request: our https.Agent (CA bundle for this client only) and our own axios adapter.
//
// The adapter is where we take back control of failures:
// - network errors and 5xx are retried here, briefly, then reported with their real cause.
//   acme-client's interceptor would otherwise retry for ~75 s and end in its bug #101
//   ("Cannot read properties of undefined (reading 'config')"), which hides the cause.
// - 429 with a long Retry-After is reported at once (rate limited, retry at …) instead of
//   sleeping for an hour inside axios.
// Errors thrown from the adapter carry no `config`, so acme-client's interceptor passes them
// through untouched (axios.js: `if (!config) return Promise.reject(error)`).
import type { Agent as HttpsAgent } from 'node:https';
import { parseRetryAfter, translateNetworkError, translateHttpFailure, type AcmeProblem } from './errors.js';

export interface TransportOptions {
  /** Agent with this client's CA bundle (undefined: Node's default trust). */
  httpsAgent?: HttpsAgent;
  /** Attempts for network errors and 5xx, default 3. */
  attempts?: number;
  /** Longest Retry-After we wait for inside one request, seconds; default 10. */
  maxRetryAfterSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Name used in messages ("the ACME server at …"). */
  serverUrl: string;
}

interface AxiosLikeConfig {
  url?: string;
  method?: string;
  [k: string]: unknown;
}
interface AxiosLikeResponse {
  status: number;
  headers: Record<string, string | undefined>;
  data: unknown;
}
type Adapter = (config: AxiosLikeConfig) => Promise<AxiosLikeResponse>;

interface HttpClientLike {
  request: (url: string, method: string, opts?: Record<string, unknown>) => Promise<AxiosLikeResponse>;
  maxBadNonceRetries: number;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * axios' own Node http adapter, from the very module acme-client require()s: the package's
 * CommonJS build, imported by its exported path. A static specifier (no createRequire/resolve)
 * is what lets esbuild put it into the self-contained binary, where nothing is resolved from
 * disk, and both sides still share one axios there and under plain Node.
 */
export async function nodeHttpAdapter(): Promise<Adapter> {
  const axios = (await import('axios/dist/node/axios.cjs')).default as { getAdapter: (name: string) => Adapter };
  return axios.getAdapter('http');
}

function retryAfterSeconds(value: string | undefined): number | undefined {
  return value ? parseRetryAfter(value, Date.now()) : undefined;
}

/** What the last ACME error response said; acme-client keeps only the detail text. */
export interface TransportState {
  lastProblem: { problem: AcmeProblem; retryAfter?: string } | undefined;
}

/**
 * Installs the per-client transport on an acme-client Client (its `http` member).
 * Also raises the badNonce retry budget: CAs (and Pebble by design) reject good nonces at
 * random, and 5 retries fail now and then when half of them are rejected.
 */
export function installTransport(client: { http: unknown }, options: TransportOptions): TransportState {
  const state: TransportState = { lastProblem: undefined };
  const http = client.http as HttpClientLike;
  let base: Promise<Adapter> | undefined;
  const attempts = options.attempts ?? 3;
  const maxWait = options.maxRetryAfterSeconds ?? 10;
  const sleep = options.sleep ?? realSleep;
  const original = http.request.bind(http);
  http.maxBadNonceRetries = 30;
  http.request = (url, method, opts = {}) => {
    const adapter: Adapter = async (config) => {
      for (let attempt = 1; ; attempt++) {
        let resp: AxiosLikeResponse;
        try {
          resp = await (await (base ??= nodeHttpAdapter()))(config);
        } catch (err) {
          // acme-client's interceptor sets validateStatus to reject everything, so an HTTP
          // response arrives here as an AxiosError carrying it; we resolve it instead.
          const withResponse = (err as { response?: AxiosLikeResponse }).response;
          if (withResponse) resp = withResponse;
          else {
            if (isAbort(err) || attempt >= attempts) throw translateNetworkError(err, { url, serverUrl: options.serverUrl });
            await sleep(250 * 2 ** attempt);
            continue;
          }
        }
        const data = parseMaybeJson(resp.data);
        if (resp.status === 429 || resp.status >= 500) {
          const wait = retryAfterSeconds(resp.headers['retry-after']);
          const canWait = attempt < attempts && (wait === undefined || wait <= maxWait);
          if (!canWait) throw translateHttpFailure({ ...resp, data }, { url, serverUrl: options.serverUrl });
          await sleep(wait !== undefined ? wait * 1000 : 500 * 2 ** attempt);
          continue;
        }
        if (resp.status >= 400 && data && typeof data === 'object') {
          const retryAfter = resp.headers['retry-after'];
          state.lastProblem = { problem: data as AcmeProblem, ...(retryAfter ? { retryAfter } : {}) };
        } else if (resp.status < 400) state.lastProblem = undefined;
        return resp;
      }
    };
    const extra: Record<string, unknown> = { adapter };
    if (options.httpsAgent) extra.httpsAgent = options.httpsAgent;
    return original(url, method, { ...opts, ...extra });
  };
  return state;
}

/** Failures a retry cannot fix: a cancelled request, or a certificate we do not trust. */
function isAbort(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? '';
  return code === 'ERR_CANCELED' || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS/.test(code);
}

function parseMaybeJson(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}
