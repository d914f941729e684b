// Opens the CA store a command asked for: a local directory (default), or the cluster Secret.
import { LocalCaStore, defaultCaDir, type CaStore } from '../core/pki/ca-store.js';
import { ClusterCaStore } from '../core/pki/ca-store-cluster.js';
import type { KubeClient } from '../core/kube/client.js';

export interface OpenCaStoreOptions {
  store: 'local' | 'cluster';
  caDir?: string | undefined;
  /** Needed for --store cluster. */
  kube?: (() => Promise<KubeClient>) | undefined;
  namespace?: string | undefined;
  includeRootKey?: boolean | undefined;
}

export async function openCaStore(o: OpenCaStoreOptions): Promise<CaStore> {
  const local = new LocalCaStore({ dir: o.caDir ?? defaultCaDir() });
  if (o.store === 'local') return local;
  if (!o.kube) throw new Error('openCaStore: --store cluster needs a kube client factory');
  return new ClusterCaStore({ kube: await o.kube(), namespace: o.namespace, local, includeRootKey: o.includeRootKey });
}
