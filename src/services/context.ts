import { gatherClusterFacts, type ClusterFacts } from '../core/cluster/facts.js';
import type { KubeClient } from '../core/kube/client.js';

export interface ContextOptions {
  kube: KubeClient;
  allNamespaces?: boolean;
}

export async function describeContext(options: ContextOptions): Promise<ClusterFacts> {
  return gatherClusterFacts(options.kube, { allNamespaces: options.allNamespaces ?? false });
}
