// The DNS-01 provider registry. Adding a provider: one file beside this one, its input type in
// Dns01Input, and one line in DNS01_PROVIDERS.
import type { SolverContext, SolverResult, SolverSelector } from '../types.js';
import { withSelector } from '../types.js';
import { type AzureDnsInput, azureDnsSolver } from './azuredns.js';
import { type CloudDnsInput, cloudDnsSolver } from './clouddns.js';
import { type CloudflareInput, cloudflareSolver } from './cloudflare.js';
import { type Rfc2136Input, rfc2136Solver } from './rfc2136.js';
import { type Route53Input, route53Solver } from './route53.js';

export type Dns01Input = Rfc2136Input | Route53Input | CloudDnsInput | AzureDnsInput | CloudflareInput;
export type Dns01ProviderId = Dns01Input['provider'];

type Builders = { [K in Dns01ProviderId]: (input: Extract<Dns01Input, { provider: K }>, ctx: SolverContext) => SolverResult };

export const DNS01_PROVIDERS: Builders = {
  rfc2136: rfc2136Solver,
  route53: route53Solver,
  clouddns: cloudDnsSolver,
  azuredns: azureDnsSolver,
  cloudflare: cloudflareSolver,
};

export const DNS01_PROVIDER_IDS = Object.keys(DNS01_PROVIDERS) as Dns01ProviderId[];

export function dns01Solver(input: Dns01Input & { selector?: SolverSelector }, ctx: SolverContext): SolverResult {
  const build = DNS01_PROVIDERS[input.provider] as (i: Dns01Input, c: SolverContext) => SolverResult;
  const result = build(input, ctx);
  return { ...result, solver: withSelector(result.solver, input.selector) };
}

export type { AzureDnsInput, CloudDnsInput, CloudflareInput, Rfc2136Input, Route53Input };
