// `ca export`: the trust bundle as PEM, a PKCS#12 trust store, a ConfigMap or a trust-manager
// Bundle (printed as YAML, or applied to the cluster), and the CRL. Never a private key.
import { UsageError } from '../core/errors.js';
import type { KubeClient } from '../core/kube/client.js';
import { path, R } from '../core/kube/paths.js';
import { readCa } from '../core/pki/ca-state.js';
import type { CaStore } from '../core/pki/ca-store.js';
import { parseCertificate } from '../core/pki/certificate.js';
import { bundleConfigMap, trustManagerBundle } from '../core/pki/manifests.js';
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
    case 'configmap':
    case 'bundle': {
      const { stringify } = await import('yaml');
      const obj =
        o.format === 'configmap'
          ? bundleConfigMap({ namespace: o.namespace ?? 'default', name: o.name, bundlePem: ca.bundlePem })
          : trustManagerBundle({ name: o.name, bundlePem: ca.bundlePem });
      let applied: ExportResult['applied'];
      if (o.kube) {
        if (o.format === 'bundle') {
          const crd = await o.kube.get(path(R.crds, { name: 'bundles.trust.cert-manager.io' }));
          if (!crd) throw new UsageError('trust-manager is not installed in this cluster (no bundles.trust.cert-manager.io CRD)', { hint: 'install trust-manager, or use --format configmap' });
          await o.kube.apply(`/apis/trust.cert-manager.io/v1alpha1/bundles/${encodeURIComponent(obj.metadata!.name!)}`, obj, { dryRun: o.dryRun });
        } else {
          await o.kube.apply(path(R.configmaps, { namespace: obj.metadata!.namespace, name: obj.metadata!.name }), obj, { dryRun: o.dryRun });
          if (!o.dryRun) await recordPublished(o.store, { kind: 'configmap', namespace: obj.metadata!.namespace!, name: obj.metadata!.name! });
        }
        applied = { kind: obj.kind!, name: obj.metadata!.name!, namespace: obj.metadata!.namespace };
      }
      return { format: o.format, content: Buffer.from(stringify(obj)), binary: false, applied };
    }
  }
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
