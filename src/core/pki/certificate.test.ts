import { describe, expect, it } from 'vitest';
import { keyIdentifier } from './certificate.js';
import { x509 } from './crypto.js';
import { generateKeyPair, type KeyAlgorithm } from './keys.js';

describe('keyIdentifier', () => {
  it.each<KeyAlgorithm>(['ecdsa-p256', 'ecdsa-p384', 'rsa-2048'])('matches the RFC 5280 method-1 SKI @peculiar/x509 computes (%s)', async (alg) => {
    const X = await x509();
    const k = await generateKeyPair(alg);
    const theirs = await X.SubjectKeyIdentifierExtension.create(k.publicKey);
    expect(keyIdentifier(k.publicKey)).toBe(theirs.keyId);
  });
});
