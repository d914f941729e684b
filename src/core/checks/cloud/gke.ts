// GKE traps: a ManagedCertificate stuck Provisioning (DNS not pointing at the load balancer yet,
// or no Ingress naming it), one that failed, an Ingress naming ManagedCertificates that do not
// exist, and an external Ingress without a FrontendConfig SSL policy (GCP's default COMPATIBLE
// policy accepts TLS 1.0).
import type { CheckDefinition } from '../framework.js';
import { ANNOTATION, ingressClass, type CloudSubject, type GkeIngressSubject, type ManagedCertificateSubject } from './subject.js';

const CATEGORY = 'Google load balancer (GKE)';

const FAILED = /failed/i;

function managed(s: CloudSubject): s is ManagedCertificateSubject {
  return s.path === 'managed-certificate';
}

function gkeIngress(s: CloudSubject): s is GkeIngressSubject {
  return s.path === 'gke-ingress';
}

function age(created: string | undefined, now: Date): string {
  if (!created) return '';
  const mins = Math.max(0, Math.round((now.getTime() - Date.parse(created)) / 60_000));
  return mins < 120 ? `${mins} min` : mins < 2880 ? `${Math.round(mins / 60)} h` : `${Math.round(mins / 1440)} d`;
}

function domainLines(s: ManagedCertificateSubject, pick: (status: string) => boolean): string[] {
  return (s.object.status?.domainStatus ?? []).filter((d) => pick(d.status ?? '')).map((d) => `${d.domain ?? '?'}: ${d.status ?? '?'}`);
}

/** The comma list in networking.gke.io/managed-certificates. */
export function managedCertificateNames(annotations: Record<string, string> | undefined): string[] {
  return (annotations?.[ANNOTATION.gkeManagedCertificates] ?? '').split(',').map((n) => n.trim()).filter(Boolean);
}

export const managedCertificateActive: CheckDefinition<CloudSubject> = {
  code: 'CLD110',
  category: CATEGORY,
  severity: 'warning',
  title: 'ManagedCertificate is Active, not stuck Provisioning',
  hint: "point each domain's A/AAAA record at the Ingress's load-balancer IP and name the ManagedCertificate in the Ingress annotation networking.gke.io/managed-certificates; provisioning then takes up to 60 minutes",
  appliesTo: 'cloud',
  run: ({ subject, now }) => {
    if (!managed(subject)) return null;
    const status = subject.object.status?.certificateStatus;
    if (status && FAILED.test(status)) return null; // CLD111
    if (status === 'Active') return { result: 'pass', message: `Active${subject.object.status?.expireTime ? `, expires ${subject.object.status.expireTime}` : ''}` };
    const details = domainLines(subject, (d) => d !== 'Active');
    if (subject.referencedBy && subject.referencedBy.length === 0) details.push(`no Ingress in ${subject.namespace} names it in ${ANNOTATION.gkeManagedCertificates}: it stays Provisioning until one does`);
    const old = age(subject.object.metadata?.creationTimestamp, now());
    if (!status) return { result: 'fail', message: `no status yet${old ? ` after ${old}` : ''}: the GKE managed-certificate controller has not picked it up`, details };
    return { result: 'fail', message: `${status}${old ? ` (created ${old} ago)` : ''}: the load balancer serves no certificate for these domains yet`, details };
  },
};

export const managedCertificateNotFailed: CheckDefinition<CloudSubject> = {
  code: 'CLD111',
  category: CATEGORY,
  severity: 'error',
  title: 'ManagedCertificate provisioning has not failed',
  hint: 'fix what the domain status names (DNS, CAA records allowing pki.goog and letsencrypt.org), then delete and re-create the ManagedCertificate',
  appliesTo: 'cloud',
  run: ({ subject }) => {
    if (!managed(subject)) return null;
    const status = subject.object.status?.certificateStatus;
    if (!status || !FAILED.test(status)) return null;
    return { result: 'fail', message: status, details: domainLines(subject, (d) => d !== 'Active') };
  },
};

export const gkeManagedCertificatesExist: CheckDefinition<CloudSubject> = {
  code: 'CLD112',
  category: CATEGORY,
  severity: 'error',
  title: 'ManagedCertificates the Ingress names exist',
  hint: 'create the ManagedCertificate in the Ingress namespace, or correct the name in networking.gke.io/managed-certificates',
  appliesTo: 'cloud',
  run: async ({ subject }) => {
    if (!gkeIngress(subject)) return null;
    const names = managedCertificateNames(subject.ingress.metadata?.annotations);
    if (names.length === 0) return null;
    const list = await subject.managedCertificates();
    if (!list.ok) return list.forbidden ? { result: 'skip', message: list.forbidden } : null; // CRD absent: not GKE
    const missing = names.filter((n) => !list.value.includes(n));
    if (missing.length === 0) return { result: 'pass', message: names.join(', ') };
    return { result: 'fail', message: `ManagedCertificate ${missing.join(', ')} does not exist in ${subject.namespace}`, details: ['the load balancer gets no Google-managed certificate for it'] };
  },
};

export const gkeFrontendSslPolicy: CheckDefinition<CloudSubject> = {
  code: 'CLD113',
  category: CATEGORY,
  severity: 'warning',
  title: 'GKE Ingress has a FrontendConfig with an SSL policy',
  hint: 'create a GCP SSL policy (gcloud compute ssl-policies create NAME --profile RESTRICTED --min-tls-version 1.2), set it as sslPolicy in a FrontendConfig, and attach that with the annotation networking.gke.io/v1beta1.FrontendConfig',
  appliesTo: 'cloud',
  run: async ({ subject }) => {
    if (!gkeIngress(subject)) return null;
    // FrontendConfig SSL policies apply to external Application Load Balancers only.
    if (ingressClass(subject.ingress) === 'gce-internal') return null;
    const name = subject.ingress.metadata?.annotations?.[ANNOTATION.gkeFrontendConfig];
    const weak = "GCP's default SSL policy (COMPATIBLE) accepts TLS 1.0";
    if (!name) return { result: 'fail', message: `no FrontendConfig annotation: ${weak}` };
    const fc = await subject.frontendConfig(name);
    if (!fc.ok) return fc.forbidden ? { result: 'skip', message: fc.forbidden } : { result: 'fail', message: `FrontendConfig ${name} cannot be read (${fc.error}): ${weak}` };
    const ref = { kind: 'FrontendConfig', namespace: subject.namespace, name };
    if (!fc.value) return { result: 'fail', message: `FrontendConfig ${subject.namespace}/${name} does not exist: ${weak}`, objects: [ref] };
    if (!fc.value.spec?.sslPolicy) return { result: 'fail', message: `FrontendConfig ${name} sets no sslPolicy: ${weak}`, objects: [ref] };
    return { result: 'pass', message: `sslPolicy ${fc.value.spec.sslPolicy} (FrontendConfig ${name}; its TLS versions are set in GCP)`, objects: [ref] };
  },
};
