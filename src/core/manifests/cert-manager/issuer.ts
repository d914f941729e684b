// Issuer / ClusterIssuer in its three shapes: ACME (public or private server, EAB, caBundle,
// profile, solvers), CA (a signing key pair in a Secret) and selfSigned (only to bootstrap a CA).
import type { KubeObject } from '../../kube/client.js';
import { InvalidInputError, MissingInputError } from '../../errors.js';
import { requireFeature, type CertManagerCapabilities } from '../../cert-manager/version.js';
import { ownedMetadata } from '../labels.js';
import { credentialSecret } from '../secret.js';
import { certificate, type CertKeyAlgorithm } from './certificate.js';
import { http01Solver, type Http01Input } from './solvers/http01.js';
import { dns01Solver, type Dns01Input } from './solvers/dns01/index.js';
import type { SolverContext, SolverResult, SolverSelector } from './solvers/types.js';

export type IssuerKind = 'Issuer' | 'ClusterIssuer';

export interface IssuerTarget {
  kind: IssuerKind;
  name: string;
  /** Issuer only. */
  namespace?: string | undefined;
  /** cert-manager's --cluster-resource-namespace: where a ClusterIssuer's Secrets live. Default cert-manager. */
  clusterResourceNamespace?: string | undefined;
  /** Value of the vibectl-tls.io/component label; default the issuer name. */
  component?: string | undefined;
}

/** Well-known ACME directories (CLI.md `--issuer`). */
export const ACME_DIRECTORIES = {
  letsencrypt: { url: 'https://acme-v02.api.letsencrypt.org/directory', title: "Let's Encrypt", eab: false },
  'letsencrypt-staging': { url: 'https://acme-staging-v02.api.letsencrypt.org/directory', title: "Let's Encrypt (staging)", eab: false },
  zerossl: { url: 'https://acme.zerossl.com/v2/DV90', title: 'ZeroSSL', eab: true },
  google: { url: 'https://dv.acme-v02.api.pki.goog/directory', title: 'Google Trust Services', eab: true },
} as const;
export type AcmeDirectoryId = keyof typeof ACME_DIRECTORIES;

export const ACME_PROFILES = ['classic', 'tlsserver', 'shortlived'] as const;

export type SolverInput = ({ type: 'http01' } & Http01Input) | ({ type: 'dns01'; selector?: SolverSelector } & Dns01Input);

export interface AcmeIssuerInput extends IssuerTarget {
  /** A directory id or an https URL. */
  server: AcmeDirectoryId | string;
  email?: string | undefined;
  /** Secret holding the ACME account key (cert-manager creates it). Default `<name>-account-key`. */
  accountKeySecretName?: string | undefined;
  eab?: { keyId: string; hmacKey: string } | undefined;
  /** PEM CA bundle that signs the ACME server's HTTPS certificate (private ACME servers). */
  caBundlePem?: string | undefined;
  profile?: string | undefined;
  solvers: SolverInput[];
}

export interface IssuerBuild {
  /** Secrets first, then the issuer: apply order. */
  objects: KubeObject[];
  notes: string[];
  issuerRef: { kind: IssuerKind; name: string };
}

export function secretNamespaceOf(t: IssuerTarget): string {
  if (t.kind === 'Issuer') {
    if (!t.namespace) throw new MissingInputError('the namespace of the Issuer', ['-n NAMESPACE']);
    return t.namespace;
  }
  return t.clusterResourceNamespace ?? 'cert-manager';
}

function issuerObject(t: IssuerTarget, spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject {
  checkName(t.name, 'issuer name');
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: t.kind,
    metadata: ownedMetadata({ name: t.name, namespace: t.kind === 'Issuer' ? t.namespace : undefined, component: t.component ?? t.name, annotations }),
    spec,
  };
}

export function resolveAcmeServer(server: string): { url: string; eabRequired: boolean; title: string } {
  const known = (ACME_DIRECTORIES as Record<string, { url: string; title: string; eab: boolean }>)[server];
  if (known) return { url: known.url, eabRequired: known.eab, title: known.title };
  let u: URL;
  try {
    u = new URL(server);
  } catch {
    throw new InvalidInputError(`ACME server "${server}" is neither a known directory nor a URL`, { hint: `pass --issuer ${Object.keys(ACME_DIRECTORIES).join('|')}, or --acme-server https://…/directory` });
  }
  if (u.protocol !== 'https:') throw new InvalidInputError(`ACME server ${server} is not https`, { hint: 'ACME directories are served over HTTPS (RFC 8555 §6.1)' });
  const fromKnown = Object.values(ACME_DIRECTORIES).find((d) => d.url === u.href);
  return { url: u.href, eabRequired: fromKnown?.eab ?? false, title: fromKnown?.title ?? u.host };
}

