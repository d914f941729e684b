// Secret checks on the stored chain: order, completeness, and agreement with ca.crt.
import type { CheckDefinition } from '../framework.js';
import type { SecretSubject } from '../subjects.js';
import { SECRET_CATEGORY } from './material.js';
import { chainComplete, chainOrderProblems, findAnchor, label, trustStore } from '../../x509/evaluate.js';
import { issuedBy } from '../../x509/certificate.js';

type SecretCheck = CheckDefinition<SecretSubject>;

export const secretChainOrder: SecretCheck = {
  code: 'SEC105',
  category: SECRET_CATEGORY,
  severity: 'error',
  title: 'chain in tls.crt is in order (leaf first, each signed by the next)',
  hint: 'reorder tls.crt: the server certificate first, then each intermediate, root last or omitted',
  appliesTo: 'secret',
  dependsOn: ['SEC102'],
  run: ({ subject }) => {
    const problems = chainOrderProblems(subject.material().chain);
    if (problems.length) return { result: 'fail', message: problems[0]!, details: problems.slice(1) };
    return { result: 'pass', message: subject.material().chain.map(label).join(' → ') };
  },
};

export const secretChainComplete: SecretCheck = {
  code: 'SEC106',
  category: SECRET_CATEGORY,
  severity: 'warning',
  title: 'chain in tls.crt is complete (intermediates present)',
  hint: 'append the missing intermediate certificate(s) to tls.crt; clients do not fetch them on their own',
  appliesTo: 'secret',
  dependsOn: ['SEC102'],
  run: ({ subject }) => {
    const chain = subject.material().chain;
    const r = chainComplete(chain, subject.trustStores());
    if (!r.complete) return { result: 'fail', message: `the chain stops at ${label(chain[chain.length - 1]!)}, whose issuer "${r.missingIssuer}" is not in tls.crt, ca.crt or the system roots` };
    return { result: 'pass', message: `ends at ${label(chain[chain.length - 1]!)}` };
  },
};

export const secretCaConsistent: SecretCheck = {
  code: 'SEC117',
  category: SECRET_CATEGORY,
  severity: 'warning',
  title: 'ca.crt is the CA the chain ends in',
  hint: 'ca.crt should hold the root (or issuing CA) of tls.crt; clients that read ca.crt from this Secret will otherwise fail to verify',
  appliesTo: 'secret',
  dependsOn: ['SEC102'],
  run: ({ subject }) => {
    const m = subject.material();
    if (m.caPem === undefined) return null;
    if (m.ca.length === 0) return { result: 'fail', message: 'ca.crt is present but holds no certificate that parses' };
    const anchor = findAnchor(m.chain, [trustStore('ca.crt', m.ca.map((c) => c.der))]);
    if (anchor) return { result: 'pass', message: `ca.crt holds ${(anchor.root.subject ?? '').split('\n').find((l) => l.startsWith('CN='))?.slice(3) ?? 'the root'}` };
    const signsAny = m.chain.some((c) => m.ca.some((ca) => issuedBy(c.x509, ca.x509)));
    return {
      result: 'fail',
      message: signsAny ? 'ca.crt signs a certificate in the chain but not its last one; the chain in tls.crt is inconsistent' : 'ca.crt did not sign any certificate in tls.crt',
      details: m.ca.map((c) => `ca.crt: ${label(c)}`),
    };
  },
};
