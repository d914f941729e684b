// DNS-01 through any DnsProvider: follow a CNAME-delegated _acme-challenge, find the zone by
// SOA walk, write the TXT, wait until every authoritative server answers it, clean up.
import { ExternalServiceError } from '../errors.js';
import type { DnsProvider, TxtRecord } from '../dns/provider.js';
import { authoritativeServers, findZone, followCname, waitForTxt } from '../dns/resolve.js';
import type { DnsServer } from '../dns/transport.js';
import { dnsChallengeName, type ChallengeSolver, type ChallengeTask } from './solver.js';

export interface Dns01Options {
  provider: DnsProvider;
  /** Recursive resolver for CNAME/SOA/NS lookups. */
  resolver: DnsServer;
  /** Port of the authoritative servers; 53 unless a lab setup says otherwise. */
  authoritativePort?: number;
  ttl?: number;
  log?: (message: string) => void;
}

export class Dns01Solver implements ChallengeSolver {
  readonly type = 'dns-01' as const;
  readonly description: string;
  readonly #o: Dns01Options;
  readonly #records = new Map<string, TxtRecord>();
  readonly removed: string[] = [];

  constructor(options: Dns01Options) {
    this.#o = options;
    this.description = `DNS-01 via ${options.provider.id}`;
  }

  #key(task: ChallengeTask): string {
    return `${task.domain}|${task.keyAuthorization}`;
  }

  async present(task: ChallengeTask): Promise<void> {
    const name = dnsChallengeName(task.domain);
    let fqdn: string;
    let zone: string;
    try {
      fqdn = await followCname(this.#o.resolver, name);
      zone = await findZone(this.#o.resolver, fqdn);
    } catch (err) {
      throw new ExternalServiceError(`cannot find the DNS zone of ${name}: ${(err as Error).message}`, {
        hint: 'check that the domain exists in public DNS (or pass --dns-resolver HOST:PORT for a private one)',
        cause: err,
      });
    }
    if (fqdn !== name) this.#o.log?.(`${name} is delegated by CNAME to ${fqdn}`);
    const record: TxtRecord = { zone, fqdn, value: task.keyAuthorization, ttl: this.#o.ttl ?? 60 };
    await this.#o.provider.addTxt(record);
    this.#records.set(this.#key(task), record);
    this.#o.log?.(`added TXT ${fqdn} in zone ${zone} via ${this.#o.provider.id}`);
  }

  async selfCheck(task: ChallengeTask, options: { timeoutMs: number }): Promise<void> {
    const record = this.#records.get(this.#key(task));
    if (!record) return;
    const servers = await authoritativeServers(this.#o.resolver, record.zone, { port: this.#o.authoritativePort ?? 53 });
    if (servers.length === 0) throw new ExternalServiceError(`zone ${record.zone} lists no name servers`);
    const result = await waitForTxt({ servers, name: record.fqdn, expected: record.value, timeoutMs: options.timeoutMs });
    if (!result.ok) {
      const who = result.lagging
        .map((l) => `${l.server} ${typeof l.values === 'string' ? l.values : l.values.length ? `still answers ${l.values.map((v) => JSON.stringify(v)).join(', ')}` : 'has no TXT yet'}`)
        .join('; ');
      throw new ExternalServiceError(`the TXT record ${record.fqdn} has not propagated to every authoritative server: ${who}`, {
        hint: 'wait for the provider to publish (some take minutes) and run again; a stale value usually means another TXT record or a CNAME elsewhere',
      });
    }
  }

  async cleanup(task: ChallengeTask): Promise<void> {
    const record = this.#records.get(this.#key(task));
    if (!record) return;
    await this.#o.provider.removeTxt(record);
    this.#records.delete(this.#key(task));
    this.removed.push(`TXT ${record.fqdn}`);
  }

  /** Removes every record still held (an order stopped between present and cleanup). */
  async close(): Promise<void> {
    for (const [key, record] of [...this.#records]) {
      try {
        await this.#o.provider.removeTxt(record);
        this.#records.delete(key);
        this.removed.push(`TXT ${record.fqdn}`);
      } catch (err) {
        this.#o.log?.(`warning: could not remove TXT ${record.fqdn} from zone ${record.zone}: ${(err as Error).message}`);
      }
    }
  }
}
