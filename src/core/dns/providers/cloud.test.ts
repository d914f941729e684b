// Cloud DNS providers against local HTTP servers that play the API and check every request:
// credentials/signature, the zone, the record, and that cleanup leaves nothing behind.
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { DnsProvider, ProviderInput, TxtRecord } from '../provider.js';
import { findProvider, DNS_PROVIDERS } from './index.js';
import { signV4 } from './route53.js';

type Handler = (req: IncomingMessage & { body: string }, res: ServerResponse) => void;
let server: Server | undefined;
const problems: string[] = [];
afterEach(() => {
  server?.close();
  problems.length = 0;
});

async function fakeApi(handler: Handler): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      try {
        handler(Object.assign(req, { body }), res);
      } catch (err) {
        problems.push(String(err));
        res.writeHead(500).end(String(err));
      }
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

function input(flags: Record<string, string>, env: Record<string, string>, files: Record<string, string> = {}): ProviderInput {
  return { flags, env, readFile: async (p) => files[p] ?? Promise.reject(new Error(`no file ${p}`)), now: () => new Date() };
}

const rec = (value: string): TxtRecord => ({ zone: 'example.com', fqdn: '_acme-challenge.example.com', value, ttl: 60 });

/** Wildcard + apex share one name: both values must coexist, and each removal takes only its own. */
async function exercise(provider: DnsProvider, state: () => string[]): Promise<void> {
  await provider.addTxt(rec('wild-value'));
  await provider.addTxt(rec('apex-value'));
  expect(state().sort()).toEqual(['apex-value', 'wild-value']);
  await provider.removeTxt(rec('wild-value'));
  expect(state()).toEqual(['apex-value']);
  await provider.removeTxt(rec('apex-value'));
  expect(state()).toEqual([]);
  expect(problems).toEqual([]);
}

describe('registry', () => {
  it('lists every provider of the CLI contract, one definition each', () => {
    expect(DNS_PROVIDERS.map((p) => p.id)).toEqual(['rfc2136', 'route53', 'cloudflare', 'clouddns', 'azuredns']);
  });
});

describe('route53', () => {
  const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-tok' };

  it('signs every request with SigV4, finds the hosted zone, keeps sibling values, cleans up', async () => {
    let values: string[] = [];
    const base = await fakeApi((req, res) => {
      const url = `http://${req.headers.host}${req.url}`;
      const amzDate = String(req.headers['x-amz-date']);
      const now = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
      const expected = signV4({ method: req.method ?? '', url, body: req.body, region: 'us-east-1', service: 'route53', credentials: creds, now });
      if (req.headers.authorization !== expected.authorization) throw new Error(`bad signature for ${req.method} ${req.url}`);
      if (req.headers['x-amz-security-token'] !== 'session-tok') throw new Error('session token missing');
      if (req.url?.startsWith('/2013-04-01/hostedzonesbyname')) {
        if (!req.url.includes('dnsname=example.com')) throw new Error(`wrong zone lookup ${req.url}`);
        res.end('<ListHostedZonesByNameResponse><HostedZones><HostedZone><Id>/hostedzone/Z123</Id><Name>example.com.</Name></HostedZone></HostedZones></ListHostedZonesByNameResponse>');
        return;
      }
      if (req.method === 'GET' && req.url?.startsWith('/2013-04-01/hostedzone/Z123/rrset')) {
        const rrs = values.map((v) => `<ResourceRecord><Value>"${v}"</Value></ResourceRecord>`).join('');
        res.end(values.length ? `<ListResourceRecordSetsResponse><ResourceRecordSets><ResourceRecordSet><Name>_acme-challenge.example.com.</Name><Type>TXT</Type><TTL>60</TTL><ResourceRecords>${rrs}</ResourceRecords></ResourceRecordSet></ResourceRecordSets></ListResourceRecordSetsResponse>` : '<ListResourceRecordSetsResponse><ResourceRecordSets/></ListResourceRecordSetsResponse>');
        return;
      }
      if (req.method === 'POST' && req.url === '/2013-04-01/hostedzone/Z123/rrset') {
        const action = /<Action>(\w+)<\/Action>/.exec(req.body)?.[1];
        if (!req.body.includes('<Name>_acme-challenge.example.com.</Name>')) throw new Error('wrong record name');
        const sent = [...req.body.matchAll(/<Value>"([^<]*)"<\/Value>/g)].map((m) => m[1] as string);
        if (action === 'DELETE') {
          if (sent.join() !== values.join()) throw new Error('DELETE must name the current set exactly');
          values = [];
        } else values = sent;
        res.end('<ChangeResourceRecordSetsResponse><ChangeInfo><Status>PENDING</Status></ChangeInfo></ChangeResourceRecordSetsResponse>');
        return;
      }
      throw new Error(`unexpected ${req.method} ${req.url}`);
    });
    const provider = await findProvider('route53')!.create(
      input({}, { AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_SESSION_TOKEN: creds.sessionToken, AWS_ENDPOINT_URL_ROUTE_53: base }),
    );
    await exercise(provider, () => values);
  });

  it('says which env vars are missing', async () => {
    await expect(findProvider('route53')!.create(input({}, {}))).rejects.toMatchObject({ message: expect.stringContaining('AWS credentials'), hint: expect.stringContaining('AWS_ACCESS_KEY_ID') });
  });
});

