import { pluginVersion } from '../core/version.js';
import type { KubeClient } from '../core/kube/client.js';

export interface VersionReport {
  plugin: string;
  node: string;
  platform: string;
  kubernetes: { server: string | null; reachable: boolean; error?: string | undefined; context?: string | undefined };
}

export interface VersionOptions {
  /** Opens a client for the current context; omitted or failing means "not reachable", never an error. */
  openKube?: () => Promise<KubeClient>;
}

export async function versionReport(options: VersionOptions): Promise<VersionReport> {
  const report: VersionReport = {
    plugin: pluginVersion(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    kubernetes: { server: null, reachable: false },
  };
  if (!options.openKube) return report;
  try {
    const kube = await options.openKube();
    report.kubernetes.context = kube.target.contextName;
    const v = await kube.request<{ gitVersion?: string }>('GET', '/version');
    report.kubernetes = { server: v.gitVersion ?? null, reachable: true, context: kube.target.contextName };
  } catch (err) {
    report.kubernetes.error = err instanceof Error ? err.message : String(err);
  }
  return report;
}
