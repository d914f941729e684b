// RFC 2136 dynamic update signed with TSIG (RFC 8945), as BIND, Knot and PowerDNS accept it.
// Messages are built with dns-packet; TSIG is ours (../tsig.ts).
import { randomInt } from 'node:crypto';
import { ExternalServiceError, UsageError } from '../../errors.js';
import type { DnsProvider, ProviderDefinition, ProviderInput, TxtRecord } from '../provider.js';
import { readSecret } from '../provider.js';
import { findTsig, parseTsigSecret, signMessage, tsigErrorName, verifyResponse, type TsigAlgorithm, type TsigKey } from '../tsig.js';
import { exchange, formatServer, parseServer, type DnsServer } from '../transport.js';

const OPCODE_UPDATE = 5;
const CLASS_NONE = 254;
const RCODES: Record<number, string> = { 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED', 6: 'YXDOMAIN', 7: 'YXRRSET', 8: 'NXRRSET', 9: 'NOTAUTH', 10: 'NOTZONE' };

/** An UPDATE for `zone` adding or deleting one TXT value (RFC 2136 §2.5.1 / §2.5.4). */
export async function buildTxtUpdate(options: { zone: string; fqdn: string; value: string; ttl: number; action: 'add' | 'delete'; id?: number }): Promise<Buffer> {
  const packet = (await import('dns-packet')).default;
  // `answer` and `name` are exported by dns-packet but missing from its type definitions.
  const codec = packet as unknown as {
    answer: { encode(record: unknown): Buffer };
    name: { encodingLength(name: string): number };
  };
  const chunks: Buffer[] = [];
  for (let i = 0; i < options.value.length; i += 255) chunks.push(Buffer.from(options.value.slice(i, i + 255)));
  const record = codec.answer.encode({ type: 'TXT', name: options.fqdn, class: 'IN', ttl: options.action === 'add' ? options.ttl : 0, data: chunks });
  if (options.action === 'delete') {
    // dns-packet has no name for class NONE; patch it in after the owner name.
    const nameLen = codec.name.encodingLength(options.fqdn);
    record.writeUInt16BE(CLASS_NONE, nameLen + 2);
  }
  const head = packet.encode({
    type: 'query',
    id: options.id ?? randomInt(0, 65536),
    flags: OPCODE_UPDATE << 11,
    questions: [{ type: 'SOA', name: options.zone, class: 'IN' }],
  });
  const message = Buffer.concat([head, record]);
  message.writeUInt16BE(1, 8); // UPCOUNT (the "authority" count in a query)
  return message;
}

export interface Rfc2136Options {
  server: DnsServer;
  key: TsigKey | undefined;
  timeoutMs?: number;
  /** TCP by default: updates are small, but TCP avoids spoofed or lost UDP answers. */
  tcp?: boolean;
}

export class Rfc2136Provider implements DnsProvider {
  readonly id = 'rfc2136';
  readonly #o: Rfc2136Options;
  constructor(options: Rfc2136Options) {
    this.#o = options;
  }

  async addTxt(record: TxtRecord): Promise<void> {
    await this.#send(record, 'add');
  }

  async removeTxt(record: TxtRecord): Promise<void> {
    await this.#send(record, 'delete');
  }

  async #send(record: TxtRecord, action: 'add' | 'delete'): Promise<void> {
    const message = await buildTxtUpdate({ ...record, action });
    const where = formatServer(this.#o.server);
    let wire = message;
    let requestMac: Buffer | undefined;
    if (this.#o.key) {
      const signed = signMessage({ message, key: this.#o.key });
      wire = signed.signed;
      requestMac = signed.mac;
    }
    let answer: Buffer;
    try {
      answer = await exchange(this.#o.server, wire, { tcp: this.#o.tcp ?? true, timeoutMs: this.#o.timeoutMs ?? 5000 });
    } catch (err) {
      throw new ExternalServiceError(`the DNS server ${where} did not take the update for ${record.fqdn}: ${(err as Error).message}`, {
        hint: 'check --rfc2136-server (HOST:PORT) and that the server accepts TCP',
        cause: err,
      });
    }
    const rcode = answer.readUInt16BE(2) & 0xf;
    if (rcode !== 0) {
      const name = RCODES[rcode] ?? String(rcode);
      const tsigErr = this.#o.key ? tsigErrorFrom(answer) : undefined;
      const hint = rcode === 9 || tsigErr
        ? `the server rejected the TSIG signature${tsigErr ? ` (${tsigErr})` : ''}: check --tsig-key-name, --tsig-algorithm and the secret`
        : rcode === 5
          ? `the server refuses updates for ${record.zone} from this key: check its update-policy / allow-update`
          : rcode === 10
            ? `${record.fqdn} is not inside zone ${record.zone} on this server`
            : 'check the server log';
      throw new ExternalServiceError(`the DNS server ${where} answered ${name} to the update of ${record.fqdn}`, { hint });
    }
    if (this.#o.key && requestMac) {
      const verdict = verifyResponse({ response: answer, key: this.#o.key, requestMac });
      if (!verdict.ok) throw new ExternalServiceError(`the DNS server ${where} answered, but its TSIG signature failed: ${verdict.reason}`);
    }
  }
}

function tsigErrorFrom(answer: Buffer): string | undefined {
  try {
    const t = findTsig(answer);
    return t && t.error !== 0 ? tsigErrorName(t.error) : undefined;
  } catch {
    return undefined;
  }
}

export const rfc2136: ProviderDefinition = {
  id: 'rfc2136',
  title: 'RFC2136 dynamic update with TSIG (BIND, Knot, PowerDNS)',
  flags: ['rfc2136-server', 'tsig-key-name', 'tsig-algorithm', 'tsig-secret-file'],
  async create(input: ProviderInput): Promise<DnsProvider> {
    const serverFlag = input.flags['rfc2136-server'];
    if (!serverFlag) throw new UsageError('--rfc2136-server HOST:PORT is required for --dns-provider rfc2136', { hint: 'pass --rfc2136-server ns1.example.com:53' });
    const server = parseServer(serverFlag);
    const keyName = input.flags['tsig-key-name'];
    let key: TsigKey | undefined;
    if (keyName) {
      const algorithm = (input.flags['tsig-algorithm'] ?? 'hmac-sha256') as TsigAlgorithm;
      if (algorithm !== 'hmac-sha256' && algorithm !== 'hmac-sha512') {
        throw new UsageError(`--tsig-algorithm must be hmac-sha256 or hmac-sha512, got ${algorithm}`);
      }
      const text = await readSecret(input, { fileFlag: 'tsig-secret-file', envVars: ['VIBECTL_TLS_TSIG_SECRET'], what: 'the TSIG secret' });
      key = { name: keyName.replace(/\.?$/, '.'), algorithm, secret: parseTsigSecret(text) };
    }
    return new Rfc2136Provider({ server, key });
  },
};
