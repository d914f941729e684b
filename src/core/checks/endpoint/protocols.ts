// Endpoint checks on protocol versions, including the gRPC mode for vibectl-server.
import type { CheckDefinition } from '../framework.js';
import type { EndpointSubject } from '../subjects.js';
import { PROFILES } from '../../tls/mozilla.js';

type EndpointCheck = CheckDefinition<EndpointSubject>;
export const PROTOCOLS = 'protocols';

const offered = (p: Record<string, boolean>) => Object.entries(p).filter(([, on]) => on).map(([v]) => v);

export const noLegacyTls: EndpointCheck = {
  code: 'TLS102',
  category: PROTOCOLS,
  severity: 'error',
  title: 'TLS 1.0 and 1.1 are not offered',
  hint: 'allow only TLS 1.2 and 1.3 (nginx: ssl_protocols TLSv1.2 TLSv1.3; ingress-nginx ConfigMap ssl-protocols; AWS: ELBSecurityPolicy-TLS13-1-2-2021-06)',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    const p = (await subject.scan()).protocols;
    const legacy = (['TLSv1', 'TLSv1.1'] as const).filter((v) => p[v]).map((v) => (v === 'TLSv1' ? 'TLS 1.0' : 'TLS 1.1'));
    if (legacy.length) return { result: 'fail', message: `${legacy.join(' and ')} offered`, details: [`offered: ${offered(p).join(', ')}`] };
    return { result: 'pass', message: `offered: ${offered(p).join(', ')}` };
  },
};

export const tls13Offered: EndpointCheck = {
  code: 'TLS103',
  category: PROTOCOLS,
  severity: 'warning',
  title: 'TLS 1.3 is offered',
  hint: 'enable TLS 1.3 (nginx: ssl_protocols TLSv1.2 TLSv1.3); it is faster and removes legacy options',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => ((await subject.scan()).protocols['TLSv1.3'] ? { result: 'pass', message: 'TLS 1.3 offered' } : { result: 'fail', message: 'TLS 1.3 is not offered' }),
};

export const profileVersions: EndpointCheck = {
  code: 'TLS104',
  category: PROTOCOLS,
  severity: 'warning',
  title: 'protocol versions match the Mozilla profile',
  hint: 'offer exactly the versions of the chosen profile (intermediate: TLS 1.2 + 1.3; modern: TLS 1.3 only)',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    const profile = PROFILES[subject.settings.profile];
    const extra = offered((await subject.scan()).protocols).filter((v) => !profile.versions.includes(v));
    // TLS 1.0/1.1 are TLS102's finding; here only what the profile adds on top.
    const beyond = extra.filter((v) => v === 'TLSv1.2');
    if (beyond.length) return { result: 'fail', message: `${beyond.join(', ')} is offered but the ${profile.name} profile allows only ${profile.versions.join(', ')}` };
    return { result: 'pass', message: `within the ${profile.name} profile (${profile.versions.join(', ')})` };
  },
};

export const grpcTls13: EndpointCheck = {
  code: 'GRPC101',
  category: PROTOCOLS,
  severity: 'error',
  title: 'gRPC endpoint offers TLS 1.3 (the vibectl client accepts nothing else)',
  hint: 'run vibectl-server with TLS 1.3 enabled; a proxy in front of it must offer TLS 1.3 too',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    if (subject.mode !== 'grpc') return null;
    return (await subject.scan()).protocols['TLSv1.3'] ? { result: 'pass', message: 'TLS 1.3 offered' } : { result: 'fail', message: 'TLS 1.3 is not offered; vibectl clients will fail the handshake' };
  },
};

export const grpcAlpn: EndpointCheck = {
  code: 'GRPC102',
  category: PROTOCOLS,
  severity: 'error',
  title: 'gRPC endpoint negotiates ALPN h2',
  hint: 'gRPC needs HTTP/2: enable h2 on the listener (a TLS-terminating proxy must speak h2 to clients, e.g. nginx `http2 on` + grpc_pass)',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    if (subject.mode !== 'grpc') return null;
    const alpn = (await subject.scan()).alpn;
    return alpn === 'h2' ? { result: 'pass', message: 'ALPN h2' } : { result: 'fail', message: alpn ? `ALPN negotiated ${alpn}, not h2` : 'no ALPN protocol negotiated (h2 offered)' };
  },
};