export function acmeIssuer(input: AcmeIssuerInput, caps?: CertManagerCapabilities): IssuerBuild {
  const server = resolveAcmeServer(input.server);
  const secretNamespace = secretNamespaceOf(input);
  const ctx: SolverContext = { issuerName: input.name, secretNamespace, issuerKind: input.kind };
  const acme: Record<string, unknown> = { server: server.url };
  if (input.email !== undefined) {
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email)) throw new InvalidInputError(`--email "${input.email}" is not an email address`, { hint: 'pass --email you@example.com (used for expiry and account notices)' });
    acme.email = input.email;
  }
  acme.privateKeySecretRef = { name: input.accountKeySecretName ?? `${input.name}-account-key` };
  const objects: KubeObject[] = [];
  const notes: string[] = [];

  if (server.eabRequired && !input.eab) throw new MissingInputError(`${server.title} needs External Account Binding: the EAB key ID and HMAC key`, ['--eab-kid ID', '--eab-hmac-key-file FILE']);
  if (input.eab) {
    if (!input.eab.keyId.trim()) throw new InvalidInputError('the EAB key ID is empty', { hint: 'pass --eab-kid ID from your CA account page' });
    const name = `${input.name}-eab`;
    objects.push(credentialSecret({ name, namespace: secretNamespace, data: { 'eab-hmac-key': normaliseEabKey(input.eab.hmacKey) }, component: input.name }));
    acme.externalAccountBinding = { keyID: input.eab.keyId.trim(), keySecretRef: { name, key: 'eab-hmac-key' } };
  }
  if (input.caBundlePem !== undefined) {
    requireFeature('acmeCaBundle', caps);
    const pem = input.caBundlePem.trim();
    if (!/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/.test(pem)) throw new InvalidInputError('the ACME CA bundle is not PEM certificates', { hint: 'pass --acme-ca-bundle FILE with one or more "BEGIN CERTIFICATE" blocks' });
    acme.caBundle = Buffer.from(pem + '\n').toString('base64');
  }
  if (input.profile !== undefined) {
    requireFeature('acmeProfile', caps);
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(input.profile)) throw new InvalidInputError(`--acme-profile "${input.profile}" is not a profile name`, { hint: `profiles are listed in the server's directory (Let's Encrypt: ${ACME_PROFILES.join(', ')})` });
    acme.profile = input.profile;
  }
  if (input.solvers.length === 0) throw new MissingInputError('an ACME challenge solver', ['--challenge http01|dns01']);
  const solvers: Record<string, unknown>[] = [];
  for (const s of input.solvers) {
    const r = buildSolver(s, ctx, caps);
    solvers.push(r.solver);
    objects.push(...r.secrets);
    notes.push(...r.notes);
  }
  acme.solvers = solvers;
  if (server.url.includes('staging')) notes.push(`${server.title} issues untrusted test certificates: switch to the production issuer once this works.`);
  objects.push(issuerObject(input, { acme }));
  return { objects, notes, issuerRef: { kind: input.kind, name: input.name } };
}

function buildSolver(s: SolverInput, ctx: SolverContext, caps?: CertManagerCapabilities): SolverResult {
  if (s.type === 'http01') {
    if (s.via === 'ingress') requireFeature('http01IngressClassName', caps);
    if (s.via === 'gateway') requireFeature('http01GatewayParentRefs', caps);
    return http01Solver(s);
  }
  const { type: _type, ...dns } = s;
  return dns01Solver(dns as Dns01Input & { selector?: SolverSelector }, ctx);
}

/** cert-manager wants the EAB MAC key as unpadded base64url; CAs hand it out in either alphabet. */
export function normaliseEabKey(key: string): string {
  const k = key.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(k)) throw new InvalidInputError('the EAB HMAC key is not base64', { hint: 'pass --eab-hmac-key-file FILE containing the key exactly as your CA shows it' });
  const out = k.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  if (Buffer.from(out, 'base64url').length < 16) throw new InvalidInputError('the EAB HMAC key is shorter than 128 bits', { hint: 'copy the whole key from your CA account page' });
  return out;
}

