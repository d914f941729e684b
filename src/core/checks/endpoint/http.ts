// Endpoint checks for HTTP targets: HSTS and the plain-HTTP redirect.
import type { CheckDefinition } from '../framework.js';
import type { EndpointSubject } from '../subjects.js';
import { parseHsts } from '../../tls/http.js';

type EndpointCheck = CheckDefinition<EndpointSubject>;
export const HTTP = 'HTTP';
const YEAR = 31_536_000;

export const hsts: EndpointCheck = {
  code: 'TLS130',
  category: HTTP,
  severity: 'warning',
  title: 'HSTS is on (max-age ≥ 1 year, includeSubDomains)',
  hint: 'send Strict-Transport-Security: max-age=63072000; includeSubDomains (ingress-nginx: hsts is on by default; other controllers: a response header policy)',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    const scan = await subject.scan();
    if (!scan.http?.ok) return null; // not an HTTP target
    const raw = scan.http.headers['strict-transport-security'];
    const h = parseHsts(raw);
    if (raw === undefined) return { result: 'fail', message: `no Strict-Transport-Security header (HTTP ${scan.http.status})` };
    if (!h) return { result: 'fail', message: `Strict-Transport-Security does not parse: "${raw}"` };
    const problems: string[] = [];
    if (h.maxAge < YEAR) problems.push(`max-age=${h.maxAge} is under one year (${YEAR})`);
    if (!h.includeSubDomains) problems.push('includeSubDomains is missing');
    if (h.preload) {
      // Preload list rules (hstspreload.org) apply only once the site asks for preloading.
      if (scan.redirect?.ok && !(scan.redirect.status && scan.redirect.status >= 300 && scan.redirect.status < 400)) problems.push('preload is set but plain HTTP does not redirect to HTTPS');
    }
    if (problems.length) return { result: 'fail', message: problems[0]!, details: [...problems.slice(1), `header: ${raw}`] };
    return { result: 'pass', message: raw };
  },
};

export const httpRedirect: EndpointCheck = {
  code: 'TLS131',
  category: HTTP,
  severity: 'warning',
  title: 'plain HTTP redirects to HTTPS',
  hint: 'redirect port 80 to https:// with 301 or 308 (ingress-nginx: ssl-redirect, on by default when the Ingress has tls)',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    const r = (await subject.scan()).redirect;
    if (!r) return null;
    if (!r.ok) return { result: 'info', message: `no plain-HTTP answer on the redirect port (${r.error})` };
    const loc = r.headers.location ?? '';
    if (r.status && r.status >= 300 && r.status < 400 && loc.startsWith('https://')) return { result: 'pass', message: `HTTP ${r.status} → ${loc}` };
    return { result: 'fail', message: `plain HTTP answers ${r.status}${loc ? ` → ${loc}` : ''} instead of redirecting to https://` };
  },
};
