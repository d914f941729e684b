// What we remember about a certificate we issued, so `renew` can repeat the order without the
// original command line: non-secret settings only (secret *file paths* and env var names, never values).
import type { KeyAlgorithm } from './keys.js';

export interface AcmeSpec {
  directoryUrl: string;
  names: string[];
  email?: string | undefined;
  caBundleFile?: string | undefined;
  eabKid?: string | undefined;
  eabHmacKeyFile?: string | undefined;
  challenge: 'http01' | 'dns01';
  standalone?: boolean | undefined;
  /** In-cluster HTTP-01: route the challenge through this ingress class… */
  ingressClass?: string | undefined;
  /** …or this Gateway ("ns/name"). */
  gateway?: string | undefined;
  solverImage?: string | undefined;
  httpPort?: number | undefined;
  /** Port the CA connects to for HTTP-01 self-checks (80 unless a lab says otherwise). */
  challengePort?: number | undefined;
  dnsResolver?: string | undefined;
  dnsProvider?: string | undefined;
  providerFlags?: Record<string, string> | undefined;
  profile?: string | undefined;
  keyAlgorithm: KeyAlgorithm;
  /** Longest wait for the self-check before validation, ms (default 120 s). */
  selfCheckTimeoutMs?: number | undefined;
}

export const SPEC_ANNOTATION = 'vibectl-tls.io/acme-spec';
export const MANAGED_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_VALUE = 'vibectl-tls';
export const SPEC_FILE = '.vibectl-tls-acme.json';

export function parseSpec(text: string | undefined): AcmeSpec | undefined {
  if (!text) return undefined;
  try {
    const s = JSON.parse(text) as Partial<AcmeSpec>;
    if (!s.directoryUrl || !Array.isArray(s.names) || !s.challenge) return undefined;
    return { keyAlgorithm: 'ecdsa-p256', ...s } as AcmeSpec;
  } catch {
    return undefined;
  }
}
