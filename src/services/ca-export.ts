// `ca export`: the trust bundle as PEM, a PKCS#12 trust store, a ConfigMap or a trust-manager
// Bundle (printed as YAML, or applied to the cluster), and the CRL. Never a private key.
import { UsageError } from '../core/errors.js';
import type { KubeClient } from '../core/kube/client.js';
import { path, R } from '../core/kube/paths.js';
import { readCa } from '../core/pki/ca-state.js';
import type { CaStore } from '../core/pki/ca-store.js';
import { parseCertificate } from '../core/pki/certificate.js';
import { DEFAULT_TRUST_NAME, TRUST_APIS, trustBundle, trustConfigMap, type TrustApi } from '../core/manifests/trust-manager.js';
import type { KubeObject } from '../core/kube/client.js';
import { buildTrustStore } from '../core/pki/pkcs12.js';
import { readCertificateDers } from '../core/pki/pem.js';

export const EXPORT_FORMATS = ['pem', 'pkcs12', 'configmap', 'bundle', 'crl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  store: CaStore;
  format: ExportFormat;
  /** PKCS#12 integrity password (default "changeit", the Java convention: a trust store holds no secret). */
  password?: string | undefined;
  namespace?: string | undefined;
  name?: string | undefined;
  /** Apply the ConfigMap / Bundle to the cluster instead of only returning it. */
  kube?: KubeClient | undefined;
  dryRun?: boolean | undefined;
}

export interface ExportResult {
  format: ExportFormat;
  content: Buffer;
  binary: boolean;
  applied?: { kind: string; name: string; namespace?: string | undefined } | undefined;
}

export async function exportCa(o: ExportOptions): Promise<ExportResult> {
  const ca = await readCa(o.store);
  switch (o.format) {
    case 'pem':
      return { format: 'pem', content: Buffer.from(ca.bundlePem), binary: false };
    case 'crl':
      if (!ca.crlPem) throw new UsageError(`no CRL in ${o.store.location}`, { hint: 'revoke a certificate or run `ca rotate` to publish one' });
      return { format: 'crl', content: Buffer.from(ca.crlPem), binary: false };
    case 'pkcs12': {
      const entries = readCertificateDers(ca.bundlePem, 'bundle.pem').map((der, i) => ({ alias: aliasFor(der, i), der }));
      return { format: 'pkcs12', content: await buildTrustStore(entries, { password: o.password ?? 'changeit' }), binary: true };
    }
    case 'configmap': {
      const { stringify } = await import('yaml');
      // Same object `trust sync` writes and refreshes (name, key and label), so both paths agree.
      const obj = trustConfigMap({ bundle: o.name ?? DEFAULT_TRUST_NAME, namespace: o.namespace ?? 'default', caPem: ca.bundlePem });
      let applied: ExportResult['applied'];
      if (o.kube) {
        await o.kube.apply(path(R.configmaps, { namespace: obj.metadata!.namespace, name: obj.metadata!.name }), obj, { dryRun: o.dryRun });
        if (!o.dryRun) await recordPublished(o.store, { kind: 'configmap', namespace: obj.metadata!.namespace!, name: obj.metadata!.name! });
        applied = { kind: 'ConfigMap', name: obj.metadata!.name!, namespace: obj.metadata!.namespace };
      }
      return { format: 'configmap', content: Buffer.from(stringify(obj)), binary: false, applied };
    }
    case 'bundle': {
      const { stringify } = await import('yaml');
      const api: TrustApi = o.kube ? await servedTrustApi(o.kube) : 'v1alpha1';
      const { objects } = trustBundle(api, { name: o.name ?? DEFAULT_TRUST_NAME, caPem: ca.bundlePem, namespaces: 'all' });
      const obj = objects[objects.length - 1]!;
      let applied: ExportResult['applied'];
      if (o.kube) {
        const plural = api === 'v1alpha2' ? 'clusterbundles' : 'bundles';
        const [group, version] = TRUST_APIS[api].apiVersion.split('/') as [string, string];
        await o.kube.apply(path({ group, version, plural }, { name: obj.metadata!.name }), obj, { dryRun: o.dryRun });
        applied = { kind: obj.kind!, name: obj.metadata!.name! };
      }
      return { format: 'bundle', content: Buffer.from(stringify(obj)), binary: false, applied };
    }
  }
}

/** The trust-manager API the cluster serves (the newer one when both are), or a clear refusal. */
export async function servedTrustApi(kube: KubeClient): Promise<TrustApi> {
  if (await kube.get<KubeObject>(path(R.crds, { name: 'clusterbundles.trust-manager.io' }))) return 'v1alpha2';
  if (await kube.get<KubeObject>(path(R.crds, { name: 'bundles.trust.cert-manager.io' }))) return 'v1alpha1';
  throw new UsageError('trust-manager is not installed in this cluster (no bundles.trust.cert-manager.io or clusterbundles.trust-manager.io CRD)', {
    hint: 'install trust-manager, or use --format configmap (and `kubectl vibectl-tls trust sync` for more namespaces)',
  });
}

function aliasFor(der: Buffer, i: number): string {
  const c = parseCertificate(der);
  const cn = /CN=([^\n]*)/.exec(c.subject)?.[1];
  return (cn ?? `ca-${i}`).toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
}

async function recordPublished(store: CaStore, where: { kind: 'configmap'; namespace: string; name: string }): Promise<void> {
  const { metaFile } = await import('../core/pki/ca-state.js');
  await store.locked(async () => {
    const ca = await readCa(store);
    const exists = ca.meta.published.some((p) => p.kind === 'configmap' && p.namespace === where.namespace && p.name === where.name);
    if (!exists) await store.write(metaFile({ ...ca.meta, published: [...ca.meta.published, where] }));
  });
}
