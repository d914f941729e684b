// Amazon Route 53 via its REST/XML API, signed with AWS Signature Version 4 (node:crypto only).
// Route 53 replaces whole record sets, so we read the TXT set and write back the union/difference.
import { createHash, createHmac } from 'node:crypto';
import { ExternalServiceError, MissingInputError } from '../../errors.js';
import type { DnsProvider, ProviderDefinition, ProviderInput, TxtRecord } from '../provider.js';
import { apiCall, endpoint, quoteTxt, unquoteTxt } from './http.js';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const hmac = (k: Buffer | string, s: string) => createHmac('sha256', k).update(s).digest();

/** AWS SigV4 headers for one request (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html). */
export function signV4(options: { method: string; url: string; body: string; region: string; service: string; credentials: AwsCredentials; now: Date }): Record<string, string> {
  const u = new URL(options.url);
  const amzDate = options.now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const payloadHash = sha256(options.body);
  const headers: Record<string, string> = { host: u.host, 'x-amz-date': amzDate };
  if (options.credentials.sessionToken) headers['x-amz-security-token'] = options.credentials.sessionToken;
  const names = Object.keys(headers).sort();
  const query = [...u.searchParams.entries()]
    .map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [options.method, u.pathname || '/', query, names.map((n) => `${n}:${headers[n]}\n`).join(''), names.join(';'), payloadHash].join('\n');
  const scope = `${date}/${options.region}/${options.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${options.credentials.secretAccessKey}`, date), options.region), options.service), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${options.credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

const NS = 'https://route53.amazonaws.com/doc/2013-04-01/';

export class Route53Provider implements DnsProvider {
  readonly id = 'route53';
  readonly #o: { base: string; credentials: AwsCredentials; hostedZoneId?: string | undefined; fetch?: typeof fetch | undefined; now: () => Date };
  readonly #zones = new Map<string, string>();

  constructor(options: { base: string; credentials: AwsCredentials; hostedZoneId?: string | undefined; fetch?: typeof fetch | undefined; now?: () => Date }) {
    this.#o = { ...options, now: options.now ?? (() => new Date()) };
  }

  async #call(method: string, path: string, body = ''): Promise<string> {
    const url = `${this.#o.base}${path}`;
    // Route 53 is a global service signed in us-east-1.
    const headers = signV4({ method, url, body, region: 'us-east-1', service: 'route53', credentials: this.#o.credentials, now: this.#o.now() });
    if (body) headers['content-type'] = 'application/xml';
    const { text } = await apiCall({ provider: 'Route 53', method, url, headers, ...(body ? { body } : {}), ...(this.#o.fetch ? { fetch: this.#o.fetch } : {}) });
    return text;
  }

  async #zoneId(zone: string): Promise<string> {
    if (this.#o.hostedZoneId) return this.#o.hostedZoneId.replace(/^\/?hostedzone\//, '');
    const cached = this.#zones.get(zone);
    if (cached) return cached;
    const xml = await this.#call('GET', `/2013-04-01/hostedzonesbyname?dnsname=${encodeURIComponent(zone)}&maxitems=1`);
    const m = /<HostedZone>\s*<Id>\/hostedzone\/([^<]+)<\/Id>\s*<Name>([^<]+)<\/Name>/.exec(xml);
    if (!m || (m[2] ?? '').replace(/\.$/, '') !== zone) {
      throw new ExternalServiceError(`Route 53: no hosted zone ${zone} in this account`, { hint: 'pass --route53-hosted-zone-id ID' });
    }
    this.#zones.set(zone, m[1] as string);
    return m[1] as string;
  }

  async #current(id: string, fqdn: string): Promise<{ values: string[]; ttl: number }> {
    const xml = await this.#call('GET', `/2013-04-01/hostedzone/${id}/rrset?name=${encodeURIComponent(fqdn + '.')}&type=TXT&maxitems=1`);
    const set = /<ResourceRecordSet>([\s\S]*?)<\/ResourceRecordSet>/.exec(xml)?.[1] ?? '';
    const name = /<Name>([^<]+)<\/Name>/.exec(set)?.[1]?.replace(/\.$/, '').toLowerCase();
    if (name !== fqdn.toLowerCase() || !/<Type>TXT<\/Type>/.test(set)) return { values: [], ttl: 60 };
    const values = [...set.matchAll(/<Value>([^<]*)<\/Value>/g)].map((v) => unquoteTxt(decodeXml(v[1] ?? '')));
    return { values, ttl: Number(/<TTL>(\d+)<\/TTL>/.exec(set)?.[1] ?? 60) };
  }

  async #change(id: string, action: 'UPSERT' | 'DELETE', fqdn: string, values: string[], ttl: number): Promise<void> {
    const records = values.map((v) => `<ResourceRecord><Value>${encodeXml(quoteTxt(v))}</Value></ResourceRecord>`).join('');
    const body = `<?xml version="1.0" encoding="UTF-8"?><ChangeResourceRecordSetsRequest xmlns="${NS}"><ChangeBatch><Comment>vibectl-tls ACME DNS-01</Comment><Changes><Change><Action>${action}</Action><ResourceRecordSet><Name>${fqdn}.</Name><Type>TXT</Type><TTL>${ttl}</TTL><ResourceRecords>${records}</ResourceRecords></ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`;
    await this.#call('POST', `/2013-04-01/hostedzone/${id}/rrset`, body);
  }

  async addTxt(record: TxtRecord): Promise<void> {
    const id = await this.#zoneId(record.zone);
    const cur = await this.#current(id, record.fqdn);
    if (cur.values.includes(record.value)) return;
    await this.#change(id, 'UPSERT', record.fqdn, [...cur.values, record.value], record.ttl);
  }

  async removeTxt(record: TxtRecord): Promise<void> {
    const id = await this.#zoneId(record.zone);
    const cur = await this.#current(id, record.fqdn);
    if (!cur.values.includes(record.value)) return;
    const rest = cur.values.filter((v) => v !== record.value);
    // DELETE must name the set exactly as it is; UPSERT keeps the other values.
    if (rest.length === 0) await this.#change(id, 'DELETE', record.fqdn, cur.values, cur.ttl);
    else await this.#change(id, 'UPSERT', record.fqdn, rest, cur.ttl);
  }
}

function encodeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
function decodeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

export const route53: ProviderDefinition = {
  id: 'route53',
  title: 'Amazon Route 53 (AWS SigV4)',
  flags: ['route53-hosted-zone-id', 'aws-region'],
  async create(input: ProviderInput): Promise<DnsProvider> {
    const accessKeyId = input.env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = input.env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) throw new MissingInputError('AWS credentials', ['$AWS_ACCESS_KEY_ID and $AWS_SECRET_ACCESS_KEY (and $AWS_SESSION_TOKEN for temporary ones)']);
    return new Route53Provider({
      base: endpoint(input.env, ['AWS_ENDPOINT_URL_ROUTE_53', 'AWS_ENDPOINT_URL'], 'https://route53.amazonaws.com'),
      credentials: { accessKeyId, secretAccessKey, sessionToken: input.env.AWS_SESSION_TOKEN },
      hostedZoneId: input.flags['route53-hosted-zone-id'],
      fetch: input.fetch,
      ...(input.now ? { now: input.now } : {}),
    });
  },
};
