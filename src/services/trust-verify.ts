// `trust verify`: a real TLS handshake to each endpoint trusting ONLY the given bundle, as a
// client handed that bundle would, and the exact reason when it would refuse. The handshake and
// the chain judgements are doctor's (core/tls/handshake, core/x509/evaluate); this service only
// turns OpenSSL's verdict into a reason a person can act on.
import { DEFAULT_CIPHERS } from 'node:tls';
import { findAnchor, label, storeFromPem, type TrustStore } from '../core/x509/evaluate.js';
import { certFacts, coversName, type CertFacts } from '../core/x509/certificate.js';
import { handshake, type EndpointAddress, type HandshakeResult } from '../core/tls/handshake.js';
import { certificatePemsFromDers } from '../core/pki/pem.js';
import { parseEndpoint } from './doctor.js';
import { readTrustMaterial, type TrustSource } from './trust-material.js';

export type VerifyReason =
  | 'unknown-ca'
  | 'incomplete-chain'
  | 'expired'
  | 'not-yet-valid'
  | 'hostname-mismatch'
  | 'wrong-purpose'
  | 'untrusted'
  | 'handshake-failed'
  | 'unreachable';

export interface TrustVerifyOptions {
  source: TrustSource;
  /** HOST:PORT[/SNI] each. */
  endpoints: string[];
  /** Offer TLS 1.3 only, as vibectl's client does (default: TLS 1.2 and 1.3). */
  tls13Only?: boolean | undefined;
  timeoutMs?: number | undefined;
  now?: () => Date;
}

export interface EndpointVerdict {
  endpoint: string;
  host: string;
  port: number;
  /** The name checked against the certificate (SNI, else the host). */
  name: string;
  verified: boolean;
  reason: VerifyReason | null;
  message: string;
  protocol: string | null;
  /** The chain the server sent, leaf first (subject CNs or DNs). */
  served: string[];
  /** The bundle certificate the chain ended in, when it verified. */
  anchor: string | null;
}

export interface TrustVerifyReport {
  bundle: { source: string; certificates: number };
  minVersion: 'TLSv1.2' | 'TLSv1.3';
  endpoints: EndpointVerdict[];
  verified: number;
  failed: number;
  success: boolean;
}

