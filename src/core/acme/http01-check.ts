// HTTP-01 self-check: fetch the challenge URL the way the CA will (port 80 of the name, no
// redirect following is needed to notice one), before telling the CA to validate.
import { request } from 'node:http';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ExternalServiceError } from '../errors.js';
import { http01Path } from './solver.js';

export interface Http01Probe {
  status: number | undefined;
  body: string;
  location: string | undefined;
  error: string | undefined;
}

function probe(options: { address: string; port: number; host: string; path: string; timeoutMs: number }): Promise<Http01Probe> {
  return new Promise((resolve) => {
    const req = request(
      { host: options.address, port: options.port, path: options.path, method: 'GET', headers: { host: options.host }, timeout: options.timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          if (chunks.reduce((n, b) => n + b.length, 0) < 8192) chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8').trim(), location: res.headers.location, error: undefined }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => resolve({ status: undefined, body: '', location: undefined, error: (err as NodeJS.ErrnoException).code ?? err.message }));
    req.end();
  });
}

export function describeProbe(p: Http01Probe, expected: string): string {
  if (p.error) return p.error === 'timed out' || p.error === 'ETIMEDOUT' ? 'timed out' : `connection failed (${p.error})`;
  if (p.status && p.status >= 300 && p.status < 400) {
    return p.location?.startsWith('https:') ? `redirects to HTTPS (${p.location})` : `redirects to ${p.location ?? '?'}`;
  }
  if (p.status === 404) return 'answers 404';
  if (p.status !== 200) return `answers HTTP ${p.status}`;
  if (p.body !== expected) return `answers 200 with a different body (${JSON.stringify(p.body.slice(0, 40))}: an old token or another server)`;
  return 'ok';
}

export interface Http01CheckOptions {
  domain: string;
  token: string;
  keyAuthorization: string;
  /** Port the CA connects to: 80 on the internet. */
  port: number;
  /** Resolves the name to addresses; default: the system resolver (what the CA sees, roughly). */
  resolve?: (name: string) => Promise<string[]>;
  timeoutMs: number;
  intervalMs?: number;
}

/** Polls until every address of the name serves the key authorization, or throws naming which don't. */
export async function waitForHttp01(options: Http01CheckOptions): Promise<void> {
  const path = http01Path(options.token);
  const deadline = Date.now() + options.timeoutMs;
  const resolveName = options.resolve ?? (async (n: string) => (await lookup(n, { all: true })).map((a) => a.address));
  for (;;) {
    let addrs: string[];
    let failures: string[] = [];
    try {
      addrs = isIP(options.domain) ? [options.domain] : await resolveName(options.domain);
    } catch (err) {
      addrs = [];
      failures = [`${options.domain} does not resolve (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`];
    }
    if (addrs.length === 0 && failures.length === 0) failures = [`${options.domain} has no A/AAAA record`];
    for (const address of addrs) {
      const p = await probe({ address, port: options.port, host: options.domain, path, timeoutMs: 5000 });
      const verdict = describeProbe(p, options.keyAuthorization);
      if (verdict !== 'ok') failures.push(`${address.includes(':') ? `[${address}]` : address}:${options.port} ${verdict}`);
    }
    if (failures.length === 0) return;
    if (Date.now() >= deadline) {
      const redirect = failures.some((f) => f.includes('redirects to HTTPS'));
      const notFound = failures.some((f) => f.includes('404'));
      throw new ExternalServiceError(`self-check failed for http://${options.domain}${path}: ${failures.join('; ')}`, {
        hint: redirect
          ? 'let /.well-known/acme-challenge/ through on port 80 without redirecting to HTTPS, or use --challenge dns01'
          : notFound
            ? 'port 80 of this name reaches a server that is not the solver: check DNS and the Ingress/Gateway routing, or use --challenge dns01'
            : 'make port 80 of the name reach the solver (firewall, DNS, port forward), or use --challenge dns01',
      });
    }
    await new Promise<void>((r) => setTimeout(r, options.intervalMs ?? 1000));
  }
}
