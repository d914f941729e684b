// Known ACME directories, and which of them need External Account Binding.

export interface KnownCa {
  id: string;
  name: string;
  directoryUrl: string;
  eabRequired: boolean;
}

export const KNOWN_CAS: readonly KnownCa[] = [
  { id: 'letsencrypt', name: "Let's Encrypt", directoryUrl: 'https://acme-v02.api.letsencrypt.org/directory', eabRequired: false },
  { id: 'letsencrypt-staging', name: "Let's Encrypt (staging)", directoryUrl: 'https://acme-staging-v02.api.letsencrypt.org/directory', eabRequired: false },
  { id: 'zerossl', name: 'ZeroSSL', directoryUrl: 'https://acme.zerossl.com/v2/DV90', eabRequired: true },
  { id: 'google', name: 'Google Trust Services', directoryUrl: 'https://dv.acme-v02.api.pki.goog/directory', eabRequired: true },
  { id: 'google-staging', name: 'Google Trust Services (staging)', directoryUrl: 'https://dv.acme-v02.test-api.pki.goog/directory', eabRequired: true },
];

export const DEFAULT_CA = 'letsencrypt';

/** `--acme-server` takes a known id or any https URL. */
export function resolveDirectory(value: string | undefined): { directoryUrl: string; ca: KnownCa | undefined } {
  const v = (value ?? DEFAULT_CA).trim();
  const known = KNOWN_CAS.find((c) => c.id === v || c.directoryUrl === v);
  if (known) return { directoryUrl: known.directoryUrl, ca: known };
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new Error(`--acme-server must be one of ${KNOWN_CAS.map((c) => c.id).join(', ')} or an https:// directory URL, got "${v}"`);
  }
  if (url.protocol !== 'https:') throw new Error(`--acme-server must use https:// (ACME requires TLS), got "${v}"`);
  return { directoryUrl: url.toString(), ca: undefined };
}
