// Subject alternative names as users type them: DNS names (internationalised names converted to
// punycode), wildcards (leftmost label only), IPv4 and IPv6 addresses. Invalid names are refused
// with the reason, before any key is generated or file written.
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { InvalidInputError } from '../errors.js';

export type San = { type: 'dns'; value: string } | { type: 'ip'; value: string };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Parses one --san value (or a certificate NAME) into a SAN; throws InvalidInputError with the reason. */
export function parseSan(input: string): San {
  const raw = input.trim();
  const unbracketed = raw.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(unbracketed);
  if (family === 4) return { type: 'ip', value: unbracketed };
  if (family === 6) return { type: 'ip', value: normalizeIpv6(unbracketed) };
  return { type: 'dns', value: toDnsName(raw) };
}

export function toDnsName(input: string): string {
  const bad = (why: string) =>
    new InvalidInputError(`"${input}" is not a valid host name: ${why}`, {
      hint: 'use a DNS name (api.example.com, *.example.com, münchen.de) or an IP address (10.0.0.1, ::1)',
    });
  let name = input.trim().replace(/\.$/, '');
  if (name === '') throw bad('it is empty');
  let wildcard = false;
  if (name.startsWith('*.')) {
    wildcard = true;
    name = name.slice(2);
  }
  if (name.includes('*')) throw bad('a wildcard may only be the whole leftmost label (*.example.com)');
  if (/[\s/:@?#]/.test(name)) throw bad('it contains a space or one of / : @ ? #');
  if (name.includes('_')) throw bad('underscores are not allowed in host names');
  if (/^[\d.]+$/.test(name) || /\.\d+$/.test(name)) throw bad('the last label is all digits (an IP address with a typo?)');
  const ascii = domainToASCII(name);
  if (!ascii) throw bad('it cannot be converted to an ASCII (punycode) name');
  const labels = ascii.split('.');
  for (const label of labels) {
    if (label === '') throw bad('it has an empty label (two dots in a row?)');
    if (!LABEL.test(label)) throw bad(`label "${label}" must be 1-63 letters, digits or hyphens, not starting or ending with a hyphen`);
  }
  // Also after conversion: Unicode digits (e.g. U+1FBF0) normalise to ASCII ones, and WHATWG's host
  // parser then turns a numeric host into an IPv4 address.
  if (/^\d+$/.test(labels[labels.length - 1]!)) throw bad('the last label is all digits (an IP address with a typo?)');
  if (wildcard && labels.length < 2) throw bad('a wildcard needs at least two labels after it (*.example.com, not *.com)');
  const out = (wildcard ? '*.' : '') + ascii;
  if (out.length > 253) throw bad('it is longer than 253 characters');
  return out;
}

function normalizeIpv6(ip: string): string {
  // Let WHATWG URL canonicalise (compresses zeros, lowercases).
  return new URL(`http://[${ip}]/`).hostname.replace(/^\[|\]$/g, '');
}

/** Parses and de-duplicates a list of names, keeping the first occurrence's order. */
export function parseSans(inputs: readonly string[]): San[] {
  const seen = new Set<string>();
  const out: San[] = [];
  for (const i of inputs) {
    const san = parseSan(i);
    const key = `${san.type}:${san.value}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(san);
    }
  }
  return out;
}

export function formatSan(s: San): string {
  return s.type === 'dns' ? `DNS:${s.value}` : `IP:${s.value}`;
}

/** A name safe to use as a file or Kubernetes object name ("*.example.com" → "wildcard.example.com"). */
export function fileNameFor(name: string): string {
  const base = name.replace(/^\*\./, 'wildcard.').replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  return base || 'certificate';
}
