// Gateway API hardening: an HTTPS listener that terminates with the certificate's Secret, an HTTP
// listener that only redirects, and — on Envoy Gateway — a ClientTrafficPolicy carrying the TLS
// profile (the Gateway API itself has no field for protocol versions or ciphers).
import type { KubeObject } from '../../kube/client.js';
import { PROFILES, type ProfileName } from '../../tls/mozilla.js';
import { ownedMetadata } from '../labels.js';
import type { HstsOptions } from './ingress-nginx.js';

export interface GatewayListenerInput {
  gateway: { namespace: string; name: string; className: string };
  hostname: string;
  secretName: string;
  /** Namespace of the Secret when it differs from the Gateway's (needs a ReferenceGrant). */
  secretNamespace?: string | undefined;
}

const listenerName = (hostname: string) => `https-${hostname.replace(/^\*\./, 'wildcard-').replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63);

/** A Gateway with an HTTPS listener for the host and a plain-HTTP listener used for redirects and HTTP-01. */
export function gatewayWithTls(i: GatewayListenerInput): KubeObject {
  const ref: Record<string, string> = { kind: 'Secret', group: '', name: i.secretName };
  if (i.secretNamespace && i.secretNamespace !== i.gateway.namespace) ref.namespace = i.secretNamespace;
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: ownedMetadata({ name: i.gateway.name, namespace: i.gateway.namespace, component: 'gateway' }),
    spec: {
      gatewayClassName: i.gateway.className,
      listeners: [
        { name: 'http', protocol: 'HTTP', port: 80, hostname: i.hostname, allowedRoutes: { namespaces: { from: 'Same' } } },
        {
          name: listenerName(i.hostname),
          protocol: 'HTTPS',
          port: 443,
          hostname: i.hostname,
          tls: { mode: 'Terminate', certificateRefs: [ref] },
          allowedRoutes: { namespaces: { from: 'Same' } },
        },
      ],
    },
  };
}

/** An HTTPRoute on the HTTP listener that redirects everything to HTTPS with 301. */
export function httpsRedirectRoute(o: { namespace: string; gateway: string; hostname: string }): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: ownedMetadata({ name: `${o.gateway}-https-redirect`, namespace: o.namespace, component: 'gateway' }),
    spec: {
      parentRefs: [{ name: o.gateway, sectionName: 'http' }],
      hostnames: [o.hostname],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    },
  };
}

/** The HSTS header as an HTTPRoute filter (add it to the route that serves the app over HTTPS). */
export function hstsHeaderFilter(h: HstsOptions, profile: ProfileName = 'intermediate'): Record<string, unknown> {
  return {
    type: 'ResponseHeaderModifier',
    responseHeaderModifier: { set: [{ name: 'Strict-Transport-Security', value: hstsValue(h, profile) }] },
  };
}

export function hstsValue(h: HstsOptions, profile: ProfileName = 'intermediate'): string {
  const parts = [`max-age=${h.maxAge ?? PROFILES[profile].hstsMaxAge}`];
  if (h.includeSubDomains !== false) parts.push('includeSubDomains');
  if (h.preload) parts.push('preload');
  return parts.join('; ');
}

/** Envoy Gateway's ClientTrafficPolicy with the profile's versions, ciphers and curves. */
export function envoyClientTrafficPolicy(o: { namespace: string; gateway: string; profile: ProfileName }): KubeObject {
  const p = PROFILES[o.profile];
  return {
    apiVersion: 'gateway.envoyproxy.io/v1alpha1',
    kind: 'ClientTrafficPolicy',
    metadata: ownedMetadata({ name: `${o.gateway}-tls-${o.profile}`, namespace: o.namespace, component: 'hardening' }),
    spec: {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: o.gateway }],
      tls: {
        minVersion: o.profile === 'modern' ? '1.3' : '1.2',
        maxVersion: '1.3',
        ...(p.tls12Ciphers.length ? { ciphers: p.tls12Ciphers } : {}),
        ecdhCurves: ['X25519', 'P-256', 'P-384'],
        alpnProtocols: ['h2', 'http/1.1'],
      },
    },
  };
}
