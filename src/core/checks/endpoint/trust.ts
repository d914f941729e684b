// Trust checks: the CA bundle clients are given really verifies this endpoint.
import type { CheckDefinition } from '../framework.js';
import type { EndpointSubject } from '../subjects.js';
import { findAnchor, label } from '../../x509/evaluate.js';
import { coversName } from '../../x509/certificate.js';
import { handshake } from '../../tls/handshake.js';

type EndpointCheck = CheckDefinition<EndpointSubject>;
export const TRUST = 'client trust bundle';

export const bundleHasRoot: EndpointCheck = {
  code: 'TRU101',
  category: TRUST,
  severity: 'error',
  title: 'client CA bundle contains the root the served chain ends in',
  hint: 'add the issuing root to the bundle clients use (trust-manager Bundle source, the ConfigMap, or the file passed to clients)',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    const bundle = subject.clientBundle;
    if (!bundle) return null;
    const chain = await subject.served();
    const anchor = findAnchor(chain, [bundle]);
    if (anchor) return { result: 'pass', message: `${bundle.source} holds ${anchor.root.subject.split('\n').find((l) => l.startsWith('CN='))?.slice(3) ?? 'the root'}` };
    const last = chain[chain.length - 1];
    return {
      result: 'fail',
      message: `${bundle.source} (${bundle.size} certificate(s)) does not hold the issuer of ${last ? label(last) : 'the chain'}`,
      details: last ? [`needed: ${last.issuerCommonName ?? last.issuer.replace(/\n/g, ', ')}`] : [],
    };
  },
};

export const bundleVerifies: EndpointCheck = {
  code: 'TRU102',
  category: TRUST,
  severity: 'error',
  title: 'a client trusting only the bundle verifies the endpoint',
  hint: 'the chain does not verify under the bundle alone: serve the intermediates, and make sure the bundle has the right root and the certificate the right name',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    const bundle = subject.clientBundle;
    if (!bundle) return null;
    const r = await handshake(subject.address, { verifyWith: bundle.pems() }, { timeoutMs: 5000 });
    if (!r.ok) return { result: 'fail', message: `handshake failed: ${r.error.split('\n')[0]}` };
    if (!r.authorized) return { result: 'fail', message: `verification failed: ${r.authorizationError}` };
    const leaf = (await subject.served())[0];
    if (leaf && !coversName(leaf, subject.hostname)) return { result: 'fail', message: `the chain verifies but does not cover ${subject.hostname}` };
    return { result: 'pass', message: `verified with ${bundle.source} alone, name ${subject.hostname}` };
  },
};
