// AKS: certificates kept in Azure Key Vault reach the cluster through the Secrets Store CSI
// driver. `objectType: secret` returns the key and the full chain, which `secretObjects` syncs into
// a kubernetes.io/tls Secret — but only while some pod mounts the CSI volume, so the plan also
// wires the volume into the target workload. The app-routing add-on is the other path: an
// annotation on its Ingress pulls the certificate itself.
import type { KubeObject } from '../../kube/client.js';
import { InvalidInputError } from '../../errors.js';
import { ownedMetadata } from '../labels.js';

const KV = /^https:\/\/([a-z0-9-]{3,24})\.vault\.azure\.net\/(certificates|secrets)\/([A-Za-z0-9-]+)(?:\/([0-9a-f]{32}))?\/?$/;

export function parseKeyVaultUri(uri: string): { vault: string; name: string; version?: string | undefined } {
  const m = KV.exec(uri.trim());
  if (!m) throw new InvalidInputError(`"${uri}" is not a Key Vault certificate URI`, { hint: 'use https://VAULT.vault.azure.net/certificates/NAME (az keyvault certificate show --query id)' });
  return { vault: m[1]!, name: m[3]!, version: m[4] };
}

export interface KeyVaultInput {
  name: string;
  namespace: string;
  keyvaultUri: string;
  tenantId: string;
  /** Client ID of the workload identity / user-assigned identity allowed to read the vault. */
  clientId: string;
  secretName: string;
}

export function secretProviderClass(i: KeyVaultInput): KubeObject {
  const kv = parseKeyVaultUri(i.keyvaultUri);
  const objects = `array:\n  - |\n    objectName: ${kv.name}\n    objectType: secret\n${kv.version ? `    objectVersion: ${kv.version}\n` : ''}`;
  return {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1',
    kind: 'SecretProviderClass',
    metadata: ownedMetadata({ name: i.name, namespace: i.namespace, component: 'aks-keyvault' }),
    spec: {
      provider: 'azure',
      secretObjects: [
        {
          secretName: i.secretName,
          type: 'kubernetes.io/tls',
          data: [
            { objectName: kv.name, key: 'tls.key' },
            { objectName: kv.name, key: 'tls.crt' },
          ],
        },
      ],
      parameters: { usePodIdentity: 'false', clientID: i.clientId, keyvaultName: kv.vault, tenantId: i.tenantId, objects },
    },
  };
}

/** The volume a pod must mount for the synced Secret to exist at all. */
export function keyVaultVolume(spcName: string): Record<string, unknown> {
  return { name: `kv-${spcName}`, csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: spcName } } };
}

/** The app-routing add-on path: its Ingress pulls the Key Vault certificate by annotation. */
export function appRoutingIngress(o: { name: string; namespace: string; host: string; keyvaultUri: string; service: { name: string; port: number } }): KubeObject {
  parseKeyVaultUri(o.keyvaultUri);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: ownedMetadata({ name: o.name, namespace: o.namespace, component: 'aks-app-routing', annotations: { 'kubernetes.azure.com/tls-cert-keyvault-uri': o.keyvaultUri } }),
    spec: {
      ingressClassName: 'webapprouting.kubernetes.azure.com',
      rules: [{ host: o.host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: o.service.name, port: { number: o.service.port } } } }] } }],
      tls: [{ hosts: [o.host], secretName: `keyvault-${o.name}` }],
    },
  };
}
