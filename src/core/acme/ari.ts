// ACME Renewal Information (RFC 9773) and the fallback renewal rule. acme-client has no ARI:
// the cert id, the renewalInfo fetch and the window arithmetic live here.

export interface RenewalWindow {
  start: Date;
  end: Date;
}

export interface RenewalPlan {
  /** Where the window came from. */
  source: 'ari' | 'lifetime';
  window: RenewalWindow;
  /** The moment inside the window this run picked. */
  renewAt: Date;
  due: boolean;
  explanationUrl?: string;
}

/** Minimal DER INTEGER content bytes for a positive serial given in hex. */
export function serialDerBytes(hex: string): Buffer {
  let h = hex.replace(/[^0-9a-f]/gi, '').toLowerCase();
  if (h.length % 2) h = '0' + h;
  let bytes = Buffer.from(h, 'hex');
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  bytes = bytes.subarray(i);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  return (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : Buffer.from(bytes);
}

/** RFC 9773 §4.1: base64url(AKI keyIdentifier) "." base64url(serial DER content). */
export function ariCertIdFrom(akiKeyIdHex: string, serialHex: string): string {
  return `${Buffer.from(akiKeyIdHex, 'hex').toString('base64url')}.${serialDerBytes(serialHex).toString('base64url')}`;
}

export interface CertFacts {
  notBefore: Date;
  notAfter: Date;
  serialHex: string;
  akiKeyIdHex: string | undefined;
}

/** Reads what renewal needs from the leaf (first certificate of a PEM chain). */
export async function readCertFacts(pem: string): Promise<CertFacts> {
  const x509 = await import('@peculiar/x509');
  const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  if (!first) throw new Error('no certificate in PEM');
  const cert = new x509.X509Certificate(first);
  const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
  return {
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    serialHex: cert.serialNumber,
    akiKeyIdHex: aki?.keyId,
  };
}

export async function ariCertId(pem: string): Promise<string | undefined> {
  const facts = await readCertFacts(pem);
  return facts.akiKeyIdHex ? ariCertIdFrom(facts.akiKeyIdHex, facts.serialHex) : undefined;
}

const DAY = 86_400_000;

/**
 * Without ARI: renew when one third of the lifetime remains, one half for lifetimes of
 * 10 days or less (the lego/certbot/certmagic rule). The window runs from then to expiry.
 */
export function lifetimeWindow(notBefore: Date, notAfter: Date): RenewalWindow {
  const lifetime = notAfter.getTime() - notBefore.getTime();
  const remaining = lifetime <= 10 * DAY ? lifetime / 2 : lifetime / 3;
  return { start: new Date(notAfter.getTime() - remaining), end: notAfter };
}

export interface PlanOptions {
  now: Date;
  notBefore: Date;
  notAfter: Date;
  ari?: { window: RenewalWindow; explanationUrl?: string } | undefined;
  /** [0,1); RFC 9773 §4.2 asks for a uniformly random point inside the window. */
  random?: () => number;
}

export function planRenewal(options: PlanOptions): RenewalPlan {
  const random = options.random ?? Math.random;
  const source = options.ari ? 'ari' : 'lifetime';
  const window = options.ari?.window ?? lifetimeWindow(options.notBefore, options.notAfter);
  const span = Math.max(0, window.end.getTime() - window.start.getTime());
  // The lifetime rule is a threshold, not a spread: renew from its start.
  const offset = source === 'ari' ? Math.floor(random() * span) : 0;
  const renewAt = new Date(window.start.getTime() + offset);
  const due = options.now.getTime() >= renewAt.getTime() || options.now.getTime() >= options.notAfter.getTime();
  return {
    source,
    window,
    renewAt,
    due,
    ...(options.ari?.explanationUrl ? { explanationUrl: options.ari.explanationUrl } : {}),
  };
}

/** Parses a renewalInfo response body (RFC 9773 §4.2). Returns undefined when malformed. */
export function parseRenewalInfo(body: unknown): { window: RenewalWindow; explanationUrl?: string } | undefined {
  const b = body as { suggestedWindow?: { start?: string; end?: string }; explanationURL?: string } | null;
  const start = b?.suggestedWindow?.start ? new Date(b.suggestedWindow.start) : undefined;
  const end = b?.suggestedWindow?.end ? new Date(b.suggestedWindow.end) : undefined;
  if (!start || !end || Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end < start) return undefined;
  return { window: { start, end }, ...(b?.explanationURL ? { explanationUrl: b.explanationURL } : {}) };
}
