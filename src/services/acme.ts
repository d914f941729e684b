// ACME jobs a user asks for: issue a certificate (to files or a Secret), show or deactivate the
// account, renew what is due. Built on src/core/acme; never prints, never exits.
import { X509Certificate, createPublicKey } from 'node:crypto';
import { getServers } from 'node:dns';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';
import { InterruptedError, InvalidInputError, MissingInputError, UsageError } from '../core/errors.js';
import { LocalAccountStore, SecretAccountStore, configDir, type AccountStore } from '../core/acme/account-store.js';
import { AcmeSession, type AccountInfo } from '../core/acme/client.js';
import { resolveDirectory } from '../core/acme/directories.js';
import { Dns01Solver } from '../core/acme/dns01.js';
import { StandaloneHttp01Solver } from '../core/acme/http01-standalone.js';
import { MANAGED_LABEL, MANAGED_VALUE, SPEC_ANNOTATION, SPEC_FILE, type AcmeSpec } from '../core/acme/managed.js';
import type { ChallengeSolver } from '../core/acme/solver.js';
import { findProvider, DNS_PROVIDERS } from '../core/dns/providers/index.js';
import { addresses } from '../core/dns/resolve.js';
import { parseServer, type DnsServer } from '../core/dns/transport.js';
import type { KubeClient } from '../core/kube/client.js';
import { R, path as kpath } from '../core/kube/paths.js';

export interface AcmeDeps {
  /** Opens the cluster client when a Secret is involved. */
  kube?: () => Promise<KubeClient>;
  namespace?: string | undefined;
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
  now?: () => Date;
  /** Aborted on Ctrl+C/SIGTERM: the order stops, what it made is removed, InterruptedError follows. */
  signal?: AbortSignal | undefined;
}

export interface IssueTarget {
  out?: string | undefined;
  secret?: string | undefined;
}

