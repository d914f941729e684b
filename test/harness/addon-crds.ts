// The CRDs of the add-ons setup and doctor detect and write objects for — trust-manager, the
// Prometheus Operator, Gateway API — from the modules pinned in test/harness/crds/go.mod (only their
// YAML is read). Installing them lets tests validate generated Bundles, PrometheusRules, Gateways
// and HTTPRoutes against the real schemas, and check what `context` reports.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ControlPlane } from './control-plane.js';
import { waitFor } from './processes.js';
import type { KubeObject } from '../../src/core/kube/client.js';

const MODULE_DIR = join(import.meta.dirname, 'crds');

export const ADDONS = {
  'trust-manager': { module: 'github.com/cert-manager/trust-manager', files: ['deploy/crds/trust.cert-manager.io_bundles.yaml', 'deploy/crds/trust-manager.io_clusterbundles.yaml'] },
  'prometheus-operator': { module: 'github.com/prometheus-operator/prometheus-operator', files: ['example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml'] },
  'gateway-api': {
    module: 'sigs.k8s.io/gateway-api',
    files: ['config/crd/standard/gateway.networking.k8s.io_gatewayclasses.yaml', 'config/crd/standard/gateway.networking.k8s.io_gateways.yaml', 'config/crd/standard/gateway.networking.k8s.io_httproutes.yaml', 'config/crd/standard/gateway.networking.k8s.io_referencegrants.yaml'],
  },
} as const;

export type Addon = keyof typeof ADDONS;

/** Directory of a pinned add-on module in the Go module cache (downloaded on first use). */
export function addonDir(addon: Addon): string {
  const go = (args: string[]) => execFileSync('go', args, { cwd: MODULE_DIR, encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod' } }).trim();
  go(['mod', 'download', ADDONS[addon].module]);
  return go(['list', '-m', '-f', '{{.Dir}}', ADDONS[addon].module]);
}

interface Crd extends KubeObject {
  status?: { conditions?: Array<{ type: string; status: string }> };
}

/** Applies the add-ons' CRDs and waits until each is Established; returns the CRD names. */
export async function installAddonCRDs(cp: ControlPlane, addons: Addon[]): Promise<string[]> {
  const admin = await cp.client('admin');
  const names: string[] = [];
  for (const addon of addons) {
    const dir = addonDir(addon);
    for (const file of ADDONS[addon].files) {
      for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
        const crd = doc.toJS() as Crd | null;
        if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
        const name = crd.metadata?.name ?? '';
        await admin.apply(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`, crd);
        names.push(name);
      }
    }
  }
  for (const name of names) {
    await waitFor(
      async () => (await admin.get<Crd>(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`))?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'),
      { what: `CRD ${name} Established`, timeoutMs: 30_000 },
    );
  }
  return names;
}
