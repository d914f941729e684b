// ingress-nginx hardening: its TLS protocols, ciphers, curves and HSTS are ConfigMap-only settings
// of the controller. ingress-nginx is retired (no security fixes after March 2026), so every plan
// that touches it also carries that warning and points at a Gateway API implementation.
import type { KubeObject } from '../../kube/client.js';
import { PROFILES, type ProfileName } from '../../tls/mozilla.js';

export const INGRESS_NGINX_RETIRED =
  'ingress-nginx is retired and gets no security fixes after March 2026: plan a move to a Gateway API implementation (setup --gateway NS/NAME)';

export interface HstsOptions {
  enabled: boolean;
  maxAge?: number | undefined;
  includeSubDomains?: boolean | undefined;
  preload?: boolean | undefined;
}

/** The ConfigMap keys that apply a Mozilla profile and HSTS to ingress-nginx. */
export function ingressNginxTlsSettings(profile: ProfileName, hsts: HstsOptions): Record<string, string> {
  const p = PROFILES[profile];
  const data: Record<string, string> = {
    'ssl-protocols': p.versions.join(' '),
    // TLS 1.3 suites are not configurable through ssl-ciphers; only the 1.2 list matters here.
    'ssl-ciphers': p.tls12Ciphers.join(':'),
    // Mozilla 6.0: every allowed suite is strong, so let clients pick what their hardware does fastest.
    'ssl-prefer-server-ciphers': 'false',
    // nginx names the groups by their OpenSSL names; X25519MLKEM768 needs OpenSSL 3.5 in the controller.
    'ssl-ecdh-curve': p.groups.map((g) => (g === 'P-256' ? 'prime256v1' : g === 'P-384' ? 'secp384r1' : g)).filter((g) => g !== 'X25519MLKEM768').join(':'),
    'ssl-redirect': 'true',
    hsts: hsts.enabled ? 'true' : 'false',
  };
  if (hsts.enabled) {
    data['hsts-max-age'] = String(hsts.maxAge ?? p.hstsMaxAge);
    data['hsts-include-subdomains'] = hsts.includeSubDomains === false ? 'false' : 'true';
    data['hsts-preload'] = hsts.preload ? 'true' : 'false';
  }
  return data;
}

/**
 * A server-side-apply patch of the controller's ConfigMap that owns only the TLS keys. The
 * ConfigMap is the controller's, not ours: no managed-by label, so `cleanup` never touches it.
 */
export function ingressNginxConfigPatch(o: { name: string; namespace: string; profile: ProfileName; hsts: HstsOptions }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: o.name, namespace: o.namespace },
    data: ingressNginxTlsSettings(o.profile, o.hsts),
  };
}
