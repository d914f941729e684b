// Key pairs for the CA and its leaves: generation (WebCrypto), PKCS#8 PEM export (optionally
// passphrase-encrypted), and import of PEM keys in any format OpenSSL writes, with clear errors
// for corrupted or passphrase-protected keys.
import { createPrivateKey, createPublicKey, KeyObject, webcrypto } from 'node:crypto';
import { InvalidInputError, UsageError } from '../errors.js';
import { subtle } from './crypto.js';

export const KEY_ALGORITHMS = ['ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

export interface KeyPair {
  algorithm: KeyAlgorithm;
  privateKey: webcrypto.CryptoKey;
  publicKey: webcrypto.CryptoKey;
}

export function isKeyAlgorithm(s: string): s is KeyAlgorithm {
  return (KEY_ALGORITHMS as readonly string[]).includes(s);
}

export function parseKeyAlgorithm(s: string, flag = '--key-algorithm'): KeyAlgorithm {
  if (isKeyAlgorithm(s)) return s;
  throw new InvalidInputError(`${flag} "${s}" is not a supported key algorithm`, { hint: `use one of ${KEY_ALGORITHMS.join(', ')}` });
}

function genParams(alg: KeyAlgorithm): webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams {
  switch (alg) {
    case 'ecdsa-p256':
      return { name: 'ECDSA', namedCurve: 'P-256' };
    case 'ecdsa-p384':
      return { name: 'ECDSA', namedCurve: 'P-384' };
    default:
      return { name: 'RSASSA-PKCS1-v1_5', modulusLength: Number(alg.slice(4)), publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  }
}

export async function generateKeyPair(alg: KeyAlgorithm): Promise<KeyPair> {
  const pair = (await subtle.generateKey(genParams(alg), true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  return { algorithm: alg, privateKey: pair.privateKey, publicKey: pair.publicKey };
}

/** The signature algorithm a key of this kind signs certificates with (SHA-384 for P-384, else SHA-256). */
export function signingAlgorithm(alg: KeyAlgorithm): webcrypto.EcdsaParams | webcrypto.Algorithm {
  if (alg === 'ecdsa-p384') return { name: 'ECDSA', hash: 'SHA-384' } as webcrypto.EcdsaParams;
  if (alg === 'ecdsa-p256') return { name: 'ECDSA', hash: 'SHA-256' } as webcrypto.EcdsaParams;
  return { name: 'RSASSA-PKCS1-v1_5' };
}

export async function exportPrivateKeyPem(key: webcrypto.CryptoKey, passphrase?: string): Promise<string> {
  const ko = KeyObject.from(key);
  if (passphrase) return ko.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase }) as string;
  return ko.export({ format: 'pem', type: 'pkcs8' }) as string;
}

/** Which of our algorithms a Node KeyObject (private or public) is. */
export function keyAlgorithmOf(key: KeyObject): KeyAlgorithm {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    if (d.namedCurve === 'prime256v1') return 'ecdsa-p256';
    if (d.namedCurve === 'secp384r1') return 'ecdsa-p384';
  } else if (key.asymmetricKeyType === 'rsa') {
    const bits = d.modulusLength;
    if (bits === 2048 || bits === 3072 || bits === 4096) return `rsa-${bits}`;
  }
  const what = key.asymmetricKeyType === 'ec' ? `EC ${String(d.namedCurve)}` : `${key.asymmetricKeyType} ${d.modulusLength ?? ''}`.trim();
  throw new InvalidInputError(`the key is ${what}, which vibectl-tls does not use`, { hint: `use one of ${KEY_ALGORITHMS.join(', ')}` });
}

export interface LoadKeyOptions {
  /** Where the key came from, for error messages ("root key /x/root.key"). */
  label: string;
  passphrase?: string | undefined;
}

/** Parses a PEM private key (PKCS#8, PKCS#1, SEC1, encrypted PKCS#8) into a signing key pair. */
export async function loadPrivateKey(pem: string | Buffer, options: LoadKeyOptions): Promise<KeyPair> {
  let ko: KeyObject;
  try {
    ko = createPrivateKey(options.passphrase ? { key: pem, format: 'pem', passphrase: options.passphrase } : { key: pem, format: 'pem' });
  } catch (err) {
    throw keyError(err, options, pem);
  }
  let algorithm: KeyAlgorithm;
  try {
    algorithm = keyAlgorithmOf(ko);
  } catch (err) {
    throw err instanceof InvalidInputError ? new InvalidInputError(`${options.label}: ${err.message}`, { hint: err.hint }) : err;
  }
  const der = ko.export({ format: 'der', type: 'pkcs8' });
  const params = genParams(algorithm);
  const importParams = params.name === 'ECDSA' ? params : { name: params.name, hash: 'SHA-256' };
  const privateKey = await subtle.importKey('pkcs8', der, importParams, true, ['sign']);
  const spki = createPublicKey(ko).export({ format: 'der', type: 'spki' });
  const publicKey = await subtle.importKey('spki', spki, importParams, true, ['verify']);
  return { algorithm, privateKey, publicKey };
}

function keyError(err: unknown, options: LoadKeyOptions, pem: string | Buffer): Error {
  const code = (err as { code?: string }).code ?? '';
  const msg = err instanceof Error ? err.message : String(err);
  const encrypted = /ENCRYPTED/.test(String(pem)) || /Proc-Type: 4,ENCRYPTED/.test(String(pem));
  if (!options.passphrase && (encrypted || code === 'ERR_MISSING_PASSPHRASE' || code === 'ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED')) {
    return new UsageError(`${options.label} is protected by a passphrase`, {
      hint: 'pass --passphrase-file FILE or set VIBECTL_TLS_CA_PASSPHRASE',
    });
  }
  if (options.passphrase && /bad decrypt|decrypt/i.test(msg)) {
    return new InvalidInputError(`${options.label}: the passphrase is wrong`, { hint: 'check the passphrase file or VIBECTL_TLS_CA_PASSPHRASE' });
  }
  return new InvalidInputError(`${options.label} is not a readable private key (${msg.split('\n')[0]})`, {
    hint: 'the file may be truncated or corrupted; restore it from a backup or import the CA again',
    cause: err,
  });
}

/** SPKI DER of a public key, for comparing a certificate with a key. */
export async function spkiOf(key: webcrypto.CryptoKey): Promise<Buffer> {
  return Buffer.from(await subtle.exportKey('spki', key));
}
