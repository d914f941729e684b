// Opens a Kubernetes client from the command's kube options. Services take a KubeClient (or this
// factory) as a dependency so tests can aim them at the harness's API server.
import { KubeClient } from '../core/kube/client.js';
import { loadKubeConfig, type KubeConfigOptions } from '../core/kube/kubeconfig.js';

export type KubeOptions = KubeConfigOptions & { timeoutMs?: number };

export async function openKube(options: KubeOptions): Promise<KubeClient> {
  const target = await loadKubeConfig(options);
  return new KubeClient(target, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
}
