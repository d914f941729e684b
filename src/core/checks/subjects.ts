// The things doctor checks. Each subject computes its expensive facts once (parsing a Secret,
// scanning an endpoint) and hands them to every check that asks.
import type { KeyObject } from 'node:crypto';
import type { ObjectRef, Subject } from './framework.js';
import { certFacts, parsePrivateKey, pemBlocks, type CertFacts } from '../x509/certificate.js';
import { systemStore, trustStore, type TrustStore } from '../x509/evaluate.js';
import type { EndpointAddress } from '../tls/handshake.js';
import type { ScanResult } from '../tls/scan.js';
import type { ProfileName } from '../tls/mozilla.js';

export interface CheckSettings {
  /** Warn when a certificate expires within this many days. */
  days: number;
  profile: ProfileName;
}

export function memo<T>(fn: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = fn();
      done = true;
    }
    return value;
  };
}

export interface SecretMaterial {
  /** Keys of the Secret's data that are present and non-empty. */
  keys: string[];
  certPem: string | undefined;
  keyPem: string | undefined;
  caPem: string | undefined;
  /** Parsed tls.crt blocks, in stored order; errors name the failing block. */
  chain: CertFacts[];
  chainError: string | undefined;
  key: KeyObject | undefined;
  keyError: string | undefined;
  ca: CertFacts[];
}

export interface SecretSubject extends Subject {
  kind: 'secret';
  namespace: string;
  name: string;
  type: string;
  settings: CheckSettings;
  /** Host names the certificate must cover (from the Ingress or Certificate that uses it). */
  expectedNames: string[];
  material: () => SecretMaterial;
  trustStores: () => TrustStore[];
}

export interface SecretInput {
  namespace: string;
  name: string;
  type?: string;
  /** base64 values as the API returns them. */
  data: Record<string, string>;
  expectedNames?: string[];
  settings: CheckSettings;
  objects?: ObjectRef[];
  /** Shared across subjects of one run: parsing the system roots per Secret would dominate. */
  systemRoots?: () => TrustStore;
}

export function parseSecretMaterial(data: Record<string, string>): SecretMaterial {
  const text = (k: string) => (data[k] ? Buffer.from(data[k], 'base64').toString('utf8') : undefined);
  const certPem = text('tls.crt');
  const keyPem = text('tls.key');
  const caPem = text('ca.crt');
  const m: SecretMaterial = {
    keys: Object.keys(data).filter((k) => data[k]),
    certPem,
    keyPem,
    caPem,
    chain: [],
    chainError: undefined,
    key: undefined,
    keyError: undefined,
    ca: [],
  };
  if (certPem !== undefined) {
    const blocks = pemBlocks(certPem);
    const certs = blocks.filter((b) => b.label === 'CERTIFICATE');
    if (certs.length === 0) m.chainError = blocks.length ? `no CERTIFICATE block (found ${blocks.map((b) => b.label).join(', ')})` : 'no PEM block found';
    for (const [i, b] of certs.entries()) {
      try {
        m.chain.push(certFacts(b.der));
      } catch (err) {
        m.chainError = `certificate ${i + 1} does not parse: ${err instanceof Error ? err.message : String(err)}`;
        m.chain = [];
        break;
      }
    }
  }
  if (keyPem !== undefined) {
    const parsed = parsePrivateKey(keyPem);
    if (parsed.ok) m.key = parsed.key;
    else m.keyError = parsed.error.split('\n')[0];
  }
  if (caPem !== undefined) {
    for (const b of pemBlocks(caPem)) {
      if (b.label !== 'CERTIFICATE') continue;
      try {
        m.ca.push(certFacts(b.der));
      } catch {
        // ca.crt problems are reported by SEC117
      }
    }
  }
  return m;
}

export function secretSubject(input: SecretInput): SecretSubject {
  const material = memo(() => parseSecretMaterial(input.data));
  return {
    kind: 'secret',
    id: `secret ${input.namespace}/${input.name}`,
    objects: [{ kind: 'Secret', namespace: input.namespace, name: input.name }, ...(input.objects ?? [])],
    namespace: input.namespace,
    name: input.name,
    type: input.type ?? 'kubernetes.io/tls',
    settings: input.settings,
    expectedNames: input.expectedNames ?? [],
    material,
    trustStores: memo(() => {
      const m = material();
      const stores: TrustStore[] = [];
      if (m.ca.length) stores.push(trustStore('ca.crt', m.ca.map((c) => c.der)));
      stores.push((input.systemRoots ?? systemStore)());
      return stores;
    }),
  };
}

export type EndpointMode = 'tls' | 'https' | 'grpc';

export interface EndpointSubject extends Subject {
  kind: 'endpoint';
  address: EndpointAddress;
  /** The name the certificate must cover: SNI, else the host. */
  hostname: string;
  mode: EndpointMode;
  settings: CheckSettings;
  /** The chain stored in the Secret this endpoint should serve, when known. */
  expectedChain: CertFacts[] | undefined;
  /** The bundle clients are given (--ca-bundle, ConfigMap, Bundle), when known. */
  clientBundle: TrustStore | undefined;
  scan: () => Promise<ScanResult>;
  served: () => Promise<CertFacts[]>;
  trustStores: () => TrustStore[];
}

export interface EndpointInput {
  address: EndpointAddress;
  mode: EndpointMode;
  settings: CheckSettings;
  scan: () => Promise<ScanResult>;
  expectedChain?: CertFacts[];
  clientBundle?: TrustStore;
  objects?: ObjectRef[];
  systemRoots?: () => TrustStore;
}

export function formatAddress(a: EndpointAddress): string {
  const host = a.host.includes(':') ? `[${a.host}]` : a.host;
  return `${host}:${a.port}${a.servername && a.servername !== a.host ? `/${a.servername}` : ''}`;
}

export function endpointSubject(input: EndpointInput): EndpointSubject {
  // Memoized, except that an unreachable result is forgotten so TLS101's retries scan afresh.
  let pending: Promise<ScanResult> | undefined;
  const scan = (): Promise<ScanResult> => {
    pending ??= input.scan().then((r) => {
      if (!r.reachable) pending = undefined;
      return r;
    });
    return pending;
  };
  const id = formatAddress(input.address);
  return {
    kind: 'endpoint',
    id: `endpoint ${id}`,
    objects: [{ kind: 'Endpoint', name: id }, ...(input.objects ?? [])],
    address: input.address,
    hostname: input.address.servername ?? input.address.host,
    mode: input.mode,
    settings: input.settings,
    expectedChain: input.expectedChain,
    clientBundle: input.clientBundle,
    scan,
    served: memo(async () => (await scan()).chain.map((d) => certFacts(d))),
    trustStores: memo(() => [...(input.clientBundle ? [input.clientBundle] : []), (input.systemRoots ?? systemStore)()]),
  };
}
