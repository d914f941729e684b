// Ingress and Gateway TLS: the issuer annotation names an issuer that exists, every TLS block
// names a Secret that exists, and the certificate in it covers the hosts the block serves.
import type { CheckDefinition } from '../framework.js';
import type { TlsFrontSubject } from './subject.js';
import { coversName } from '../../x509/certificate.js';

export const issuerAnnotationResolves: CheckDefinition<TlsFrontSubject> = {
  code: 'ING101',
  category: 'Ingress/Gateway TLS',
  severity: 'error',
  title: 'the cert-manager issuer annotation names an issuer that exists',
  hint: 'fix the annotation (cert-manager.io/cluster-issuer for a ClusterIssuer, cert-manager.io/issuer for an Issuer in the same namespace) or create the issuer',
  appliesTo: 'ingress',
  async run({ subject }) {
    const a = subject.issuerAnnotation;
    if (!a) return null;
    const annotation = a.kind === 'ClusterIssuer' ? 'cert-manager.io/cluster-issuer' : 'cert-manager.io/issuer';
    const what = a.kind === 'ClusterIssuer' ? `ClusterIssuer ${a.name}` : `Issuer ${subject.namespace}/${a.name}`;
    const r = await subject.issuerExists();
    if ('forbidden' in r) return { result: 'skip', message: `forbidden: ${r.forbidden}` };
    if ('error' in r) return { result: 'fail', message: `${annotation}: ${r.error}` };
    if (!r.exists) return { result: 'fail', message: `${annotation}: ${a.name} names ${what}, which does not exist: ingress-shim creates no Certificate` };
    if (r.ready === false) return { result: 'pass', message: `${what} exists (not Ready: see CM110)` };
    return { result: 'pass', message: `${what} exists` };
  },
};

export const tlsSecretExists: CheckDefinition<TlsFrontSubject> = {
  code: 'ING102',
  category: 'Ingress/Gateway TLS',
  severity: 'error',
  title: 'every TLS block names a Secret that exists',
  hint: 'create the Secret, fix secretName, or add a cert-manager issuer annotation so a Certificate creates it; until then the controller serves its default certificate',
  appliesTo: 'ingress',
  async run({ subject }) {
    if (subject.tls.length === 0) return null;
    const problems: string[] = [];
    const ok: string[] = [];
    for (const e of subject.tls) {
      if (!e.secretName) {
        problems.push(`${e.where} (${e.hosts.join(', ') || 'no hosts'}) has no secretName: the controller serves its default certificate`);
        continue;
      }
      const s = await subject.secret(e);
      if (s.state === 'forbidden') return { result: 'skip', message: `forbidden: ${s.access}` };
      if (s.state === 'error') problems.push(`${e.where}: Secret ${e.secretNamespace}/${e.secretName}: ${s.error}`);
      else if (s.state === 'missing') {
        const crt = await subject.certificateFor(e.secretName);
        problems.push(
          `${e.where}: Secret ${e.secretNamespace}/${e.secretName} does not exist` +
            (crt ? ` (Certificate ${crt.name} has not issued it yet: Ready=${crt.ready ?? 'unknown'})` : subject.issuerAnnotation ? ' (and ingress-shim has created no Certificate for it)' : ': nothing creates it'),
        );
      } else ok.push(`${e.secretNamespace}/${e.secretName}`);
    }
    if (problems.length) return { result: 'fail', message: problems[0]!, details: problems.slice(1) };
    return { result: 'pass', message: ok.join(', ') };
  },
};

export const tlsHostsCovered: CheckDefinition<TlsFrontSubject> = {
  code: 'ING103',
  category: 'Ingress/Gateway TLS',
  severity: 'error',
  title: 'the certificate in each TLS Secret covers the hosts of its block',
  hint: "add the missing names to the Certificate's dnsNames (or to the Ingress tls hosts, for ingress-shim), or point the block at a Secret that covers them",
  appliesTo: 'ingress',
  dependsOn: ['ING102'],
  async run({ subject }) {
    const problems: string[] = [];
    let checked = 0;
    for (const e of subject.tls) {
      if (!e.secretName || e.hosts.length === 0) continue;
      const s = await subject.secret(e);
      if (s.state === 'forbidden') return { result: 'skip', message: `forbidden: ${s.access}` };
      if (s.state !== 'found') continue;
      const leaf = s.chain[0];
      if (!leaf) {
        problems.push(`${e.where}: Secret ${e.secretName} holds no parseable certificate (${s.parseError ?? 'empty'})`);
        continue;
      }
      checked++;
      const missing = e.hosts.filter((h) => !coversName(leaf, h));
      if (missing.length) problems.push(`${e.where}: Secret ${e.secretName} does not cover ${missing.join(', ')} (it has ${[...leaf.dnsNames, ...leaf.ipAddresses].join(', ') || 'no SANs'})`);
    }
    if (problems.length) return { result: 'fail', message: problems[0]!, details: problems.slice(1) };
    if (checked === 0) return null;
    return { result: 'pass', message: `${checked} TLS block(s) covered` };
  },
};
