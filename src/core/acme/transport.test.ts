// The per-client transport against loopback servers that misbehave the ways CAs do.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { AcmeSession } from './client.js';
import { RateLimitedError, translateProblem } from './errors.js';
import type { AccountStore } from './account-store.js';

const memoryStore = (): AccountStore => {
  let saved: Awaited<ReturnType<AccountStore['load']>> = null;
  return { location: 'memory', load: async () => saved, save: async (a) => void (saved = a), remove: async () => void (saved = null) };
};

let server: Server | undefined;
afterEach(() => server?.close());

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe('ACME transport', () => {
  it('a refused connection surfaces as such, never as acme-client bug #101', async () => {
    const base = await serve((_q, s) => s.end());
    server?.close();
    const session = new AcmeSession({ directoryUrl: `${base}/dir`, store: memoryStore(), sleep: async () => {} });
    const err = await session.ensureAccount().catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 7, message: expect.stringContaining('refused the connection') });
    expect(String(err)).not.toMatch(/reading 'config'/);
  });

  it('a 429 with a long Retry-After is reported at once with the time to retry', async () => {
    let hits = 0;
    const base = await serve((_q, s) => {
      hits++;
      s.writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': '3600' });
      s.end(JSON.stringify({ type: 'urn:ietf:params:acme:error:rateLimited', detail: 'too many certificates (5) already issued for this exact set of identifiers' }));
    });
    const session = new AcmeSession({ directoryUrl: `${base}/dir`, store: memoryStore(), sleep: async () => {} });
    const started = Date.now();
    const err = await session.ensureAccount().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfter?.getTime()).toBeGreaterThan(started + 3_500_000);
    expect((err as Error).message).toContain('too many certificates');
    expect(hits).toBe(1);
  });

  it('retries a 503 a few times, then names the status', async () => {
    let hits = 0;
    const base = await serve((_q, s) => {
      hits++;
      s.writeHead(503).end('down');
    });
    const session = new AcmeSession({ directoryUrl: `${base}/dir`, store: memoryStore(), sleep: async () => {} });
    const err = await session.ensureAccount().catch((e: unknown) => e);
    expect((err as Error).message).toContain('HTTP 503');
    expect(hits).toBe(3);
  });

  it('the EAB requirement in the directory stops account creation before any POST', async () => {
    const posts: string[] = [];
    const base = await serve((q, s) => {
      if (q.method !== 'GET') posts.push(q.url ?? '');
      s.writeHead(200, { 'content-type': 'application/json' });
      s.end(JSON.stringify({ newNonce: 'x', newAccount: 'y', newOrder: 'z', meta: { externalAccountRequired: true } }));
    });
    const session = new AcmeSession({ directoryUrl: `${base}/dir`, store: memoryStore() });
    await expect(session.ensureAccount()).rejects.toMatchObject({ exitCode: 2, hint: expect.stringContaining('--eab-kid') });
    expect(posts).toEqual([]);
  });
});

describe('problem translation', () => {
  const ctx = { serverUrl: 'https://ca/dir' };
  it.each([
    ['invalidContact', 'invalid contact domain', 3, '--email'],
    ['caa', 'CAA record for example.com prevents issuance', 7, 'CAA'],
    ['externalAccountRequired', 'eab required', 2, '--eab-kid'],
  ])('%s → exit %d with a next step', (type, detail, exitCode, hint) => {
    const e = translateProblem({ type: `urn:ietf:params:acme:error:${type}`, detail }, ctx);
    expect(e.exitCode).toBe(exitCode);
    expect(`${e.message} ${e.hint}`).toContain(hint);
  });

  it('HTTP-01 failures name the cause: redirect to HTTPS, 404, timeout', () => {
    const c = { ...ctx, name: 'a.example.com', challengeType: 'http-01' };
    expect(translateProblem({ type: 'urn:ietf:params:acme:error:connection', detail: 'Fetching https://a.example.com/: redirect to HTTPS' }, c).hint).toContain('without redirect');
    expect(translateProblem({ type: 'urn:ietf:params:acme:error:unauthorized', detail: 'Invalid response from http://a/.well-known/acme-challenge/x: 404' }, c).hint).toContain('404');
    expect(translateProblem({ type: 'urn:ietf:params:acme:error:connection', detail: 'Timeout during connect' }, c).hint).toContain('port 80');
  });

  it('uses the first subproblem of a compound error', () => {
    const e = translateProblem({ type: 'urn:ietf:params:acme:error:rejectedIdentifier', detail: 'x', subproblems: [{ type: 'urn:ietf:params:acme:error:caa', detail: 'CAA forbids' }] }, ctx);
    expect(e.message).toContain('CAA');
  });
});