export async function verifyTrust(o: TrustVerifyOptions): Promise<TrustVerifyReport> {
  const now = (o.now ?? (() => new Date()))();
  const parsed = o.endpoints.map((e) => ({ spec: e, ...parseEndpoint(e) }));
  const material = await readTrustMaterial(o.source);
  const store = storeFromPem(material.source, certificatePemsFromDers(material.ders));
  const minVersion = o.tls13Only ? 'TLSv1.3' : 'TLSv1.2';
  const endpoints = await Promise.all(
    parsed.map(async ({ spec, address }) => {
      const r = await handshake(address, { minVersion, maxVersion: 'TLSv1.3', ciphers: DEFAULT_CIPHERS, verifyWith: store.pems() }, { timeoutMs: o.timeoutMs ?? 10_000 });
      return judge({ spec, address, result: r, store, now });
    }),
  );
  const verified = endpoints.filter((e) => e.verified).length;
  return {
    bundle: { source: material.source, certificates: material.ders.length },
    minVersion,
    endpoints,
    verified,
    failed: endpoints.length - verified,
    success: verified === endpoints.length,
  };
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const cn = (dn: string) => dn.split('\n').find((l) => l.startsWith('CN='))?.slice(3) ?? dn.replace(/\n/g, ', ');

/** What OpenSSL said, in the terms of what to fix. Exported for tests of the wording. */
export function judge(input: { spec: string; address: EndpointAddress; result: HandshakeResult; store: TrustStore; now: Date }): EndpointVerdict {
  const { spec, address, result: r, store, now } = input;
  const name = address.servername ?? address.host;
  const base = { endpoint: spec, host: address.host, port: address.port, name };
  if (!r.ok) {
    const first = r.error.split('\n')[0] ?? r.error;
    return {
      ...base,
      verified: false,
      reason: r.unreachable ? 'unreachable' : 'handshake-failed',
      message: r.unreachable ? `nothing answered at ${address.host}:${address.port} (${r.code ?? first})` : `the TLS handshake failed: ${first}`,
      protocol: null,
      served: [],
      anchor: null,
    };
  }
  const chain = r.chain.map((d) => certFacts(d));
  const leaf = chain[0];
  const anchor = findAnchor(chain, [store]);
  const served = chain.map(label);
  const done = (reason: VerifyReason | null, message: string): EndpointVerdict => ({
    ...base,
    verified: reason === null,
    reason,
    message,
    protocol: r.protocol,
    served,
    anchor: anchor ? cn(anchor.root.subject) : null,
  });
  if (r.authorized) {
    // Node already checked the name; this guards the IP-literal case the same way doctor's TRU102 does.
    if (leaf && !coversName(leaf, name)) return done('hostname-mismatch', mismatch(leaf, name));
    return done(null, `verified by ${anchor ? cn(anchor.root.subject) : 'the bundle'} alone (${r.protocol}, ${leaf ? label(leaf) : 'no certificate'} valid until ${leaf ? day(leaf.notAfter) : '?'})`);
  }
  const code = r.authorizationError ?? 'unknown';
  switch (code) {
    case 'CERT_HAS_EXPIRED': {
      const expired = [...chain, ...(anchor && !anchor.inChain ? [certFacts(anchor.root)] : [])].filter((c) => c.notAfter < now);
      const which = expired.map((c) => `${label(c)} expired on ${day(c.notAfter)}`).join('; ');
      return done('expired', which || 'a certificate of the chain has expired');
    }
    case 'CERT_NOT_YET_VALID': {
      const early = chain.filter((c) => c.notBefore > now);
      return done('not-yet-valid', early.map((c) => `${label(c)} is valid only from ${c.notBefore.toISOString()}`).join('; ') || 'a certificate of the chain is not valid yet (clock skew?)');
    }
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return done('hostname-mismatch', leaf ? mismatch(leaf, name) : `the certificate does not cover ${name}`);
    case 'INVALID_PURPOSE':
      return done('wrong-purpose', `${leaf ? label(leaf) : 'the certificate'} is not valid for TLS server authentication (extendedKeyUsage lacks serverAuth)`);
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return untrusted(chain, store, done);
    default:
      return done('untrusted', `the chain does not verify with ${store.source}: ${code}`);
  }
}

function mismatch(leaf: CertFacts, name: string): string {
  const names = [...leaf.dnsNames, ...leaf.ipAddresses];
  return `the certificate covers ${names.length ? names.join(', ') : `no names (CN ${leaf.commonName ?? 'none'} is ignored by clients)`}, not ${name}`;
}

/** No path from the served chain to the bundle: a CA the bundle lacks, or an intermediate the server does not send. */
function untrusted(chain: CertFacts[], store: TrustStore, done: (reason: VerifyReason, message: string) => EndpointVerdict): EndpointVerdict {
  const last = chain[chain.length - 1];
  if (!last) return done('untrusted', 'the server sent no certificate');
  const issuer = last.issuerCommonName ?? last.issuer.replace(/\n/g, ', ');
  if (last.selfSigned) return done('unknown-ca', `the server's chain ends in ${label(last)}, which ${store.source} does not hold`);
  const sameName = store.issuersOf(last.x509);
  if (sameName.length) return done('unknown-ca', `${store.source} holds a CA named ${issuer}, but not the one that signed ${label(last)} (a re-created or rotated CA?)`);
  if (last.basicConstraints?.ca) return done('unknown-ca', `the server sends ${label(last)}, issued by ${issuer}, which ${store.source} does not hold`);
  // Only the leaf was sent and its issuer is nowhere: the classic missing intermediate.
  return done('incomplete-chain', `the server sent only ${label(last)}; its issuer ${issuer} is neither served nor in ${store.source}: serve the intermediate with the certificate (or, if ${issuer} is a root, add it to the bundle)`);
}
