// ACME failures users actually hit, turned into one-line causes with a next step.
// Input is an RFC 8555 problem document (from a response or a failed challenge), or a
// network error; output is a TlsError with the right exit code.
import { ExternalServiceError, InvalidInputError, TlsError, UsageError, type TlsErrorOptions } from '../errors.js';

export interface AcmeProblem {
  type?: string;
  detail?: string;
  status?: number;
  subproblems?: AcmeProblem[];
  identifier?: { type: string; value: string };
}

/** The CA refused because of a rate limit; `retryAfter` is when it may be tried again. */
export class RateLimitedError extends ExternalServiceError {
  readonly retryAfter: Date | undefined;
  constructor(message: string, retryAfter: Date | undefined, options?: TlsErrorOptions) {
    super(message, options);
    this.retryAfter = retryAfter;
  }
}

/** The CA could not validate a challenge. */
export class ChallengeFailedError extends ExternalServiceError {}

const PREFIX = 'urn:ietf:params:acme:error:';

function shortType(type: string | undefined): string {
  return (type ?? '').startsWith(PREFIX) ? (type ?? '').slice(PREFIX.length) : (type ?? '');
}

export interface ProblemContext {
  serverUrl: string;
  retryAfterHeader?: string;
  now?: number;
  /** The name whose challenge failed, when known. */
  name?: string;
  challengeType?: string;
}

/** Problem document → TlsError. Pure; `now` only for Retry-After arithmetic. */
export function translateProblem(problem: AcmeProblem, ctx: ProblemContext): TlsError {
  const kind = shortType(problem.type);
  const detail = (problem.detail ?? '').replace(/\s+/g, ' ').trim() || kind || 'unknown problem';
  const sub = problem.subproblems?.[0];
  if (sub && (kind === 'rejectedIdentifier' || kind === 'malformed' || kind === 'compound')) {
    return translateProblem({ ...sub, detail: sub.detail ?? detail }, ctx);
  }
  const about = ctx.name ? ` for ${ctx.name}` : '';
  switch (kind) {
    case 'rateLimited': {
      const secs = ctx.retryAfterHeader ? parseRetryAfter(ctx.retryAfterHeader, ctx.now ?? Date.now()) : undefined;
      const at = secs === undefined ? undefined : new Date((ctx.now ?? Date.now()) + secs * 1000);
      return new RateLimitedError(`the CA rate-limited this request: ${detail}`, at, {
        hint: at
          ? `retry after ${at.toISOString()}; test against a staging directory (--acme-server letsencrypt-staging) meanwhile`
          : 'wait before retrying; test against a staging directory (--acme-server letsencrypt-staging) meanwhile',
      });
    }
    case 'invalidContact':
    case 'unsupportedContact':
      return new InvalidInputError(`the CA refused the contact email: ${detail}`, { hint: 'pass a real, deliverable address with --email ADDR' });
    case 'caa':
      return new ExternalServiceError(`a CAA record forbids this CA from issuing${about}: ${detail}`, {
        hint: 'add a CAA record allowing this CA (e.g. `0 issue "letsencrypt.org"`) or use a CA the record allows',
      });
    case 'externalAccountRequired':
      return new UsageError(`this CA requires External Account Binding: ${detail}`, {
        hint: 'pass --eab-kid ID and --eab-hmac-key-file FILE (from your CA account dashboard)',
      });
    case 'unauthorized':
      if (/external account|eab|hmac|binding/i.test(detail)) {
        return new InvalidInputError(`the CA rejected the External Account Binding: ${detail}`, {
          hint: 'check --eab-kid and the key in --eab-hmac-key-file (base64url, as the CA shows it); EAB keys are often single-use',
        });
      }
      return new ChallengeFailedError(`the CA did not accept the validation${about}: ${detail}`, { hint: challengeHint(ctx.challengeType, detail) });
    case 'malformed':
      if (/external ?account|eab/i.test(detail)) {
        return new InvalidInputError(`the CA rejected the External Account Binding: ${detail}`, {
          hint: 'check --eab-kid and the key in --eab-hmac-key-file (base64url, as the CA shows it)',
        });
      }
      return new ExternalServiceError(`the CA rejected the request: ${detail}`, { hint: 'run again with --verbose; if it persists, report it' });
    case 'rejectedIdentifier':
      return new InvalidInputError(`the CA will not issue for this name: ${detail}`, { hint: 'check the names; some CAs refuse internal or blocked names' });
    case 'dns':
      return new ChallengeFailedError(`the CA's DNS lookup failed${about}: ${detail}`, { hint: challengeHint(ctx.challengeType, detail) });
    case 'connection':
    case 'incorrectResponse':
    case 'tls':
      return new ChallengeFailedError(`the CA could not validate${about}: ${detail}`, { hint: challengeHint(ctx.challengeType, detail) });
    case 'accountDoesNotExist':
      return new ExternalServiceError(`the saved ACME account no longer exists at the CA: ${detail}`, {
        hint: 'remove the saved account (`kubectl vibectl-tls acme account deactivate` or delete the account file) and run again',
      });
    case 'badRevocationReason':
    case 'alreadyRevoked':
    case 'badCSR':
    case 'badPublicKey':
    case 'badSignatureAlgorithm':
      return new InvalidInputError(`the CA rejected the request: ${detail}`);
    default:
      return new ExternalServiceError(`the ACME server at ${ctx.serverUrl} returned an error${kind ? ` (${kind})` : ''}: ${detail}`, {
        hint: 'run again with --verbose; if the CA is having an outage, retry later',
      });
  }
}

