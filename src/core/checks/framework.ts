// Checks as data (linkerd/istioctl): each check is a record with a stable code, a category, a
// severity, a title and a docs anchor; the runner evaluates them per subject (a Secret, an
// endpoint, a trust bundle), skips dependants of failed prerequisites and retries checks that
// carry a deadline. Time is injected so tests drive retries and --wait without sleeping.

export type Severity = 'error' | 'warning' | 'info';
/** What a check ended as: ok, a finding at the check's severity, or skipped. */
export type Status = 'ok' | 'info' | 'warning' | 'error' | 'skipped';

export type SubjectKind = 'secret' | 'endpoint' | 'trust' | 'cluster' | 'certificate' | 'ingress' | 'ct' | 'cloud';

/** A Kubernetes object or endpoint that a result is about, for JSON consumers. */
export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
}

export interface Subject {
  kind: SubjectKind;
  /** Stable id used in output ("secret default/app-tls", "endpoint 127.0.0.1:8443"). */
  id: string;
  objects: ObjectRef[];
  /**
   * Set when the subject could not be read (e.g. RBAC forbids it): every check on it is shown as
   * skipped with this reason ("forbidden: list secrets in namespace shop") instead of running.
   */
  skip?: string;
}

/**
 * What a run function returns. `pass` → ok; `fail` → the check's severity; `info` → an info line
 * whatever the severity; `skip` → skipped (e.g. a permission it needs is missing; the message
 * names it); `null` → the check does not apply to this subject (nothing shown).
 */
export interface Outcome {
  result: 'pass' | 'fail' | 'info' | 'skip';
  message: string;
  details?: string[];
  /** Extra objects this finding names (e.g. the ConfigMap holding a bundle). */
  objects?: ObjectRef[];
}

export interface CheckContext<S extends Subject> {
  subject: S;
  now: () => Date;
  /** Results of this subject's checks that already ran, by code. */
  results: ReadonlyMap<string, CheckResult>;
}

export interface CheckDefinition<S extends Subject = Subject> {
  code: string;
  category: string;
  severity: Severity;
  /** One line saying what is checked, worded as the desired state ("certificate is not expired"). */
  title: string;
  /** What to do when the check fails; the docs section has the long version. */
  hint: string;
  appliesTo: S['kind'];
  /** Codes that must have passed (ok/info/warning) for this one to run. */
  dependsOn?: string[];
  /** Re-run a failing check until this much time has passed (e.g. an endpoint still starting). */
  retry?: { deadlineMs: number; intervalMs: number };
  run(ctx: CheckContext<S>): Promise<Outcome | null> | Outcome | null;
}

export interface CheckResult {
  code: string;
  category: string;
  title: string;
  status: Status;
  message: string;
  details: string[];
  /** Null when the check passed. */
  hint: string | null;
  docsUrl: string;
  subject: string;
  objects: ObjectRef[];
}

export const DOCS_BASE = 'https://github.com/vibectl/vibectl-tls/blob/main/docs/troubleshooting.md';

export function docsAnchor(code: string): string {
  return code.toLowerCase();
}

export function docsUrl(code: string): string {
  return `${DOCS_BASE}#${docsAnchor(code)}`;
}

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RunChecksOptions {
  checks: readonly CheckDefinition<Subject>[];
  subjects: readonly Subject[];
  clock?: Clock;
  /** Subjects are independent; this many run at once (endpoint scans dominate). */
  concurrency?: number;
}

/** Runs every applicable check on every subject; results keep registry order within a subject. */
export async function runChecks(options: RunChecksOptions): Promise<CheckResult[]> {
  const clock = options.clock ?? systemClock;
  const perSubject = await mapPool(options.subjects, options.concurrency ?? 4, (subject) =>
    runSubject(options.checks.filter((c) => c.appliesTo === subject.kind), subject, clock),
  );
  return perSubject.flat();
}

