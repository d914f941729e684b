// Google Cloud DNS: a service-account key JSON in a Secret, or Workload Identity when none is given.
import { InvalidInputError } from '../../../../errors.js';
import { credentialSecret } from '../../../secret.js';
import type { SolverContext, SolverResult } from '../types.js';

export interface CloudDnsInput {
  provider: 'clouddns';
  project: string;
  hostedZoneName?: string | undefined;
  serviceAccountJson?: string | undefined;
}

export function cloudDnsSolver(input: CloudDnsInput, ctx: SolverContext): SolverResult {
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(input.project)) throw new InvalidInputError(`--gcp-project "${input.project}" is not a Google Cloud project ID`, { hint: 'pass the project ID (lowercase, 6–30 characters), not its display name' });
  const cloudDNS: Record<string, unknown> = { project: input.project };
  if (input.hostedZoneName) cloudDNS.hostedZoneName = input.hostedZoneName;
  const secrets = [];
  const notes: string[] = [];
  if (input.serviceAccountJson) {
    let parsed: { type?: string };
    try {
      parsed = JSON.parse(input.serviceAccountJson) as { type?: string };
    } catch {
      throw new InvalidInputError('the Cloud DNS service-account key is not JSON', { hint: 'pass the key file downloaded from IAM (gcloud iam service-accounts keys create)' });
    }
    if (parsed.type !== 'service_account') throw new InvalidInputError('the Cloud DNS key file is not a service-account key ("type": "service_account")', { hint: 'create one with gcloud iam service-accounts keys create' });
    const name = `${ctx.issuerName}-clouddns-key`;
    secrets.push(credentialSecret({ name, namespace: ctx.secretNamespace, data: { 'key.json': input.serviceAccountJson }, component: ctx.issuerName }));
    cloudDNS.serviceAccountSecretRef = { name, key: 'key.json' };
  } else {
    notes.push('Cloud DNS uses Workload Identity: bind the cert-manager Kubernetes service account to a Google service account with roles/dns.admin on the project.');
  }
  return { solver: { dns01: { cloudDNS } }, secrets, notes };
}