function challengeHint(challengeType: string | undefined, detail: string): string {
  if (challengeType === 'dns-01') {
    return 'check that the _acme-challenge TXT record is visible at every authoritative server of the zone, and that no stale CNAME points elsewhere';
  }
  if (/redirect/i.test(detail) && /https/i.test(detail)) {
    return 'the HTTP-01 request was redirected to HTTPS; let /.well-known/acme-challenge/ through on port 80 without redirect, or use --challenge dns01';
  }
  if (/404/.test(detail)) {
    return 'the challenge URL answered 404: traffic for the name on port 80 does not reach the solver (check the Ingress/Gateway and DNS)';
  }
  if (/timeout|timed out/i.test(detail)) {
    return 'the CA could not reach port 80 of the name in time: open port 80 to the internet or use --challenge dns01';
  }
  return 'check that the name resolves to the solver and that port 80 is reachable, or use --challenge dns01';
}

export function parseRetryAfter(value: string, now: number): number | undefined {
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, Math.round((t - now) / 1000));
}

/** A network failure (no HTTP response) talking to the ACME server. */
export function translateNetworkError(err: unknown, ctx: { url: string; serverUrl: string }): TlsError {
  const e = err as { code?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? '';
  const msg = e.message ?? String(err);
  const host = safeHost(ctx.url);
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/i.test(code) || /certificate/i.test(msg)) {
    return new ExternalServiceError(`the TLS certificate of the ACME server ${host} is not trusted (${code || msg})`, {
      hint: 'for a private ACME server pass --acme-ca-bundle FILE with its CA certificate',
      cause: err,
    });
  }
  const what = code === 'ECONNREFUSED' ? 'refused the connection'
    : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'does not resolve'
    : code === 'ETIMEDOUT' || code === 'ECONNABORTED' ? 'did not answer in time'
    : code === 'ECONNRESET' ? 'closed the connection'
    : `could not be reached (${code || msg})`;
  return new ExternalServiceError(`the ACME server ${host} ${what}`, {
    hint: `check --acme-server (${ctx.serverUrl}) and your network/proxy; nothing was ordered`,
    cause: err,
  });
}

/** An HTTP failure we gave up on (429 with a long Retry-After, repeated 5xx). */
export function translateHttpFailure(
  resp: { status: number; headers: Record<string, string | undefined>; data: unknown },
  ctx: { url: string; serverUrl: string; now?: number },
): TlsError {
  const data = resp.data as AcmeProblem | undefined;
  const retryAfterHeader = resp.headers['retry-after'];
  if (resp.status === 429 || shortType(data?.type) === 'rateLimited') {
    return translateProblem({ type: PREFIX + 'rateLimited', detail: data?.detail ?? `HTTP 429 from ${safeHost(ctx.url)}` }, {
      serverUrl: ctx.serverUrl,
      ...(retryAfterHeader ? { retryAfterHeader } : {}),
      ...(ctx.now !== undefined ? { now: ctx.now } : {}),
    });
  }
  const detail = data && typeof data === 'object' && data.detail ? `: ${data.detail}` : '';
  return new ExternalServiceError(`the ACME server ${safeHost(ctx.url)} answered HTTP ${resp.status}${detail}`, {
    hint: 'the CA may be having an outage; retry later',
  });
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * acme-client's bug #101: after exhausted retries it throws this TypeError instead of the
 * network error. Our transport prevents it; this is the last line of defence.
 */
export function isAcmeClientBug101(err: unknown): boolean {
  return err instanceof TypeError && /reading 'config'/.test(err.message);
}
