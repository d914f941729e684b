// EKS traps on Ingresses run by the AWS Load Balancer Controller: no SSL policy (the controller's
// default ELBSecurityPolicy-2016-08 still accepts TLS 1.0 and 1.1), a policy without TLS 1.3, ACM
// certificates from another region (an ALB can only use its own region's), and no HTTP→HTTPS
// redirect.
import type { CheckDefinition } from '../framework.js';
import { ALB_TLS13_POLICY, ALB_WEAK_DEFAULT_POLICY, parseAcmArn } from '../../manifests/cloud/eks.js';
import { ANNOTATION, type AlbIngressSubject, type CloudSubject } from './subject.js';

const CATEGORY = 'AWS load balancer (EKS)';

/**
 * The lowest TLS version an ELB security policy accepts, read from AWS's naming scheme
 * (ELBSecurityPolicy-TLS13-1-2-2021-06, -TLS-1-1-2017-01, -FS-1-2-Res-2020-10, the 2015/2016 ones).
 * Undefined for names this does not know.
 */
export function albPolicyMinTls(policy: string): '1.0' | '1.1' | '1.2' | '1.3' | undefined {
  const p = policy.trim();
  const v = /-(?:TLS13-|TLS-|FS-)(1-[0-3])-/.exec(p);
  if (v) return v[1]!.replace('-', '.') as '1.0' | '1.1' | '1.2' | '1.3';
  if (/^ELBSecurityPolicy-(2011-08|2014-01|2014-10|2015-02|2015-03|2015-05|2016-08)$/.test(p) || /^ELBSecurityPolicy-FS-2018-06$/.test(p)) return '1.0';
  return undefined;
}

export function albPolicyHasTls13(policy: string): boolean {
  return /TLS13/.test(policy);
}

/** listen-ports: `[{"HTTP": 80}, {"HTTPS": 443}]` → protocols; undefined when absent or malformed. */
export function parseListenPorts(value: string | undefined): Array<{ protocol: 'HTTP' | 'HTTPS'; port: number }> | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    if (!Array.isArray(parsed)) return undefined;
    const out: Array<{ protocol: 'HTTP' | 'HTTPS'; port: number }> = [];
    for (const item of parsed) {
      for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
        const protocol = k.toUpperCase();
        if ((protocol === 'HTTP' || protocol === 'HTTPS') && typeof v === 'number') out.push({ protocol, port: v });
      }
    }
    return out;
  } catch {
    return undefined;
  }
}

/** The listeners the controller creates: listen-ports, else HTTPS:443 with a certificate and HTTP:80 without. */
export function albListeners(s: AlbIngressSubject): Array<{ protocol: 'HTTP' | 'HTTPS'; port: number }> {
  const a = s.ingress.metadata?.annotations ?? {};
  const explicit = parseListenPorts(a[ANNOTATION.albListenPorts]);
  if (explicit) return explicit;
  const hasCert = Boolean(a[ANNOTATION.albCertificateArn]) || Boolean(s.ingress.spec?.tls?.length);
  return [hasCert ? { protocol: 'HTTPS', port: 443 } : { protocol: 'HTTP', port: 80 }];
}

/** `aws:///eu-west-1a/i-0abc` → eu-west-1 (the zone minus its letter). */
export function regionFromProviderId(providerId: string | undefined): string | undefined {
  const m = /^aws:\/\/\/([a-z]{2}(?:-[a-z]+)+-\d+)[a-z]\//.exec(providerId ?? '');
  return m?.[1];
}

function albOnly(s: CloudSubject): s is AlbIngressSubject {
  return s.path === 'alb-ingress';
}

function hasHttps(s: AlbIngressSubject): boolean {
  return albListeners(s).some((l) => l.protocol === 'HTTPS');
}

async function effectivePolicy(s: AlbIngressSubject): Promise<{ policy: string; from: string } | undefined> {
  const own = s.ingress.metadata?.annotations?.[ANNOTATION.albSslPolicy];
  if (own) return { policy: own.trim(), from: 'its ssl-policy annotation' };
  return s.inheritedPolicy();
}

export const albSslPolicySet: CheckDefinition<CloudSubject> = {
  code: 'CLD101',
  category: CATEGORY,
  severity: 'error',
  title: 'ALB HTTPS listener has an SSL policy that refuses TLS 1.0 and 1.1',
  hint: `set the annotation alb.ingress.kubernetes.io/ssl-policy: ${ALB_TLS13_POLICY} (or a newer TLS13 policy)`,
  appliesTo: 'cloud',
  run: async ({ subject }) => {
    if (!albOnly(subject) || !hasHttps(subject)) return null;
    const eff = await effectivePolicy(subject);
    if (!eff) {
      return {
        result: 'fail',
        message: `no alb.ingress.kubernetes.io/ssl-policy: the controller's default ${ALB_WEAK_DEFAULT_POLICY} accepts TLS 1.0 and 1.1`,
      };
    }
    const min = albPolicyMinTls(eff.policy);
    if (min === '1.0' || min === '1.1') return { result: 'fail', message: `SSL policy ${eff.policy} (from ${eff.from}) accepts TLS ${min}` };
    return { result: 'pass', message: `${eff.policy} (from ${eff.from})${min ? `: TLS ${min} and up` : ''}` };
  },
};

