// Issuers and ClusterIssuers in scope: Ready with its reason, and HTTP-01 solvers that name an
// ingress class the cluster has (and with the field that controllers honour).
import type { CheckDefinition } from '../framework.js';
import type { ClusterSubject, IssuerFact } from '../cluster/subject.js';
import { unavailable } from './install.js';

function label(i: IssuerFact): string {
  return i.kind === 'ClusterIssuer' ? `ClusterIssuer ${i.name}` : `Issuer ${i.namespace}/${i.name}`;
}

export const issuersReady: CheckDefinition<ClusterSubject> = {
  code: 'CM110',
  category: 'cert-manager issuers',
  severity: 'error',
  title: 'Issuers and ClusterIssuers are Ready',
  hint: 'read the reason: kubectl describe clusterissuer NAME (ACME: account registration, email, server URL, caBundle; CA: the CA Secret)',
  appliesTo: 'cluster',
  dependsOn: ['CM101'],
  async run({ subject }) {
    const f = await subject.facts();
    if (f.crds.ok && f.crds.value.present.length === 0) return null;
    const u = unavailable(f.issuers);
    if (u) return u;
    if (!f.issuers.ok) return null;
    const all = f.issuers.value;
    if (all.length === 0) return { result: 'info', message: 'no Issuer or ClusterIssuer in scope' };
    const bad = all.filter((i) => i.ready?.status !== 'True');
    const line = (i: IssuerFact) => `${label(i)}: ${i.ready ? `Ready=${i.ready.status}${i.ready.reason ? ` (${i.ready.reason})` : ''}${i.ready.message ? `: ${i.ready.message}` : ''}` : 'no Ready condition (no controller has looked at it)'}`;
    if (bad.length) return { result: 'fail', message: `not Ready: ${bad.map(label).join(', ')}`, details: bad.map(line) };
    return { result: 'pass', message: `${all.length} Ready: ${all.map(label).join(', ')}` };
  },
};

interface Http01Ingress {
  class?: string;
  ingressClassName?: string;
  name?: string;
}

export const solverIngressClass: CheckDefinition<ClusterSubject> = {
  code: 'CM111',
  category: 'cert-manager issuers',
  severity: 'warning',
  title: 'HTTP-01 solvers name an ingress class that exists (ingressClassName, not class)',
  hint: 'set spec.acme.solvers[].http01.ingress.ingressClassName to an IngressClass from `kubectl get ingressclass`',
  appliesTo: 'cluster',
  dependsOn: ['CM101'],
  async run({ subject }) {
    const f = await subject.facts();
    if (!f.issuers.ok || !f.ingressClasses.ok) return f.ingressClasses.ok || !f.issuers.ok ? null : unavailable(f.ingressClasses) ?? null;
    const classes = f.ingressClasses.value;
    const names = new Set(classes.map((c) => c.name));
    const problems: string[] = [];
    let solvers = 0;
    for (const i of f.issuers.value) {
      for (const s of i.solvers) {
        const ing = (s as { http01?: { ingress?: Http01Ingress } }).http01?.ingress;
        if (!ing) continue;
        solvers++;
        if (ing.name) continue; // edits an existing Ingress in place: its class is that Ingress's
        if (ing.ingressClassName && !names.has(ing.ingressClassName))
          problems.push(`${label(i)}: ingressClassName "${ing.ingressClassName}" is not an IngressClass here (have: ${[...names].join(', ') || 'none'})`);
        else if (ing.class !== undefined)
          problems.push(
            `${label(i)}: uses class "${ing.class}" (the legacy kubernetes.io/ingress.class annotation)${names.has(ing.class) ? `; use ingressClassName: ${ing.class}` : `, and no IngressClass "${ing.class}" exists`}`,
          );
        else if (!ing.ingressClassName && !classes.some((c) => c.default)) problems.push(`${label(i)}: names no ingress class and the cluster has no default IngressClass`);
      }
    }
    if (solvers === 0) return null;
    if (problems.length) return { result: 'fail', message: problems[0]!, details: problems.slice(1) };
    return { result: 'pass', message: `${solvers} HTTP-01 solver(s) name an existing IngressClass` };
  },
};
