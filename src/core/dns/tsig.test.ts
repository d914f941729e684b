import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeMac, findTsig, parseTsigSecret, signMessage, verifyResponse, wireName, type TsigKey } from './tsig.js';

const key: TsigKey = { name: 'acme-update.', algorithm: 'hmac-sha256', secret: Buffer.alloc(32, 0x42) };
// A minimal query header + question for "a." (id 0x1234, one question).
const message = Buffer.from('123400000001000000000000' + '016100' + '00010001', 'hex');

describe('TSIG (RFC 8945)', () => {
  it('MACs exactly: message, then key name, ANY, TTL 0, algorithm, time (48 bit), fudge, error, other', () => {
    const variables = { timeSigned: 0x010203040506, fudge: 300, error: 0, other: Buffer.alloc(0) };
    const hand = Buffer.concat([
      message,
      Buffer.from('0b61636d652d75706461746500', 'hex'), // acme-update.
      Buffer.from('00ff', 'hex'), // CLASS ANY
      Buffer.from('00000000', 'hex'), // TTL
      Buffer.from('0b686d61632d73686132353600', 'hex'), // hmac-sha256.
      Buffer.from('010203040506', 'hex'),
      Buffer.from('012c', 'hex'), // fudge 300
      Buffer.from('0000', 'hex'), // error
      Buffer.from('0000', 'hex'), // other len
    ]);
    expect(computeMac({ key, message, variables })).toEqual(createHmac('sha256', key.secret).update(hand).digest());
  });

  it('prefixes the request MAC with its length when signing a response', () => {
    const variables = { timeSigned: 1, fudge: 300, error: 0, other: Buffer.alloc(0) };
    const requestMac = Buffer.alloc(32, 1);
    const withReq = computeMac({ key, message, variables, requestMac });
    const without = computeMac({ key, message, variables });
    expect(withReq).not.toEqual(without);
    expect(withReq.length).toBe(32);
  });

  it('writes a TSIG record the parser reads back, and bumps ARCOUNT', () => {
    const { signed, mac } = signMessage({ message, key, now: 1_700_000_000_000 });
    expect(signed.readUInt16BE(10)).toBe(1);
    const t = findTsig(signed);
    expect(t).toMatchObject({ algorithm: 'hmac-sha256', timeSigned: 1_700_000_000, fudge: 300, originalId: 0x1234, error: 0 });
    expect(t?.mac).toEqual(mac);
  });

  it('uses a 64-byte MAC for hmac-sha512', () => {
    const { mac } = signMessage({ message, key: { ...key, algorithm: 'hmac-sha512' } });
    expect(mac.length).toBe(64);
  });

  it('verifies a response signed like a server would, and rejects a tampered one', () => {
    const request = signMessage({ message, key, now: 1_700_000_000_000 });
    // Build a "response": same message with QR set, signed with the request MAC prefixed.
    const resp = Buffer.from(message);
    resp.writeUInt16BE(0x8000, 2);
    const variables = { timeSigned: 1_700_000_001, fudge: 300, error: 0, other: Buffer.alloc(0) };
    const mac = computeMac({ key, message: resp, variables, requestMac: request.mac });
    const rdata = Buffer.concat([wireName('hmac-sha256'), Buffer.from('00006553f101', 'hex'), Buffer.from('012c0020', 'hex'), mac, Buffer.from('123400000000', 'hex')]);
    const rr = Buffer.concat([wireName(key.name), Buffer.from('00fa00ff00000000', 'hex'), Buffer.from([rdata.length >> 8, rdata.length & 0xff]), rdata]);
    const signedResp = Buffer.concat([resp, rr]);
    signedResp.writeUInt16BE(1, 10);
    expect(verifyResponse({ response: signedResp, key, requestMac: request.mac, now: 1_700_000_002_000 })).toEqual({ ok: true });
    const tampered = Buffer.from(signedResp);
    tampered[13] = 0x62; // question name a → b
    expect(verifyResponse({ response: tampered, key, requestMac: request.mac, now: 1_700_000_002_000 }).ok).toBe(false);
    expect(verifyResponse({ response: signedResp, key, requestMac: request.mac, now: 1_700_009_000_000 })).toMatchObject({ ok: false, reason: expect.stringContaining('fudge') });
  });

  it('reads secrets as bare base64 or from a BIND key file', () => {
    expect(parseTsigSecret('QUJD\n')).toEqual(Buffer.from('ABC'));
    expect(parseTsigSecret('key "k." {\n algorithm hmac-sha256;\n secret "QUJD";\n};')).toEqual(Buffer.from('ABC'));
    expect(() => parseTsigSecret('not base64!')).toThrow(/base64/);
  });

  it('writes names in lower-case, uncompressed wire form', () => {
    expect(wireName('Example.TEST.').toString('hex')).toBe('076578616d706c65047465737400');
  });
});
