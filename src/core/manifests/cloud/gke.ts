// GKE: Google-managed certificates on the external Application Load Balancer. A
// ManagedCertificate covers up to 100 names and no wildcards; a FrontendConfig sets the SSL
// policy (which must exist in the project: GCP's default COMPATIBLE policy allows TLS 1.0) and
// the HTTP→HTTPS redirect. Wildcards need Certificate Manager through a Gateway (certmap).
import type { KubeObject } from '../../kube/client.js';
import { InvalidInputError } from '../../errors.js';
import { ownedMetadata } from '../labels.js';

export interface GkeInput {
  name: string;
  namespace: string;
  domains: string[];
  service: { name: string; port: number };
  /** Name of a GCP SSL policy with min TLS 1.2 and the RESTRICTED or MODERN profile. */
  sslPolicy: string;
  profile: 'intermediate' | 'modern';
}

/** The gcloud command that creates the SSL policy the FrontendConfig names. */
export function gcpSslPolicyCommand(policy: string, profile: 'intermediate' | 'modern'): string {
  return profile === 'modern'
    ? `gcloud compute ssl-policies create ${policy} --profile RESTRICTED --min-tls-version 1.2  # GCP cannot require 1.3 only; RESTRICTED is the closest`
    : `gcloud compute ssl-policies create ${policy} --profile RESTRICTED --min-tls-version 1.2`;
}

export function gkeManagedCertificate(i: GkeInput): KubeObject[] {
  const wild = i.domains.filter((d) => d.startsWith('*.'));
  if (wild.length) {
    throw new InvalidInputError(`Google-managed certificates on Ingress cannot cover wildcards (${wild.join(', ')})`, {
      hint: 'use Certificate Manager with a Gateway (certmap), or --issuer letsencrypt --challenge dns01 --dns-provider clouddns',
    });
  }
  if (i.domains.length === 0 || i.domains.length > 100) throw new InvalidInputError(`a ManagedCertificate takes 1 to 100 domains, not ${i.domains.length}`);
  const cert: KubeObject = {
    apiVersion: 'networking.gke.io/v1',
    kind: 'ManagedCertificate',
    metadata: ownedMetadata({ name: `${i.name}-cert`, namespace: i.namespace, component: 'gke-managed' }),
    spec: { domains: i.domains },
  };
  const frontend: KubeObject = {
    apiVersion: 'networking.gke.io/v1beta1',
    kind: 'FrontendConfig',
    metadata: ownedMetadata({ name: `${i.name}-frontend`, namespace: i.namespace, component: 'gke-managed' }),
    spec: { sslPolicy: i.sslPolicy, redirectToHttps: { enabled: true, responseCodeName: 'MOVED_PERMANENTLY_DEFAULT' } },
  };
  const ingress: KubeObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: ownedMetadata({
      name: i.name,
      namespace: i.namespace,
      component: 'gke-managed',
      annotations: {
        'networking.gke.io/managed-certificates': `${i.name}-cert`,
        'networking.gke.io/v1beta1.FrontendConfig': `${i.name}-frontend`,
        'kubernetes.io/ingress.class': 'gce',
      },
    }),
    spec: {
      defaultBackend: { service: { name: i.service.name, port: { number: i.service.port } } },
    },
  };
  return [cert, frontend, ingress];
}
