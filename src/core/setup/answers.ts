// The answers the setup wizard collects, one field per decision. The same shape comes from flags
// (non-interactive) or from the wizard, so both paths produce one plan.

export type Audience = 'public' | 'internal' | 'both';
export type IssuerChoice = 'letsencrypt' | 'letsencrypt-staging' | 'zerossl' | 'google' | 'acme' | 'private-ca' | 'selfsigned-bootstrap' | 'cloud';
export type Provider = 'eks' | 'gke' | 'aks' | 'onprem';
export type Via = 'cert-manager' | 'built-in';
export type Challenge = 'http01' | 'dns01';
export type DnsProvider = 'rfc2136' | 'route53' | 'cloudflare' | 'clouddns' | 'azuredns';
export type KeyAlgorithm = 'ecdsa-p256' | 'ecdsa-p384' | 'rsa-2048' | 'rsa-3072' | 'rsa-4096';
export type TlsProfile = 'intermediate' | 'modern';
export type TrustOutput = 'pem' | 'pkcs12' | 'configmap' | 'bundle';

export interface SetupAnswers {
  audience?: Audience;
  issuer?: IssuerChoice;
  provider?: Provider;
  via?: Via;
  domains?: string[];
  email?: string;
  acmeServer?: string;
  acmeProfile?: 'classic' | 'tlsserver' | 'shortlived';
  eabKid?: string;
  eabHmacKeyFile?: string;
  challenge?: Challenge;
  ingressClass?: string;
  gateway?: string;
  dnsProvider?: DnsProvider;
  caDir?: string;
  caMode?: 'create' | 'import';
  target?: string;
  secretName?: string;
  keyAlgorithm?: KeyAlgorithm;
  tlsProfile?: TlsProfile;
  hsts?: boolean;
  trustOutputs?: TrustOutput[];
  acmCertificateArn?: string;
  keyvaultUri?: string;
}

/** The cluster facts the tree needs, flattened from `context`'s ClusterFacts. */
export interface SetupFacts {
  certManager: { installed: boolean; version?: string | undefined } | null;
  trustManager: boolean | null;
  ingressClasses: string[];
  defaultIngressClass?: string | undefined;
  gatewayApi: boolean;
  gateways: string[];
  cloud: 'aws' | 'gcp' | 'azure' | 'other' | 'none' | null;
  targets: Array<{ ref: string; why: string }>;
}

export const ACME_ISSUERS: ReadonlySet<IssuerChoice> = new Set(['letsencrypt', 'letsencrypt-staging', 'zerossl', 'google', 'acme']);
export const EAB_ISSUERS: ReadonlySet<IssuerChoice> = new Set(['zerossl', 'google']);

export const isAcme = (a: SetupAnswers): boolean => a.issuer !== undefined && ACME_ISSUERS.has(a.issuer);
export const hasWildcard = (a: SetupAnswers): boolean => (a.domains ?? []).some((d) => d.startsWith('*.'));
