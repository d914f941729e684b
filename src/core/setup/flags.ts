// One table between setup's answers and its command-line flags: the command reads answers from
// flags with it, and the plan prints the exact non-interactive command that reproduces a run.
import type { SetupAnswers } from './answers.js';

interface FlagSpec {
  key: keyof SetupAnswers;
  flag: string;
  kind: 'string' | 'list' | 'bool';
}

export const SETUP_FLAGS: readonly FlagSpec[] = [
  { key: 'audience', flag: 'audience', kind: 'string' },
  { key: 'issuer', flag: 'issuer', kind: 'string' },
  { key: 'provider', flag: 'provider', kind: 'string' },
  { key: 'via', flag: 'via', kind: 'string' },
  { key: 'domains', flag: 'domain', kind: 'list' },
  { key: 'email', flag: 'email', kind: 'string' },
  { key: 'acmeServer', flag: 'acme-server', kind: 'string' },
  { key: 'acmeProfile', flag: 'acme-profile', kind: 'string' },
  { key: 'eabKid', flag: 'eab-kid', kind: 'string' },
  { key: 'eabHmacKeyFile', flag: 'eab-hmac-key-file', kind: 'string' },
  { key: 'challenge', flag: 'challenge', kind: 'string' },
  { key: 'ingressClass', flag: 'ingress-class', kind: 'string' },
  { key: 'gateway', flag: 'gateway', kind: 'string' },
  { key: 'dnsProvider', flag: 'dns-provider', kind: 'string' },
  { key: 'caDir', flag: 'ca-dir', kind: 'string' },
  { key: 'target', flag: 'target', kind: 'string' },
  { key: 'secretName', flag: 'secret-name', kind: 'string' },
  { key: 'keyAlgorithm', flag: 'key-algorithm', kind: 'string' },
  { key: 'tlsProfile', flag: 'tls-profile', kind: 'string' },
  { key: 'hsts', flag: 'hsts', kind: 'bool' },
  { key: 'trustOutputs', flag: 'trust-output', kind: 'list' },
  { key: 'acmCertificateArn', flag: 'acm-certificate-arn', kind: 'string' },
  { key: 'keyvaultUri', flag: 'keyvault-uri', kind: 'string' },
];

/** Reads answers from parsed flags (flag name → value); absent flags stay unanswered. */
export function answersFromFlags(flags: Record<string, unknown>): SetupAnswers {
  const out: Record<string, unknown> = {};
  for (const spec of SETUP_FLAGS) {
    const v = flags[spec.flag];
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
    out[spec.key] = spec.kind === 'list' ? (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean) : v;
  }
  // --provider eks|gke|aks is the cloud path; onprem is a private CA that cert-manager renews.
  if (out.provider && out.provider !== 'onprem' && out.issuer === undefined) out.issuer = 'cloud';
  if (out.provider === 'onprem') {
    out.issuer ??= 'private-ca';
    out.via ??= 'cert-manager';
    delete out.provider;
  }
  return out as SetupAnswers;
}

const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The non-interactive command line that gives these answers. */
export function reproduceCommand(a: SetupAnswers, extra: { namespace?: string | undefined; context?: string | undefined } = {}): string {
  const parts = ['kubectl', 'vibectl-tls', 'setup'];
  if (extra.context) parts.push('--context', shellQuote(extra.context));
  if (extra.namespace) parts.push('-n', shellQuote(extra.namespace));
  for (const spec of SETUP_FLAGS) {
    const v = a[spec.key];
    if (v === undefined) continue;
    if (spec.key === 'audience' && a.issuer) continue; // implied by the issuer
    if (spec.kind === 'bool') parts.push(v ? `--${spec.flag}` : `--no-${spec.flag}`);
    else if (spec.kind === 'list') for (const item of v as string[]) parts.push(`--${spec.flag}`, shellQuote(item));
    else parts.push(`--${spec.flag}`, shellQuote(String(v)));
  }
  parts.push('--non-interactive', '--yes');
  return parts.join(' ');
}
