// Plain HTTP(S) requests for readiness checks and management APIs (no client library, explicit trust).
import http from 'node:http';
import https from 'node:https';

export interface TlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
}

/** One request with a short timeout; never throws on an HTTP status, only on transport errors. */
export function httpRequest(url: string, opts: TlsMaterial & { method?: string; body?: string; timeoutMs?: number } = {}): Promise<{ status: number; body: string }> {
  const { method = 'GET', body, timeoutMs = 5_000, ...tls } = opts;
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const onResponse = (res: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    };
    // Pebble (like Boulder) refuses requests without a User-Agent.
    const headers = { 'User-Agent': 'vibectl-tls-harness', ...(body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }) };
    const req = u.protocol === 'https:' ? https.request(u, { ...tls, method, headers, timeout: timeoutMs }, onResponse) : http.request(u, { method, headers, timeout: timeoutMs }, onResponse);
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export function httpGet(url: string, tls: TlsMaterial = {}): Promise<{ status: number; body: string }> {
  return httpRequest(url, tls);
}
