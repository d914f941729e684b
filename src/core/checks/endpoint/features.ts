// Endpoint checks on TLS features: ALPN, stapled OCSP, session resumption.
import type { CheckDefinition } from '../framework.js';
import type { EndpointSubject } from '../subjects.js';

type EndpointCheck = CheckDefinition<EndpointSubject>;
export const FEATURES = 'TLS features';

export const alpn: EndpointCheck = {
  code: 'TLS114',
  category: FEATURES,
  severity: 'info',
  title: 'ALPN protocol negotiated',
  hint: 'enable HTTP/2 (h2) on the listener if clients benefit from it',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    const a = (await subject.scan()).alpn;
    return { result: 'info', message: a ? `ALPN: ${a} (offered h2, http/1.1)` : 'no ALPN protocol selected (offered h2, http/1.1)' };
  },
};

export const ocspStapling: EndpointCheck = {
  code: 'TLS115',
  category: FEATURES,
  severity: 'info',
  title: 'OCSP stapling',
  hint: 'stapling is optional; Let\'s Encrypt no longer runs OCSP, so its certificates have nothing to staple',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => ({ result: 'info', message: (await subject.scan()).ocspStapled ? 'an OCSP response is stapled' : 'no OCSP response stapled' }),
};

export const resumption: EndpointCheck = {
  code: 'TLS116',
  category: FEATURES,
  severity: 'warning',
  title: 'session resumption works',
  hint: 'enable session tickets or a session cache (nginx: ssl_session_cache shared:SSL:10m); without it every connection pays a full handshake',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    const r = (await subject.scan()).resumption;
    if (!r.offered) return { result: 'fail', message: 'the server issued no session ticket or session id' };
    if (!r.reused) return { result: 'fail', message: 'a session was issued but offering it back did not resume' };
    return { result: 'pass', message: 'resumed a session' };
  },
};
