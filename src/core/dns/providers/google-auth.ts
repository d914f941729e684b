// OAuth access tokens for Google Cloud from a service-account key (JWT bearer grant, RS256),
// without the Google SDK. The token endpoint comes from the key file (token_uri).
import { createSign } from 'node:crypto';
import { InvalidInputError } from '../../errors.js';
import { apiJson } from './http.js';

interface ServiceAccount {
  client_email: string;
  private_key: string;
  token_uri?: string;
}

export async function googleAccessToken(options: { keyJson: string; scope: string; now: Date; fetch?: typeof fetch | undefined }): Promise<string> {
  let sa: ServiceAccount;
  try {
    sa = JSON.parse(options.keyJson) as ServiceAccount;
  } catch {
    throw new InvalidInputError('the Google credentials file is not JSON');
  }
  if (!sa.client_email || !sa.private_key) throw new InvalidInputError('the Google credentials file is not a service-account key (client_email/private_key missing)');
  const tokenUri = sa.token_uri ?? 'https://oauth2.googleapis.com/token';
  const iat = Math.floor(options.now.getTime() / 1000);
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({ iss: sa.client_email, scope: options.scope, aud: tokenUri, iat, exp: iat + 3600 })}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(sa.private_key, 'base64url');
  const body = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: `${unsigned}.${signature}` }).toString();
  const r = await apiJson<{ access_token?: string }>({
    provider: 'Google OAuth',
    method: 'POST',
    url: tokenUri,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  if (!r.access_token) throw new InvalidInputError('Google OAuth returned no access token');
  return r.access_token;
}
