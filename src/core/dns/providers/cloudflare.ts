// Cloudflare DNS via its v4 REST API with a scoped API token (Zone:DNS:Edit).
import type { DnsProvider, ProviderDefinition, ProviderInput, TxtRecord } from '../provider.js';
import { readSecret } from '../provider.js';
import { ExternalServiceError } from '../../errors.js';
import { apiJson, endpoint, unquoteTxt } from './http.js';

interface CfList<T> {
  success: boolean;
  result: T[];
}

export class CloudflareProvider implements DnsProvider {
  readonly id = 'cloudflare';
  readonly #base: string;
  readonly #token: string;
  readonly #fetch: typeof fetch | undefined;
  readonly #zones = new Map<string, string>();

  constructor(options: { base: string; token: string; fetch?: typeof fetch | undefined }) {
    this.#base = options.base;
    this.#token = options.token;
    this.#fetch = options.fetch;
  }

  #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return apiJson<T>({
      provider: 'Cloudflare',
      method,
      url: `${this.#base}${path}`,
      headers: { authorization: `Bearer ${this.#token}` },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(this.#fetch ? { fetch: this.#fetch } : {}),
    });
  }

  async #zoneId(zone: string): Promise<string> {
    const cached = this.#zones.get(zone);
    if (cached) return cached;
    const r = await this.#call<CfList<{ id: string; name: string }>>('GET', `/zones?name=${encodeURIComponent(zone)}`);
    const id = r.result.find((z) => z.name === zone)?.id;
    if (!id) throw new ExternalServiceError(`Cloudflare: this token sees no zone ${zone}`, { hint: 'give the token Zone:DNS:Edit on that zone' });
    this.#zones.set(zone, id);
    return id;
  }

  async addTxt(record: TxtRecord): Promise<void> {
    const id = await this.#zoneId(record.zone);
    await this.#call('POST', `/zones/${id}/dns_records`, { type: 'TXT', name: record.fqdn, content: record.value, ttl: Math.max(60, record.ttl) });
  }

  async removeTxt(record: TxtRecord): Promise<void> {
    const id = await this.#zoneId(record.zone);
    const r = await this.#call<CfList<{ id: string; content: string }>>('GET', `/zones/${id}/dns_records?type=TXT&name=${encodeURIComponent(record.fqdn)}`);
    for (const rec of r.result.filter((x) => unquoteTxt(x.content) === record.value)) {
      await this.#call('DELETE', `/zones/${id}/dns_records/${rec.id}`);
    }
  }
}

export const cloudflare: ProviderDefinition = {
  id: 'cloudflare',
  title: 'Cloudflare (API token)',
  flags: ['cloudflare-api-token-file'],
  async create(input: ProviderInput): Promise<DnsProvider> {
    const token = await readSecret(input, { fileFlag: 'cloudflare-api-token-file', envVars: ['CLOUDFLARE_API_TOKEN', 'CF_API_TOKEN'], what: 'a Cloudflare API token' });
    return new CloudflareProvider({ base: endpoint(input.env, ['VIBECTL_TLS_CLOUDFLARE_ENDPOINT'], 'https://api.cloudflare.com/client/v4'), token, fetch: input.fetch });
  },
};