export interface IssueReport {
  names: string[];
  directoryUrl: string;
  profile: string | null;
  serial: string;
  notBefore: string;
  notAfter: string;
  issuer: string;
  keyAlgorithm: string;
  replaced: string | null;
  account: { url: string; created: boolean; location: string };
  written: { files?: { certificate: string; key: string }; secret?: { namespace: string; name: string } };
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new InvalidInputError(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function defaultResolver(): DnsServer {
  const first = getServers()[0];
  return first ? parseServer(first) : { host: '1.1.1.1', port: 53 };
}

/** Validates a spec before anything touches the network. */
export function checkSpec(spec: AcmeSpec, target: IssueTarget): void {
  if (spec.names.length === 0) throw new UsageError('no names given', { hint: 'pass one or more NAME arguments, e.g. `acme issue app.example.com`' });
  for (const n of spec.names) {
    if (!/^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.?$/i.test(n)) {
      throw new InvalidInputError(`"${n}" is not a DNS name ACME can issue for`, { hint: 'use a fully qualified name; IP addresses need the shortlived profile and are not supported here yet' });
    }
  }
  const wildcard = spec.names.find((n) => n.startsWith('*.'));
  if (wildcard && spec.challenge !== 'dns01') {
    throw new UsageError(`wildcard ${wildcard} can only be validated with DNS-01`, { hint: 'pass --challenge dns01 --dns-provider …' });
  }
  if (spec.challenge === 'http01' && !spec.standalone && !spec.ingressClass === !spec.gateway) {
    throw new UsageError('HTTP-01 needs a way in: --standalone (this process answers), or exactly one of --ingress-class / --gateway (a solver Pod in the cluster)', {
      hint: 'pass --standalone --http-port N, or --ingress-class NAME, or --gateway NS/NAME; or use --challenge dns01',
    });
  }
  if (spec.challenge === 'http01' && !spec.standalone && !target.secret) {
    throw new UsageError('the in-cluster HTTP-01 solver writes to the cluster, so the certificate goes there too', { hint: 'pass --secret NAME (or use --standalone with --out)' });
  }
  if (spec.challenge === 'dns01' && !spec.dnsProvider) {
    throw new MissingInputError('a DNS provider', ['--dns-provider ' + DNS_PROVIDERS.map((p) => p.id).join('|')]);
  }
  if (spec.dnsProvider && !findProvider(spec.dnsProvider)) {
    throw new UsageError(`unknown --dns-provider ${spec.dnsProvider}`, { hint: `one of: ${DNS_PROVIDERS.map((p) => p.id).join(', ')}` });
  }
  if (!target.out === !target.secret) throw new UsageError('say where the certificate goes', { hint: 'pass --out DIR or --secret NAME (not both)' });
  if (spec.eabKid && !spec.eabHmacKeyFile) throw new MissingInputError('the EAB HMAC key', ['--eab-hmac-key-file FILE']);
}

async function buildSolver(spec: AcmeSpec, deps: AcmeDeps, kube: KubeClient | undefined): Promise<ChallengeSolver> {
  const resolver = spec.dnsResolver ? parseServer(spec.dnsResolver) : defaultResolver();
  if (spec.challenge === 'http01' && !spec.standalone && kube) {
    const { ClusterHttp01Solver } = await import('../core/acme/http01-cluster.js');
    return new ClusterHttp01Solver({
      kube,
      namespace: deps.namespace ?? kube.target.namespace,
      ingressClass: spec.ingressClass,
      gateway: spec.gateway,
      ...(spec.solverImage ? { image: spec.solverImage } : {}),
      checkPort: spec.challengePort ?? 80,
      ...(spec.dnsResolver ? { resolve: (n: string) => addresses(resolver, n) } : {}),
      ...(deps.log ? { log: deps.log } : {}),
    });
  }
  if (spec.challenge === 'http01') {
    return new StandaloneHttp01Solver({
      port: spec.httpPort ?? 80,
      checkPort: spec.challengePort ?? 80,
      ...(spec.dnsResolver ? { resolve: (n: string) => addresses(resolver, n) } : {}),
    });
  }
  const def = findProvider(spec.dnsProvider ?? '');
  if (!def) throw new UsageError(`unknown --dns-provider ${spec.dnsProvider ?? ''}`);
  const provider = await def.create({
    flags: spec.providerFlags ?? {},
    env: deps.env ?? process.env,
    readFile: (p) => readText(p, 'secret file'),
  });
  return new Dns01Solver({
    provider,
    resolver,
    // A resolver on a non-standard port is a lab/test setup whose authoritative servers listen there too.
    authoritativePort: spec.dnsResolver ? resolver.port : 53,
    ...(deps.log ? { log: deps.log } : {}),
  });
}

async function openSession(spec: AcmeSpec, store: AccountStore, deps: AcmeDeps): Promise<AcmeSession> {
  const env = deps.env ?? process.env;
  const caBundlePem = spec.caBundleFile ? await readText(spec.caBundleFile, '--acme-ca-bundle') : undefined;
  let eab: { kid: string; hmacKey: string } | undefined;
  if (spec.eabKid) {
    const key = spec.eabHmacKeyFile ? (await readText(spec.eabHmacKeyFile, '--eab-hmac-key-file')).trim() : env.VIBECTL_TLS_EAB_HMAC_KEY?.trim();
    if (!key) throw new MissingInputError('the EAB HMAC key', ['--eab-hmac-key-file FILE']);
    // The CA shows it base64url; acme-client expects standard base64.
    eab = { kid: spec.eabKid, hmacKey: Buffer.from(key, 'base64url').toString('base64') };
  }
  return new AcmeSession({
    directoryUrl: spec.directoryUrl,
    caBundlePem,
    eab,
    store,
    email: spec.email,
    ...(deps.log ? { log: deps.log } : {}),
  });
}

function accountStore(spec: { directoryUrl: string }, target: IssueTarget, deps: AcmeDeps, kube: KubeClient | undefined): AccountStore {
  if (target.secret && kube) return new SecretAccountStore({ kube, namespace: deps.namespace ?? kube.target.namespace, directoryUrl: spec.directoryUrl });
  return new LocalAccountStore(spec.directoryUrl, deps.env);
}

/** Throws unless the certificate's public key is the key's. */
export function assertKeyMatches(certPem: string, keyPem: string): void {
  const cert = new X509Certificate(certPem);
  const a = cert.publicKey.export({ type: 'spki', format: 'der' });
  const b = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
  if (!a.equals(b)) throw new InvalidInputError('the issued certificate does not match its private key; nothing was written');
}

export async function writeLocal(dir: string, material: { certPem: string; keyPem: string; spec: AcmeSpec }): Promise<{ certificate: string; key: string }> {
  const abs = resolvePath(dir);
  await mkdir(abs, { recursive: true, mode: 0o700 });
  const certificate = join(abs, 'tls.crt');
  const key = join(abs, 'tls.key');
  // Write beside, then rename: a reader sees the old pair or the new one, never half.
  await writeFile(`${key}.tmp`, material.keyPem, { mode: 0o600 });
  await chmod(`${key}.tmp`, 0o600);
  await writeFile(`${certificate}.tmp`, material.certPem, { mode: 0o644 });
  await rename(`${key}.tmp`, key);
  await rename(`${certificate}.tmp`, certificate);
  await writeFile(join(abs, SPEC_FILE), JSON.stringify(material.spec, null, 2) + '\n', { mode: 0o600 });
  return { certificate, key };
}

/** Local output directories we manage, for `renew`. */
export function registryPath(env?: NodeJS.ProcessEnv): string {
  return join(configDir(env), 'acme', 'managed.json');
}

export async function listLocal(env?: NodeJS.ProcessEnv): Promise<string[]> {
  try {
    const v = JSON.parse(await readFile(registryPath(env), 'utf8')) as { dirs?: string[] };
    return v.dirs ?? [];
  } catch {
    return [];
  }
}

async function registerLocal(dir: string, deps: AcmeDeps): Promise<void> {
  const env = deps.env;
  const dirs = new Set(await listLocal(env));
  if (dirs.has(dir)) return;
  dirs.add(dir);
  const p = registryPath(env);
  await mkdir(join(configDir(env), 'acme'), { recursive: true, mode: 0o700 });
  await writeFile(p, JSON.stringify({ dirs: [...dirs] }, null, 2) + '\n', { mode: 0o600 });
}

export async function writeSecret(kube: KubeClient, options: { namespace: string; name: string; certPem: string; keyPem: string; spec: AcmeSpec }): Promise<void> {
  // One write carrying both halves: a consumer never sees a new cert with an old key.
  await kube.apply(kpath(R.secrets, { namespace: options.namespace, name: options.name }), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: { [MANAGED_LABEL]: MANAGED_VALUE, 'vibectl-tls.io/issuer': 'acme' },
      annotations: { [SPEC_ANNOTATION]: JSON.stringify(options.spec) },
    },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': Buffer.from(options.certPem).toString('base64'),
      'tls.key': Buffer.from(options.keyPem).toString('base64'),
    },
  }, { force: true });
}

