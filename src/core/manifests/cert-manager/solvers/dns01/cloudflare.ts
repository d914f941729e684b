// Cloudflare with a scoped API token (Zone:DNS:Edit + Zone:Zone:Read); global API keys are not offered.
import { InvalidInputError } from '../../../../errors.js';
import { credentialSecret } from '../../../secret.js';
import type { SolverContext, SolverResult } from '../types.js';

export interface CloudflareInput {
  provider: 'cloudflare';
  apiToken: string;
}

export function cloudflareSolver(input: CloudflareInput, ctx: SolverContext): SolverResult {
  const token = input.apiToken.trim();
  if (!/^[A-Za-z0-9_-]{20,}$/.test(token)) throw new InvalidInputError('the Cloudflare API token does not look like a token', { hint: 'create a token with Zone:DNS:Edit and Zone:Zone:Read and pass --cloudflare-api-token-file FILE' });
  const name = `${ctx.issuerName}-cloudflare-token`;
  return {
    solver: { dns01: { cloudflare: { apiTokenSecretRef: { name, key: 'api-token' } } } },
    secrets: [credentialSecret({ name, namespace: ctx.secretNamespace, data: { 'api-token': token }, component: ctx.issuerName })],
    notes: [],
  };
}
