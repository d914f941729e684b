// Certificates for doctor's tests, good and deliberately bad: any key (RSA 1024 included), any
// validity window, SHA-1 signatures, missing EKU or CA flags. Generated in-process per test run.
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

type CryptoKeyPair = webcrypto.CryptoKeyPair;
const crypto = webcrypto as never;

export type TestKeyAlg = 'ec-p256' | 'ec-p384' | 'ec-p521' | 'rsa-1024' | 'rsa-2048';

export interface TestCert {
  certPem: string;
  keyPem: string;
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  alg: TestKeyAlg;
}

export interface CertSpec {
  cn: string;
  dnsNames?: string[];
  ips?: string[];
  key?: TestKeyAlg;
  /** Signature hash the issuer uses (SHA-1 for the weak-signature cases). */
  hash?: 'SHA-256' | 'SHA-384' | 'SHA-1';
  notBefore?: Date;
  notAfter?: Date;
  ca?: boolean;
  /** Leaf EKU; null omits the extension. */
  eku?: 'serverAuth' | 'clientAuth' | null;
  /** Issuer; self-signed when absent. */
  issuer?: TestCert;
}

const DAY = 86_400_000;

function keyParams(alg: TestKeyAlg, hash: string): { gen: webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams; sign: webcrypto.EcdsaParams | webcrypto.Algorithm & { hash: string } } {
  if (alg.startsWith('ec-')) {
    const curve = { 'ec-p256': 'P-256', 'ec-p384': 'P-384', 'ec-p521': 'P-521' }[alg as 'ec-p256'];
    return { gen: { name: 'ECDSA', namedCurve: curve }, sign: { name: 'ECDSA', hash } };
  }
  const bits = alg === 'rsa-1024' ? 1024 : 2048;
  return { gen: { name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash }, sign: { name: 'RSASSA-PKCS1-v1_5', hash } };
}

const pem = (s: string) => (s.endsWith('\n') ? s : s + '\n');

export async function makeCert(spec: CertSpec): Promise<TestCert> {
  const alg = spec.key ?? 'ec-p256';
  const ownParams = keyParams(alg, 'SHA-256');
  const keys = (await webcrypto.subtle.generateKey(ownParams.gen, true, ['sign', 'verify'])) as CryptoKeyPair;
  const issuer = spec.issuer;
  const signer = issuer ? keyParams(issuer.alg, spec.hash ?? 'SHA-256') : keyParams(alg, spec.hash ?? 'SHA-256');
  const now = Date.now();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(Boolean(spec.ca), undefined, true),
    new x509.KeyUsagesExtension(spec.ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
  ];
  if (!spec.ca && spec.eku !== null) extensions.push(new x509.ExtendedKeyUsageExtension([spec.eku === 'clientAuth' ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth]));
  const sans = [...(spec.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })), ...(spec.ips ?? []).map((value) => ({ type: 'ip' as const, value }))];
  if (sans.length) extensions.push(new x509.SubjectAlternativeNameExtension(sans));
  if (issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey, false, crypto));
  let signingKey = issuer ? issuer.keys.privateKey : keys.privateKey;
  if (spec.hash && spec.hash !== 'SHA-256' && (issuer ?? { alg }).alg.startsWith('rsa-')) {
    // WebCrypto binds the hash to an RSA key: re-import the signer's key with the hash asked for.
    const der = await webcrypto.subtle.exportKey('pkcs8', signingKey);
    signingKey = await webcrypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: spec.hash }, false, ['sign']);
  }
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex').replace(/^[89a-f]/, '1'),
      subject: `CN=${spec.cn}`,
      issuer: issuer ? issuer.cert.subject : `CN=${spec.cn}`,
      notBefore: spec.notBefore ?? new Date(now - DAY),
      notAfter: spec.notAfter ?? new Date(now + 90 * DAY),
      publicKey: keys.publicKey,
      signingKey,
      signingAlgorithm: signer.sign,
      extensions,
    },
    crypto,
  );
  const keyPem = pem(x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY'));
  return { certPem: pem(cert.toString('pem')), keyPem, cert, keys, alg };
}

export interface TestPki {
  root: TestCert;
  intermediate: TestCert;
  leaf: (spec: Omit<CertSpec, 'issuer'> & { issuer?: TestCert }) => Promise<TestCert>;
}

/** A root → intermediate → leaf hierarchy, as a private CA or a public CA would build it. */
export async function makePki(name = 'Doctor Test'): Promise<TestPki> {
  const root = await makeCert({ cn: `${name} Root`, ca: true, notAfter: new Date(Date.now() + 3650 * DAY) });
  const intermediate = await makeCert({ cn: `${name} Intermediate`, ca: true, issuer: root, notAfter: new Date(Date.now() + 1825 * DAY) });
  return { root, intermediate, leaf: (spec) => makeCert({ ...spec, issuer: spec.issuer ?? intermediate }) };
}

export function tlsSecretData(o: { cert: string; key: string; ca?: string }): Record<string, string> {
  const b = (s: string) => Buffer.from(s).toString('base64');
  return { 'tls.crt': b(o.cert), 'tls.key': b(o.key), ...(o.ca ? { 'ca.crt': b(o.ca) } : {}) };
}
