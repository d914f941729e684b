// PKCS#12 trust stores (certificates only) for Java and other consumers. node-forge does the
// PKCS#12 key derivation, HMAC and ASN.1 encoding; the certificate bags are assembled here because
// forge's own toPkcs12Asn1 parses each certificate and cannot parse ECDSA ones. Each bag carries
// Java's trusted-key-usage attribute so keytool lists it as a trustedCertEntry, and a friendlyName
// (the keytool alias). MAC: HMAC-SHA256 (PKCS#12 KDF), which OpenSSL 3 and Java ≥ 12 accept.
import { randomBytes } from 'node:crypto';
import type forgeTypes from 'node-forge';

type Asn1 = forgeTypes.asn1.Asn1;

const ORACLE_TRUSTED_KEY_USAGE = '2.16.840.1.113894.746875.1.1';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

export interface TrustStoreEntry {
  alias: string;
  der: Buffer;
}

export interface Pkcs12Options {
  password: string;
  iterations?: number;
  /** Injected for reproducible tests. */
  random?: (n: number) => Buffer;
}

export async function buildTrustStore(entries: readonly TrustStoreEntry[], o: Pkcs12Options): Promise<Buffer> {
  const forge = (await import('node-forge')).default;
  const { asn1, pki, util } = forge;
  const C = asn1.Class;
  const T = asn1.Type;
  const oid = (s: string) => asn1.create(C.UNIVERSAL, T.OID, false, asn1.oidToDer(s).getBytes());
  const octets = (bytes: string) => asn1.create(C.UNIVERSAL, T.OCTETSTRING, false, bytes);
  const seq = (v: Asn1[]) => asn1.create(C.UNIVERSAL, T.SEQUENCE, true, v);
  const set = (v: Asn1[]) => asn1.create(C.UNIVERSAL, T.SET, true, v);
  const explicit0 = (v: Asn1[]) => asn1.create(C.CONTEXT_SPECIFIC, 0, true, v);
  const binary = (b: Buffer) => util.binary.raw.encode(new Uint8Array(b));

  const bags = entries.map((e) =>
    seq([
      oid(pki.oids.certBag!),
      explicit0([seq([oid(pki.oids.x509Certificate!), explicit0([octets(binary(e.der))])])]),
      set([
        seq([oid(pki.oids.friendlyName!), set([asn1.create(C.UNIVERSAL, T.BMPSTRING, false, e.alias)])]),
        seq([oid(ORACLE_TRUSTED_KEY_USAGE), set([oid(ANY_EXTENDED_KEY_USAGE)])]),
      ]),
    ]),
  );
  const safeContents = asn1.toDer(seq(bags)).getBytes();
  const authSafe = seq([seq([oid(pki.oids.data!), explicit0([octets(safeContents)])])]);
  const authSafeDer = asn1.toDer(authSafe).getBytes();

  // MAC over the AuthenticatedSafe (RFC 7292 appendix B key derivation, SHA-256).
  const iterations = o.iterations ?? 10_000;
  const salt = binary((o.random ?? randomBytes)(16));
  const md = forge.md.sha256.create();
  const macKey = forge.pkcs12.generateKey(o.password, util.createBuffer(salt), 3, iterations, 32, md);
  const hmac = forge.hmac.create();
  hmac.start(md, macKey);
  hmac.update(authSafeDer);
  const mac = hmac.digest().getBytes();

  const pfx = seq([
    asn1.create(C.UNIVERSAL, T.INTEGER, false, asn1.integerToDer(3).getBytes()),
    seq([oid(pki.oids.data!), explicit0([octets(authSafeDer)])]),
    seq([
      seq([seq([oid(pki.oids.sha256!), asn1.create(C.UNIVERSAL, T.NULL, false, '')]), octets(mac)]),
      octets(salt),
      asn1.create(C.UNIVERSAL, T.INTEGER, false, asn1.integerToDer(iterations).getBytes()),
    ]),
  ]);
  return Buffer.from(asn1.toDer(pfx).getBytes(), 'binary');
}
