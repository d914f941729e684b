// The hardening step of setup: apply the TLS profile and HSTS where TLS terminates. Today that is
// the ingress-nginx controller's ConfigMap (its TLS settings are ConfigMap-only) when the chosen
// ingress class belongs to ingress-nginx, and Envoy Gateway's ClientTrafficPolicy when setup
// serves HTTP-01 through a Gateway of that implementation. Everything goes through the same
// compare-then-apply plan as the other objects.
import type { KubeClient, KubeObject } from '../core/kube/client.js';
import { isForbidden } from '../core/kube/client.js';
import { path, R } from '../core/kube/paths.js';
import type { SetupAnswers } from '../core/setup/answers.js';
import { INGRESS_NGINX_RETIRED, ingressNginxConfigPatch } from '../core/manifests/hardening/ingress-nginx.js';
import { envoyClientTrafficPolicy } from '../core/manifests/hardening/gateway.js';
import { parseGatewayRef } from '../core/manifests/cert-manager/solvers/http01.js';

export const INGRESS_NGINX_CONTROLLER = 'k8s.io/ingress-nginx';

export interface HardeningPlan {
  objects: KubeObject[];
  notes: string[];
}

interface Deployment extends KubeObject {
  spec?: { template?: { spec?: { containers?: Array<{ args?: string[] }> } } };
}

/** The ConfigMap an ingress-nginx controller reads: its `--configmap=NS/NAME` argument. */
async function ingressNginxConfigMaps(kube: KubeClient): Promise<Array<{ namespace: string; name: string }>> {
  const deps = await kube.list<Deployment>(path(R.deployments), { query: { labelSelector: 'app.kubernetes.io/name=ingress-nginx' } });
  const out: Array<{ namespace: string; name: string }> = [];
  for (const d of deps) {
    for (const c of d.spec?.template?.spec?.containers ?? []) {
      const arg = (c.args ?? []).find((x) => x.startsWith('--configmap='));
      const ref = arg?.slice('--configmap='.length).split('/');
      if (ref?.length === 2 && ref[0] && ref[1]) out.push({ namespace: ref[0], name: ref[1] });
    }
  }
  return out;
}

export async function planHardening(kube: KubeClient | undefined, a: SetupAnswers): Promise<HardeningPlan> {
  const profile = a.tlsProfile ?? 'intermediate';
  const hsts = { enabled: a.hsts !== false && a.audience !== 'internal' };
  const objects: KubeObject[] = [];
  const notes: string[] = [];
  if (!kube) return { objects, notes };
  try {
    if (a.ingressClass) {
      const cls = await kube.get<KubeObject & { spec?: { controller?: string } }>(path(R.ingressclasses, { name: a.ingressClass }));
      if (cls?.spec?.controller === INGRESS_NGINX_CONTROLLER) {
        const maps = await ingressNginxConfigMaps(kube);
        for (const m of maps) objects.push(ingressNginxConfigPatch({ ...m, profile, hsts }));
        notes.push(INGRESS_NGINX_RETIRED);
        if (maps.length === 0) notes.push(`IngressClass ${a.ingressClass} is ingress-nginx, but no controller Deployment with --configmap was found: set ssl-protocols/ssl-ciphers/hsts in its ConfigMap by hand (docs/hardening.md).`);
      }
    }
    if (a.gateway) {
      const gw = parseGatewayRef(a.gateway);
      const crd = await kube.get(path(R.crds, { name: 'clienttrafficpolicies.gateway.envoyproxy.io' }));
      if (crd) objects.push(envoyClientTrafficPolicy({ namespace: gw.namespace ?? 'default', gateway: gw.name, profile }));
      else notes.push('The Gateway API has no field for TLS versions or ciphers; configure the profile in your Gateway implementation (docs/hardening.md).');
    }
  } catch (err) {
    if (!isForbidden(err)) throw err;
    notes.push('Hardening skipped: no permission to read IngressClasses/Deployments to find where TLS terminates.');
  }
  return { objects, notes };
}
