// Endpoint checks on the served certificate chain.
import type { CheckDefinition } from '../framework.js';
import type { EndpointSubject } from '../subjects.js';
import { alreadyValid, keyStrength, notExpired, notExpiringSoon, signatureAlgorithms, subjectAltNames } from '../certificate-rules.js';
import { chainComplete, chainOrderProblems, findAnchor, label, requiredScts } from '../../x509/evaluate.js';
import { coversName } from '../../x509/certificate.js';

type EndpointCheck = CheckDefinition<EndpointSubject>;
export const SERVED = 'served certificate';

const withLeaf = async (s: EndpointSubject) => (await s.served())[0];

export const servedChain: EndpointCheck = {
  code: 'TLS120',
  category: SERVED,
  severity: 'error',
  title: 'served chain is complete and in order',
  hint: 'serve the full chain (leaf, then intermediates): put the intermediates in the Secret\'s tls.crt after the leaf',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    const chain = await subject.served();
    if (chain.length === 0) return { result: 'fail', message: 'no certificate was served' };
    const order = chainOrderProblems(chain);
    if (order.length) return { result: 'fail', message: order[0]!, details: order.slice(1) };
    const c = chainComplete(chain, subject.trustStores());
    if (!c.complete) return { result: 'fail', message: `incomplete chain: the issuer of ${label(chain[chain.length - 1]!)} ("${c.missingIssuer}") is neither served nor a known root` };
    return { result: 'pass', message: chain.map(label).join(' → ') };
  },
};

export const servedHostname: EndpointCheck = {
  code: 'TLS121',
  category: SERVED,
  severity: 'error',
  title: 'certificate covers the host name',
  hint: 'the server sent a certificate for other names: check the SNI routing (the Ingress host and its tls.hosts) or issue a certificate with this name',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    const leaf = await withLeaf(subject);
    return leaf ? subjectAltNames(leaf, [subject.hostname]) : null;
  },
};

export const servedTrusted: EndpointCheck = {
  code: 'TLS122',
  category: SERVED,
  severity: 'error',
  title: 'chain ends in a trusted root (system roots or --ca-bundle)',
  hint: 'a self-signed or private-CA certificate needs its CA distributed to clients (pass it with --ca-bundle to check); public endpoints need a public CA',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    const chain = await subject.served();
    if (!chain.length) return null;
    const anchor = findAnchor(chain, subject.trustStores());
    if (anchor) return { result: 'pass', message: `anchored at ${anchor.root.subject.split('\n').find((l) => l.startsWith('CN='))?.slice(3) ?? 'a root'} (${anchor.store})` };
    if (chain.length === 1 && chain[0]!.selfSigned) return { result: 'fail', message: `self-signed certificate (${label(chain[0]!)}) not in any trust store` };
    return { result: 'fail', message: `the chain ends at ${label(chain[chain.length - 1]!)}, which no trust store vouches for` };
  },
};

export const servedNotExpired: EndpointCheck = {
  code: 'TLS123',
  category: SERVED,
  severity: 'error',
  title: 'served certificate is within its validity period',
  hint: 'renew the certificate; if the Secret is already renewed, the server has not reloaded it (restart or check which Secret it serves)',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject, now }) => {
    const leaf = await withLeaf(subject);
    if (!leaf) return null;
    const expired = notExpired(leaf, now());
    if (expired.result === 'fail') return expired;
    const early = alreadyValid(leaf, now());
    if (early.result === 'fail') return early;
    return expired;
  },
};

export const servedNotExpiringSoon: EndpointCheck = {
  code: 'TLS124',
  category: SERVED,
  severity: 'warning',
  title: 'served certificate does not expire within --days',
  hint: 'renew soon and check that renewal is automated',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject, now }) => {
    const leaf = await withLeaf(subject);
    return leaf ? notExpiringSoon(leaf, now(), subject.settings.days) : null;
  },
};

export const servedKey: EndpointCheck = {
  code: 'TLS125',
  category: SERVED,
  severity: 'error',
  title: 'served key is strong enough (RSA ≥ 2048, EC P-256/P-384)',
  hint: 're-issue the certificate with an ECDSA P-256 or RSA 2048+ key',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    const leaf = await withLeaf(subject);
    return leaf ? keyStrength(leaf) : null;
  },
};

export const servedSignature: EndpointCheck = {
  code: 'TLS126',
  category: SERVED,
  severity: 'error',
  title: 'served chain is not signed with SHA-1 or MD5',
  hint: 're-issue from a CA that signs with SHA-256 or better',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    const chain = await subject.served();
    if (!chain.length) return null;
    return signatureAlgorithms(chain);
  },
};

export const servedMatchesSecret: EndpointCheck = {
  code: 'TLS127',
  category: SERVED,
  severity: 'error',
  title: 'served chain is the one in the Secret',
  hint: 'the server serves another certificate (often the controller\'s default/fake certificate): check the Ingress tls.secretName, the SNI host, and that the controller can read the Secret',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    const expected = subject.expectedChain;
    if (!expected || expected.length === 0) return null;
    const served = await subject.served();
    if (served[0]?.fingerprint256 !== expected[0]!.fingerprint256)
      return {
        result: 'fail',
        message: `the served leaf (${served[0] ? label(served[0]) : 'none'}, serial ${served[0]?.serialNumber ?? '-'}) is not the Secret's (${label(expected[0]!)}, serial ${expected[0]!.serialNumber})`,
      };
    const servedSet = new Set(served.map((c) => c.fingerprint256));
    const missing = expected.slice(1).filter((c) => !c.selfSigned && !servedSet.has(c.fingerprint256));
    if (missing.length) return { result: 'fail', message: `the Secret's intermediates are not all served: missing ${missing.map(label).join(', ')}` };
    return { result: 'pass', message: 'the served chain matches the Secret' };
  },
};

export const servedScts: EndpointCheck = {
  code: 'TLS128',
  category: SERVED,
  severity: 'warning',
  title: 'publicly trusted certificate carries enough embedded SCTs (Chrome CT policy)',
  hint: 'public CAs embed SCTs automatically; a certificate without them is rejected by Chrome and Safari — re-issue from the CA',
  appliesTo: 'endpoint',
  dependsOn: ['TLS101'],
  run: async ({ subject }) => {
    const chain = await subject.served();
    const anchor = findAnchor(chain, subject.trustStores().filter((s) => s.source === 'system roots'));
    const leaf = chain[0];
    if (!anchor || !leaf) return null; // private PKI: CT does not apply
    const need = requiredScts(leaf);
    const logs = new Set(leaf.sct.logIds).size;
    if (logs < need) return { result: 'fail', message: `${leaf.sct.count} embedded SCT(s) from ${logs} log(s); Chrome requires ${need} for this lifetime`, details: ['SCTs delivered in the TLS extension or stapled OCSP are not visible to this check'] };
    return { result: 'pass', message: `${leaf.sct.count} embedded SCTs from ${logs} logs (Chrome requires ${need}; log operators not checked)` };
  },
};

export { coversName };
