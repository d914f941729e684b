// A plan of objects → what applying it would change, field by field, then server-side apply.
// Generic over any KubeObject: the resource path comes from API discovery. Every object is first
// sent as a server-side dry run, so an invalid object stops the whole plan before anything is
// written; the dry-run result (defaults and normalisation applied by the server) is compared with
// the live object on the fields we set, which is how "unchanged" is decided.
import type { KubeClient, KubeObject } from './client.js';
import { FIELD_MANAGER, KubeApiError } from './client.js';
import { resourcePath } from './paths.js';
import { InvalidInputError, TlsError } from '../errors.js';

export interface Plan {
  /** In apply order: what others reference comes first (Secrets before issuers before Certificates). */
  objects: KubeObject[];
}

export type Action = 'create' | 'update' | 'unchanged';

export interface FieldChange {
  path: string;
  op: 'add' | 'change' | 'remove';
  before?: unknown;
  after?: unknown;
}

export interface PlannedChange {
  /** "ClusterIssuer letsencrypt", "Secret cert-manager/letsencrypt-eab". */
  ref: string;
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string | undefined;
  action: Action;
  /** Only the fields of the desired object; Secret values are never shown. */
  changes: FieldChange[];
}

export interface PlanResult {
  dryRun: boolean;
  /** False when there was no cluster to compare with (offline `--dry-run`). */
  compared: boolean;
  changes: PlannedChange[];
  created: number;
  updated: number;
  unchanged: number;
  summary: string;
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

/** Resolves apiVersion/kind → REST path through discovery, one request per group version. */
export class ResourceResolver {
  readonly #kube: KubeClient;
  readonly #cache = new Map<string, Promise<ApiResource[] | null>>();

  constructor(kube: KubeClient) {
    this.#kube = kube;
  }

  async path(obj: KubeObject): Promise<string> {
    const { apiVersion, kind, name } = identity(obj);
    const resources = await this.#resources(apiVersion);
    const r = resources?.find((x) => x.kind === kind && !x.name.includes('/'));
    if (!r) throw notServed(apiVersion, kind);
    const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
    const namespace = obj.metadata?.namespace;
    if (r.namespaced && !namespace) throw new InvalidInputError(`${kind} ${name} needs a namespace`, { hint: 'pass -n NAMESPACE' });
    return resourcePath({ group, version, plural: r.name, namespace: r.namespaced ? namespace : undefined, name });
  }

  #resources(apiVersion: string): Promise<ApiResource[] | null> {
    let p = this.#cache.get(apiVersion);
    if (!p) {
      const url = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      p = this.#kube.get<{ resources?: ApiResource[] }>(url).then((d) => d?.resources ?? null);
      this.#cache.set(apiVersion, p);
    }
    return p;
  }
}

function notServed(apiVersion: string, kind: string): TlsError {
  const group = apiVersion.split('/')[0] ?? '';
  const hints: Record<string, string> = {
    'cert-manager.io': 'install cert-manager first (kubectl vibectl-tls setup offers the command), or use --via built-in',
    'acme.cert-manager.io': 'install cert-manager first',
    'trust.cert-manager.io': 'install trust-manager, or distribute the CA with `kubectl vibectl-tls trust sync`',
    'trust-manager.io': 'install trust-manager, or distribute the CA with `kubectl vibectl-tls trust sync`',
    'monitoring.coreos.com': 'no Prometheus Operator here: write the alert rules to a file instead',
  };
  return new InvalidInputError(`the cluster does not serve ${apiVersion} ${kind} (its CRD is not installed)`, { hint: hints[group] ?? `install the component that provides ${apiVersion}` });
}

function identity(obj: KubeObject): { apiVersion: string; kind: string; name: string } {
  const apiVersion = obj.apiVersion;
  const kind = obj.kind;
  const name = obj.metadata?.name;
  if (!apiVersion || !kind || !name) throw new InvalidInputError('an object in the plan has no apiVersion, kind or name');
  return { apiVersion, kind, name };
}

