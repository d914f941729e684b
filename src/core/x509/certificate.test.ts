import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { certFacts, EKU } from './certificate.js';
import { makeCert } from '../../../test/support/doctor-pki.js';

/** An embedded SCT list as a CA writes it: OCTET STRING { uint16 len, [uint16 len, SCT]… }. */
function sctListExtension(logIds: number[]): x509.Extension {
  const scts = logIds.map((id) => Buffer.concat([Buffer.from([0]), Buffer.alloc(32, id), Buffer.alloc(8), Buffer.from([0, 0]), Buffer.from([4, 3, 0, 2, 0xaa, 0xbb])]));
  const list = Buffer.concat(scts.map((s) => Buffer.concat([Buffer.from([s.length >> 8, s.length & 0xff]), s])));
  const tls = Buffer.concat([Buffer.from([list.length >> 8, list.length & 0xff]), list]);
  const octet = Buffer.concat([Buffer.from(tls.length < 128 ? [0x04, tls.length] : [0x04, 0x81, tls.length]), tls]);
  return new x509.Extension('1.3.6.1.4.1.11129.2.4.2', false, octet);
}

describe('certFacts', () => {
  it('reads names, key, signature algorithm, basicConstraints, EKU and key usage', async () => {
    const c = await makeCert({ cn: 'a.test', dnsNames: ['a.test', '*.b.test'], ips: ['10.0.0.1'], key: 'ec-p384' });
    const f = certFacts(Buffer.from(c.cert.rawData));
    expect(f).toMatchObject({
      commonName: 'a.test',
      dnsNames: ['a.test', '*.b.test'],
      ipAddresses: ['10.0.0.1'],
      key: { type: 'ec', curve: 'secp384r1', bits: 384 },
      signatureAlgorithm: 'ecdsa-with-SHA256',
      weakSignature: false,
      basicConstraints: { ca: false, critical: true },
      extendedKeyUsage: [EKU.serverAuth],
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      selfSigned: true,
      precertPoison: false,
      sct: { count: 0, logIds: [] },
    });
  });

  it('counts embedded SCTs and their distinct logs', async () => {
    const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.createSelfSigned(
      { name: 'CN=ct.test', keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' }, notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000), extensions: [sctListExtension([1, 2, 2])] },
      webcrypto as never,
    );
    const f = certFacts(Buffer.from(cert.rawData));
    expect(f.sct.count).toBe(3);
    expect(new Set(f.sct.logIds).size).toBe(2);
  });
});
