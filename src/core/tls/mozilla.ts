// Mozilla Server Side TLS 6.0 profiles (2026): what doctor grades an endpoint's offer against.
// Modern is TLS 1.3 only; Intermediate adds TLS 1.2 with six AEAD ECDHE suites (no DHE since 5.8).

export type ProfileName = 'intermediate' | 'modern';

export interface TlsProfile {
  name: ProfileName;
  versions: string[];
  /** OpenSSL names of the TLS 1.2 suites allowed. */
  tls12Ciphers: string[];
  tls13Ciphers: string[];
  groups: string[];
  /** Minimum RSA modulus; EC keys must be on one of `curves`. */
  rsaMinBits: number;
  curves: string[];
  hstsMaxAge: number;
  maxCertLifespanDays: number;
}

const TLS13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

export const PROFILES: Record<ProfileName, TlsProfile> = {
  intermediate: {
    name: 'intermediate',
    versions: ['TLSv1.2', 'TLSv1.3'],
    tls12Ciphers: [
      'ECDHE-ECDSA-AES128-GCM-SHA256',
      'ECDHE-RSA-AES128-GCM-SHA256',
      'ECDHE-ECDSA-AES256-GCM-SHA384',
      'ECDHE-RSA-AES256-GCM-SHA384',
      'ECDHE-ECDSA-CHACHA20-POLY1305',
      'ECDHE-RSA-CHACHA20-POLY1305',
    ],
    tls13Ciphers: TLS13,
    groups: ['X25519MLKEM768', 'X25519', 'P-256', 'P-384'],
    rsaMinBits: 2048,
    curves: ['prime256v1', 'secp384r1'],
    hstsMaxAge: 63_072_000,
    maxCertLifespanDays: 90,
  },
  modern: {
    name: 'modern',
    versions: ['TLSv1.3'],
    tls12Ciphers: [],
    tls13Ciphers: TLS13,
    groups: ['X25519MLKEM768', 'X25519', 'P-256', 'P-384'],
    rsaMinBits: 2048,
    curves: ['prime256v1', 'secp384r1'],
    hstsMaxAge: 63_072_000,
    maxCertLifespanDays: 90,
  },
};

/** Suites without ephemeral key exchange: a stolen key decrypts recorded traffic. */
export function hasForwardSecrecy(cipher: string, version: string): boolean {
  if (version === 'TLSv1.3') return true;
  return /^(ECDHE|DHE|EDH)-/.test(cipher) || /^AECDH|^ADH/.test(cipher);
}

/** CBC-mode suites (everything that is not AEAD). */
export function isCbc(cipher: string, version: string): boolean {
  if (version === 'TLSv1.3') return false;
  return !/GCM|CHACHA20|CCM/.test(cipher);
}

/** Suites nobody should offer: no authentication, no encryption, or broken primitives. */
export function isInsecure(cipher: string): boolean {
  return /^(AECDH|ADH)-|NULL|RC4|DES-CBC-|EXP|MD5|^PSK-NULL|-anon/.test(cipher) || cipher.includes('3DES') || cipher.startsWith('DES-');
}
