// A bare HTTP/1.1 request over TLS or plain TCP that reads only the status line and headers:
// what HSTS and redirect checks need, without following redirects or trusting the certificate.
import net from 'node:net';
import tls from 'node:tls';

export interface HttpHead {
  ok: boolean;
  status: number | undefined;
  headers: Record<string, string>;
  error: string | undefined;
}

export interface FetchHeadOptions {
  host: string;
  port: number;
  servername?: string | undefined;
  tls: boolean;
  path?: string;
  timeoutMs: number;
}

export function parseHead(text: string): { status: number; headers: Record<string, string> } | undefined {
  const end = text.indexOf('\r\n\r\n');
  const head = end >= 0 ? text.slice(0, end) : text;
  const [statusLine, ...lines] = head.split('\r\n');
  const m = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine ?? '');
  if (!m) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(m[1]), headers };
}

export function fetchHead(options: FetchHeadOptions): Promise<HttpHead> {
  return new Promise((resolve) => {
    const hostHeader = options.servername ?? options.host;
    const isIp = /^[\d.]+$/.test(options.host) || options.host.includes(':');
    const socket: net.Socket = options.tls
      ? tls.connect({
          host: options.host,
          port: options.port,
          rejectUnauthorized: false,
          ALPNProtocols: ['http/1.1'],
          ciphers: 'ALL:@SECLEVEL=0',
          minVersion: 'TLSv1',
          ...(options.servername ? { servername: options.servername } : isIp ? {} : { servername: options.host }),
        })
      : net.connect({ host: options.host, port: options.port });
    let buf = '';
    let done = false;
    const finish = (r: HttpHead) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ ok: false, status: undefined, headers: {}, error: `no HTTP answer within ${options.timeoutMs} ms` }), options.timeoutMs);
    socket.on(options.tls ? 'secureConnect' : 'connect', () => {
      socket.write(`GET ${options.path ?? '/'} HTTP/1.1\r\nHost: ${hostHeader}\r\nUser-Agent: kubectl-vibectl_tls doctor\r\nConnection: close\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      buf += chunk.toString('latin1');
      if (buf.includes('\r\n\r\n') || buf.length > 65536) {
        const parsed = parseHead(buf);
        finish(parsed ? { ok: true, ...parsed, error: undefined } : { ok: false, status: undefined, headers: {}, error: 'the answer is not HTTP' });
      }
    });
    socket.on('end', () => {
      const parsed = parseHead(buf);
      finish(parsed ? { ok: true, ...parsed, error: undefined } : { ok: false, status: undefined, headers: {}, error: buf ? 'the answer is not HTTP' : 'the connection closed without an answer' });
    });
    socket.on('error', (err) => finish({ ok: false, status: undefined, headers: {}, error: err.message.split('\n')[0] }));
  });
}

export interface Hsts {
  maxAge: number;
  includeSubDomains: boolean;
  preload: boolean;
}

export function parseHsts(value: string | undefined): Hsts | undefined {
  if (value === undefined) return undefined;
  let maxAge = -1;
  let includeSubDomains = false;
  let preload = false;
  for (const part of value.split(';')) {
    const [k, v] = part.trim().split('=');
    const key = (k ?? '').toLowerCase();
    if (key === 'max-age') maxAge = Number((v ?? '').replace(/"/g, ''));
    if (key === 'includesubdomains') includeSubDomains = true;
    if (key === 'preload') preload = true;
  }
  if (!Number.isFinite(maxAge) || maxAge < 0) return undefined;
  return { maxAge, includeSubDomains, preload };
}
