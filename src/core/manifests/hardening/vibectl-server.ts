// vibectl-server's own TLS settings (its config.yaml `tls` block). Its client pins TLS 1.3 as min
// and max and negotiates ALPN h2, so the server certificate's SANs must match the URL host and the
// files must hold the full chain. The demo once put HSTS under the wrong key, where it was ignored:
// `hsts` belongs inside `tls`.
import { PROFILES } from '../../tls/mozilla.js';
import type { HstsOptions } from './ingress-nginx.js';

export interface VibectlServerTlsInput {
  mountPath: string;
  hsts: HstsOptions;
  /** Set when clients present certificates (mTLS) signed by this bundle. */
  clientCaFile?: string | undefined;
}

export function vibectlServerTlsConfig(i: VibectlServerTlsInput): { tls: Record<string, unknown> } {
  const tls: Record<string, unknown> = {
    enabled: true,
    cert_file: `${i.mountPath}/tls.crt`,
    key_file: `${i.mountPath}/tls.key`,
  };
  if (i.clientCaFile) tls.ca_bundle_file = i.clientCaFile;
  const hsts = vibectlServerHsts(i.hsts);
  if (hsts) tls.hsts = hsts;
  return { tls };
}

/** vibectl-server's `tls.hsts` block, or undefined when HSTS is off. */
export function vibectlServerHsts(h: HstsOptions): { max_age: number; include_subdomains: boolean; preload: boolean } | undefined {
  if (!h.enabled) return undefined;
  return { max_age: h.maxAge ?? PROFILES.intermediate.hstsMaxAge, include_subdomains: h.includeSubDomains !== false, preload: Boolean(h.preload) };
}
