// Google Cloud DNS via its v1 REST API. Changes replace whole record sets, so a change
// deletes the current TXT set and adds the new one in one atomic change.
import { ExternalServiceError, MissingInputError, UsageError } from '../../errors.js';
import type { DnsProvider, ProviderDefinition, ProviderInput, TxtRecord } from '../provider.js';
import { googleAccessToken } from './google-auth.js';
import { apiJson, endpoint, quoteTxt, unquoteTxt } from './http.js';

interface RRSet {
  name: string;
  type: string;
  ttl: number;
  rrdatas: string[];
}

export class CloudDnsProvider implements DnsProvider {
  readonly id = 'clouddns';
  readonly #o: { base: string; project: string; token: () => Promise<string>; fetch?: typeof fetch | undefined };
  readonly #zones = new Map<string, string>();
  #token: string | undefined;

  constructor(options: { base: string; project: string; token: () => Promise<string>; fetch?: typeof fetch | undefined }) {
    this.#o = options;
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    this.#token ??= await this.#o.token();
    return apiJson<T>({
      provider: 'Cloud DNS',
      method,
      url: `${this.#o.base}/dns/v1/projects/${encodeURIComponent(this.#o.project)}${path}`,
      headers: { authorization: `Bearer ${this.#token}` },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(this.#o.fetch ? { fetch: this.#o.fetch } : {}),
    });
  }

  async #zone(zone: string): Promise<string> {
    const cached = this.#zones.get(zone);
    if (cached) return cached;
    const r = await this.#call<{ managedZones?: { name: string; dnsName: string; visibility?: string }[] }>('GET', `/managedZones?dnsName=${encodeURIComponent(zone + '.')}`);
    const mz = r.managedZones?.find((z) => z.dnsName === `${zone}.` && z.visibility !== 'private') ?? r.managedZones?.[0];
    if (!mz) throw new ExternalServiceError(`Cloud DNS: no managed zone for ${zone} in project ${this.#o.project}`, { hint: 'check --gcp-project' });
    this.#zones.set(zone, mz.name);
    return mz.name;
  }

  async #current(mz: string, fqdn: string): Promise<RRSet | undefined> {
    const r = await this.#call<{ rrsets?: RRSet[] }>('GET', `/managedZones/${mz}/rrsets?name=${encodeURIComponent(fqdn + '.')}&type=TXT`);
    return r.rrsets?.find((s) => s.type === 'TXT' && s.name === `${fqdn}.`);
  }

  async #replace(mz: string, current: RRSet | undefined, next: RRSet | undefined): Promise<void> {
    await this.#call('POST', `/managedZones/${mz}/changes`, { additions: next ? [next] : [], deletions: current ? [current] : [] });
  }

  async addTxt(record: TxtRecord): Promise<void> {
    const mz = await this.#zone(record.zone);
    const cur = await this.#current(mz, record.fqdn);
    const values = (cur?.rrdatas ?? []).map(unquoteTxt);
    if (values.includes(record.value)) return;
    await this.#replace(mz, cur, { name: `${record.fqdn}.`, type: 'TXT', ttl: record.ttl, rrdatas: [...(cur?.rrdatas ?? []), quoteTxt(record.value)] });
  }

  async removeTxt(record: TxtRecord): Promise<void> {
    const mz = await this.#zone(record.zone);
    const cur = await this.#current(mz, record.fqdn);
    if (!cur || !cur.rrdatas.map(unquoteTxt).includes(record.value)) return;
    const rest = cur.rrdatas.filter((d) => unquoteTxt(d) !== record.value);
    await this.#replace(mz, cur, rest.length ? { ...cur, rrdatas: rest } : undefined);
  }
}

export const clouddns: ProviderDefinition = {
  id: 'clouddns',
  title: 'Google Cloud DNS (service-account key or access token)',
  flags: ['gcp-project'],
  async create(input: ProviderInput): Promise<DnsProvider> {
    const project = input.flags['gcp-project'] ?? input.env.GOOGLE_CLOUD_PROJECT;
    if (!project) throw new UsageError('--gcp-project is required for --dns-provider clouddns', { hint: 'pass --gcp-project PROJECT_ID' });
    const now = input.now ?? (() => new Date());
    const token = async (): Promise<string> => {
      if (input.env.GOOGLE_OAUTH_ACCESS_TOKEN) return input.env.GOOGLE_OAUTH_ACCESS_TOKEN;
      const file = input.env.GOOGLE_APPLICATION_CREDENTIALS;
      if (!file) throw new MissingInputError('Google Cloud credentials', ['$GOOGLE_APPLICATION_CREDENTIALS (service-account key file) or $GOOGLE_OAUTH_ACCESS_TOKEN']);
      return googleAccessToken({ keyJson: await input.readFile(file), scope: 'https://www.googleapis.com/auth/ndev.clouddns.readwrite', now: now(), fetch: input.fetch });
    };
    return new CloudDnsProvider({
      base: endpoint(input.env, ['CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS', 'VIBECTL_TLS_CLOUDDNS_ENDPOINT'], 'https://dns.googleapis.com').replace(/\/dns\/v1$/, ''),
      project,
      token,
      fetch: input.fetch,
    });
  },
};