export const albSslPolicyTls13: CheckDefinition<CloudSubject> = {
  code: 'CLD102',
  category: CATEGORY,
  severity: 'warning',
  title: 'ALB SSL policy offers TLS 1.3',
  hint: `use ${ALB_TLS13_POLICY} (Mozilla intermediate) or ELBSecurityPolicy-TLS13-1-3-2021-06 (TLS 1.3 only)`,
  appliesTo: 'cloud',
  dependsOn: ['CLD101'],
  run: async ({ subject }) => {
    if (!albOnly(subject) || !hasHttps(subject)) return null;
    const eff = await effectivePolicy(subject);
    if (!eff) return null;
    if (albPolicyHasTls13(eff.policy)) return { result: 'pass', message: eff.policy };
    return { result: 'fail', message: `${eff.policy} is not a TLS13 policy: clients cannot negotiate TLS 1.3` };
  },
};

export const albCertificateRegion: CheckDefinition<CloudSubject> = {
  code: 'CLD103',
  category: CATEGORY,
  severity: 'error',
  title: "ACM certificates are in the cluster's region",
  hint: "an ALB can only use ACM certificates from its own region: request or import the certificate in the cluster's region and put that ARN in alb.ingress.kubernetes.io/certificate-arn",
  appliesTo: 'cloud',
  run: async ({ subject }) => {
    if (!albOnly(subject)) return null;
    const raw = subject.ingress.metadata?.annotations?.[ANNOTATION.albCertificateArn];
    if (!raw) {
      if (!subject.ingress.spec?.tls?.length) return null;
      return { result: 'info', message: 'no certificate-arn: the controller looks up ACM certificates matching the spec.tls hosts in its own region' };
    }
    const arns = raw.split(',').map((a) => a.trim()).filter(Boolean);
    const malformed: string[] = [];
    const parsed: Array<{ arn: string; region: string }> = [];
    for (const arn of arns) {
      try {
        parsed.push({ arn, region: parseAcmArn(arn).region });
      } catch {
        malformed.push(arn);
      }
    }
    if (malformed.length) return { result: 'fail', message: `not an ACM certificate ARN: ${malformed.join(', ')}`, details: ['expected arn:aws:acm:REGION:ACCOUNT:certificate/ID'] };
    const region = await subject.region();
    if (region.regions.length === 0) {
      return { result: 'info', message: `cannot tell the cluster's region (${region.unknown ?? 'unknown'}); certificates are in ${[...new Set(parsed.map((p) => p.region))].join(', ')}` };
    }
    const wrong = parsed.filter((p) => !region.regions.includes(p.region));
    if (wrong.length === 0) return { result: 'pass', message: `${parsed.length} certificate(s) in ${region.regions.join(', ')}` };
    return {
      result: 'fail',
      message: `${wrong.length} ACM certificate(s) are not in the cluster's region ${region.regions.join('/')}`,
      details: wrong.map((w) => `${w.arn} is in ${w.region}`),
    };
  },
};

export const albSslRedirect: CheckDefinition<CloudSubject> = {
  code: 'CLD104',
  category: CATEGORY,
  severity: 'warning',
  title: 'ALB redirects HTTP to HTTPS',
  hint: "add the annotation alb.ingress.kubernetes.io/ssl-redirect: '443'",
  appliesTo: 'cloud',
  run: ({ subject }) => {
    if (!albOnly(subject)) return null;
    const listeners = albListeners(subject);
    const https = listeners.filter((l) => l.protocol === 'HTTPS');
    const http = listeners.filter((l) => l.protocol === 'HTTP');
    if (https.length === 0 || http.length === 0) return null;
    const redirect = subject.ingress.metadata?.annotations?.[ANNOTATION.albSslRedirect];
    if (!redirect) return { result: 'fail', message: `HTTP listener ${http.map((l) => l.port).join(', ')} serves plain HTTP: no alb.ingress.kubernetes.io/ssl-redirect` };
    if (!https.some((l) => String(l.port) === redirect.trim())) return { result: 'fail', message: `ssl-redirect '${redirect}' is not one of the HTTPS listener ports (${https.map((l) => l.port).join(', ')}): the controller refuses it` };
    return { result: 'pass', message: `HTTP → HTTPS ${redirect}` };
  },
};
