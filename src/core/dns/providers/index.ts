// The DNS providers. Adding one = one file in this folder + one line here.
import type { ProviderDefinition } from '../provider.js';
import { azuredns } from './azuredns.js';
import { clouddns } from './clouddns.js';
import { cloudflare } from './cloudflare.js';
import { rfc2136 } from './rfc2136.js';
import { route53 } from './route53.js';

export const DNS_PROVIDERS: readonly ProviderDefinition[] = [
  rfc2136,
  route53,
  cloudflare,
  clouddns,
  azuredns,
];

export function findProvider(id: string): ProviderDefinition | undefined {
  return DNS_PROVIDERS.find((p) => p.id === id);
}
