// Which CAs a domain's certificates are expected to come from, and whether a logged certificate's
// issuer is one of them. Expectations come from what the cluster uses (the issuers of its TLS
// Secrets, cert-manager ACME servers, cloud-managed certificates) and from --ct-expected-issuer.

export interface ExpectedIssuer {
  /** Case-insensitive substring of the issuer DN as the CT log prints it ("Let's Encrypt"). */
  match: string;
  /** Why it is expected ("--ct-expected-issuer", "ClusterIssuer letsencrypt", "Secret shop/web-tls"). */
  source: string;
}

/** ACME directory hosts of public CAs → the organisation their issuing CAs carry. */
const ACME_CAS: Array<{ host: RegExp; issuer: string }> = [
  { host: /(^|\.)letsencrypt\.org$/, issuer: "Let's Encrypt" },
  { host: /(^|\.)zerossl\.com$/, issuer: 'ZeroSSL' },
  { host: /(^|\.)pki\.goog$/, issuer: 'Google Trust Services' },
  { host: /(^|\.)buypass\.(com|no)$/, issuer: 'Buypass' },
  { host: /(^|\.)ssl\.com$/, issuer: 'SSL.com' },
  { host: /(^|\.)sectigo\.com$/, issuer: 'Sectigo' },
  { host: /(^|\.)digicert\.com$/, issuer: 'DigiCert' },
];

/** The CA organisation behind an ACME directory URL, when it is a known public CA. */
export function issuerForAcmeServer(url: string): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  // Staging CAs are not publicly trusted and log to test logs: nothing to expect from them.
  if (/staging/.test(host)) return undefined;
  return ACME_CAS.find((c) => c.host.test(host))?.issuer;
}

/**
 * What to match for certificates from the same CA as this issuer DN: the organisation when there
 * is one (so "Let's Encrypt" covers R10, R11, E5, E6 and their successors), else the common name.
 * Accepts Node's newline-separated DN and the comma-separated one CT logs print.
 */
export function issuerMatchFromDn(dn: string): string | undefined {
  const parts = dn.split(/\n|,\s*(?=[A-Za-z.]+=)/).map((p) => p.trim());
  const get = (k: string) => parts.find((p) => p.toUpperCase().startsWith(`${k}=`))?.slice(k.length + 1).replace(/^"|"$/g, '');
  return get('O') || get('CN') || undefined;
}

/** The expected issuer this DN matches, if any. */
export function matchIssuer(issuerName: string, expected: readonly ExpectedIssuer[]): ExpectedIssuer | undefined {
  const dn = issuerName.toLowerCase();
  return expected.find((e) => e.match && dn.includes(e.match.toLowerCase()));
}

/** De-duplicates by match (case-insensitively), keeping the first source and joining the rest. */
export function mergeExpected(list: readonly ExpectedIssuer[]): ExpectedIssuer[] {
  const out = new Map<string, ExpectedIssuer>();
  for (const e of list) {
    const k = e.match.trim().toLowerCase();
    if (!k) continue;
    const prev = out.get(k);
    if (!prev) out.set(k, { match: e.match.trim(), source: e.source });
    else if (!prev.source.split(', ').includes(e.source)) prev.source = `${prev.source}, ${e.source}`;
  }
  return [...out.values()];
}