export interface RunOrderOptions {
  spec: AcmeSpec;
  target: IssueTarget;
  /** ARI cert id of the certificate being replaced. */
  replaces?: string | undefined;
  deps: AcmeDeps;
}

/** The shared path of `acme issue` and `renew`: order, verify, write once. */
export async function runOrder(options: RunOrderOptions): Promise<IssueReport> {
  const { spec, target, deps } = options;
  checkSpec(spec, target);
  const kube = target.secret ? await deps.kube?.() : undefined;
  if (target.secret && !kube) throw new UsageError('--secret needs a cluster connection');
  const store = accountStore(spec, target, deps, kube);
  const session = await openSession(spec, store, deps);
  const solver = await buildSolver(spec, deps, kube);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await solver.close?.();
    session.close();
  };
  try {
    const { account, created } = await session.ensureAccount();
    deps.log?.(`answering ${spec.challenge === 'http01' ? 'HTTP-01' : 'DNS-01'} with ${solver.description}`);
    const result = await session.issue({
      names: spec.names,
      solver,
      keyAlgorithm: spec.keyAlgorithm,
      profile: spec.profile,
      replaces: options.replaces,
      ...(spec.selfCheckTimeoutMs !== undefined ? { selfCheckTimeoutMs: spec.selfCheckTimeoutMs } : {}),
      signal: deps.signal,
    });
    assertKeyMatches(result.certPem, result.keyPem);
    let written: IssueReport['written'];
    if (target.secret && kube) {
      const namespace = deps.namespace ?? kube.target.namespace;
      await writeSecret(kube, { namespace, name: target.secret, certPem: result.certPem, keyPem: result.keyPem, spec });
      written = { secret: { namespace, name: target.secret } };
    } else {
      const files = await writeLocal(target.out as string, { certPem: result.certPem, keyPem: result.keyPem, spec });
      await registerLocal(resolvePath(target.out as string), deps);
      written = { files };
    }
    const leaf = new X509Certificate(result.certPem);
    return {
      names: result.names,
      directoryUrl: spec.directoryUrl,
      profile: result.profile ?? null,
      serial: leaf.serialNumber,
      notBefore: new Date(leaf.validFrom).toISOString(),
      notAfter: new Date(leaf.validTo).toISOString(),
      issuer: leaf.issuer.replace(/\n/g, ', '),
      keyAlgorithm: spec.keyAlgorithm,
      replaced: result.replaced ?? null,
      account: { url: account.accountUrl, created, location: store.location },
      written,
    };
  } catch (err) {
    if (!(err instanceof InterruptedError) && !deps.signal?.aborted) throw err;
    // Close before saying what was cleaned: it removes whatever the order still held.
    try {
      await close();
    } catch (cleanupErr) {
      throw new InterruptedError(`interrupted: cleanup failed: ${(cleanupErr as Error).message}`, {
        hint: 'remove the challenge TXT records / solver objects (label vibectl-tls.io/acme-solver) by hand',
      });
    }
    const removed = solver.removed ?? [];
    throw new InterruptedError(`interrupted: cleaned up ${removed.length ? removed.join(', ') : '(this order had left nothing in DNS or the cluster)'}`, {
      hint: 'run the same command again to issue; the ACME account is kept',
    });
  } finally {
    await close();
  }
}

