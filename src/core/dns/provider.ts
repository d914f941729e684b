// The DNS provider contract: add and remove one TXT value. Everything around it (zone
// discovery, CNAME delegation, propagation checks) is shared and lives in the DNS-01 solver.

export interface TxtRecord {
  /** Zone apex, no trailing dot ("example.com"). */
  zone: string;
  /** Full record name, no trailing dot ("_acme-challenge.www.example.com"). */
  fqdn: string;
  value: string;
  ttl: number;
}

export interface DnsProvider {
  readonly id: string;
  /** Adds `value` next to any other values already at that name (wildcard + apex share one). */
  addTxt(record: TxtRecord): Promise<void>;
  /** Removes exactly this value, leaving the others. */
  removeTxt(record: TxtRecord): Promise<void>;
}

/** Where a provider reads its settings and secrets from; secrets never arrive as flag values. */
export interface ProviderInput {
  /** Non-secret settings from flags, keyed by flag name ("rfc2136-server", "aws-region"). */
  flags: Readonly<Record<string, string | undefined>>;
  env: Readonly<Record<string, string | undefined>>;
  readFile(path: string): Promise<string>;
  fetch?: typeof fetch;
  now?: () => Date;
}

export interface ProviderDefinition {
  id: string;
  title: string;
  /** Flags this provider reads (for help and validation messages). */
  flags: readonly string[];
  create(input: ProviderInput): Promise<DnsProvider>;
}

/** Reads a secret from a file flag or an env var; names both in the error. */
export async function readSecret(input: ProviderInput, options: { fileFlag?: string; envVars: string[]; what: string }): Promise<string> {
  const file = options.fileFlag ? input.flags[options.fileFlag] : undefined;
  if (file) return (await input.readFile(file)).trim();
  for (const name of options.envVars) {
    const v = input.env[name];
    if (v) return v.trim();
  }
  const { MissingInputError } = await import('../errors.js');
  const ways = [...(options.fileFlag ? [`--${options.fileFlag} FILE`] : []), ...options.envVars.map((e) => `$${e}`)];
  throw new MissingInputError(options.what, ways, { hint: `pass ${ways.join(' or set ')}` });
}

export function requireFlag(input: ProviderInput, flag: string, provider: string): string {
  const v = input.flags[flag];
  if (!v) {
    // Imported statically would be fine too; kept symmetrical with readSecret.
    throw Object.assign(new Error(`--${flag} is required for --dns-provider ${provider}`), { usage: true, flag });
  }
  return v;
}
