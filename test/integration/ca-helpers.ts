// Shared bits of the private-CA integration tests: temp dirs, openssl runs, TLS handshakes.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `vibectl-tls-${prefix}-`));
}

export async function openssl(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await exec('openssl', args, { encoding: 'utf8' });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, out: (e.stdout ?? '') + (e.stderr ?? '') };
  }
}

/** The vibectl client's TLS settings: TLS 1.3 only, ALPN h2, hostname verified against the SANs. */
export function handshake(o: { port: number; servername: string; ca: string | Buffer; cert?: string | Buffer; key?: string | Buffer; host?: string }): Promise<{ ok: true; protocol: string | null; alpn: string | false | null } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: o.host ?? '127.0.0.1',
      port: o.port,
      servername: o.servername,
      ca: o.ca,
      cert: o.cert,
      key: o.key,
      minVersion: 'TLSv1.3',
      maxVersion: 'TLSv1.3',
      ALPNProtocols: ['h2'],
      rejectUnauthorized: true,
    });
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.once('secureConnect', () => {
      // In TLS 1.3 the server checks the client certificate after our Finished: wait for its verdict.
      socket.once('data', () => {
        const r = { ok: true as const, protocol: socket.getProtocol(), alpn: socket.alpnProtocol };
        socket.destroy();
        resolve(r);
      });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve({ ok: false, error: `${err.code ?? ''} ${err.message}` });
    });
    socket.once('end', () => resolve({ ok: false, error: 'closed by server' }));
  });
}

/** A TLS 1.3 server speaking "h2" that writes "ok" to every client it accepts. */
export async function startServer(o: { cert: string | Buffer; key: string | Buffer; ca?: string | Buffer; requestCert?: boolean }): Promise<{ server: tls.Server; port: number; peers: string[] }> {
  const peers: string[] = [];
  const server = tls.createServer(
    {
      cert: o.cert,
      key: o.key,
      ca: o.ca,
      requestCert: o.requestCert ?? false,
      rejectUnauthorized: o.requestCert ?? false,
      minVersion: 'TLSv1.3',
      ALPNProtocols: ['h2'],
    },
    (s) => {
      const peer = s.getPeerCertificate();
      if (peer?.subject) peers.push(String(peer.subject.CN));
      s.end('ok');
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port, peers };
}
