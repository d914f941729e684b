// The kubernetes.io/tls Secret of a leaf. (Bundle ConfigMaps and trust-manager objects come from
// core/manifests/trust-manager.ts, shared with `trust sync`.)
import type { KubeObject } from '../kube/client.js';

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'vibectl-tls' } as const;

export function tlsSecret(o: { namespace: string; name: string; chainPem: string; keyPem: string; caPem: string; serial?: string }): KubeObject {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: {
      name: o.name,
      namespace: o.namespace,
      labels: { ...MANAGED_BY },
      ...(o.serial ? { annotations: { 'vibectl-tls.dev/serial': o.serial } } : {}),
    },
    data: { 'tls.crt': b64(o.chainPem), 'tls.key': b64(o.keyPem), 'ca.crt': b64(o.caPem) },
  };
}
