// HTTP-01 solvers: through an Ingress (by ingressClassName, or the legacy `class` annotation
// value some controllers still need) or through a Gateway listener (parentRefs).
import { InvalidInputError } from '../../../errors.js';
import type { SolverResult, SolverSelector } from './types.js';
import { withSelector } from './types.js';

export type Http01Input =
  | { via: 'ingress'; ingressClassName: string; selector?: SolverSelector }
  /** The pre-1.12 `class` field: sets the kubernetes.io/ingress.class annotation on solver Ingresses. */
  | { via: 'ingress-class-annotation'; class: string; selector?: SolverSelector }
  | { via: 'gateway'; gateway: { name: string; namespace?: string | undefined; sectionName?: string | undefined }; selector?: SolverSelector };

export function http01Solver(input: Http01Input): SolverResult {
  let http01: Record<string, unknown>;
  switch (input.via) {
    case 'ingress':
      requireName(input.ingressClassName, '--ingress-class');
      http01 = { ingress: { ingressClassName: input.ingressClassName } };
      break;
    case 'ingress-class-annotation':
      requireName(input.class, '--ingress-class');
      http01 = { ingress: { class: input.class } };
      break;
    case 'gateway': {
      requireName(input.gateway.name, '--gateway');
      const ref: Record<string, string> = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: input.gateway.name };
      if (input.gateway.namespace) ref.namespace = input.gateway.namespace;
      if (input.gateway.sectionName) ref.sectionName = input.gateway.sectionName;
      http01 = { gatewayHTTPRoute: { parentRefs: [ref] } };
      break;
    }
  }
  const notes = input.via === 'gateway'
    ? ['HTTP-01 through a Gateway needs cert-manager started with Gateway API support (--enable-gateway-api, or config.enableGatewayAPI in the Helm chart) and a listener on port 80 that allows routes from the solver namespace.']
    : [];
  return { solver: withSelector({ http01 }, input.selector), secrets: [], notes };
}

/** Parses `--gateway NS/NAME` or `NAME`. */
export function parseGatewayRef(text: string): { name: string; namespace?: string } {
  const parts = text.split('/');
  if (parts.length === 1 && parts[0]) return { name: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { namespace: parts[0], name: parts[1] };
  throw new InvalidInputError(`--gateway "${text}" is not NAME or NAMESPACE/NAME`, { hint: 'pass --gateway NAMESPACE/NAME, e.g. --gateway infra/public' });
}

const DNS1123 = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
function requireName(name: string, flag: string): void {
  if (!DNS1123.test(name) || name.length > 253) throw new InvalidInputError(`${flag} "${name}" is not a valid Kubernetes name`, { hint: `pass ${flag} with a lowercase name, e.g. ${flag} nginx` });
}
