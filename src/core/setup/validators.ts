// Validation of the free-text answers setup takes. Each returns an error message or undefined.
import { isIP } from 'node:net';
import { InvalidInputError } from '../errors.js';
import { toDnsName } from '../pki/names.js';

export function validateDomain(name: string): string | undefined {
  if (isIP(name.trim().replace(/^\[(.*)\]$/, '$1'))) {
    return `"${name}" is an IP address; public CAs issue for DNS names (use --issuer private-ca for IPs)`;
  }
  try {
    toDnsName(name);
    return undefined;
  } catch (err) {
    return err instanceof InvalidInputError ? err.message : String(err);
  }
}

export function validateEmail(v: string): string | undefined {
  const s = v.trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s)) return `"${v}" is not an email address`;
  const domain = s.split('@')[1]!;
  if (/(^|\.)(example\.(com|org|net))$/.test(domain)) return `"${v}" uses a reserved example domain; ACME CAs refuse it`;
  return undefined;
}

export function validateHttpsUrl(v: string): string | undefined {
  let u: URL;
  try {
    u = new URL(v.trim());
  } catch {
    return `"${v}" is not a URL`;
  }
  if (u.protocol !== 'https:') return `"${v}": ACME servers are reached over https://`;
  return undefined;
}
