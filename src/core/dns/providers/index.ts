// The DNS providers. Adding one = one file in this folder + one line here.
import type { ProviderDefinition } from '../provider.js';
import { rfc2136 } from './rfc2136.js';

export const DNS_PROVIDERS: readonly ProviderDefinition[] = [
  rfc2136,
];

export function findProvider(id: string): ProviderDefinition | undefined {
  return DNS_PROVIDERS.find((p) => p.id === id);
}
