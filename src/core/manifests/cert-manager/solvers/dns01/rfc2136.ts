// RFC 2136 dynamic updates signed with TSIG (BIND, Knot, PowerDNS…). The TSIG secret goes into a
// Secret; cert-manager reads it as the base64 key text, exactly as it appears in a BIND key file.
import { InvalidInputError } from '../../../../errors.js';
import { credentialSecret } from '../../../secret.js';
import type { SolverContext, SolverResult } from '../types.js';

export const TSIG_ALGORITHMS = { 'hmac-md5': 'HMACMD5', 'hmac-sha1': 'HMACSHA1', 'hmac-sha256': 'HMACSHA256', 'hmac-sha512': 'HMACSHA512' } as const;

export interface Rfc2136Input {
  provider: 'rfc2136';
  /** HOST:PORT (port defaults to 53); IPv6 as [ADDR]:PORT. */
  nameserver: string;
  tsigKeyName?: string | undefined;
  tsigAlgorithm?: keyof typeof TSIG_ALGORITHMS | undefined;
  /** Base64 TSIG secret, read from a file or the environment, never from a flag value. */
  tsigSecret?: string | undefined;
}

export function rfc2136Solver(input: Rfc2136Input, ctx: SolverContext): SolverResult {
  const nameserver = normaliseNameserver(input.nameserver);
  const rfc2136: Record<string, unknown> = { nameserver };
  const secrets = [];
  const notes: string[] = [];
  if (input.tsigKeyName || input.tsigSecret) {
    if (!input.tsigKeyName) throw new InvalidInputError('a TSIG secret was given without its key name', { hint: 'pass --tsig-key-name NAME' });
    if (!input.tsigSecret) throw new InvalidInputError(`TSIG key ${input.tsigKeyName} has no secret`, { hint: 'pass --tsig-secret-file FILE (the base64 secret from the key file)' });
    const secret = input.tsigSecret.trim();
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secret) || Buffer.from(secret, 'base64').length < 16) {
      throw new InvalidInputError(`the TSIG secret for ${input.tsigKeyName} is not a base64 key of at least 128 bits`, { hint: 'use the `secret "…"` value from the BIND key file (tsig-keygen)' });
    }
    const alg = input.tsigAlgorithm ?? 'hmac-sha256';
    const name = `${ctx.issuerName}-rfc2136-tsig`;
    secrets.push(credentialSecret({ name, namespace: ctx.secretNamespace, data: { 'tsig-secret': secret }, component: ctx.issuerName }));
    Object.assign(rfc2136, { tsigKeyName: input.tsigKeyName, tsigAlgorithm: TSIG_ALGORITHMS[alg], tsigSecretSecretRef: { name, key: 'tsig-secret' } });
  } else {
    notes.push(`RFC 2136 updates to ${nameserver} are unsigned: the server must allow updates from the cert-manager pod's address.`);
  }
  return { solver: { dns01: { rfc2136 } }, secrets, notes };
}

function normaliseNameserver(text: string): string {
  const t = text.trim();
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(t);
  if (v6) return `[${v6[1]}]:${checkPort(v6[2] ?? '53', text)}`;
  const hp = /^([A-Za-z0-9.-]+)(?::(\d+))?$/.exec(t);
  if (hp) return `${hp[1]}:${checkPort(hp[2] ?? '53', text)}`;
  throw new InvalidInputError(`--rfc2136-server "${text}" is not HOST:PORT`, { hint: 'pass --rfc2136-server 10.0.0.53:53 (IPv6: [2001:db8::53]:53)' });
}

function checkPort(port: string, text: string): number {
  const n = Number(port);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidInputError(`--rfc2136-server "${text}" has no valid port`, { hint: 'use a port between 1 and 65535' });
  return n;
}
