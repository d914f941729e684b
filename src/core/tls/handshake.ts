// One TLS handshake with Node's `tls` (OpenSSL), reporting what was negotiated. Every probe of
// an endpoint scan is one of these with different offers; none of them verifies the peer —
// verification is a separate decision the checks make from the served chain.
import tls from 'node:tls';

export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
export const TLS_VERSIONS: readonly TlsVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export interface EndpointAddress {
  host: string;
  port: number;
  /** Server name to send; omitted for IP literals unless given. */
  servername?: string;
}

export interface HandshakeOffer {
  minVersion?: TlsVersion;
  maxVersion?: TlsVersion;
  /** OpenSSL cipher string (TLS ≤ 1.2 suites and/or TLS 1.3 suite names). */
  ciphers?: string;
  /** Groups to offer, colon separated (X25519:P-256). */
  groups?: string;
  alpn?: string[];
  session?: Buffer;
  requestOCSP?: boolean;
  /** Wait this long after the handshake for a session ticket (TLS 1.3 sends them late). */
  waitForSessionMs?: number;
  /** Trust only these roots and verify the name: the "would a client accept this" probe. */
  verifyWith?: string[];
}

export interface Negotiated {
  ok: true;
  protocol: string;
  cipher: string;
  cipherStandardName: string;
  group: string | undefined;
  groupBits: number | undefined;
  alpn: string | false;
  reused: boolean;
  session: Buffer | undefined;
  ocsp: Buffer | undefined;
  /** Served chain, leaf first, as DER. */
  chain: Buffer[];
  authorized: boolean;
  authorizationError: string | undefined;
}

export interface Refused {
  ok: false;
  error: string;
  code: string | undefined;
  /** Nothing answered at all (refused, timeout, reset before any TLS) rather than a TLS alert. */
  unreachable: boolean;
}

export type HandshakeResult = Negotiated | Refused;

const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT']);

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

/** Walks getPeerCertificate(true) into DER leaf-first, stopping at a self-issued cert or a loop. */
function peerChain(socket: tls.TLSSocket): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  let cert = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | Record<string, never>;
  while (cert && 'raw' in cert && cert.raw) {
    if (seen.has(cert.fingerprint256)) break;
    seen.add(cert.fingerprint256);
    out.push(cert.raw);
    if (!cert.issuerCertificate || cert.issuerCertificate === cert) break;
    cert = cert.issuerCertificate;
  }
  return out;
}

export function handshake(addr: EndpointAddress, offer: HandshakeOffer, options: { timeoutMs: number }): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    const servername = addr.servername ?? (isIp(addr.host) ? undefined : addr.host);
    const verify = offer.verifyWith !== undefined;
    const connectOpts: tls.ConnectionOptions = {
      host: addr.host,
      port: addr.port,
      rejectUnauthorized: false,
      minVersion: offer.minVersion ?? 'TLSv1',
      maxVersion: offer.maxVersion ?? 'TLSv1.3',
      ciphers: offer.ciphers ?? 'ALL:COMPLEMENTOFALL:@SECLEVEL=0',
    };
    if (servername !== undefined) connectOpts.servername = servername;
    if (offer.groups) connectOpts.ecdhCurve = offer.groups;
    if (offer.alpn) connectOpts.ALPNProtocols = offer.alpn;
    if (offer.session) connectOpts.session = offer.session;
    if (offer.requestOCSP) (connectOpts as tls.ConnectionOptions & { requestOCSP?: boolean }).requestOCSP = true;
    if (verify) connectOpts.ca = offer.verifyWith;
    let done = false;
    let ocsp: Buffer | undefined;
    let session: Buffer | undefined;
    const socket = tls.connect(connectOpts);
    const finish = (r: HandshakeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(
      () => finish({ ok: false, error: `no TLS handshake within ${options.timeoutMs} ms`, code: 'ETIMEDOUT', unreachable: !socket.connecting ? false : true }),
      options.timeoutMs,
    );
    socket.on('OCSPResponse', (resp: Buffer | null) => {
      // Node emits null when the server sent no stapled response.
      if (resp) ocsp = resp;
    });
    socket.on('session', (s: Buffer) => {
      session = s;
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      finish({ ok: false, error: err.message, code: err.code, unreachable: err.code !== undefined && UNREACHABLE.has(err.code) });
    });
    socket.on('secureConnect', () => {
      const cipher = socket.getCipher();
      const eph = socket.getEphemeralKeyInfo() as { type?: string; name?: string; size?: number } | null;
      const result = (): Negotiated => {
        const r: Negotiated = {
          ok: true,
          protocol: socket.getProtocol() ?? 'unknown',
          cipher: cipher.name,
          cipherStandardName: cipher.standardName,
          group: eph?.name ?? (eph?.type === 'DH' ? `DH ${eph.size}` : undefined),
          groupBits: eph?.size,
          alpn: socket.alpnProtocol ?? false,
          reused: socket.isSessionReused(),
          // A TLS 1.3 session is only resumable once a ticket arrived (the 'session' event).
          session: session ?? (socket.getProtocol() === 'TLSv1.3' ? undefined : socket.getSession()),
          ocsp,
          chain: peerChain(socket),
          authorized: socket.authorized,
          authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
        };
        return r;
      };
      // Read everything now: once the peer hangs up, the socket no longer has the certificate.
      const r = result();
      if (offer.waitForSessionMs && socket.getProtocol() === 'TLSv1.3' && session === undefined) {
        // Tickets arrive after the handshake in TLS 1.3; read until one comes or time runs out.
        const t = setTimeout(() => finish(r), offer.waitForSessionMs);
        const done = () => {
          clearTimeout(t);
          finish({ ...r, session: session ?? r.session });
        };
        socket.once('session', done);
        socket.once('close', done);
        socket.resume();
        return;
      }
      finish(r);
    });
  });
}
