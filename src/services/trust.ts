// `trust sync`: copies the CA bundle into a ConfigMap in each chosen namespace (the path for
// clusters without trust-manager) and keeps the copies current. With no namespaces named it
// refreshes every namespace that already has the bundle, so re-running it after a CA rotation is
// enough.
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { KubeClient, KubeObject } from '../core/kube/client.js';
import { path, R } from '../core/kube/paths.js';
import { applyPlan, type PlanResult } from '../core/kube/apply-plan.js';
import { InvalidInputError, MissingInputError } from '../core/errors.js';
import { checkCaPem, DEFAULT_TRUST_KEY, DEFAULT_TRUST_NAME, trustConfigMap } from '../core/manifests/trust-manager.js';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../core/manifests/labels.js';

export type CaSource = { pem: string } | { file: string } | { dir?: string | undefined };

export interface TrustSyncOptions {
  ca: CaSource;
  bundle?: string | undefined;
  key?: string | undefined;
  /** Namespaces to hold the bundle; 'all' = every namespace; undefined = the ones that already do. */
  namespaces?: string[] | 'all' | undefined;
  /** Delete the bundle from namespaces no longer chosen. */
  prune?: boolean | undefined;
  dryRun?: boolean | undefined;
}

export interface TrustSyncResult extends PlanResult {
  bundle: string;
  namespaces: string[];
  /** Namespaces that hold the bundle but were not chosen (removed with prune, unless dryRun). */
  stale: string[];
  pruned: string[];
  source: string;
}

/** Where `ca init` keeps the CA unless --ca-dir says otherwise (same rule as the ca commands). */
function defaultCaDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VIBECTL_TLS_CA_DIR) return resolve(env.VIBECTL_TLS_CA_DIR);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'vibectl-tls', 'ca');
}

export async function readCaBundle(source: CaSource): Promise<{ pem: string; source: string }> {
  if ('pem' in source) return { pem: checkCaPem(source.pem), source: 'given PEM' };
  const files = 'file' in source ? [source.file] : ['bundle.pem', 'root.crt'].map((f) => join(source.dir ?? defaultCaDir(), f));
  for (const f of files) {
    try {
      return { pem: checkCaPem(await fs.readFile(f, 'utf8'), f), source: f };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  throw new InvalidInputError(`no CA certificate found (looked for ${files.join(', ')})`, {
    hint: 'file' in source ? 'check the path given to --ca-file' : 'create the CA with `kubectl vibectl-tls ca init`, or pass --ca-dir DIR / --ca-file FILE',
  });
}

export async function trustSync(kube: KubeClient, o: TrustSyncOptions): Promise<TrustSyncResult> {
  const bundle = o.bundle ?? DEFAULT_TRUST_NAME;
  const key = o.key ?? DEFAULT_TRUST_KEY;
  const { pem, source } = await readCaBundle(o.ca);
  // By name + managed-by rather than our bundle label, so ConfigMaps written by `ca export --format configmap` count too.
  const existing = await kube.list<KubeObject>(path(R.configmaps), {
    query: { labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY}`, fieldSelector: `metadata.name=${bundle}` },
    metadataOnly: true,
  });
  const holding = [...new Set(existing.map((c) => c.metadata?.namespace ?? ''))].filter(Boolean).sort();
  let namespaces: string[];
  if (o.namespaces === 'all') {
    const all = await kube.list<KubeObject>(path(R.namespaces), { metadataOnly: true });
    namespaces = all.filter((n) => !n.metadata?.['deletionTimestamp']).map((n) => n.metadata?.name ?? '').filter(Boolean);
  } else if (o.namespaces && o.namespaces.length > 0) {
    namespaces = [...new Set(o.namespaces)];
  } else {
    if (holding.length === 0) throw new MissingInputError(`the namespaces to receive CA bundle ${bundle} (none has it yet)`, ['--target-namespace NS (repeatable)', '--all-namespaces']);
    namespaces = holding;
  }
  namespaces.sort();
  const missingNs = await Promise.all(namespaces.map(async (ns) => ((await kube.get(path(R.namespaces, { name: ns }))) ? undefined : ns)));
  const absent = missingNs.filter((n): n is string => Boolean(n));
  if (absent.length) throw new InvalidInputError(`namespace${absent.length > 1 ? 's' : ''} ${absent.join(', ')} do${absent.length > 1 ? '' : 'es'} not exist`, { hint: 'create them first, or leave them out' });

  const result = await applyPlan(kube, { objects: namespaces.map((ns) => trustConfigMap({ bundle, namespace: ns, caPem: pem, key })) }, { dryRun: o.dryRun });
  const stale = holding.filter((ns) => !namespaces.includes(ns));
  const pruned: string[] = [];
  if (o.prune && !o.dryRun) {
    for (const ns of stale) if (await kube.delete(path(R.configmaps, { namespace: ns, name: bundle }))) pruned.push(ns);
  }
  return { ...result, bundle, namespaces, stale, pruned, source };
}
