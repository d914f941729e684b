// Certificate checks over the walk (Certificate → CertificateRequest → Order → Challenge): each
// known trap gets its own code, so a stuck Certificate names its cause instead of "not Ready".
import type { CheckDefinition, Outcome } from '../framework.js';
import { condition, type CertificateWalk, type Condition, type RequestNode, type WalkNode } from '../../cert-manager/walk.js';
import type { CertificateSubject } from './subject.js';
import { classifyAcmeText, type AcmeTrap } from './acme-failures.js';

const HOUR = 3_600_000;

/** "1h 50m", "2d 3h", "45s": two units, enough to plan around a backoff or an expiry. */
export function span(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

function cond(c: Condition | undefined): string {
  if (!c) return 'none';
  return `${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`;
}

function renewCommands(w: CertificateWalk, now: Date): string[] {
  const idx = w.issuingIndex;
  const value = JSON.stringify({ type: 'Issuing', status: 'True', reason: 'ManuallyTriggered', message: 'Certificate re-issuance manually triggered', lastTransitionTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z') });
  const op = idx >= 0 ? `{"op":"replace","path":"/status/conditions/${idx}","value":${value}}` : `{"op":"add","path":"/status/conditions/-","value":${value}}`;
  return [
    `retry now: cmctl renew -n ${w.namespace} ${w.name}   (or: kubectl cert-manager renew -n ${w.namespace} ${w.name})`,
    `without cmctl: kubectl patch certificate ${w.name} -n ${w.namespace} --subresource=status --type=json -p '[${op}]'`,
  ];
}

/** Warning events along the chain, newest last, for "stuck with no event" stories. */
function warnings(w: CertificateWalk): string[] {
  const nodes: WalkNode[] = [w.certificate];
  for (const r of [w.current, w.lastFinished]) {
    if (!r) continue;
    nodes.push(r);
    if (Array.isArray(r.orders)) for (const o of r.orders) nodes.push(o, ...(Array.isArray(o.challenges) ? o.challenges : []));
  }
  return nodes.flatMap((n) => n.events.filter((e) => e.type === 'Warning').map((e) => `event on ${n.kind} ${n.name}: ${e.reason}: ${e.message}`)).slice(-5);
}

export const certificateReady: CheckDefinition<CertificateSubject> = {
  code: 'CRT101',
  category: 'cert-manager Certificate',
  severity: 'error',
  title: 'Certificate is Ready',
  hint: 'the findings below name the cause; `kubectl vibectl-tls doctor --certificate NAME` prints the whole chain with events',
  appliesTo: 'certificate',
  async run({ subject }) {
    const w = await subject.walk();
    const ready = condition({ status: { conditions: w.certificate.conditions } }, 'Ready');
    if (ready?.status === 'True') return { result: 'pass', message: ready.message ?? 'Ready' };
    const issuing = condition({ status: { conditions: w.certificate.conditions } }, 'Issuing');
    const details = [...(issuing ? [`Issuing: ${cond(issuing)}`] : []), ...warnings(w), ...w.errors.map((e) => `lookup failed: ${e}`)];
    if (!ready && !issuing) details.push('no conditions at all: no cert-manager controller has processed this Certificate (see CM103)');
    return { result: 'fail', message: ready ? `Ready=${ready.status}${ready.reason ? `, reason ${ready.reason}` : ''}${ready.message ? `: ${ready.message}` : ''}` : 'no Ready condition', details };
  },
};

export const readyButExpired: CheckDefinition<CertificateSubject> = {
  code: 'CRT102',
  category: 'cert-manager Certificate',
  severity: 'error',
  title: 'a Ready Certificate is not past its notAfter',
  hint: 'cert-manager has not noticed the expiry (controller down, or stuck): check the controller, then force a re-issue with `cmctl renew`',
  appliesTo: 'certificate',
  async run({ subject, now }) {
    const w = await subject.walk();
    const ready = w.certificate.conditions.find((c) => c.type === 'Ready');
    if (ready?.status !== 'True' || !w.certificate.notAfter) return null;
    const end = new Date(w.certificate.notAfter);
    if (end.getTime() > now().getTime()) return { result: 'pass', message: `valid until ${w.certificate.notAfter}` };
    return {
      result: 'fail',
      message: `Ready=True but status.notAfter ${w.certificate.notAfter} passed ${span(now().getTime() - end.getTime())} ago`,
      details: [
        w.certificate.renewalTime ? `status.renewalTime was ${w.certificate.renewalTime}: the renewal did not happen` : 'no status.renewalTime set',
        ...renewCommands(w, now()),
      ],
    };
  },
};

/** cert-manager's issuance backoff: 1 h after the first failure, doubling per attempt, at most 32 h. */
export function backoffDelayMs(failedAttempts: number | undefined): number {
  const n = Math.max(1, failedAttempts ?? 1);
  return Math.min(32 * HOUR, HOUR * 2 ** (n - 1));
}

export const notBackingOff: CheckDefinition<CertificateSubject> = {
  code: 'CRT103',
  category: 'cert-manager Certificate',
  severity: 'error',
  title: 'issuance is not backing off after a failure',
  hint: 'fix the cause in the failure message, then retry now with `cmctl renew` (the details give the exact command) instead of waiting out the backoff',
  appliesTo: 'certificate',
  async run({ subject, now }) {
    const w = await subject.walk();
    const issuing = w.certificate.conditions.find((c) => c.type === 'Issuing');
    if (!w.certificate.lastFailureTime) return { result: 'pass', message: 'no failed issuance recorded' };
    if (issuing?.status === 'True') return { result: 'pass', message: `issuing again after the failure at ${w.certificate.lastFailureTime}` };
    const failed = new Date(w.certificate.lastFailureTime);
    const retryAt = new Date(failed.getTime() + backoffDelayMs(w.certificate.failedIssuanceAttempts));
    const wait = retryAt.getTime() - now().getTime();
    return {
      result: 'fail',
      message: `last issuance failed at ${w.certificate.lastFailureTime}${w.certificate.failedIssuanceAttempts ? ` (attempt ${w.certificate.failedIssuanceAttempts})` : ''}; cert-manager retries ${wait > 0 ? `at ${retryAt.toISOString()} (in ${span(wait)})` : 'on its next sync (the backoff has passed)'}`,
      details: [...(issuing ? [`Issuing: ${cond(issuing)}`] : []), ...renewCommands(w, now())],
    };
  },
};

export const issuerReady: CheckDefinition<CertificateSubject> = {
  code: 'CRT104',
  category: 'cert-manager Certificate',
  severity: 'error',
  title: "the Certificate's issuer exists and is Ready",
  hint: 'create the issuer spec.issuerRef names (or fix the name/kind: Issuer is namespaced, ClusterIssuer is not), and make it Ready (see CM110)',
  appliesTo: 'certificate',
  async run({ subject }) {
    const w = await subject.walk();
    const ref = w.certificate.issuerRef;
    const what = `${ref.kind} ${ref.kind === 'ClusterIssuer' ? '' : `${w.namespace}/`}${ref.name}`;
    if ('error' in w.issuer) return w.issuer.forbidden ? { result: 'skip', message: `forbidden: ${w.issuer.forbidden}` } : { result: 'fail', message: `${what}: ${w.issuer.error}` };
    if (w.issuer.external) return { result: 'info', message: `${what} is an external issuer (group ${ref.group}); not checked` };
    if (!w.issuer.exists) return { result: 'fail', message: `${what} does not exist` };
    const ready = w.issuer.conditions.find((c) => c.type === 'Ready');
    if (ready?.status !== 'True') return { result: 'fail', message: `${what} is not Ready: ${cond(ready)}` };
    return { result: 'pass', message: `${what} is Ready` };
  },
};

function requestLabel(r: RequestNode): string {
  return `CertificateRequest ${r.name}${r.revision !== undefined ? ` (revision ${r.revision})` : ''}`;
}

export const requestApproved: CheckDefinition<CertificateSubject> = {
  code: 'CRT105',
  category: 'cert-manager Certificate',
  severity: 'error',
  title: 'the CertificateRequest in flight is approved',
  hint: "cert-manager's built-in approver is disabled (--controllers=-certificaterequests-approver) or an approver (approver-policy) has no policy for it: add a policy, or `cmctl approve -n NS NAME`",
  appliesTo: 'certificate',
  async run({ subject, now }) {
    const w = await subject.walk();
    const r = w.current;
    if (!r) return null;
    const denied = r.conditions.find((c) => c.type === 'Denied');
    if (denied?.status === 'True') return { result: 'fail', message: `${requestLabel(r)} was denied: ${cond(denied)}` };
    const approved = r.conditions.find((c) => c.type === 'Approved');
    if (approved?.status === 'True') return { result: 'pass', message: `${requestLabel(r)} approved${approved.reason ? ` (${approved.reason})` : ''}` };
    const age = r.created ? now().getTime() - new Date(r.created).getTime() : undefined;
    return {
      result: 'fail',
      message: `${requestLabel(r)} is not approved${age !== undefined ? ` after ${span(Math.max(0, age))}` : ''}: nothing approved or denied it`,
      details: [`approve it by hand: cmctl approve -n ${w.namespace} ${r.name}`],
    };
  },
};

export const requestNotFailed: CheckDefinition<CertificateSubject> = {
  code: 'CRT106',
  category: 'cert-manager Certificate',
  severity: 'error',
  title: 'the latest CertificateRequest did not fail',
  hint: "read the request's failure message; once fixed, `cmctl renew` starts a new request",
  appliesTo: 'certificate',
  async run({ subject }) {
    const w = await subject.walk();
    const r = w.current ?? w.lastFinished;
    if (!r) return null;
    const ready = r.conditions.find((c) => c.type === 'Ready');
    if (ready?.status === 'False' && (ready.reason === 'Failed' || ready.reason === 'Denied'))
      return { result: 'fail', message: `${requestLabel(r)} ${ready.reason === 'Denied' ? 'was denied' : 'failed'}: ${ready.message ?? ''}`.trim() };
    const invalid = r.conditions.find((c) => c.type === 'InvalidRequest' && c.status === 'True');
    if (invalid) return { result: 'fail', message: `${requestLabel(r)} is invalid: ${cond(invalid)}` };
    return { result: 'pass', message: `${requestLabel(r)}: Ready ${cond(ready)}` };
  },
};

/** Every ACME text in the in-flight chain: the request's Ready message, Orders' and Challenges' reasons. */
function acmeTexts(w: CertificateWalk): Array<{ where: string; text: string; challengeType?: string }> {
  const r = w.current ?? w.lastFinished;
  if (!r) return [];
  const out: Array<{ where: string; text: string; challengeType?: string }> = [];
  const ready = r.conditions.find((c) => c.type === 'Ready');
  if (ready?.status === 'False' && ready.message) out.push({ where: requestLabel(r), text: ready.message });
  if (Array.isArray(r.orders))
    for (const o of r.orders) {
      if (o.facts.reason) out.push({ where: `Order ${o.name} (${o.facts.state ?? 'no state'})`, text: o.facts.reason });
      if (Array.isArray(o.challenges))
        for (const c of o.challenges) if (c.facts.reason) out.push({ where: `Challenge ${c.name} (${c.facts.type ?? '?'} ${c.facts.dnsName ?? ''})`, text: c.facts.reason, ...(c.facts.type ? { challengeType: c.facts.type } : {}) });
    }
  return out;
}

function trapCheck(o: { code: string; title: string; hint: string; kinds: AcmeTrap['kind'][]; passMessage: string }): CheckDefinition<CertificateSubject> {
  return {
    code: o.code,
    category: 'cert-manager ACME',
    severity: 'error',
    title: o.title,
    hint: o.hint,
    appliesTo: 'certificate',
    async run({ subject }): Promise<Outcome | null> {
      const w = await subject.walk();
      const texts = acmeTexts(w);
      const hasAcme = (w.current ?? w.lastFinished) && Array.isArray((w.current ?? w.lastFinished)!.orders) && ((w.current ?? w.lastFinished)!.orders as unknown[]).length > 0;
      const hits = texts.map((t) => ({ ...t, trap: classifyAcmeText(t.text, t.challengeType) })).filter((t) => t.trap && o.kinds.includes(t.trap.kind));
      if (hits.length === 0) return hasAcme || texts.length ? { result: 'pass', message: o.passMessage } : null;
      const first = hits[0]!;
      return { result: 'fail', message: `${first.where}: ${first.text}`, details: [`cause: ${first.trap!.fix}`, ...hits.slice(1).map((h) => `${h.where}: ${h.text}`)] };
    },
  };
}

export const http01SelfCheck = trapCheck({
  code: 'CRT111',
  title: 'HTTP-01 self-check reaches the solver',
  hint: 'make http://HOST/.well-known/acme-challenge/ reach the solver: right ingress class on the solver, no HTTPS redirect on that path, port 80 reachable from inside the cluster',
  kinds: ['http01-404', 'http01-timeout', 'http01-redirect'],
  passMessage: 'no HTTP-01 self-check failure',
});

export const dns01Propagation = trapCheck({
  code: 'CRT112',
  title: 'DNS-01 record is published in the right zone and visible',
  hint: 'check the TXT record with dig against the authoritative servers; set the zone explicitly in the solver if cert-manager picks the wrong one',
  kinds: ['dns01-propagation', 'dns01-zone', 'dns01-unreachable'],
  passMessage: 'no DNS-01 propagation or zone failure',
});

export const notRateLimited = trapCheck({
  code: 'CRT113',
  title: 'the ACME CA is not rate limiting the order',
  hint: "wait out the limit named in the message; test against the CA's staging server; never delete and recreate Certificates in a loop",
  kinds: ['rate-limit'],
  passMessage: 'no rate limit reported',
});

export const orderProgressing: CheckDefinition<CertificateSubject> = {
  code: 'CRT110',
  category: 'cert-manager ACME',
  severity: 'error',
  title: 'the ACME Order and its Challenges are not failing',
  hint: "read the Order's and Challenge's reason (kubectl describe order/challenge); `doctor --certificate NAME` shows the chain",
  appliesTo: 'certificate',
  async run({ subject }) {
    const w = await subject.walk();
    const r = w.current ?? w.lastFinished;
    if (!r) return null;
    if (!Array.isArray(r.orders)) return { result: 'skip', message: r.orders.error.replace(/^forbidden: /, 'forbidden: ') };
    if (r.orders.length === 0) return null;
    const bad: string[] = [];
    for (const o of r.orders) {
      if (['invalid', 'errored', 'expired'].includes(o.facts.state ?? '') && !(o.facts.reason && classifyAcmeText(o.facts.reason)))
        bad.push(`Order ${o.name} is ${o.facts.state}${o.facts.reason ? `: ${o.facts.reason}` : ''}`);
      if (!Array.isArray(o.challenges)) continue;
      for (const c of o.challenges)
        if (c.facts.reason && !classifyAcmeText(c.facts.reason, c.facts.type) && (c.facts.state === 'invalid' || c.facts.state === 'errored' || c.facts.presented === 'false'))
          bad.push(`Challenge ${c.name} (${c.facts.type ?? '?'} ${c.facts.dnsName ?? ''}) ${c.facts.state ?? ''}: ${c.facts.reason}`);
    }
    if (bad.length) return { result: 'fail', message: bad[0]!, details: bad.slice(1) };
    const states = r.orders.map((o) => `Order ${o.name}: ${o.facts.state ?? 'no state yet'}`);
    return { result: 'pass', message: states.join('; ') };
  },
};