describe('cloudflare', () => {
  it('uses the token from the file, the right zone id, deletes only its own record', async () => {
    const records = new Map<string, string>();
    let next = 1;
    const base = await fakeApi((req, res) => {
      if (req.headers.authorization !== 'Bearer cf-token') {
        res.writeHead(403).end(JSON.stringify({ success: false, errors: [{ message: 'Invalid API Token' }] }));
        return;
      }
      const u = new URL(req.url ?? '', 'http://x');
      const json = (o: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(o));
      if (u.pathname === '/zones') {
        if (u.searchParams.get('name') !== 'example.com') throw new Error('wrong zone');
        return json({ success: true, result: [{ id: 'zone-1', name: 'example.com' }] });
      }
      if (u.pathname === '/zones/zone-1/dns_records' && req.method === 'POST') {
        const b = JSON.parse(req.body) as { type: string; name: string; content: string };
        if (b.type !== 'TXT' || b.name !== '_acme-challenge.example.com') throw new Error('wrong record');
        records.set(`r${next}`, b.content);
        return json({ success: true, result: { id: `r${next++}` } });
      }
      if (u.pathname === '/zones/zone-1/dns_records' && req.method === 'GET') {
        return json({ success: true, result: [...records].map(([id, content]) => ({ id, content: `"${content}"` })) });
      }
      const del = /^\/zones\/zone-1\/dns_records\/(r\d+)$/.exec(u.pathname);
      if (del && req.method === 'DELETE') {
        records.delete(del[1] as string);
        return json({ success: true, result: { id: del[1] } });
      }
      throw new Error(`unexpected ${req.method} ${req.url}`);
    });
    const provider = await findProvider('cloudflare')!.create(input({ 'cloudflare-api-token-file': '/t' }, { VIBECTL_TLS_CLOUDFLARE_ENDPOINT: base }, { '/t': 'cf-token\n' }));
    await exercise(provider, () => [...records.values()]);

    const wrong = await findProvider('cloudflare')!.create(input({}, { CLOUDFLARE_API_TOKEN: 'nope', VIBECTL_TLS_CLOUDFLARE_ENDPOINT: base }));
    await expect(wrong.addTxt(rec('x'))).rejects.toMatchObject({ exitCode: 5, message: expect.stringContaining('Invalid API Token') });
  });
});

