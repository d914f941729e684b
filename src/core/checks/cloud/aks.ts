// AKS traps: a Key Vault certificate synced by the Secrets Store CSI driver exists as a Secret only
// while some pod mounts the CSI volume (an Ingress naming that Secret serves the default
// certificate otherwise), and the app-routing add-on's keyvault-<ingress> Secret that never
// appears when the Key Vault URI or the add-on's access to the vault is wrong.
import type { CheckDefinition } from '../framework.js';
import { parseKeyVaultUri } from '../../manifests/cloud/aks.js';
import { CSI_DRIVER, type AppRoutingIngressSubject, type CloudSubject, type SecretProviderClassSubject } from './subject.js';

const CATEGORY = 'Azure Key Vault (AKS)';

function spc(s: CloudSubject): s is SecretProviderClassSubject {
  return s.path === 'secret-provider-class';
}

function appRouting(s: CloudSubject): s is AppRoutingIngressSubject {
  return s.path === 'app-routing-ingress';
}

/** Does this pod spec mount a CSI volume of the Secrets Store driver with that SecretProviderClass? */
export function podMountsProviderClass(pod: { spec?: { volumes?: Array<{ csi?: { driver?: string; volumeAttributes?: Record<string, string> } }> } }, className: string): boolean {
  return (pod.spec?.volumes ?? []).some((v) => v.csi?.driver === CSI_DRIVER && v.csi.volumeAttributes?.secretProviderClass === className);
}

export const syncedSecretExists: CheckDefinition<CloudSubject> = {
  code: 'CLD120',
  category: CATEGORY,
  severity: 'error',
  title: 'Secret synced from Key Vault exists (a pod mounts the CSI volume)',
  hint: "mount the SecretProviderClass as a CSI volume in a workload that always runs (the Ingress controller's Deployment or the app itself); the driver creates the Secret on the first mount and deletes it with the last",
  appliesTo: 'cloud',
  run: async ({ subject }) => {
    if (!spc(subject)) return null;
    const names = (subject.object.spec?.secretObjects ?? []).map((o) => o.secretName).filter((n): n is string => Boolean(n));
    if (names.length === 0) return null; // mount-only: nothing is synced into a Secret
    const missing: string[] = [];
    for (const n of names) {
      const got = await subject.secretExists(n);
      if (!got.ok) return got.forbidden ? { result: 'skip', message: got.forbidden } : { result: 'fail', message: `cannot read Secret ${subject.namespace}/${n}: ${got.error}` };
      if (!got.value) missing.push(n);
    }
    if (missing.length === 0) return { result: 'pass', message: `Secret ${names.join(', ')} exists` };
    const pods = await subject.mountingPods();
    const objects = missing.map((n) => ({ kind: 'Secret', namespace: subject.namespace, name: n }));
    if (!pods.ok) {
      return pods.forbidden
        ? { result: 'fail', message: `Secret ${missing.join(', ')} does not exist (cannot tell whether a pod mounts the volume: ${pods.forbidden})`, objects }
        : { result: 'fail', message: `Secret ${missing.join(', ')} does not exist`, details: [pods.error], objects };
    }
    if (pods.value.length === 0) {
      return {
        result: 'fail',
        message: `Secret ${missing.join(', ')} does not exist and no pod in ${subject.namespace} mounts SecretProviderClass ${subject.name}: the synced Secret exists only while a pod mounts the volume`,
        objects,
      };
    }
    return {
      result: 'fail',
      message: `Secret ${missing.join(', ')} does not exist although ${pods.value.join(', ')} mount(s) the volume`,
      details: ['is the pod running (the driver syncs on mount)? is secret sync enabled in the driver (syncSecret.enabled=true)? kubectl describe the pod for mount errors from the Key Vault provider'],
      objects,
    };
  },
};

export const appRoutingKeyVaultUri: CheckDefinition<CloudSubject> = {
  code: 'CLD121',
  category: CATEGORY,
  severity: 'error',
  title: 'app-routing Key Vault certificate URI is well formed',
  hint: 'use the certificate id without a version: https://VAULT.vault.azure.net/certificates/NAME (az keyvault certificate show --query id)',
  appliesTo: 'cloud',
  run: ({ subject }) => {
    if (!appRouting(subject)) return null;
    try {
      const kv = parseKeyVaultUri(subject.keyvaultUri);
      return { result: 'pass', message: `vault ${kv.vault}, certificate ${kv.name}${kv.version ? ` (pinned to version ${kv.version}: renewals in Key Vault are not picked up)` : ''}` };
    } catch (err) {
      return { result: 'fail', message: err instanceof Error ? err.message : String(err) };
    }
  },
};

export const appRoutingSecretExists: CheckDefinition<CloudSubject> = {
  code: 'CLD122',
  category: CATEGORY,
  severity: 'warning',
  title: 'app-routing add-on has synced keyvault-<ingress> Secret',
  hint: "give the add-on's identity access to the vault (az aks approuting update --enable-kv --attach-kv VAULT_ID), then check the add-on's nginx logs for Key Vault errors",
  appliesTo: 'cloud',
  dependsOn: ['CLD121'],
  run: async ({ subject }) => {
    if (!appRouting(subject)) return null;
    const secretName = `keyvault-${subject.name}`;
    const got = await subject.secretExists();
    if (!got.ok) return got.forbidden ? { result: 'skip', message: got.forbidden } : { result: 'fail', message: `cannot read Secret ${subject.namespace}/${secretName}: ${got.error}` };
    const ref = { kind: 'Secret', namespace: subject.namespace, name: secretName };
    if (got.value) return { result: 'pass', message: `Secret ${secretName} exists`, objects: [ref] };
    return { result: 'fail', message: `Secret ${subject.namespace}/${secretName} does not exist: the add-on has not pulled the certificate from Key Vault, so the Ingress serves the default certificate`, objects: [ref] };
  },
};
