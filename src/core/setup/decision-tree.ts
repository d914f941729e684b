// The setup decision tree, as data. The wizard walks it, the flags fill it, and
// docs/decision-tree.md is generated from it (a test fails when the doc and this file differ).
// A walk asks, in order, every node whose `applies` holds and that has no answer yet.
import type { SetupAnswers, SetupFacts } from './answers.js';
import { ACME_ISSUERS, EAB_ISSUERS, hasWildcard, isAcme } from './answers.js';
import { defaultCaDir } from '../pki/ca-store.js';
import { validateDomain, validateEmail, validateHttpsUrl } from './validators.js';

export interface Choice {
  value: string;
  label: string;
  /** Set when the choice cannot be taken here, with the reason shown greyed out. */
  disabled?: string | undefined;
}

interface NodeBase {
  id: keyof SetupAnswers;
  title: string;
  /** One line on why this choice matters, shown under the title. */
  why: string;
  /** The flag that answers this node in a non-interactive run. */
  flag: string;
  /** Human wording of `applies`, for the docs. */
  askedWhen: string;
  applies(a: SetupAnswers, f: SetupFacts): boolean;
}

export interface SelectNode extends NodeBase {
  kind: 'select';
  choices(a: SetupAnswers, f: SetupFacts): Choice[];
  /** Preselected value, from the detected context. */
  preselect(a: SetupAnswers, f: SetupFacts): string | undefined;
  /** When set, a default is good enough for non-interactive runs (the flag becomes optional). */
  optional?: boolean;
}

export interface TextNode extends NodeBase {
  kind: 'text';
  placeholder: string;
  /** Comma-separated list of values (e.g. several domains). */
  list?: boolean;
  validate(value: string, a: SetupAnswers): string | undefined;
  preselect(a: SetupAnswers, f: SetupFacts): string | undefined;
  optional?: boolean;
}

export type TreeNode = SelectNode | TextNode;

const always = () => true;
const publicFacing = (a: SetupAnswers) => a.audience === 'public' || a.audience === 'both';
const privateCa = (a: SetupAnswers) => a.issuer === 'private-ca' || a.issuer === 'selfsigned-bootstrap';
const cloud = (a: SetupAnswers) => a.issuer === 'cloud';

function cloudProviderFor(f: SetupFacts): 'eks' | 'gke' | 'aks' | undefined {
  return f.cloud === 'aws' ? 'eks' : f.cloud === 'gcp' ? 'gke' : f.cloud === 'azure' ? 'aks' : undefined;
}

