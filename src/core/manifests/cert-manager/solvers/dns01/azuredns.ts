// Azure DNS: a managed identity (AKS workload identity) or a service principal whose client
// secret goes into a Secret.
import { InvalidInputError } from '../../../../errors.js';
import { credentialSecret } from '../../../secret.js';
import type { SolverContext, SolverResult } from '../types.js';

export interface AzureDnsInput {
  provider: 'azuredns';
  subscriptionId: string;
  resourceGroup: string;
  hostedZoneName: string;
  environment?: 'AzurePublicCloud' | 'AzureChinaCloud' | 'AzureGermanCloud' | 'AzureUSGovernmentCloud' | undefined;
  /** Managed identity client ID (workload identity). */
  managedIdentityClientId?: string | undefined;
  /** Service principal: all three. */
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  tenantId?: string | undefined;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function azureDnsSolver(input: AzureDnsInput, ctx: SolverContext): SolverResult {
  if (!GUID.test(input.subscriptionId)) throw new InvalidInputError(`--azure-subscription-id "${input.subscriptionId}" is not a GUID`, { hint: 'find it with `az account show --query id -o tsv`' });
  if (!input.resourceGroup) throw new InvalidInputError('Azure DNS needs the resource group of the zone', { hint: 'pass --azure-resource-group NAME' });
  if (!input.hostedZoneName) throw new InvalidInputError('Azure DNS needs the zone name', { hint: 'pass --azure-zone example.com' });
  const azureDNS: Record<string, unknown> = {
    subscriptionID: input.subscriptionId,
    resourceGroupName: input.resourceGroup,
    hostedZoneName: input.hostedZoneName,
    environment: input.environment ?? 'AzurePublicCloud',
  };
  const secrets = [];
  const notes: string[] = [];
  if (input.clientId || input.clientSecret) {
    if (!input.clientId || !input.clientSecret || !input.tenantId) throw new InvalidInputError('an Azure service principal needs the client ID, client secret and tenant ID', { hint: 'set AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and AZURE_TENANT_ID, or use a managed identity' });
    const name = `${ctx.issuerName}-azuredns-sp`;
    secrets.push(credentialSecret({ name, namespace: ctx.secretNamespace, data: { 'client-secret': input.clientSecret }, component: ctx.issuerName }));
    Object.assign(azureDNS, { clientID: input.clientId, tenantID: input.tenantId, clientSecretSecretRef: { name, key: 'client-secret' } });
  } else {
    azureDNS.managedIdentity = input.managedIdentityClientId ? { clientID: input.managedIdentityClientId } : {};
    notes.push('Azure DNS uses a managed identity: give it "DNS Zone Contributor" on the zone and federate it with the cert-manager service account (azure.workload.identity/use: "true").');
  }
  return { solver: { dns01: { azureDNS } }, secrets, notes };
}
