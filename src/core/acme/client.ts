// An ACME session on top of acme-client: per-client CA trust, a persisted account, an order
// flow that runs our own self-check (never acme-client's), profiles, ARI and `replaces`, and
// every failure translated. acme-client is imported lazily.
import { createSecureContext, rootCertificates } from 'node:tls';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Client as AcmeClientType, Order, Authorization } from 'acme-client';
import { ExternalServiceError, InvalidInputError, TlsError, UsageError } from '../errors.js';
import type { AccountStore, StoredAccount } from './account-store.js';
import { ariCertId, parseRenewalInfo, type RenewalWindow } from './ari.js';
import { ChallengeFailedError, isAcmeClientBug101, translateProblem, type AcmeProblem } from './errors.js';
import { generatePrivateKey, type KeyAlgorithm } from './keys.js';
import type { ChallengeSolver, ChallengeTask } from './solver.js';
import { installTransport, type TransportState } from './transport.js';
import { raceAbort, throwIfAborted } from '../util/abort.js';

export interface AcmeDirectory {
  newNonce: string;
  newAccount: string;
  newOrder: string;
  renewalInfo?: string;
  meta?: {
    termsOfService?: string;
    externalAccountRequired?: boolean;
    profiles?: Record<string, string>;
    caaIdentities?: string[];
  };
  [k: string]: unknown;
}

export interface AcmeSessionOptions {
  directoryUrl: string;
  /** PEM with the CA(s) of a private ACME server, trusted by this session only. */
  caBundlePem?: string | undefined;
  eab?: { kid: string; hmacKey: string } | undefined;
  store: AccountStore;
  email?: string | undefined;
  log?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
  /** Longest wait for a CA-side state change (authz, order), default 120 s. */
  pollTimeoutMs?: number;
}

export interface IssueRequest {
  names: string[];
  solver: ChallengeSolver;
  keyAlgorithm?: KeyAlgorithm;
  /** Reuse a key instead of generating one (PKCS#8 PEM). */
  keyPem?: string;
  profile?: string | undefined;
  /** ARI cert id of the certificate this order replaces (RFC 9773 §5). */
  replaces?: string | undefined;
  selfCheckTimeoutMs?: number;
  /**
   * Stops the order (InterruptedError) at the next wait: self-check, validation, finalization.
   * Challenge answers already presented are removed before it throws.
   */
  signal?: AbortSignal | undefined;
}

export interface IssueResult {
  certPem: string;
  keyPem: string;
  names: string[];
  profile: string | undefined;
  replaced: string | undefined;
  orderUrl: string;
}

export interface AccountInfo {
  url: string;
  status: string;
  contact: string[];
  directoryUrl: string;
  location: string;
  createdAt: string;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class AcmeSession {
  readonly directoryUrl: string;
  readonly #opts: AcmeSessionOptions;
  readonly #agent: HttpsAgent | undefined;
  #client: AcmeClientType | undefined;
  #transport: TransportState | undefined;
  #account: StoredAccount | undefined;
  #directory: AcmeDirectory | undefined;

  constructor(options: AcmeSessionOptions) {
    this.#opts = options;
    this.directoryUrl = options.directoryUrl;
    // One secure context for the session: passing `ca` per connection makes OpenSSL parse ~150
    // roots again for every new socket (~50 ms each here).
    this.#agent = options.caBundlePem
      ? new HttpsAgent({ secureContext: createSecureContext({ ca: [...rootCertificates, options.caBundlePem] }), keepAlive: true })
      : new HttpsAgent({ keepAlive: true });
  }

  #log(message: string): void {
    this.#opts.log?.(message);
  }

  /** Releases keep-alive sockets. */
  close(): void {
    this.#agent?.destroy();
  }

  async #newClient(accountKeyPem: string, accountUrl?: string): Promise<AcmeClientType> {
    const acme = await import('acme-client');
    const client = new acme.Client({
      directoryUrl: this.directoryUrl,
      accountKey: accountKeyPem,
      ...(accountUrl ? { accountUrl } : {}),
      ...(this.#opts.eab ? { externalAccountBinding: this.#opts.eab } : {}),
      backoffAttempts: 40,
      backoffMin: 250,
      backoffMax: 3000,
    });
    this.#transport = installTransport(client as unknown as { http: unknown }, {
      ...(this.#agent ? { httpsAgent: this.#agent } : {}),
      serverUrl: this.directoryUrl,
      ...(this.#opts.sleep ? { sleep: this.#opts.sleep } : {}),
    });
    return client;
  }

