// The issued certificates in real TLS, with the vibectl client's settings (TLS 1.3 only, ALPN h2,
// hostname verified): server auth trusting only the exported bundle, and mTLS with an issued
// client certificate, refusing one from another CA.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCaStore } from '../../src/core/pki/ca-store.js';
import { initCa, issueCertificates } from '../../src/services/ca.js';
import { exportCa } from '../../src/services/ca-export.js';
import { handshake, startServer, tempDir } from './ca-helpers.js';

let store: LocalCaStore;
let out: string;
let bundle: Buffer;
const servers: tls.Server[] = [];

beforeAll(async () => {
  const dir = tempDir('ca-tls');
  store = new LocalCaStore({ dir: join(dir, 'ca') });
  out = join(dir, 'out');
  await initCa({ store });
  await issueCertificates({ store, names: ['vibectl-server.llm.svc.cluster.local'], sans: ['vibectl-server', 'localhost', '127.0.0.1'], outDir: out });
  await issueCertificates({ store, names: ['alice'], client: true, outDir: out });
  bundle = (await exportCa({ store, format: 'pem' })).content;
});

afterAll(() => {
  for (const s of servers) s.close();
});

const file = (name: string) => readFileSync(join(out, name));

async function server(o: { requestCert?: boolean } = {}) {
  const s = await startServer({ cert: file('vibectl-server.llm.svc.cluster.local.crt'), key: file('vibectl-server.llm.svc.cluster.local.key'), ca: o.requestCert ? bundle : undefined, requestCert: o.requestCert });
  servers.push(s.server);
  return s;
}

describe('server authentication', () => {
  it('TLS 1.3 + h2 handshake with hostname verification, trusting only the exported bundle', async () => {
    const { port } = await server();
    const r = await handshake({ port, servername: 'vibectl-server.llm.svc.cluster.local', ca: bundle });
    expect(r).toEqual({ ok: true, protocol: 'TLSv1.3', alpn: 'h2' });
    expect((await handshake({ port, servername: 'vibectl-server', ca: bundle })).ok).toBe(true);
  });

  it('the server sends the chain: a client trusting only the root succeeds', async () => {
    const { port } = await server();
    const root = readFileSync(join(store.dir, 'root.crt'));
    expect((await handshake({ port, servername: 'localhost', ca: root })).ok).toBe(true);
  });

  it('an IP SAN verifies when connecting by address', async () => {
    const { port } = await server();
    const r = await handshake({ port, servername: '', ca: bundle });
    expect(r.ok).toBe(true);
  });

  it('a name not in the SANs fails hostname verification', async () => {
    const { port } = await server();
    const r = await handshake({ port, servername: 'evil.example.test', ca: bundle });
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.error).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('a client trusting another CA refuses the server', async () => {
    const { port } = await server();
    const other = new LocalCaStore({ dir: join(tempDir('ca-tls-other'), 'ca') });
    await initCa({ store: other });
    const r = await handshake({ port, servername: 'localhost', ca: (await exportCa({ store: other, format: 'pem' })).content });
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.error).toMatch(/UNABLE_TO_GET_ISSUER_CERT_LOCALLY|unable to get local issuer/);
  });
});

describe('mutual TLS', () => {
  it('accepts a client certificate issued by the CA and sees its identity', async () => {
    const s = await server({ requestCert: true });
    const r = await handshake({ port: s.port, servername: 'localhost', ca: bundle, cert: file('alice.crt'), key: file('alice.key') });
    expect(r.ok).toBe(true);
    expect(s.peers).toContain('alice');
  });

  it('refuses a client certificate from another CA, and a client without one', async () => {
    const s = await server({ requestCert: true });
    const other = new LocalCaStore({ dir: join(tempDir('ca-mtls-other'), 'ca') });
    await initCa({ store: other });
    const o = tempDir('ca-mtls-other-out');
    await issueCertificates({ store: other, names: ['mallory'], client: true, outDir: o });
    const foreign = await handshake({ port: s.port, servername: 'localhost', ca: bundle, cert: readFileSync(join(o, 'mallory.crt')), key: readFileSync(join(o, 'mallory.key')) });
    expect(foreign.ok).toBe(false);
    const none = await handshake({ port: s.port, servername: 'localhost', ca: bundle });
    expect(none.ok).toBe(false);
    expect(s.peers).not.toContain('mallory');
  });

  it('refuses a server certificate used as a client certificate (EKU serverAuth only)', async () => {
    const s = await server({ requestCert: true });
    const r = await handshake({ port: s.port, servername: 'localhost', ca: bundle, cert: file('vibectl-server.llm.svc.cluster.local.crt'), key: file('vibectl-server.llm.svc.cluster.local.key') });
    expect(r.ok).toBe(false);
  });
});
