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
  if (i.hsts.enabled) {
    tls.hsts = {
      max_age: i.hsts.maxAge ?? PROFILES.intermediate.hstsMaxAge,
      include_subdomains: i.hsts.includeSubDomains !== false,
      preload: Boolean(i.hsts.preload),
    };
  }
  return { tls };
}
