// One DNS exchange with one server, over UDP (falling back to TCP on truncation) or TCP.
// Always a server we name: never the system resolver.
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { isIPv6 } from 'node:net';

export interface DnsServer {
  host: string;
  port: number;
}

export function parseServer(value: string, defaultPort = 53): DnsServer {
  const v = value.trim();
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(v);
  if (bracket) return { host: bracket[1] as string, port: bracket[2] ? Number(bracket[2]) : defaultPort };
  if (isIPv6(v)) return { host: v, port: defaultPort };
  const i = v.lastIndexOf(':');
  if (i > 0) {
    const port = Number(v.slice(i + 1));
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`bad port in "${value}"`);
    return { host: v.slice(0, i), port };
  }
  return { host: v, port: defaultPort };
}

export function formatServer(s: DnsServer): string {
  return isIPv6(s.host) ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`;
}

export function udpExchange(server: DnsServer, message: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = createSocket(isIPv6(server.host) ? 'udp6' : 'udp4');
    const id = message.readUInt16BE(0);
    const timer = setTimeout(() => {
      sock.close();
      reject(Object.assign(new Error(`no answer from ${formatServer(server)} within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    sock.on('message', (msg) => {
      if (msg.length < 12 || msg.readUInt16BE(0) !== id) return; // not ours
      clearTimeout(timer);
      sock.close();
      resolve(msg);
    });
    sock.on('error', (err) => {
      clearTimeout(timer);
      sock.close();
      reject(err);
    });
    sock.send(message, server.port, server.host);
  });
}

export function tcpExchange(server: DnsServer, message: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: server.host, port: server.port });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      sock.destroy();
      reject(Object.assign(new Error(`no answer from ${formatServer(server)} (TCP) within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(message.length);
      sock.write(Buffer.concat([len, message]));
    });
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        clearTimeout(timer);
        sock.end();
        resolve(buf.subarray(2, 2 + buf.readUInt16BE(0)));
      }
    });
    sock.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** UDP first; TCP when the answer is truncated or `tcp` is asked for. */
export async function exchange(server: DnsServer, message: Buffer, options: { timeoutMs?: number; tcp?: boolean } = {}): Promise<Buffer> {
  const timeoutMs = options.timeoutMs ?? 3000;
  if (options.tcp) return tcpExchange(server, message, timeoutMs);
  const answer = await udpExchange(server, message, timeoutMs);
  const truncated = ((answer.readUInt16BE(2) >> 9) & 1) === 1;
  return truncated ? tcpExchange(server, message, timeoutMs) : answer;
}