export interface CaIssuerInput extends IssuerTarget {
  /** Secret (kubernetes.io/tls) with the CA certificate and key. */
  secretName: string;
  /** When given, the Secret is created from this key pair (the plugin's private CA). */
  keyPair?: { certPem: string; keyPem: string; chainPem?: string | undefined } | undefined;
}

/** A CA issuer backed by a key pair: ours (from `ca init`) or one cert-manager bootstrapped. */
export function caIssuer(input: CaIssuerInput): IssuerBuild {
  const secretNamespace = secretNamespaceOf(input);
  const objects: KubeObject[] = [];
  const notes: string[] = [];
  if (input.keyPair) {
    const { certPem, keyPem } = input.keyPair;
    if (!certPem.includes('-----BEGIN CERTIFICATE-----')) throw new InvalidInputError('the CA certificate is not PEM', { hint: 'pass the CA directory created by `ca init` (--ca-dir DIR)' });
    if (!/-----BEGIN (EC |RSA )?PRIVATE KEY-----/.test(keyPem)) throw new InvalidInputError('the CA key is not an unencrypted PEM private key', { hint: 'cert-manager cannot use an encrypted key; export it without a passphrase into the Secret' });
    const chain = [certPem.trim(), input.keyPair.chainPem?.trim()].filter(Boolean).join('\n') + '\n';
    objects.push(credentialSecret({ name: input.secretName, namespace: secretNamespace, type: 'kubernetes.io/tls', data: { 'tls.crt': chain, 'tls.key': keyPem.trim() + '\n', 'ca.crt': certPem.trim() + '\n' }, component: input.name }));
    notes.push(`The CA private key is stored in Secret ${secretNamespace}/${input.secretName}: anyone who can read Secrets there can issue certificates your clients trust. Prefer an intermediate CA over the root.`);
  }
  objects.push(issuerObject(input, { ca: { secretName: input.secretName } }));
  return { objects, notes, issuerRef: { kind: input.kind, name: input.name } };
}

export function selfSignedIssuer(t: IssuerTarget): KubeObject {
  return issuerObject(t, { selfSigned: {} });
}

export interface BootstrapInput extends IssuerTarget {
  /** Subject CN of the CA cert-manager creates. */
  caCommonName: string;
  /** Secret that holds the CA. Default `<name>-ca`. */
  caSecretName?: string | undefined;
  keyAlgorithm?: CertKeyAlgorithm | undefined;
  /** CA lifetime; default 5 years. */
  durationMs?: number | undefined;
}

/**
 * selfSigned issuer → CA Certificate (isCA) → CA issuer: for clusters where cert-manager should own
 * the CA. The selfSigned issuer signs nothing but the CA.
 */
export function selfSignedCaBootstrap(input: BootstrapInput): IssuerBuild {
  const secretNamespace = secretNamespaceOf(input);
  const caSecretName = input.caSecretName ?? `${input.name}-ca`;
  const bootstrap: IssuerTarget = { ...input, name: `${input.name}-selfsigned`, component: input.component ?? input.name };
  const caCert = certificate({
    name: caSecretName,
    namespace: secretNamespace,
    secretName: caSecretName,
    commonName: input.caCommonName,
    isCA: true,
    issuerRef: { kind: input.kind, name: bootstrap.name },
    keyAlgorithm: input.keyAlgorithm ?? 'ecdsa-p256',
    rotationPolicy: 'Never',
    durationMs: input.durationMs ?? 5 * 365 * 24 * 3_600_000,
    usages: ['cert sign', 'crl sign', 'digital signature'],
    component: input.name,
  });
  const ca = caIssuer({ ...input, secretName: caSecretName });
  return {
    objects: [selfSignedIssuer(bootstrap), caCert, ...ca.objects],
    notes: [`cert-manager creates and keeps the CA key in Secret ${secretNamespace}/${caSecretName}; distribute its ca.crt with trust-manager or \`trust sync\`.`],
    issuerRef: ca.issuerRef,
  };
}

function checkName(name: string, what: string): void {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253) throw new InvalidInputError(`${what} "${name}" is not a valid Kubernetes name`, { hint: 'use lowercase letters, digits and dashes' });
}
