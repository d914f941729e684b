// Azure DNS via Azure Resource Manager REST (api-version 2018-05-01), with a client-credentials
// token from Microsoft Entra ID or a ready access token.
import { MissingInputError, UsageError } from '../../errors.js';
import type { DnsProvider, ProviderDefinition, ProviderInput, TxtRecord } from '../provider.js';
import { apiCall, apiJson, endpoint } from './http.js';

const API = 'api-version=2018-05-01';

interface TxtSet {
  properties?: { TTL?: number; TXTRecords?: { value: string[] }[] };
}

export interface AzureDnsOptions {
  base: string;
  subscription: string;
  resourceGroup: string;
  zone: string | undefined;
  token: () => Promise<string>;
  fetch?: typeof fetch | undefined;
}

export class AzureDnsProvider implements DnsProvider {
  readonly id = 'azuredns';
  readonly #o: AzureDnsOptions;
  #token: string | undefined;

  constructor(options: AzureDnsOptions) {
    this.#o = options;
  }

  #url(zone: string, fqdn: string): string {
    const relative = fqdn === zone ? '@' : fqdn.slice(0, -(zone.length + 1));
    return `${this.#o.base}/subscriptions/${encodeURIComponent(this.#o.subscription)}/resourceGroups/${encodeURIComponent(this.#o.resourceGroup)}/providers/Microsoft.Network/dnsZones/${encodeURIComponent(zone)}/TXT/${encodeURIComponent(relative)}?${API}`;
  }

  async #headers(): Promise<Record<string, string>> {
    this.#token ??= await this.#o.token();
    return { authorization: `Bearer ${this.#token}` };
  }

  async #get(url: string): Promise<TxtSet | undefined> {
    try {
      return await apiJson<TxtSet>({ provider: 'Azure DNS', method: 'GET', url, headers: await this.#headers(), ...(this.#o.fetch ? { fetch: this.#o.fetch } : {}) });
    } catch (err) {
      if (/HTTP 404/.test((err as Error).message)) return undefined;
      throw err;
    }
  }

  async #put(url: string, ttl: number, values: string[]): Promise<void> {
    await apiJson({
      provider: 'Azure DNS',
      method: 'PUT',
      url,
      headers: await this.#headers(),
      body: JSON.stringify({ properties: { TTL: ttl, TXTRecords: values.map((v) => ({ value: [v] })) } }),
      ...(this.#o.fetch ? { fetch: this.#o.fetch } : {}),
    });
  }

  async addTxt(record: TxtRecord): Promise<void> {
    const zone = this.#o.zone ?? record.zone;
    const url = this.#url(zone, record.fqdn);
    const values = (await this.#get(url))?.properties?.TXTRecords?.map((r) => r.value.join('')) ?? [];
    if (values.includes(record.value)) return;
    await this.#put(url, record.ttl, [...values, record.value]);
  }

  async removeTxt(record: TxtRecord): Promise<void> {
    const zone = this.#o.zone ?? record.zone;
    const url = this.#url(zone, record.fqdn);
    const cur = await this.#get(url);
    const values = cur?.properties?.TXTRecords?.map((r) => r.value.join('')) ?? [];
    if (!values.includes(record.value)) return;
    const rest = values.filter((v) => v !== record.value);
    if (rest.length) await this.#put(url, cur?.properties?.TTL ?? record.ttl, rest);
    else await apiCall({ provider: 'Azure DNS', method: 'DELETE', url, headers: await this.#headers(), ...(this.#o.fetch ? { fetch: this.#o.fetch } : {}) });
  }
}

export const azuredns: ProviderDefinition = {
  id: 'azuredns',
  title: 'Azure DNS (service principal or access token)',
  flags: ['azure-subscription-id', 'azure-resource-group', 'azure-zone'],
  async create(input: ProviderInput): Promise<DnsProvider> {
    const subscription = input.flags['azure-subscription-id'] ?? input.env.AZURE_SUBSCRIPTION_ID;
    const resourceGroup = input.flags['azure-resource-group'];
    if (!subscription || !resourceGroup) {
      throw new UsageError('--azure-subscription-id and --azure-resource-group are required for --dns-provider azuredns', { hint: 'pass --azure-subscription-id S --azure-resource-group G [--azure-zone Z]' });
    }
    const base = endpoint(input.env, ['AZURE_RESOURCE_MANAGER_ENDPOINT'], 'https://management.azure.com');
    const token = async (): Promise<string> => {
      if (input.env.AZURE_ACCESS_TOKEN) return input.env.AZURE_ACCESS_TOKEN;
      const { AZURE_TENANT_ID: tenant, AZURE_CLIENT_ID: clientId, AZURE_CLIENT_SECRET: secret } = input.env;
      if (!tenant || !clientId || !secret) throw new MissingInputError('Azure credentials', ['$AZURE_TENANT_ID, $AZURE_CLIENT_ID and $AZURE_CLIENT_SECRET (or $AZURE_ACCESS_TOKEN)']);
      const authority = endpoint(input.env, ['AZURE_AUTHORITY_HOST'], 'https://login.microsoftonline.com');
      const r = await apiJson<{ access_token?: string }>({
        provider: 'Microsoft Entra ID',
        method: 'POST',
        url: `${authority}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: `${base}/.default` }).toString(),
        ...(input.fetch ? { fetch: input.fetch } : {}),
      });
      if (!r.access_token) throw new MissingInputError('an Azure access token', ['$AZURE_ACCESS_TOKEN']);
      return r.access_token;
    };
    return new AzureDnsProvider({ base, subscription, resourceGroup, zone: input.flags['azure-zone']?.replace(/\.$/, ''), token, fetch: input.fetch });
  },
};