describe('clouddns', () => {
  it('exchanges a signed JWT for a token, then replaces the TXT set atomically', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    let rrdatas: string[] = [];
    let tokenRequests = 0;
    const base = await fakeApi((req, res) => {
      const json = (o: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(o));
      if (req.url === '/token') {
        const assertion = new URLSearchParams(req.body).get('assertion') ?? '';
        const [h, p, s] = assertion.split('.');
        if (!createVerify('RSA-SHA256').update(`${h}.${p}`).verify(publicKey, Buffer.from(s ?? '', 'base64url'))) throw new Error('bad JWT signature');
        const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as { iss: string; scope: string };
        if (claims.iss !== 'dns@proj.iam.gserviceaccount.com' || !claims.scope.includes('clouddns')) throw new Error('bad claims');
        tokenRequests++;
        return json({ access_token: 'goog-token', expires_in: 3600 });
      }
      if (req.headers.authorization !== 'Bearer goog-token') throw new Error('no bearer token');
      const u = new URL(req.url ?? '', 'http://x');
      if (u.pathname === '/dns/v1/projects/proj/managedZones') {
        if (u.searchParams.get('dnsName') !== 'example.com.') throw new Error('wrong zone');
        return json({ managedZones: [{ name: 'example-com', dnsName: 'example.com.' }] });
      }
      if (u.pathname === '/dns/v1/projects/proj/managedZones/example-com/rrsets') {
        return json({ rrsets: rrdatas.length ? [{ name: '_acme-challenge.example.com.', type: 'TXT', ttl: 60, rrdatas }] : [] });
      }
      if (u.pathname === '/dns/v1/projects/proj/managedZones/example-com/changes' && req.method === 'POST') {
        const c = JSON.parse(req.body) as { additions: { name: string; rrdatas: string[] }[]; deletions: { rrdatas: string[] }[] };
        if (JSON.stringify(c.deletions[0]?.rrdatas ?? []) !== JSON.stringify(rrdatas)) throw new Error('deletions must match the current set');
        if (c.additions[0] && c.additions[0].name !== '_acme-challenge.example.com.') throw new Error('wrong record');
        rrdatas = c.additions[0]?.rrdatas ?? [];
        return json({ status: 'pending' });
      }
      throw new Error(`unexpected ${req.method} ${req.url}`);
    });
    const key = JSON.stringify({ type: 'service_account', client_email: 'dns@proj.iam.gserviceaccount.com', private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }), token_uri: `${base}/token` });
    const provider = await findProvider('clouddns')!.create(input({ 'gcp-project': 'proj' }, { GOOGLE_APPLICATION_CREDENTIALS: '/sa.json', CLOUDSDK_API_ENDPOINT_OVERRIDES_DNS: base }, { '/sa.json': key }));
    await exercise(provider, () => rrdatas.map((d) => d.replace(/^"|"$/g, '')));
    expect(tokenRequests).toBe(1);
  });
});

describe('azuredns', () => {
  it('gets a client-credentials token, PUTs the merged TXT set on the right resource, DELETEs it at the end', async () => {
    let values: string[] | undefined;
    const base = await fakeApi((req, res) => {
      const json = (o: unknown, status = 200) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(o));
      if (req.url === '/tenant-1/oauth2/v2.0/token') {
        const f = new URLSearchParams(req.body);
        if (f.get('client_id') !== 'app' || f.get('client_secret') !== 's3cret' || f.get('grant_type') !== 'client_credentials') throw new Error('bad client credentials');
        return json({ access_token: 'az-token' });
      }
      if (req.headers.authorization !== 'Bearer az-token') throw new Error('no bearer token');
      const u = new URL(req.url ?? '', 'http://x');
      if (u.pathname !== '/subscriptions/sub-1/resourceGroups/rg-dns/providers/Microsoft.Network/dnsZones/example.com/TXT/_acme-challenge') throw new Error(`wrong resource ${u.pathname}`);
      if (u.searchParams.get('api-version') !== '2018-05-01') throw new Error('api-version missing');
      if (req.method === 'GET') return values ? json({ properties: { TTL: 60, TXTRecords: values.map((v) => ({ value: [v] })) } }) : json({ error: { message: 'not found' } }, 404);
      if (req.method === 'PUT') {
        values = (JSON.parse(req.body) as { properties: { TXTRecords: { value: string[] }[] } }).properties.TXTRecords.map((r) => r.value.join(''));
        return json({});
      }
      if (req.method === 'DELETE') {
        values = undefined;
        return json({});
      }
      throw new Error(`unexpected ${req.method}`);
    });
    const provider = await findProvider('azuredns')!.create(
      input(
        { 'azure-subscription-id': 'sub-1', 'azure-resource-group': 'rg-dns', 'azure-zone': 'example.com' },
        { AZURE_TENANT_ID: 'tenant-1', AZURE_CLIENT_ID: 'app', AZURE_CLIENT_SECRET: 's3cret', AZURE_AUTHORITY_HOST: base, AZURE_RESOURCE_MANAGER_ENDPOINT: base },
      ),
    );
    await exercise(provider, () => values ?? []);
  });
});

describe('SigV4', () => {
  it('matches the AWS Signature Version 4 test suite (get-vanilla)', () => {
    const h = signV4({
      method: 'GET',
      url: 'https://example.amazonaws.com/',
      body: '',
      region: 'us-east-1',
      service: 'service',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      now: new Date('2015-08-30T12:36:00Z'),
    });
    expect(h.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });
});
