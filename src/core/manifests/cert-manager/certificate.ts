// cert-manager Certificate for a target: names, Secret, key, lifetime and usages, checked here so
// the API server's refusal (or worse, cert-manager's later failure) is never the first feedback.
import { isIP } from 'node:net';
import type { KubeObject } from '../../kube/client.js';
import { InvalidInputError } from '../../errors.js';
import { ownedMetadata } from '../labels.js';

export const KEY_ALGORITHMS = {
  'ecdsa-p256': { algorithm: 'ECDSA', size: 256 },
  'ecdsa-p384': { algorithm: 'ECDSA', size: 384 },
  'rsa-2048': { algorithm: 'RSA', size: 2048 },
  'rsa-3072': { algorithm: 'RSA', size: 3072 },
  'rsa-4096': { algorithm: 'RSA', size: 4096 },
} as const;
export type CertKeyAlgorithm = keyof typeof KEY_ALGORITHMS;

/** Key usages cert-manager accepts (the CRD enum). */
export const USAGES = [
  'signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement', 'data encipherment', 'cert sign', 'crl sign',
  'encipher only', 'decipher only', 'any', 'server auth', 'client auth', 'code signing', 'email protection', 's/mime', 'ipsec end system',
  'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing', 'microsoft sgc', 'netscape sgc',
] as const;
export type Usage = (typeof USAGES)[number];

export interface IssuerRef {
  kind: 'Issuer' | 'ClusterIssuer';
  name: string;
}

export interface CertificateInput {
  name: string;
  namespace: string;
  secretName: string;
  dnsNames?: string[] | undefined;
  ipAddresses?: string[] | undefined;
  commonName?: string | undefined;
  issuerRef: IssuerRef;
  keyAlgorithm?: CertKeyAlgorithm | undefined;
  /** Default Always: a fresh key on every renewal (cert-manager's own default since 1.18, made explicit for older ones). */
  rotationPolicy?: 'Always' | 'Never' | undefined;
  durationMs?: number | undefined;
  renewBeforeMs?: number | undefined;
  usages?: Usage[] | undefined;
  isCA?: boolean | undefined;
  component?: string | undefined;
  /** Labels copied onto the Secret (spec.secretTemplate). */
  secretLabels?: Record<string, string> | undefined;
}

const HOUR = 3_600_000;
const MIN_DURATION = HOUR; // cert-manager refuses shorter
const MIN_RENEW_BEFORE = 5 * 60_000;

export function certificate(c: CertificateInput): KubeObject {
  const dnsNames = (c.dnsNames ?? []).map((d) => checkDnsName(d));
  const ipAddresses = c.ipAddresses ?? [];
  for (const ip of ipAddresses) if (isIP(ip) === 0) throw new InvalidInputError(`"${ip}" is not an IP address`, { hint: 'pass --san with a hostname or an IPv4/IPv6 address' });
  if (!c.isCA && dnsNames.length === 0 && ipAddresses.length === 0) {
    throw new InvalidInputError(`Certificate ${c.namespace}/${c.name} has no DNS names or IP addresses`, { hint: 'pass --domain NAME (repeatable)' });
  }
  if (new Set(dnsNames).size !== dnsNames.length) throw new InvalidInputError(`Certificate ${c.name} lists a DNS name twice`, { hint: 'pass each --domain once' });
  checkName(c.secretName, '--secret-name');
  checkName(c.name, 'certificate name');
  const key = KEY_ALGORITHMS[c.keyAlgorithm ?? 'ecdsa-p256'];
  if (!key) throw new InvalidInputError(`--key-algorithm "${String(c.keyAlgorithm)}" is not one of ${Object.keys(KEY_ALGORITHMS).join(', ')}`);
  const spec: Record<string, unknown> = { secretName: c.secretName };
  if (c.commonName) spec.commonName = c.commonName;
  if (dnsNames.length) spec.dnsNames = dnsNames;
  if (ipAddresses.length) spec.ipAddresses = [...ipAddresses];
  if (c.isCA) spec.isCA = true;
  spec.issuerRef = { group: 'cert-manager.io', kind: c.issuerRef.kind, name: c.issuerRef.name };
  spec.privateKey = { algorithm: key.algorithm, size: key.size, rotationPolicy: c.rotationPolicy ?? 'Always' };
  if (c.durationMs !== undefined) {
    if (c.durationMs < MIN_DURATION) throw new InvalidInputError(`certificate duration ${goDuration(c.durationMs)} is shorter than cert-manager's minimum of 1h`, { hint: 'pass a duration of at least 1h' });
    spec.duration = goDuration(c.durationMs);
  }
  if (c.renewBeforeMs !== undefined) {
    if (c.renewBeforeMs < MIN_RENEW_BEFORE) throw new InvalidInputError(`renew-before ${goDuration(c.renewBeforeMs)} is shorter than cert-manager's minimum of 5m`, { hint: 'renew at least 5m before expiry' });
    const duration = c.durationMs ?? 90 * 24 * HOUR;
    if (c.renewBeforeMs >= duration) throw new InvalidInputError(`renew-before ${goDuration(c.renewBeforeMs)} is not shorter than the certificate duration ${goDuration(duration)}`, { hint: 'renew-before must be less than the duration (a third of it is usual)' });
    spec.renewBefore = goDuration(c.renewBeforeMs);
  }
  const usages = c.usages ?? (c.isCA ? undefined : (['digital signature', 'key encipherment', 'server auth'] as Usage[]));
  if (usages) {
    for (const u of usages) if (!(USAGES as readonly string[]).includes(u)) throw new InvalidInputError(`"${u}" is not a certificate usage cert-manager knows`, { hint: `use one of: ${USAGES.join(', ')}` });
    spec.usages = [...usages];
  }
  if (c.secretLabels && Object.keys(c.secretLabels).length) spec.secretTemplate = { labels: { ...c.secretLabels } };
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: ownedMetadata({ name: c.name, namespace: c.namespace, component: c.component }),
    spec,
  };
}

/** Go's time.Duration text, in whole hours, minutes or seconds (what cert-manager prints back). */
export function goDuration(ms: number): string {
  if (ms % HOUR === 0) return `${ms / HOUR}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function checkDnsName(input: string): string {
  const name = input.trim().toLowerCase().replace(/\.$/, '');
  const labels = name.startsWith('*.') ? name.slice(2).split('.') : name.split('.');
  if (name.length > 253 || labels.length < 1 || !labels.every((l) => LABEL.test(l) || /^xn--[a-z0-9-]+$/.test(l))) {
    throw new InvalidInputError(`"${input}" is not a valid DNS name`, { hint: 'pass names like app.example.com or *.example.com (wildcards only as the first label)' });
  }
  return name;
}

function checkName(name: string, what: string): void {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253) {
    throw new InvalidInputError(`${what} "${name}" is not a valid Kubernetes name`, { hint: 'use lowercase letters, digits and dashes' });
  }
}