export const DECISION_TREE: readonly TreeNode[] = [
  {
    kind: 'select',
    id: 'audience',
    title: 'Who connects to this service?',
    why: 'Browsers and outside clients need a publicly trusted CA; internal clients can trust your own CA.',
    flag: '--audience public|internal|both',
    askedWhen: 'always (skipped when --issuer is given)',
    applies: always,
    choices: () => [
      { value: 'public', label: 'The public internet (browsers, outside clients)' },
      { value: 'internal', label: 'Only clients inside the cluster or company network' },
      { value: 'both', label: 'Both' },
    ],
    preselect: (_a, f) => (f.ingressClasses.length || f.gatewayApi ? 'public' : 'internal'),
  },
  {
    kind: 'select',
    id: 'issuer',
    title: 'Which certificate authority?',
    why: 'Public CAs need a public DNS name and a challenge; a private CA needs its root installed on every client.',
    flag: '--issuer letsencrypt|letsencrypt-staging|zerossl|google|acme|private-ca|selfsigned-bootstrap',
    askedWhen: 'always',
    applies: always,
    choices: (a, f) => {
      const pub = a.audience !== 'internal';
      const priv = a.audience !== 'public';
      const cloudName = cloudProviderFor(f);
      const out: Choice[] = [];
      if (pub) {
        out.push(
          { value: 'letsencrypt-staging', label: "Let's Encrypt staging (test the whole path first, untrusted certificates)" },
          { value: 'letsencrypt', label: "Let's Encrypt production" },
          { value: 'zerossl', label: 'ZeroSSL (needs External Account Binding)' },
          { value: 'google', label: 'Google Trust Services (needs External Account Binding)' },
          { value: 'acme', label: 'Another ACME server (URL, optional EAB)' },
          {
            value: 'cloud',
            label: 'Cloud-managed certificate (ACM on EKS, Google-managed on GKE, Key Vault on AKS)',
            disabled: cloudName ? undefined : 'no EKS/GKE/AKS nodes detected; pass --provider to force it',
          },
        );
      }
      if (priv) {
        out.push(
          { value: 'private-ca', label: 'Private CA (create one, or import yours)' },
          {
            value: 'selfsigned-bootstrap',
            label: 'Private CA owned by cert-manager (selfSigned → CA bootstrap)',
            disabled: f.certManager?.installed === false ? 'cert-manager is not installed' : undefined,
          },
        );
      }
      return out;
    },
    preselect: (a) => (a.audience === 'internal' ? 'private-ca' : 'letsencrypt-staging'),
  },
  {
    kind: 'select',
    id: 'provider',
    title: 'Which cloud path?',
    why: "The cloud's load balancer terminates TLS with its own certificate service; the cluster only references it.",
    flag: '--provider eks|gke|aks|onprem',
    askedWhen: 'issuer is cloud-managed',
    applies: cloud,
    choices: (_a, f) => [
      { value: 'eks', label: 'EKS: AWS Load Balancer Controller + ACM', disabled: f.cloud && f.cloud !== 'aws' ? `nodes look like ${f.cloud}` : undefined },
      { value: 'gke', label: 'GKE: Google-managed certificate + FrontendConfig', disabled: f.cloud && f.cloud !== 'gcp' ? `nodes look like ${f.cloud}` : undefined },
      { value: 'aks', label: 'AKS: Key Vault via Secrets Store CSI', disabled: f.cloud && f.cloud !== 'azure' ? `nodes look like ${f.cloud}` : undefined },
    ],
    preselect: (_a, f) => cloudProviderFor(f),
  },
  {
    kind: 'text',
    id: 'acmCertificateArn',
    title: 'ACM certificate ARN',
    why: 'The ALB serves this ACM certificate; it must be in the same region as the load balancer.',
    flag: '--acm-certificate-arn ARN',
    askedWhen: 'provider is eks',
    applies: (a) => cloud(a) && a.provider === 'eks',
    placeholder: 'arn:aws:acm:eu-west-1:123456789012:certificate/…',
    validate: (v) => (/^arn:aws[\w-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/.test(v) ? undefined : 'not an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)'),
    preselect: () => undefined,
  },
  {
    kind: 'text',
    id: 'keyvaultUri',
    title: 'Key Vault certificate URI',
    why: 'The Secrets Store CSI driver syncs this Key Vault certificate into a kubernetes.io/tls Secret.',
    flag: '--keyvault-uri URI',
    askedWhen: 'provider is aks',
    applies: (a) => cloud(a) && a.provider === 'aks',
    placeholder: 'https://myvault.vault.azure.net/certificates/app-tls',
    validate: (v) => (/^https:\/\/[\w-]+\.vault\.azure\.net\/(certificates|secrets)\/[\w-]+/.test(v) ? undefined : 'not a Key Vault certificate URI (https://VAULT.vault.azure.net/certificates/NAME)'),
    preselect: () => undefined,
  },
  {
    kind: 'select',
    id: 'caMode',
    title: 'Create a new private CA or import an existing one?',
    why: 'Importing keeps the root your clients already trust; creating makes a root + intermediate whose root key stays on this machine.',
    flag: '--ca-dir DIR (an existing CA directory is used as is)',
    askedWhen: 'issuer is private-ca',
    applies: (a) => a.issuer === 'private-ca',
    choices: () => [
      { value: 'create', label: 'Create a new root and intermediate (root key stays local)' },
      { value: 'import', label: 'Use an existing CA directory (ca import first for PEM files)' },
    ],
    preselect: () => 'create',
    optional: true,
  },
  {
    kind: 'select',
    id: 'via',
    title: 'Who renews the certificate?',
    why: 'cert-manager renews inside the cluster; built-in renews when `renew` runs (a CronJob for ACME, your scheduler for a private CA whose key stays here).',
    flag: '--via cert-manager|built-in',
    askedWhen: 'issuer is not cloud-managed (selfsigned-bootstrap always uses cert-manager)',
    applies: (a) => !cloud(a) && a.issuer !== 'selfsigned-bootstrap',
    choices: (_a, f) => [
      {
        value: 'cert-manager',
        label: `cert-manager${f.certManager?.installed ? ` (installed${f.certManager.version ? `, ${f.certManager.version}` : ''})` : ''}`,
        disabled: f.certManager?.installed === false ? 'cert-manager is not installed (install it first, or use built-in)' : undefined,
      },
      { value: 'built-in', label: 'Built-in: this plugin issues now and `renew` keeps it current' },
    ],
    // Unknown (no permission, or offline) counts as present: cert-manager is the usual answer.
    preselect: (_a, f) => (f.certManager?.installed === false ? 'built-in' : 'cert-manager'),
    optional: true,
  },
  {
    kind: 'text',
    id: 'domains',
    title: 'DNS names for the certificate',
    why: 'Clients check the name they connect to against these; a wildcard (*.example.com) needs DNS-01.',
    flag: '--domain NAME (repeatable)',
    askedWhen: 'issuer is not cloud-managed on EKS/AKS (those take the names from the existing certificate)',
    applies: (a) => !(cloud(a) && (a.provider === 'eks' || a.provider === 'aks')),
    placeholder: 'app.example.com, www.example.com',
    list: true,
    validate: (v) => {
      const names = v.split(',').map((s) => s.trim()).filter(Boolean);
      if (names.length === 0) return 'enter at least one DNS name';
      for (const n of names) {
        const err = validateDomain(n);
        if (err) return err;
      }
      return undefined;
    },
    preselect: () => undefined,
  },
  {
    kind: 'text',
    id: 'email',
    title: 'Contact email for the ACME account',
    why: 'The CA uses it for expiry and policy notices; it is not put in the certificate.',
    flag: '--email ADDR',
    askedWhen: 'issuer is an ACME CA',
    applies: isAcme,
    placeholder: 'platform@example.com',
    validate: (v) => validateEmail(v),
    preselect: () => undefined,
  },
  {
    kind: 'text',
    id: 'acmeServer',
    title: 'ACME directory URL',
    why: 'Any RFC 8555 CA works; a private one may also need --acme-ca-bundle.',
    flag: '--acme-server URL',
    askedWhen: 'issuer is acme (another ACME server)',
    applies: (a) => a.issuer === 'acme',
    placeholder: 'https://acme.example.com/directory',
    validate: (v) => validateHttpsUrl(v),
    preselect: () => undefined,
  },
  {
    kind: 'text',
    id: 'eabKid',
    title: 'External Account Binding key ID',
    why: 'ZeroSSL and Google Trust Services only accept accounts bound to your account with them.',
    flag: '--eab-kid ID',
    askedWhen: 'issuer is zerossl or google',
    applies: (a) => a.issuer !== undefined && EAB_ISSUERS.has(a.issuer),
    placeholder: 'kid from the CA dashboard',
    validate: (v) => (v.trim() ? undefined : 'enter the key ID'),
    preselect: () => undefined,
  },
  {
    kind: 'text',
    id: 'eabHmacKeyFile',
    title: 'File holding the EAB HMAC key',
    why: 'Secrets are read from files, never typed into flags (they would land in shell history).',
    flag: '--eab-hmac-key-file FILE',
    askedWhen: 'issuer is zerossl or google',
    applies: (a) => a.issuer !== undefined && EAB_ISSUERS.has(a.issuer),
    placeholder: '~/secrets/eab-hmac.key',
    validate: (v) => (v.trim() ? undefined : 'enter a file path'),
    preselect: () => undefined,
  },
  {
    kind: 'select',
    id: 'challenge',
    title: 'How will the CA check you control the name?',
    why: 'HTTP-01 needs port 80 reachable from the internet; DNS-01 needs API access to the DNS zone and is the only way to get wildcards.',
    flag: '--challenge http01|dns01',
    askedWhen: 'issuer is an ACME CA',
    applies: isAcme,
    choices: (a) => [
      { value: 'http01', label: 'HTTP-01 through an ingress class or Gateway', disabled: hasWildcard(a) ? 'wildcard names need DNS-01' : undefined },
      { value: 'dns01', label: 'DNS-01 through your DNS provider' },
    ],
    preselect: (a) => (hasWildcard(a) ? 'dns01' : 'http01'),
  },
  {
    kind: 'select',
    id: 'ingressClass',
    title: 'Which ingress class serves the HTTP-01 challenge?',
    why: 'The solver must be reachable on port 80 through the same path real traffic takes.',
    flag: '--ingress-class NAME | --gateway NS/NAME',
    askedWhen: 'challenge is http01 and no --gateway was given',
    applies: (a) => isAcme(a) && a.challenge === 'http01' && !a.gateway,
    choices: (_a, f) =>
      f.ingressClasses.length
        ? f.ingressClasses.map((c) => ({ value: c, label: c === f.defaultIngressClass ? `${c} (default)` : c }))
        : [{ value: '', label: 'no IngressClass found', disabled: 'create one or pass --gateway NS/NAME' }],
    preselect: (_a, f) => f.defaultIngressClass ?? f.ingressClasses[0],
  },
  {
    kind: 'select',
    id: 'dnsProvider',
    title: 'Which DNS provider hosts the zone?',
    why: 'The CA looks up a TXT record under _acme-challenge; the plugin or cert-manager writes it through this API.',
    flag: '--dns-provider rfc2136|route53|cloudflare|clouddns|azuredns (+ its flags)',
    askedWhen: 'challenge is dns01',
    applies: (a) => isAcme(a) && a.challenge === 'dns01',
    choices: () => [
      { value: 'rfc2136', label: 'RFC2136 dynamic update with TSIG (BIND, Knot, PowerDNS, …)' },
      { value: 'route53', label: 'AWS Route53' },
      { value: 'cloudflare', label: 'Cloudflare' },
      { value: 'clouddns', label: 'Google Cloud DNS' },
      { value: 'azuredns', label: 'Azure DNS' },
    ],
    preselect: (_a, f) => (f.cloud === 'aws' ? 'route53' : f.cloud === 'gcp' ? 'clouddns' : f.cloud === 'azure' ? 'azuredns' : 'rfc2136'),
  },
  {
    kind: 'text',
    id: 'caDir',
    title: 'Directory of the private CA',
    why: 'The root key lives here, on this machine, and is never sent to the cluster unless you ask.',
    flag: '--ca-dir DIR',
    askedWhen: 'issuer is private-ca',
    applies: (a) => a.issuer === 'private-ca',
    placeholder: '~/.config/vibectl-tls/ca',
    validate: (v) => (v.trim() ? undefined : 'enter a directory'),
    preselect: () => defaultCaDir(),
    optional: true,
  },
  {
    kind: 'select',
    id: 'target',
    title: 'Which workload serves TLS with this certificate?',
    why: 'The plugin mounts the Secret into it and points the server at the files (vibectl-server: tls.cert_file / tls.key_file).',
    flag: '--target KIND/NAME',
    askedWhen: 'issuer is not cloud-managed',
    applies: (a) => !cloud(a),
    choices: (_a, f) => [
      ...f.targets.map((t) => ({ value: t.ref, label: `${t.ref} (${t.why})` })),
      { value: 'none', label: 'None: only create the Secret (an Ingress or Gateway terminates TLS)' },
    ],
    preselect: (_a, f) => f.targets[0]?.ref ?? 'none',
    optional: true,
  },
  {
    kind: 'text',
    id: 'secretName',
    title: 'Name of the TLS Secret',
    why: 'Ingresses, Gateways and pods refer to the certificate by this name.',
    flag: '--secret-name NAME',
    askedWhen: 'issuer is not cloud-managed on EKS',
    applies: (a) => !(cloud(a) && a.provider === 'eks'),
    placeholder: 'app-tls',
    validate: (v) => (/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(v) ? undefined : 'a Secret name is lower-case letters, digits, "-" and "."'),
    preselect: (a) => defaultSecretName(a.domains),
    optional: true,
  },
  {
    kind: 'select',
    id: 'keyAlgorithm',
    title: 'Key algorithm',
    why: 'ECDSA P-256 is faster to handshake and accepted everywhere today; pick RSA only for very old clients.',
    flag: '--key-algorithm ecdsa-p256|ecdsa-p384|rsa-2048|rsa-3072|rsa-4096',
    askedWhen: 'issuer is not cloud-managed',
    applies: (a) => !cloud(a),
    choices: () => [
      { value: 'ecdsa-p256', label: 'ECDSA P-256 (recommended)' },
      { value: 'ecdsa-p384', label: 'ECDSA P-384' },
      { value: 'rsa-2048', label: 'RSA 2048' },
      { value: 'rsa-3072', label: 'RSA 3072' },
      { value: 'rsa-4096', label: 'RSA 4096' },
    ],
    preselect: () => 'ecdsa-p256',
    optional: true,
  },
  {
    kind: 'select',
    id: 'tlsProfile',
    title: 'TLS profile',
    why: 'Mozilla intermediate (TLS 1.2 + 1.3) suits mixed clients; modern is TLS 1.3 only — what the vibectl client requires anyway.',
    flag: '--tls-profile intermediate|modern',
    askedWhen: 'always',
    applies: always,
    choices: () => [
      { value: 'intermediate', label: 'Intermediate: TLS 1.2 and 1.3, strong AEAD suites (recommended)' },
      { value: 'modern', label: 'Modern: TLS 1.3 only' },
    ],
    preselect: () => 'intermediate',
    optional: true,
  },
  {
    kind: 'select',
    id: 'hsts',
    title: 'Send HSTS (Strict-Transport-Security)?',
    why: 'Browsers will refuse plain HTTP for two years; only for names that will always serve HTTPS.',
    flag: '--hsts | --no-hsts',
    askedWhen: 'audience is public or both',
    applies: publicFacing,
    choices: () => [
      { value: 'yes', label: 'Yes: max-age=63072000; includeSubDomains' },
      { value: 'no', label: 'No' },
    ],
    preselect: () => 'yes',
    optional: true,
  },
  {
    kind: 'select',
    id: 'trustOutputs',
    title: 'How do clients get the CA to trust?',
    why: 'Clients of a private CA must trust its root; pick where they read it from.',
    flag: '--trust-output pem|pkcs12|configmap|bundle (repeatable)',
    askedWhen: 'issuer is a private CA',
    applies: privateCa,
    choices: (_a, f) => [
      { value: 'configmap', label: 'ConfigMap with ca.crt in the target namespace' },
      { value: 'bundle', label: 'trust-manager Bundle to chosen namespaces', disabled: f.trustManager ? undefined : 'trust-manager is not installed' },
      { value: 'pem', label: 'PEM bundle file on this machine' },
      { value: 'pkcs12', label: 'PKCS#12 trust store (Java) on this machine' },
    ],
    preselect: (_a, f) => (f.trustManager ? 'bundle' : 'configmap'),
    optional: true,
  },
];

export function defaultSecretName(domains: string[] | undefined): string | undefined {
  const first = domains?.[0]?.replace(/^\*\./, 'wildcard.');
  if (!first) return undefined;
  const label = first.split('.')[0]!.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  return `${label}-tls`;
}

/** The next unanswered node that applies, or undefined when the walk is complete. */
export function nextNode(a: SetupAnswers, f: SetupFacts): TreeNode | undefined {
  return DECISION_TREE.find((n) => n.applies(a, f) && a[n.id] === undefined && !(n.id === 'audience' && a.issuer !== undefined));
}

/**
 * Nodes still missing for a non-interactive run (optional nodes take their preselected default).
 * The audience is never required there: --issuer says it.
 */
export function missingRequired(a: SetupAnswers, f: SetupFacts): TreeNode[] {
  const filled = fillDefaults(a, f);
  return DECISION_TREE.filter((n) => !n.optional && n.id !== 'audience' && n.applies(filled, f) && filled[n.id] === undefined);
}

/** Applies preselected defaults of optional nodes, in tree order, without asking. */
export function fillDefaults(a: SetupAnswers, f: SetupFacts): SetupAnswers {
  let out: SetupAnswers = { ...a };
  if (out.issuer && !out.audience) out.audience = ACME_ISSUERS.has(out.issuer) || out.issuer === 'cloud' ? 'public' : 'internal';
  for (const n of DECISION_TREE) {
    if (!n.applies(out, f) || out[n.id] !== undefined || !n.optional) continue;
    const v = n.preselect(out, f);
    if (v !== undefined) out = setAnswer(out, n, v);
  }
  return out;
}

/** Stores a raw wizard/flag value into the typed answers. */
export function setAnswer(a: SetupAnswers, node: TreeNode, raw: string): SetupAnswers {
  const out: Record<string, unknown> = { ...a };
  if (node.id === 'domains') out.domains = raw.split(',').map((s) => s.trim()).filter(Boolean);
  else if (node.id === 'hsts') out.hsts = raw === 'yes' || raw === 'true';
  else if (node.id === 'trustOutputs') out.trustOutputs = raw.split(',').map((s) => s.trim()).filter(Boolean);
  else out[node.id] = raw;
  return out as SetupAnswers;
}

/** The value of an answer as the wizard shows it (and as `setAnswer` reads it back). */
export function answerText(a: SetupAnswers, id: keyof SetupAnswers): string | undefined {
  const v = a[id];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}
