// cert-manager for tests: the real CRDs from the pinned module, and the upstream controllers run out
// of cluster (harness build, no webhook, no leader election) against the harness control plane.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ControlPlane } from './control-plane.js';
import { certManagerCrdDir, loadManifest, program } from './manifest.js';
import { spawnManaged, waitFor, type ManagedProcess } from './processes.js';
import type { KubeObject } from '../../src/core/kube/client.js';

export interface InstalledCrds {
  names: string[];
  /** The cert-manager version the CRDs were labelled with (`app.kubernetes.io/version`). */
  version: string;
}

interface Crd extends KubeObject {
  status?: { conditions?: Array<{ type: string; status: string }> };
}

/**
 * Applies cert-manager's CRDs (server-side apply), labelled like the upstream static manifests and
 * Helm chart do (`app.kubernetes.io/version` etc.), and waits until each is Established.
 */
export async function installCertManagerCRDs(cp: ControlPlane, opts: { timeoutMs?: number } = {}): Promise<InstalledCrds> {
  const manifest = loadManifest();
  const dir = certManagerCrdDir(manifest);
  const version = program('cert-manager-controller', manifest).version;
  const admin = await cp.client('admin');
  const names: string[] = [];
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
      const crd = doc.toJS() as Crd | null;
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      const name = crd.metadata?.name ?? '';
      crd.metadata = {
        ...crd.metadata,
        labels: {
          ...crd.metadata?.labels,
          'app.kubernetes.io/name': 'cert-manager',
          'app.kubernetes.io/instance': 'cert-manager',
          'app.kubernetes.io/version': version,
        },
      };
      await admin.apply(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`, crd);
      names.push(name);
    }
  }
  if (names.length === 0) throw new Error(`no CustomResourceDefinition found in ${dir}`);
  for (const name of names) {
    await waitFor(
      async () => {
        const crd = await admin.get<Crd>(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
        return crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
      },
      { what: `CRD ${name} Established`, timeoutMs: opts.timeoutMs ?? 30_000 },
    );
  }
  return { names, version };
}

export interface CertManagerController {
  process: ManagedProcess;
  version: string;
  stop(): Promise<void>;
}

export interface CertManagerOptions {
  /** DNS server (host:port) for DNS-01 self-checks; when given, the only one asked. */
  dnsServer?: string;
  /** Namespace for ClusterIssuer secrets (default `cert-manager`). */
  clusterResourceNamespace?: string;
  /** klog verbosity (default 2). */
  verbosity?: number;
  extraArgs?: string[];
  startTimeoutMs?: number;
}

export async function startCertManagerController(cp: ControlPlane, opts: CertManagerOptions = {}): Promise<CertManagerController> {
  const bin = program('cert-manager-controller', loadManifest());
  const args = [
    `--kubeconfig=${cp.kubeconfigFor('admin')}`,
    `--cluster-resource-namespace=${opts.clusterResourceNamespace ?? 'cert-manager'}`,
    // Out of cluster: DNS-01 checks must never leave loopback.
    ...(opts.dnsServer ? [`--dns01-recursive-nameservers=${opts.dnsServer}`, '--dns01-recursive-nameservers-only'] : []),
    // Short retry so DNS-01 tests don't wait the upstream 10 s between propagation checks.
    '--dns01-check-retry-period=1s',
    `-v=${opts.verbosity ?? 2}`,
    ...(opts.extraArgs ?? []),
  ];
  const proc = spawnManaged({ name: 'cert-manager-controller', command: bin.path, args });
  await waitFor(async () => readFileSync(proc.logFile, 'utf8').includes('started controllers'), {
    what: 'cert-manager controllers to start',
    proc,
    timeoutMs: opts.startTimeoutMs ?? 60_000,
  });
  return { process: proc, version: bin.version, stop: () => proc.stop() };
}
