// doctor --ct DOMAIN: what Certificate Transparency logs show for a domain. A certificate from a
// CA the cluster does not use is how a mis-issuance or a forgotten second provider shows up; the
// recent ones tell what was issued lately (renewals, or someone else's).
import type { CheckDefinition, Subject } from '../framework.js';
import type { CtEntry } from '../../ct/crtsh.js';
import { matchIssuer, type ExpectedIssuer } from '../../ct/issuers.js';

export interface CtSubject extends Subject {
  kind: 'ct';
  domain: string;
  /** The service asked (for messages). */
  service: string;
  entries: CtEntry[];
  expected: ExpectedIssuer[];
  days: number;
}

export function ctSubject(input: { domain: string; service: string; entries: CtEntry[]; expected: ExpectedIssuer[]; days: number }): CtSubject {
  return { kind: 'ct', id: `ct ${input.domain}`, objects: [{ kind: 'Domain', name: input.domain }], ...input };
}

const CATEGORY = 'Certificate Transparency';
const DAY = 86_400_000;
const MAX_ROWS = 20;

const ymd = (d: Date) => d.toISOString().slice(0, 10);

/** One entry as a details line: serial, issuer, names, validity, log id. */
export function entryLine(e: CtEntry): string {
  const names = e.names.slice(0, 4).join(', ') + (e.names.length > 4 ? `, +${e.names.length - 4}` : '');
  return `serial ${e.serial} · ${e.issuerName} · ${names} · ${ymd(e.notBefore)} → ${ymd(e.notAfter)} · log id ${e.ids.join('/')}`;
}

function lines(entries: readonly CtEntry[]): string[] {
  const out = entries.slice(0, MAX_ROWS).map(entryLine);
  if (entries.length > MAX_ROWS) out.push(`… and ${entries.length - MAX_ROWS} more`);
  return out;
}

export const ctExpectedIssuers: CheckDefinition<CtSubject> = {
  code: 'CT101',
  category: CATEGORY,
  severity: 'warning',
  title: 'certificates logged for the domain come from the expected issuers',
  hint: 'find out who requested each listed certificate; if it is legitimate, add its CA with --ct-expected-issuer (and a CAA record naming your CAs), otherwise revoke it through the CA',
  appliesTo: 'ct',
  run: ({ subject, now }) => {
    const t = now().getTime();
    // Expired certificates cannot be used any more; a stray one from years ago is history.
    const valid = subject.entries.filter((e) => e.notAfter.getTime() > t);
    if (valid.length === 0) return { result: 'pass', message: `no currently valid certificates logged for ${subject.domain} (${subject.service})` };
    const byIssuer = new Map<string, number>();
    for (const e of valid) byIssuer.set(e.issuerName, (byIssuer.get(e.issuerName) ?? 0) + 1);
    const issuers = [...byIssuer].map(([i, n]) => `${i} (${n})`);
    if (subject.expected.length === 0) {
      return {
        result: 'info',
        message: `${valid.length} valid certificate(s) logged; no expected issuer known (the cluster's Secrets and issuers named none): pass --ct-expected-issuer to check them`,
        details: issuers,
      };
    }
    const unexpected = valid.filter((e) => !matchIssuer(e.issuerName, subject.expected));
    const expectedText = subject.expected.map((e) => `"${e.match}" (${e.source})`).join(', ');
    if (unexpected.length === 0) return { result: 'pass', message: `${valid.length} valid certificate(s), all from expected issuers: ${expectedText}` };
    return {
      result: 'fail',
      message: `${unexpected.length} of ${valid.length} valid certificate(s) for ${subject.domain} come from an issuer the cluster does not use`,
      details: [...lines(unexpected), `expected: ${expectedText}`],
    };
  },
};

export const ctRecent: CheckDefinition<CtSubject> = {
  code: 'CT102',
  category: CATEGORY,
  severity: 'info',
  title: 'certificates logged for the domain recently',
  hint: 'compare with the renewals you expect; an unplanned issuance deserves a look at who requested it',
  appliesTo: 'ct',
  run: ({ subject, now }) => {
    const since = now().getTime() - subject.days * DAY;
    const recent = subject.entries.filter((e) => (e.loggedAt ?? e.notBefore).getTime() >= since);
    if (recent.length === 0) return { result: 'pass', message: `none logged in the last ${subject.days} day(s)` };
    return { result: 'info', message: `${recent.length} certificate(s) logged in the last ${subject.days} day(s)`, details: lines(recent) };
  },
};