export interface IssueOptions extends Omit<AcmeSpec, 'directoryUrl'> {
  acmeServer?: string | undefined;
  target: IssueTarget;
}

export async function issueCertificate(options: IssueOptions, deps: AcmeDeps): Promise<IssueReport> {
  let directoryUrl: string;
  try {
    directoryUrl = resolveDirectory(options.acmeServer).directoryUrl;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { acmeServer: _a, target, ...rest } = options;
  void _a;
  const spec: AcmeSpec = {
    ...rest,
    directoryUrl,
    names: options.names.map((n) => n.toLowerCase().replace(/\.$/, '')),
    ...(options.caBundleFile ? { caBundleFile: resolvePath(options.caBundleFile) } : {}),
    ...(options.eabHmacKeyFile ? { eabHmacKeyFile: resolvePath(options.eabHmacKeyFile) } : {}),
  };
  return runOrder({ spec, target, deps });
}

export interface AccountOptions {
  acmeServer?: string | undefined;
  caBundleFile?: string | undefined;
  /** Look in the cluster (Secret) instead of the local config dir. */
  cluster?: boolean;
  action: 'show' | 'deactivate';
}

export interface AccountReport {
  action: 'show' | 'deactivate';
  found: boolean;
  directoryUrl: string;
  account: AccountInfo | null;
}

export async function manageAccount(options: AccountOptions, deps: AcmeDeps): Promise<AccountReport> {
  let directoryUrl: string;
  try {
    directoryUrl = resolveDirectory(options.acmeServer).directoryUrl;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const kube = options.cluster ? await deps.kube?.() : undefined;
  const store = kube ? new SecretAccountStore({ kube, namespace: deps.namespace ?? kube.target.namespace, directoryUrl }) : new LocalAccountStore(directoryUrl, deps.env);
  const caBundlePem = options.caBundleFile ? await readText(options.caBundleFile, '--acme-ca-bundle') : undefined;
  const session = new AcmeSession({ directoryUrl, caBundlePem, store, ...(deps.log ? { log: deps.log } : {}) });
  try {
    const account = options.action === 'deactivate' ? await session.deactivateAccount() : await session.showAccount();
    return { action: options.action, found: account !== null, directoryUrl, account };
  } finally {
    session.close();
  }
}
