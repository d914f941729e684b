// Flags shared by `acme issue`, `setup` and `renew`: the ACME server, EAB, challenge and the
// DNS provider settings. Secrets are files or env vars, never flag values.
import { Flags } from '@oclif/core';
import { KEY_ALGORITHMS } from '../core/acme/keys.js';
import { DNS_PROVIDERS } from '../core/dns/providers/index.js';

export const acmeServerFlags = {
  'acme-server': Flags.string({ description: 'letsencrypt | letsencrypt-staging | zerossl | google | google-staging | an https:// directory URL', default: 'letsencrypt' }),
  'acme-ca-bundle': Flags.string({ description: 'PEM file with the CA of a private ACME server (trusted for this client only)' }),
};

export const dnsProviderFlags = {
  'dns-provider': Flags.string({ description: 'DNS provider for DNS-01', options: DNS_PROVIDERS.map((p) => p.id) }),
  'dns-resolver': Flags.string({ description: 'DNS server (HOST:PORT) for zone discovery and propagation checks (default: the system resolver)' }),
  'rfc2136-server': Flags.string({ description: 'rfc2136: primary server HOST:PORT' }),
  'tsig-key-name': Flags.string({ description: 'rfc2136: TSIG key name' }),
  'tsig-algorithm': Flags.string({ description: 'rfc2136: TSIG algorithm', options: ['hmac-sha256', 'hmac-sha512'] }),
  'tsig-secret-file': Flags.string({ description: 'rfc2136: file with the base64 TSIG secret (or $VIBECTL_TLS_TSIG_SECRET)' }),
  'route53-hosted-zone-id': Flags.string({ description: 'route53: hosted zone id (default: found from the name)' }),
  'aws-region': Flags.string({ description: 'route53: AWS region (credentials from $AWS_ACCESS_KEY_ID / $AWS_SECRET_ACCESS_KEY)' }),
  'cloudflare-api-token-file': Flags.string({ description: 'cloudflare: file with an API token (or $CLOUDFLARE_API_TOKEN)' }),
  'gcp-project': Flags.string({ description: 'clouddns: Google Cloud project (credentials from $GOOGLE_APPLICATION_CREDENTIALS)' }),
  'azure-subscription-id': Flags.string({ description: 'azuredns: subscription id' }),
  'azure-resource-group': Flags.string({ description: 'azuredns: resource group of the zone' }),
  'azure-zone': Flags.string({ description: 'azuredns: DNS zone name' }),
};

/** The provider flags as the plain map providers read. */
export function providerFlagValues(flags: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const def of DNS_PROVIDERS) {
    for (const f of def.flags) {
      const v = flags[f];
      if (typeof v === 'string' && v) out[f] = v;
    }
  }
  return out;
}

export const keyAlgorithmFlag = Flags.string({ description: 'private key algorithm', options: [...KEY_ALGORITHMS], default: 'ecdsa-p256' });
