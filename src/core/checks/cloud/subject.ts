// Cloud certificate paths as doctor subjects: ALB Ingresses (EKS), GKE Ingresses and their
// ManagedCertificates, AKS app-routing Ingresses and Key Vault SecretProviderClasses. Each subject
// carries the object and lazy, shared lookups (cluster region, FrontendConfig, Secrets, Pods);
// a lookup that fails is kept as a Lookup so the check can skip and say why.
import type { KubeObject } from '../../kube/client.js';
import type { Subject } from '../framework.js';
import type { Lookup } from '../../cert-manager/walk.js';

export type CloudIngress = KubeObject & {
  spec?: { ingressClassName?: string; tls?: Array<{ hosts?: string[]; secretName?: string }>; rules?: Array<{ host?: string }> };
};

export interface RegionFact {
  /** Regions the cluster's nodes are in; empty when unknown. */
  regions: string[];
  /** Why they are unknown ("no nodes carry topology.kubernetes.io/region", "forbidden: list nodes"). */
  unknown?: string;
}

/** Where an ALB Ingress gets its SSL policy when not from its own annotation. */
export interface AlbPolicySource {
  policy: string;
  /** "Ingress shop/api (group shop)", "IngressClassParams alb-params". */
  from: string;
}

interface CloudBase extends Subject {
  kind: 'cloud';
  namespace: string;
  name: string;
}

export interface AlbIngressSubject extends CloudBase {
  path: 'alb-ingress';
  ingress: CloudIngress;
  /** The policy set elsewhere for this Ingress's listener (group peer, IngressClassParams), if any. */
  inheritedPolicy: () => Promise<AlbPolicySource | undefined>;
  region: () => Promise<RegionFact>;
}

export interface GkeIngressSubject extends CloudBase {
  path: 'gke-ingress';
  ingress: CloudIngress;
  /** null: the FrontendConfig named by the annotation does not exist. */
  frontendConfig: (name: string) => Promise<Lookup<(KubeObject & { spec?: { sslPolicy?: string } }) | null>>;
  /** Names of the ManagedCertificates in the namespace; ok:false with no `forbidden` when the CRD is absent. */
  managedCertificates: () => Promise<Lookup<string[]>>;
}

export interface AppRoutingIngressSubject extends CloudBase {
  path: 'app-routing-ingress';
  ingress: CloudIngress;
  keyvaultUri: string;
  /** keyvault-<ingress>: whether it exists. */
  secretExists: () => Promise<Lookup<boolean>>;
}

export type ManagedCertificateObject = KubeObject & {
  spec?: { domains?: string[] };
  status?: { certificateStatus?: string; certificateName?: string; expireTime?: string; domainStatus?: Array<{ domain?: string; status?: string }> };
};

export interface ManagedCertificateSubject extends CloudBase {
  path: 'managed-certificate';
  object: ManagedCertificateObject;
  /** Ingresses in the namespace naming it in networking.gke.io/managed-certificates; undefined when unknown. */
  referencedBy: string[] | undefined;
}

export type SecretProviderClassObject = KubeObject & {
  spec?: { provider?: string; secretObjects?: Array<{ secretName?: string; type?: string }>; parameters?: Record<string, string> };
};

export interface SecretProviderClassSubject extends CloudBase {
  path: 'secret-provider-class';
  object: SecretProviderClassObject;
  /** Whether a Secret of that name exists in the namespace. */
  secretExists: (name: string) => Promise<Lookup<boolean>>;
  /** Pods in the namespace that mount a CSI volume with this SecretProviderClass ("pod/NAME (Phase)"). */
  mountingPods: () => Promise<Lookup<string[]>>;
}

export type CloudSubject = AlbIngressSubject | GkeIngressSubject | AppRoutingIngressSubject | ManagedCertificateSubject | SecretProviderClassSubject;

export const ANNOTATION = {
  ingressClass: 'kubernetes.io/ingress.class',
  albSslPolicy: 'alb.ingress.kubernetes.io/ssl-policy',
  albCertificateArn: 'alb.ingress.kubernetes.io/certificate-arn',
  albListenPorts: 'alb.ingress.kubernetes.io/listen-ports',
  albSslRedirect: 'alb.ingress.kubernetes.io/ssl-redirect',
  albGroup: 'alb.ingress.kubernetes.io/group.name',
  gkeManagedCertificates: 'networking.gke.io/managed-certificates',
  gkeFrontendConfig: 'networking.gke.io/v1beta1.FrontendConfig',
  aksKeyVault: 'kubernetes.azure.com/tls-cert-keyvault-uri',
} as const;

export const CSI_DRIVER = 'secrets-store.csi.k8s.io';
export const APP_ROUTING_CLASS = 'webapprouting.kubernetes.azure.com';

/** The class an Ingress asks for: spec.ingressClassName, else the legacy annotation. */
export function ingressClass(ing: CloudIngress): string | undefined {
  return ing.spec?.ingressClassName ?? ing.metadata?.annotations?.[ANNOTATION.ingressClass];
}

/** Which cloud path an Ingress is on, if any. `albClasses` also holds IngressClasses run by the AWS controller. */
export function ingressPath(ing: CloudIngress, albClasses: ReadonlySet<string>): CloudSubject['path'] | undefined {
  const cls = ingressClass(ing);
  const a = ing.metadata?.annotations ?? {};
  if (cls !== undefined && albClasses.has(cls)) return 'alb-ingress';
  if (a[ANNOTATION.aksKeyVault] || cls === APP_ROUTING_CLASS) return a[ANNOTATION.aksKeyVault] ? 'app-routing-ingress' : undefined;
  if (cls === 'gce' || a[ANNOTATION.gkeManagedCertificates] || a[ANNOTATION.gkeFrontendConfig]) return 'gke-ingress';
  return undefined;
}

export const CLOUD_RESOURCES = {
  managedCertificates: { group: 'networking.gke.io', version: 'v1', plural: 'managedcertificates' },
  frontendConfigs: { group: 'networking.gke.io', version: 'v1beta1', plural: 'frontendconfigs' },
  secretProviderClasses: { group: 'secrets-store.csi.x-k8s.io', version: 'v1', plural: 'secretproviderclasses' },
  ingressClassParams: { group: 'elbv2.k8s.aws', version: 'v1beta1', plural: 'ingressclassparams' },
} as const;