  /** Runs one acme-client call and turns whatever it throws into a TlsError with the real cause. */
  async #call<T>(fn: () => Promise<T>, ctx: { name?: string } = {}): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof TlsError) throw err;
      const last = this.#transport?.lastProblem;
      if (last) {
        throw translateProblem(last.problem, {
          serverUrl: this.directoryUrl,
          ...(last.retryAfter ? { retryAfterHeader: last.retryAfter } : {}),
          ...(ctx.name ? { name: ctx.name } : {}),
        });
      }
      if (isAcmeClientBug101(err)) {
        throw new ExternalServiceError(`the ACME server ${this.directoryUrl} could not be reached after several attempts`, {
          hint: 'check --acme-server and your network; run with --verbose for details',
          cause: err,
        });
      }
      const msg = err instanceof Error ? err.message : String(err);
      throw new ExternalServiceError(`ACME request failed: ${msg}`, { hint: 'run again with --verbose', cause: err });
    }
  }

  /** The directory, fetched once per session (through this session's transport). */
  async directory(): Promise<AcmeDirectory> {
    if (this.#directory) return this.#directory;
    const client = this.#client ?? (await this.#newClient(await generatePrivateKey('ecdsa-p256')));
    const http = (client as unknown as { http: { getDirectory(): Promise<AcmeDirectory> } }).http;
    this.#directory = await this.#call(() => http.getDirectory());
    return this.#directory;
  }

  /** Loads the saved account, or creates one at the CA and saves it. */
  async ensureAccount(): Promise<{ account: StoredAccount; created: boolean }> {
    if (this.#account && this.#client) return { account: this.#account, created: false };
    const saved = await this.#opts.store.load();
    if (saved) {
      this.#client = await this.#newClient(saved.accountKeyPem, saved.accountUrl);
      this.#account = saved;
      return { account: saved, created: false };
    }
    const dir = await this.directory();
    if (dir.meta?.externalAccountRequired && !this.#opts.eab) {
      throw new UsageError(`the CA at ${this.directoryUrl} requires External Account Binding`, {
        hint: 'pass --eab-kid ID and --eab-hmac-key-file FILE (from your CA account dashboard)',
      });
    }
    const accountKeyPem = await generatePrivateKey('ecdsa-p256');
    const client = await this.#newClient(accountKeyPem);
    this.#log(`creating an ACME account at ${this.directoryUrl}`);
    await this.#call(() =>
      client.createAccount({
        termsOfServiceAgreed: true,
        ...(this.#opts.email ? { contact: [`mailto:${this.#opts.email}`] } : {}),
      }),
    );
    const account: StoredAccount = {
      directoryUrl: this.directoryUrl,
      accountUrl: client.getAccountUrl(),
      accountKeyPem,
      ...(this.#opts.email ? { email: this.#opts.email } : {}),
      ...(this.#opts.eab ? { eabKid: this.#opts.eab.kid } : {}),
      createdAt: new Date().toISOString(),
    };
    await this.#opts.store.save(account);
    this.#log(`saved the ACME account in ${this.#opts.store.location}`);
    this.#client = client;
    this.#account = account;
    return { account, created: true };
  }

  /** The account as the CA sees it (POST-as-GET), or null when none is saved. */
  async showAccount(): Promise<AccountInfo | null> {
    const saved = await this.#opts.store.load();
    if (!saved) return null;
    const { account } = await this.ensureAccount();
    const client = this.#client as AcmeClientType;
    const data = (await this.#call(() => client.updateAccount({}))) as { status?: string; contact?: string[] };
    return {
      url: account.accountUrl,
      status: data.status ?? 'unknown',
      contact: data.contact ?? [],
      directoryUrl: account.directoryUrl,
      location: this.#opts.store.location,
      createdAt: account.createdAt,
    };
  }

  /** Deactivates the account at the CA (irreversible) and forgets it locally. */
  async deactivateAccount(): Promise<AccountInfo | null> {
    const saved = await this.#opts.store.load();
    if (!saved) return null;
    const { account } = await this.ensureAccount();
    const client = this.#client as AcmeClientType;
    const data = (await this.#call(() => client.updateAccount({ status: 'deactivated' }))) as { status?: string; contact?: string[] };
    await this.#opts.store.remove();
    return {
      url: account.accountUrl,
      status: data.status ?? 'deactivated',
      contact: data.contact ?? [],
      directoryUrl: account.directoryUrl,
      location: this.#opts.store.location,
      createdAt: account.createdAt,
    };
  }

  /** Profiles the directory offers (`meta.profiles`), empty when it offers none. */
  async profiles(): Promise<Record<string, string>> {
    return (await this.directory()).meta?.profiles ?? {};
  }

  /** ARI suggested window for a certificate, or undefined when the CA has no ARI. */
  async renewalInfo(certPem: string): Promise<{ certId: string; window: RenewalWindow; explanationUrl?: string } | undefined> {
    const dir = await this.directory();
    if (!dir.renewalInfo) return undefined;
    const certId = await ariCertId(certPem);
    if (!certId) return undefined;
    const url = `${dir.renewalInfo.replace(/\/$/, '')}/${certId}`;
    const { status, body } = await getJson(url, this.#agent);
    if (status === 404) return undefined;
    if (status !== 200) {
      const detail = typeof body === 'string' ? body.slice(0, 200) : ((body as { detail?: string } | null)?.detail ?? '');
      throw new ExternalServiceError(`the CA's renewalInfo endpoint answered HTTP ${status} for ${certId}${detail ? `: ${detail}` : ''}`);
    }
    const parsed = parseRenewalInfo(body);
    return parsed ? { certId, ...parsed } : undefined;
  }

  /** One order from start to certificate: challenges, self-check, finalize, download. */
  async issue(request: IssueRequest): Promise<IssueResult> {
    const names = [...new Set(request.names.map((n) => n.toLowerCase().replace(/\.$/, '')))];
    if (names.length === 0) throw new UsageError('no names to issue for', { hint: 'pass at least one NAME' });
    const wildcard = names.find((n) => n.startsWith('*.'));
    if (wildcard && request.solver.type !== 'dns-01') {
      throw new UsageError(`wildcard ${wildcard} can only be validated with DNS-01`, { hint: 'pass --challenge dns01 with a --dns-provider' });
    }
    const dir = await this.directory();
    const offered = dir.meta?.profiles ?? {};
    if (request.profile && !(request.profile in offered)) {
      const list = Object.keys(offered);
      throw new InvalidInputError(
        list.length
          ? `the CA does not offer the profile "${request.profile}" (it offers: ${list.join(', ')})`
          : `the CA at ${this.directoryUrl} offers no certificate profiles, so --acme-profile ${request.profile} cannot be honoured`,
        { hint: list.length ? `pass --acme-profile ${list[0]}` : 'drop --acme-profile' },
      );
    }
    const replaces = request.replaces && dir.renewalInfo ? request.replaces : undefined;
    const signal = request.signal;
    throwIfAborted(signal);
    await this.ensureAccount();
    const client = this.#client as AcmeClientType;
    const acme = await import('acme-client');

    const payload: Record<string, unknown> = { identifiers: names.map((value) => ({ type: 'dns', value })) };
    if (request.profile) payload.profile = request.profile;
    if (replaces) payload.replaces = replaces;
    this.#log(`placing an order for ${names.join(', ')}${request.profile ? ` (profile ${request.profile})` : ''}${replaces ? ` replacing ${replaces}` : ''}`);
    let order: Order;
    try {
      order = await this.#call(() => client.createOrder(payload as unknown as Parameters<AcmeClientType['createOrder']>[0]));
    } catch (err) {
      // A CA may refuse `replaces` (already replaced, or the old cert is unknown to it): the
      // renewal still matters more than the link, so order again without it.
      if (!replaces) throw err;
      this.#log(`the CA refused replaces=${replaces} (${(err as Error).message}); ordering without it`);
      delete payload.replaces;
      order = await this.#call(() => client.createOrder(payload as unknown as Parameters<AcmeClientType['createOrder']>[0]));
    }

    throwIfAborted(signal);
    const authzs = await this.#call(() => client.getAuthorizations(order));
    const tasks: { task: ChallengeTask; authz: Authorization; challengeUrl: string }[] = [];
    for (const authz of authzs) {
      if (authz.status === 'valid') continue;
      const challenge = authz.challenges.find((c) => c.type === request.solver.type);
      if (!challenge) {
        throw new ExternalServiceError(`the CA offers no ${request.solver.type} challenge for ${authz.identifier.value}`, {
          hint: `offered: ${authz.challenges.map((c) => c.type).join(', ')}; pick another --challenge`,
        });
      }
      const keyAuthorization = await client.getChallengeKeyAuthorization(challenge);
      tasks.push({
        task: { domain: authz.identifier.value, wildcard: Boolean(authz.wildcard), type: request.solver.type, token: challenge.token, keyAuthorization },
        authz,
        challengeUrl: challenge.url,
      });
    }

    const presented: ChallengeTask[] = [];
    try {
      for (const t of tasks) {
        // Not raced: a record or object being created must be known, so it can be removed.
        throwIfAborted(signal);
        await request.solver.present(t.task);
        presented.push(t.task);
      }
      await raceAbort(Promise.all(tasks.map((t) => request.solver.selfCheck(t.task, { timeoutMs: request.selfCheckTimeoutMs ?? 120_000 }))), signal);
      for (const t of tasks) {
        throwIfAborted(signal);
        const challenge = t.authz.challenges.find((c) => c.url === t.challengeUrl);
        await this.#call(() => client.completeChallenge(challenge as Parameters<AcmeClientType['completeChallenge']>[0]), { name: t.task.domain });
      }
      for (const t of tasks) await raceAbort(this.#waitAuthz(client, t.authz, t.task), signal);
    } finally {
      for (const task of presented) {
        try {
          await request.solver.cleanup(task);
        } catch (err) {
          this.#log(`warning: cleanup for ${task.domain} failed: ${(err as Error).message}`);
        }
      }
    }

    const keyPem = request.keyPem ?? (await generatePrivateKey(request.keyAlgorithm ?? 'ecdsa-p256'));
    const [, csr] = await acme.crypto.createCsr({ commonName: names[0] as string, altNames: names }, keyPem);
    order = await raceAbort(this.#waitOrder(client, order, ['ready', 'valid']), signal);
    if (order.status === 'ready') {
      throwIfAborted(signal);
      order = await this.#call(() => client.finalizeOrder(order, csr));
      order = await raceAbort(this.#waitOrder(client, order, ['valid']), signal);
    }
    const certPem = await this.#call(() => client.getCertificate(order));
    return { certPem, keyPem, names, profile: request.profile, replaced: replaces, orderUrl: order.url };
  }

  async #poll<T>(fetch: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> {
    const sleep = this.#opts.sleep ?? realSleep;
    const deadline = Date.now() + (this.#opts.pollTimeoutMs ?? 120_000);
    let delay = 100;
    for (;;) {
      const v = await fetch();
      if (done(v)) return v;
      if (Date.now() > deadline) throw new ExternalServiceError(`the CA did not finish ${what} in time`, { hint: 'retry later; the CA may be slow' });
      await sleep(delay);
      delay = Math.min(Math.round(delay * 1.6), 2000);
    }
  }

  async #waitAuthz(client: AcmeClientType, authz: Authorization, task: ChallengeTask): Promise<void> {
    const url = authz.url;
    const final = await this.#poll(
      async () => {
        const all = await this.#call(() => client.getAuthorizations({ authorizations: [url] } as Order), { name: task.domain });
        return all[0] as Authorization;
      },
      (a) => a.status !== 'pending' && a.status !== ('processing' as string),
      `validating ${task.domain}`,
    );
    if (final.status === 'valid') return;
    const ch = final.challenges.find((c) => c.type === task.type) as { error?: AcmeProblem } | undefined;
    const problem = ch?.error ?? { type: 'urn:ietf:params:acme:error:unauthorized', detail: `authorization is ${final.status}` };
    const err = translateProblem(problem, { serverUrl: this.directoryUrl, name: task.domain, challengeType: task.type });
    throw err instanceof ChallengeFailedError || err instanceof TlsError ? err : new ChallengeFailedError(String(err));
  }

  async #waitOrder(client: AcmeClientType, order: Order, want: string[]): Promise<Order> {
    const final = await this.#poll(
      async () => ({ ...(await this.#call(() => client.getOrder(order))), url: order.url }) as Order,
      (o) => want.includes(o.status) || o.status === 'invalid',
      'the order',
    );
    if (final.status === 'invalid') {
      const problem = (final as { error?: AcmeProblem }).error ?? { detail: 'the order became invalid' };
      throw translateProblem(problem, { serverUrl: this.directoryUrl });
    }
    return final;
  }
}

/** Unsigned GET (ARI is not POST-as-GET) through this session's agent. */
function getJson(url: string, agent: HttpsAgent | undefined): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: 'GET', headers: { 'user-agent': 'vibectl-tls (ARI)', accept: 'application/json' }, ...(agent ? { agent } : {}), timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: leave as text
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`timed out fetching ${url}`)));
    req.on('error', reject);
    req.end();
  });
}
