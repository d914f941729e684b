// Doctor subjects for cert-manager objects and for what serves TLS through them: one per
// Certificate (its walk is fetched once and shared by every CRT check) and one per Ingress or
// Gateway with TLS or an issuer annotation.
import type { KubeClient } from '../../kube/client.js';
import type { Subject } from '../framework.js';
import { memo } from '../subjects.js';
import { walkCertificate, type CertificateObject, type CertificateWalk, type WalkOptions } from '../../cert-manager/walk.js';
import type { CertFacts } from '../../x509/certificate.js';

export interface CertificateSubject extends Subject {
  kind: 'certificate';
  namespace: string;
  name: string;
  walk: () => Promise<CertificateWalk>;
}

export function certificateSubject(input: Omit<WalkOptions, 'certificate'> & { certificate: CertificateObject }): CertificateSubject {
  const namespace = input.certificate.metadata?.namespace ?? input.namespace;
  const name = input.certificate.metadata?.name ?? '';
  return {
    kind: 'certificate',
    id: `certificate ${namespace}/${name}`,
    objects: [{ kind: 'Certificate', namespace, name }],
    namespace,
    name,
    walk: memo(() => walkCertificate({ ...input, namespace })),
  };
}

/** One TLS block of an Ingress (`spec.tls[]`) or a Gateway listener with certificateRefs. */
export interface TlsEntry {
  hosts: string[];
  secretName: string | undefined;
  secretNamespace: string;
  /** Where in the object it sits, for messages ("spec.tls[0]", "listener https"). */
  where: string;
}

/** What the Secret of an entry holds, or why it could not be read. */
export type SecretState = { state: 'found'; chain: CertFacts[]; parseError: string | undefined } | { state: 'missing' } | { state: 'forbidden'; access: string } | { state: 'error'; error: string };

export interface IssuerAnnotation {
  kind: 'Issuer' | 'ClusterIssuer';
  name: string;
  /** From cert-manager.io/issuer-group; only cert-manager.io issuers are looked up. */
  group: string;
}

export interface TlsFrontSubject extends Subject {
  kind: 'ingress';
  /** 'Ingress' or 'Gateway'. */
  objectKind: string;
  namespace: string;
  name: string;
  tls: TlsEntry[];
  issuerAnnotation: IssuerAnnotation | undefined;
  /** Does the annotated issuer exist? (memoized API lookups) */
  issuerExists: () => Promise<{ exists: boolean; ready: boolean | undefined } | { forbidden: string } | { error: string }>;
  secret: (entry: TlsEntry) => Promise<SecretState>;
  /** The Certificate ingress-shim keeps for a Secret, when one exists (for "not issued yet"). */
  certificateFor: (secretName: string) => Promise<{ name: string; ready: string | undefined } | undefined>;
}

export type { KubeClient };
