// REST paths for built-in and custom resources, so callers never hand-build URLs.

export interface ResourceRef {
  /** '' for the core group. */
  group: string;
  version: string;
  plural: string;
  namespace?: string | undefined;
  name?: string | undefined;
}

export function resourcePath(ref: ResourceRef): string {
  const base = ref.group === '' ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`;
  const ns = ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : '';
  const name = ref.name ? `/${encodeURIComponent(ref.name)}` : '';
  return `${base}${ns}/${ref.plural}${name}`;
}

export const R = {
  namespaces: { group: '', version: 'v1', plural: 'namespaces' },
  nodes: { group: '', version: 'v1', plural: 'nodes' },
  secrets: { group: '', version: 'v1', plural: 'secrets' },
  configmaps: { group: '', version: 'v1', plural: 'configmaps' },
  services: { group: '', version: 'v1', plural: 'services' },
  pods: { group: '', version: 'v1', plural: 'pods' },
  deployments: { group: 'apps', version: 'v1', plural: 'deployments' },
  statefulsets: { group: 'apps', version: 'v1', plural: 'statefulsets' },
  ingresses: { group: 'networking.k8s.io', version: 'v1', plural: 'ingresses' },
  ingressclasses: { group: 'networking.k8s.io', version: 'v1', plural: 'ingressclasses' },
  crds: { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions' },
  gatewayclasses: { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'gatewayclasses' },
  gateways: { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'gateways' },
  certificates: { group: 'cert-manager.io', version: 'v1', plural: 'certificates' },
  certificaterequests: { group: 'cert-manager.io', version: 'v1', plural: 'certificaterequests' },
  issuers: { group: 'cert-manager.io', version: 'v1', plural: 'issuers' },
  clusterissuers: { group: 'cert-manager.io', version: 'v1', plural: 'clusterissuers' },
  orders: { group: 'acme.cert-manager.io', version: 'v1', plural: 'orders' },
  challenges: { group: 'acme.cert-manager.io', version: 'v1', plural: 'challenges' },
} as const satisfies Record<string, ResourceRef>;

export function path(ref: ResourceRef, where: { namespace?: string | undefined; name?: string | undefined } = {}): string {
  return resourcePath({ ...ref, ...where });
}
