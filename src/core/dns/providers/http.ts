// Small JSON/XML-over-HTTPS helper the cloud DNS providers share: one error shape, the
// provider's own message kept, secrets never echoed.
import { ExternalServiceError, UnauthorizedError } from '../../errors.js';

export interface ApiCall {
  provider: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  fetch?: typeof fetch;
}

export async function apiCall(call: ApiCall): Promise<{ status: number; text: string }> {
  const f = call.fetch ?? fetch;
  let res: Response;
  try {
    res = await f(call.url, { method: call.method, headers: call.headers ?? {}, ...(call.body !== undefined ? { body: call.body } : {}), signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new ExternalServiceError(`${call.provider}: cannot reach ${new URL(call.url).host} (${cause})`, { hint: 'check the network or the endpoint override', cause: err });
  }
  const text = await res.text();
  if (res.status === 401 || res.status === 403) {
    throw new UnauthorizedError(`${call.provider} refused the credentials (HTTP ${res.status}): ${summarize(text)}`, {
      hint: 'check the token/keys and that they may edit this zone',
    });
  }
  if (res.status >= 400) {
    throw new ExternalServiceError(`${call.provider}: ${call.method} ${new URL(call.url).pathname} answered HTTP ${res.status}: ${summarize(text)}`);
  }
  return { status: res.status, text };
}

export async function apiJson<T>(call: ApiCall): Promise<T> {
  const { text } = await apiCall({ ...call, headers: { accept: 'application/json', ...(call.body ? { 'content-type': 'application/json' } : {}), ...call.headers } });
  return (text ? JSON.parse(text) : {}) as T;
}

function summarize(text: string): string {
  try {
    const j = JSON.parse(text) as { errors?: { message?: string }[]; error?: { message?: string } | string; message?: string };
    const m = j.errors?.[0]?.message ?? (typeof j.error === 'string' ? j.error : j.error?.message) ?? j.message;
    if (m) return m;
  } catch {
    // XML or text
  }
  const xml = /<Message>([^<]+)<\/Message>/.exec(text)?.[1];
  return (xml ?? text).replace(/\s+/g, ' ').slice(0, 200);
}

/** TXT values are stored quoted by most APIs. */
export function quoteTxt(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

export function unquoteTxt(value: string): string {
  return value.replace(/^"(.*)"$/s, '$1').replace(/"\s*"/g, '').replace(/\\(["\\])/g, '$1');
}

export function endpoint(env: Readonly<Record<string, string | undefined>>, names: string[], fallback: string): string {
  for (const n of names) {
    const v = env[n];
    if (v) return v.replace(/\/$/, '');
  }
  return fallback;
}
