// Rotation without interruption: a client keeps connecting (TLS 1.3, h2, hostname checked, trust
// read from the delivered ca.crt on every connection) to a server that reloads its certificate
// files with setSecureContext, while the intermediate and then the root are rotated. Zero failed
// handshakes allowed.
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCaStore } from '../../src/core/pki/ca-store.js';
import { initCa, issueCertificates, listCa } from '../../src/services/ca.js';
import { rotateCa } from '../../src/services/ca-rotate.js';
import { handshake, startServer, tempDir } from './ca-helpers.js';

let store: LocalCaStore;
let out: string;
let srv: Awaited<ReturnType<typeof startServer>>;
let servedSerial = '';
let reloads = 0;
let poll: NodeJS.Timeout;
let stopClient = false;
const results = { ok: 0, failed: [] as string[] };
let clientLoop: Promise<void>;

const certFile = () => join(out, 'localhost.crt');
const keyFile = () => join(out, 'localhost.key');
const serialOf = (pem: string | Buffer) => new X509Certificate(pem).serialNumber.toLowerCase();

beforeAll(async () => {
  const dir = tempDir('ca-rotation');
  store = new LocalCaStore({ dir: join(dir, 'ca') });
  out = join(dir, 'out');
  await initCa({ store });
  await issueCertificates({ store, names: ['localhost'], sans: ['127.0.0.1'], outDir: out });
  const cert = readFileSync(certFile());
  srv = await startServer({ cert, key: readFileSync(keyFile()) });
  servedSerial = serialOf(cert);
  let lastCert = cert.toString();
  // The server side of a zero-downtime reload: poll the files, swap the context when cert and key agree.
  poll = setInterval(() => {
    try {
      const c = readFileSync(certFile(), 'utf8');
      if (c === lastCert) return;
      const k = readFileSync(keyFile(), 'utf8');
      srv.server.setSecureContext({ cert: c, key: k, minVersion: 'TLSv1.3', ALPNProtocols: ['h2'] } as tls.SecureContextOptions);
      lastCert = c;
      servedSerial = serialOf(c);
      reloads++;
    } catch {
      // cert and key are mid-update (they do not match yet): keep the old context, try again
    }
  }, 20);
  clientLoop = (async () => {
    while (!stopClient) {
      const r = await handshake({ port: srv.port, servername: 'localhost', ca: readFileSync(join(out, 'ca.crt')) });
      if (r.ok && r.protocol === 'TLSv1.3' && r.alpn === 'h2') results.ok++;
      else results.failed.push(r.ok ? `protocol ${r.protocol} alpn ${r.alpn}` : r.error);
    }
  })();
});

afterAll(async () => {
  stopClient = true;
  await clientLoop;
  clearInterval(poll);
  srv?.server.close();
});

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const handshakesAfter = async (n: number) => {
  const target = results.ok + results.failed.length + n;
  await until(() => results.ok + results.failed.length >= target, `${n} more handshakes`);
};

describe('rotation under load', () => {
  it('rotates the intermediate in one command with zero failed handshakes', async () => {
    await handshakesAfter(20);
    const before = servedSerial;
    const r = await rotateCa({ store, start: 'intermediate' });
    expect(r.stepsRun).toEqual(['prepare', 'reissue', 'finish']);
    expect(r.reissued.map((c) => c.name)).toEqual(['localhost']);
    await until(() => servedSerial !== before, 'the server to load the re-issued certificate');
    await handshakesAfter(20);
    expect(results.failed).toEqual([]);
  });

  it('rotates the root step by step (prepare, continue, finish) with zero failed handshakes', async () => {
    const oldRoot = readFileSync(join(store.dir, 'root.crt'), 'utf8');
    const p = await rotateCa({ store, start: 'root' });
    expect(p.stepsRun).toEqual(['prepare']);
    expect(p.next).toBe('reissue');
    const bundle = readFileSync(join(out, 'ca.crt'), 'utf8');
    expect(bundle).toContain(oldRoot.trim());
    expect(bundle).toContain(readFileSync(join(store.dir, 'root.crt'), 'utf8').trim());
    await handshakesAfter(20);
    await expect(rotateCa({ store, finish: true })).rejects.toMatchObject({ message: expect.stringContaining('not been re-issued') });
    const before = servedSerial;
    const c = await rotateCa({ store });
    expect(c.stepsRun).toEqual(['reissue']);
    expect(c.next).toBe('finish');
    // The operator's cue to finish: every server serves the new chain.
    await until(() => servedSerial !== before, 'the server to load the certificate from the new root');
    await handshakesAfter(20);
    const f = await rotateCa({ store, finish: true });
    expect(f.stepsRun).toEqual(['finish']);
    expect(f.next).toBeUndefined();
    await handshakesAfter(20);
    const finalBundle = readFileSync(join(out, 'ca.crt'), 'utf8');
    expect(finalBundle).not.toContain(oldRoot.trim());
    expect(finalBundle.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(results.failed).toEqual([]);
    expect(results.ok).toBeGreaterThan(100);
    expect(reloads).toBe(2);
    const list = await listCa({ store });
    expect(list.rotation).toBeUndefined();
    expect(list.certificates.filter((x) => x.role === 'server')).toHaveLength(1);
  });

  it('after the root rotation, a client holding only the old bundle is refused (the old root is really retired)', async () => {
    const archived = readdirSync(join(store.dir, 'archive')).find((d) => d.endsWith('-root'))!;
    const oldRoot = readFileSync(join(store.dir, 'archive', archived, 'root.crt'));
    const r = await handshake({ port: srv.port, servername: 'localhost', ca: oldRoot });
    expect(r.ok).toBe(false);
  });
});
