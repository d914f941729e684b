// Kubernetes objects the CA delivers: the kubernetes.io/tls Secret of a leaf, the trust bundle
// ConfigMap, and the trust-manager Bundle that spreads it to every namespace.
import type { KubeObject } from '../kube/client.js';

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'vibectl-tls' } as const;
export const DEFAULT_BUNDLE_NAME = 'vibectl-tls-ca-bundle';
export const BUNDLE_KEY = 'ca.crt';

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

export function bundleConfigMap(o: { namespace: string; name?: string | undefined; bundlePem: string }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: o.name ?? DEFAULT_BUNDLE_NAME, namespace: o.namespace, labels: { ...MANAGED_BY } },
    data: { [BUNDLE_KEY]: o.bundlePem },
  };
}

/** trust-manager Bundle (cluster-scoped): the PEM inline, written as a ConfigMap in every namespace. */
export function trustManagerBundle(o: { name?: string | undefined; bundlePem: string }): KubeObject {
  return {
    apiVersion: 'trust.cert-manager.io/v1alpha1',
    kind: 'Bundle',
    metadata: { name: o.name ?? DEFAULT_BUNDLE_NAME, labels: { ...MANAGED_BY } },
    spec: {
      sources: [{ inLine: o.bundlePem }],
      target: { configMap: { key: BUNDLE_KEY } },
    },
  };
}