export function describeRef(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind ?? '?'} ${ns ? `${ns}/` : ''}${obj.metadata?.name ?? '?'}`;
}

/** The parts of `actual` at the paths `desired` has (arrays by index; extra actual items kept, so removals show). */
export function project(desired: unknown, actual: unknown): unknown {
  if (Array.isArray(desired)) {
    if (!Array.isArray(actual)) return actual;
    return actual.map((item, i) => (i < desired.length ? project(desired[i], item) : item));
  }
  if (isObject(desired)) {
    if (!isObject(actual)) return actual;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(desired)) if (k in actual) out[k] = project(desired[k], actual[k]);
    return out;
  }
  return actual;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(prefix, []);
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && prefix) out.set(prefix, {});
    for (const k of keys) flatten(value[k], prefix ? `${prefix}.${/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k)}` : k, out);
  } else if (value !== undefined) {
    out.set(prefix, value);
  }
  return out;
}

/** Field-level differences between two projections, in the order of `after`. */
export function diffFields(before: unknown, after: unknown, options: { secret?: boolean } = {}): FieldChange[] {
  const b = flatten(before, '', new Map());
  const a = flatten(after, '', new Map());
  const hide = (path: string, v: unknown): unknown => (options.secret && /^(data|stringData)\b/.test(path) ? (v === undefined ? undefined : '<secret>') : v);
  // An empty object/array on one side and its children on the other is not a change of its own.
  const hasChildren = (m: Map<string, unknown>, p: string): boolean => [...m.keys()].some((k) => k.startsWith(p + '.') || k.startsWith(p + '['));
  const changes: FieldChange[] = [];
  for (const [path, v] of a) {
    if (!b.has(path)) {
      if (!hasChildren(b, path)) changes.push({ path, op: 'add', after: hide(path, v) });
    }
    else if (JSON.stringify(b.get(path)) !== JSON.stringify(v)) changes.push({ path, op: 'change', before: hide(path, b.get(path)), after: hide(path, v) });
  }
  for (const [path, v] of b) if (!a.has(path) && !hasChildren(a, path)) changes.push({ path, op: 'remove', before: hide(path, v) });
  return changes;
}

function plannedChange(obj: KubeObject, live: KubeObject | null, result: KubeObject | null): PlannedChange {
  const { apiVersion, kind, name } = identity(obj);
  const secret = kind === 'Secret' && apiVersion === 'v1';
  const after = project(obj, result ?? obj);
  const before = live ? project(obj, live) : undefined;
  const changes = diffFields(before, after, { secret });
  const action: Action = !live ? 'create' : changes.length === 0 ? 'unchanged' : 'update';
  return { ref: describeRef(obj), apiVersion, kind, name, namespace: obj.metadata?.namespace, action, changes };
}

/** Without a cluster: every object would be created as written. */
export function offlinePlan(plan: Plan): PlanResult {
  const changes = plan.objects.map((o) => plannedChange(o, null, null));
  return summarise(changes, { dryRun: true, compared: false });
}

/**
 * Compares the plan with the cluster (GET + server-side dry-run apply of every object) and, unless
 * dryRun, applies what differs. Any object the server refuses stops everything before a write.
 */
export async function applyPlan(kube: KubeClient, plan: Plan, options: { dryRun?: boolean } = {}): Promise<PlanResult> {
  const resolver = new ResourceResolver(kube);
  const prepared: Array<{ obj: KubeObject; path: string; change: PlannedChange }> = [];
  const refused: string[] = [];
  for (const obj of plan.objects) {
    let path: string;
    try {
      path = await resolver.path(obj);
    } catch (err) {
      if (err instanceof TlsError && err.kind === 'invalid-input') {
        refused.push(`${describeRef(obj)}: ${err.message}${err.hint ? ` (${err.hint})` : ''}`);
        continue;
      }
      throw err;
    }
    const live = await kube.get<KubeObject>(path);
    let result: KubeObject;
    try {
      result = await strictApply(kube, path, obj, true);
    } catch (err) {
      if (err instanceof KubeApiError && (err.status === 400 || err.status === 404 || err.status === 422 || isSchemaMismatch(err))) {
        refused.push(`${describeRef(obj)}: ${err.message.replace(/^the API server (refused|answered \d+ to) [A-Z]+ \S+: /, '')}`);
        continue;
      }
      throw err;
    }
    prepared.push({ obj, path, change: plannedChange(obj, live, result) });
  }
  if (refused.length > 0) {
    throw new InvalidInputError(`the API server refused ${refused.length} of ${plan.objects.length} objects; nothing was applied:\n  ${refused.join('\n  ')}`, {
      hint: 'fix the input named above and run again',
    });
  }
  if (!options.dryRun) {
    const done: string[] = [];
    for (const p of prepared) {
      if (p.change.action === 'unchanged') continue;
      try {
        await strictApply(kube, p.path, p.obj, false);
      } catch (err) {
        const tls = err instanceof TlsError ? err : new InvalidInputError(err instanceof Error ? err.message : String(err));
        const already = done.length ? ` (${done.join(', ')})` : '';
        throw new TlsError(tls.kind, tls.exitCode, `applying ${p.change.ref} failed after ${done.length} other object${done.length === 1 ? ' was' : 's were'} applied${already}: ${tls.message}`, {
          hint: tls.hint ?? 'fix the cause and run again: what was applied stays, and shows as unchanged next time',
          cause: err,
        });
      }
      done.push(p.change.ref);
    }
  }
  return summarise(prepared.map((p) => p.change), { dryRun: options.dryRun === true, compared: true });
}

/** Server-side apply answers 500 "failed to create typed patch object … field not declared in schema" for unknown fields. */
function isSchemaMismatch(err: KubeApiError): boolean {
  return err.status === 500 && /failed to create typed patch object|not declared in schema/.test(err.message);
}

/**
 * Server-side apply with fieldValidation=Strict: a field the schema does not know is an error, not
 * a warning while the server silently drops it (an old CRD without `acme.profile`, a typo).
 */
function strictApply(kube: KubeClient, path: string, obj: KubeObject, dryRun: boolean): Promise<KubeObject> {
  return kube.request<KubeObject>('PATCH', path, {
    body: obj,
    contentType: 'application/apply-patch+yaml',
    query: { fieldManager: FIELD_MANAGER, force: true, fieldValidation: 'Strict', dryRun: dryRun ? 'All' : undefined },
  });
}

function summarise(changes: PlannedChange[], o: { dryRun: boolean; compared: boolean }): PlanResult {
  const count = (a: Action): number => changes.filter((c) => c.action === a).length;
  const created = count('create');
  const updated = count('update');
  const unchanged = count('unchanged');
  let summary: string;
  if (!o.compared) summary = `${changes.length} object${changes.length === 1 ? '' : 's'} (not compared with a cluster)`;
  else if (created + updated === 0) summary = `no changes: all ${changes.length} object${changes.length === 1 ? ' is' : 's are'} already as desired`;
  else {
    const verb = o.dryRun ? 'would be ' : '';
    summary = [created && `${created} ${verb}created`, updated && `${updated} ${verb}updated`, unchanged && `${unchanged} unchanged`].filter(Boolean).join(', ');
  }
  return { dryRun: o.dryRun, compared: o.compared, changes, created, updated, unchanged, summary };
}
