// AWS Route 53. With access keys, both go into a Secret; without, cert-manager uses ambient
// credentials (IRSA / EKS Pod Identity), which must be allowed for namespaced Issuers.
import { InvalidInputError } from '../../../../errors.js';
import { credentialSecret } from '../../../secret.js';
import type { SolverContext, SolverResult } from '../types.js';

export interface Route53Input {
  provider: 'route53';
  region: string;
  hostedZoneId?: string | undefined;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /** IAM role to assume. */
  role?: string | undefined;
}

export function route53Solver(input: Route53Input, ctx: SolverContext): SolverResult {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(input.region)) throw new InvalidInputError(`--aws-region "${input.region}" is not an AWS region`, { hint: 'pass --aws-region us-east-1 (or the region of your cluster)' });
  const route53: Record<string, unknown> = { region: input.region };
  if (input.hostedZoneId) route53.hostedZoneID = input.hostedZoneId;
  if (input.role) route53.role = input.role;
  const secrets = [];
  const notes: string[] = [];
  if (input.accessKeyId || input.secretAccessKey) {
    if (!input.accessKeyId || !input.secretAccessKey) throw new InvalidInputError('Route 53 access keys need both the key ID and the secret access key', { hint: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or leave both out to use IRSA' });
    const name = `${ctx.issuerName}-route53-credentials`;
    secrets.push(credentialSecret({ name, namespace: ctx.secretNamespace, data: { 'access-key-id': input.accessKeyId, 'secret-access-key': input.secretAccessKey }, component: ctx.issuerName }));
    route53.accessKeyIDSecretRef = { name, key: 'access-key-id' };
    route53.secretAccessKeySecretRef = { name, key: 'secret-access-key' };
  } else {
    notes.push('Route 53 uses ambient credentials (IRSA or EKS Pod Identity on the cert-manager service account): it needs route53:GetChange, ChangeResourceRecordSets and ListResourceRecordSets on the zone.');
    if (ctx.issuerKind === 'Issuer') notes.push('A namespaced Issuer may use ambient credentials only when cert-manager runs with --issuer-ambient-credentials.');
  }
  return { solver: { dns01: { route53 } }, secrets, notes };
}
