// Raw ClientHello probes against a real Node (OpenSSL) server: what it answers is what doctor reports.
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientHello, GROUP_IDS, sendHello } from './hello.js';
import { makeCert } from '../../../test/support/doctor-pki.js';

const servers: tls.Server[] = [];
let tls12Port: number;
let tls13Port: number;

async function listen(opts: tls.TlsOptions): Promise<number> {
  const s = tls.createServer(opts, (sock) => sock.end());
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

beforeAll(async () => {
  const cert = await makeCert({ cn: 'hello.test', dnsNames: ['hello.test'] });
  tls12Port = await listen({ key: cert.keyPem, cert: cert.certPem, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' });
  tls13Port = await listen({ key: cert.keyPem, cert: cert.certPem, minVersion: 'TLSv1.3', ecdhCurve: 'P-384' });
});

afterAll(() => {
  for (const s of servers) s.close();
});

const probe = (port: number, spec: Parameters<typeof clientHello>[0]) => sendHello({ host: '127.0.0.1', port, hello: clientHello(spec), timeoutMs: 3000 });

describe('raw ClientHello probes', () => {
  it('TLS 1.2: the server names the suite it accepts, and alerts for one it does not', async () => {
    expect(await probe(tls12Port, { version: 'TLSv1.2', suites: [0x009c, 0xc02b] })).toMatchObject({ kind: 'hello', version: 0x0303, suite: 0xc02b, retry: false });
    expect(await probe(tls12Port, { version: 'TLSv1.2', suites: [0x009c] })).toEqual({ kind: 'alert', description: 40 });
  });

  it('a TLS 1.2-only server refuses a TLS 1.3 hello and a TLS 1.0 hello', async () => {
    expect((await probe(tls12Port, { version: 'TLSv1.3', suites: [0x1301] })).kind).not.toBe('hello');
    expect(await probe(tls12Port, { version: 'TLSv1', suites: [0xc009] })).toMatchObject({ kind: 'alert' });
  });

  it('TLS 1.3 without a key share: HelloRetryRequest naming the group and suite', async () => {
    const a = await probe(tls13Port, { version: 'TLSv1.3', suites: [0x1302], servername: 'hello.test' });
    expect(a).toEqual({ kind: 'hello', version: 0x0304, suite: 0x1302, group: GROUP_IDS['P-384'], retry: true });
    expect(await probe(tls13Port, { version: 'TLSv1.3', suites: [0x1301], groups: [GROUP_IDS.X25519!] })).toMatchObject({ kind: 'alert' });
  });

  it('nothing listening is unreachable, not a refusal', async () => {
    const s = tls.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r));
    expect(await probe(port, { version: 'TLSv1.2', suites: [0xc02b] })).toMatchObject({ kind: 'none', unreachable: true });
  });
});