async function runSubject(checks: readonly CheckDefinition<Subject>[], subject: Subject, clock: Clock): Promise<CheckResult[]> {
  const results = new Map<string, CheckResult>();
  const out: CheckResult[] = [];
  for (const check of checks) {
    const base = {
      code: check.code,
      category: check.category,
      title: check.title,
      docsUrl: docsUrl(check.code),
      subject: subject.id,
    };
    const blocked = (check.dependsOn ?? []).filter((code) => {
      const r = results.get(code);
      // A prerequisite that did not apply (no result) does not block; one that failed or was skipped does.
      return r !== undefined && (r.status === 'error' || r.status === 'skipped');
    });
    if (blocked.length > 0 || subject.skip !== undefined) {
      const r: CheckResult = {
        ...base,
        status: 'skipped',
        message: subject.skip !== undefined ? `skipped: ${subject.skip}` : `skipped: ${blocked.join(', ')} did not pass`,
        details: [],
        hint: null,
        objects: subject.objects,
      };
      results.set(check.code, r);
      out.push(r);
      continue;
    }
    const outcome = await runWithRetry(check, { subject, now: () => clock.now(), results }, clock);
    if (outcome === null) continue;
    const status: Status = outcome.result === 'pass' ? 'ok' : outcome.result === 'info' ? 'info' : outcome.result === 'skip' ? 'skipped' : check.severity;
    const r: CheckResult = {
      ...base,
      status,
      message: outcome.result === 'skip' ? `skipped: ${outcome.message}` : outcome.message,
      details: outcome.details ?? [],
      hint: status === 'ok' || status === 'info' || status === 'skipped' ? null : check.hint,
      objects: [...subject.objects, ...(outcome.objects ?? [])],
    };
    results.set(check.code, r);
    out.push(r);
  }
  return out;
}

async function runWithRetry(check: CheckDefinition<Subject>, ctx: CheckContext<Subject>, clock: Clock): Promise<Outcome | null> {
  const started = clock.now().getTime();
  for (;;) {
    let outcome: Outcome | null;
    try {
      outcome = await check.run(ctx);
    } catch (err) {
      // A check that throws is a finding about the subject, not a crash of the whole doctor.
      outcome = { result: 'fail', message: `check could not run: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (!check.retry || outcome === null || outcome.result !== 'fail') return outcome;
    const elapsed = clock.now().getTime() - started;
    if (elapsed + check.retry.intervalMs > check.retry.deadlineMs) {
      return { ...outcome, details: [...(outcome.details ?? []), `still failing after retrying for ${Math.round(elapsed / 1000)}s`] };
    }
    await clock.sleep(check.retry.intervalMs);
  }
}

export interface Summary {
  ok: number;
  info: number;
  warning: number;
  error: number;
  skipped: number;
}

export function summarize(results: readonly CheckResult[]): Summary {
  const s: Summary = { ok: 0, info: 0, warning: 0, error: 0, skipped: 0 };
  for (const r of results) s[r.status] += 1;
  return s;
}

export type FailOn = 'warning' | 'error';

/** Does this set of results fail under --fail-on? */
export function failed(results: readonly CheckResult[], failOn: FailOn): boolean {
  return results.some((r) => r.status === 'error' || (failOn === 'warning' && r.status === 'warning'));
}

export interface WaitOptions<T> {
  /** One full doctor pass. */
  attempt: () => Promise<T>;
  isClean: (value: T) => boolean;
  /** 0 = run once. */
  waitMs: number;
  intervalMs?: number;
  clock?: Clock;
  onRetry?: (value: T, attempt: number) => void;
}

/** --wait: re-run until clean or the deadline passes; returns the last pass and how many ran. */
export async function runUntilClean<T>(options: WaitOptions<T>): Promise<{ value: T; attempts: number; timedOut: boolean }> {
  const clock = options.clock ?? systemClock;
  const interval = options.intervalMs ?? 5000;
  const deadline = clock.now().getTime() + options.waitMs;
  let attempts = 0;
  for (;;) {
    const value = await options.attempt();
    attempts += 1;
    if (options.isClean(value)) return { value, attempts, timedOut: false };
    if (options.waitMs <= 0) return { value, attempts, timedOut: false };
    if (clock.now().getTime() + interval > deadline) return { value, attempts, timedOut: true };
    options.onRetry?.(value, attempts);
    await clock.sleep(interval);
  }
}

/** Runs fn over items with at most `limit` in flight; keeps input order. */
export async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
