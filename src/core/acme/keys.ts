// Private keys for certificates and accounts. ECDSA P-256 unless asked otherwise.
import { generateKeyPair } from 'node:crypto';

export const KEY_ALGORITHMS = ['ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

function gen(type: 'ec' | 'rsa', options: { namedCurve?: string; modulusLength?: number }): Promise<{ privateKey: string }> {
  return new Promise((resolve, reject) => {
    const cb = (err: Error | null, _pub: string, privateKey: string) => (err ? reject(err) : resolve({ privateKey }));
    const enc = { privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } } as const;
    if (type === 'ec') generateKeyPair('ec', { namedCurve: options.namedCurve ?? 'P-256', ...enc }, cb);
    else generateKeyPair('rsa', { modulusLength: options.modulusLength ?? 2048, ...enc }, cb);
  });
}

/** PKCS#8 PEM private key. */
export async function generatePrivateKey(algorithm: KeyAlgorithm = 'ecdsa-p256'): Promise<string> {
  if (algorithm.startsWith('ecdsa-')) {
    const namedCurve = algorithm === 'ecdsa-p384' ? 'P-384' : 'P-256';
    const { privateKey } = await gen('ec', { namedCurve });
    return privateKey;
  }
  const modulusLength = Number(algorithm.slice(4));
  const { privateKey } = await gen('rsa', { modulusLength });
  return privateKey;
}
