import { describe, expect, it } from 'vitest';
import {
  createCryptoAttribute,
  formatCryptoAttribute,
  mkiBytes,
  parseCryptoAttribute,
  splitKeySalt,
} from '../../../../src/main/media/srtp/sdes-crypto.ts';

// RFC 4568 §4 example line.
const RFC_EXAMPLE =
  '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4';

describe('a=crypto (RFC 4568)', () => {
  it('parses the RFC example: tag, suite, key||salt, lifetime and MKI', () => {
    const r = parseCryptoAttribute(`a=crypto:${RFC_EXAMPLE}`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.tag).toBe(1);
    expect(r.value.suite).toBe('AES_CM_128_HMAC_SHA1_80');
    expect(r.value.keys).toHaveLength(1);
    expect(r.value.keys[0]!.keySalt.length).toBe(30);
    expect(r.value.keys[0]!.lifetime).toBe('2^20');
    expect(r.value.keys[0]!.mki).toEqual({ value: 1, length: 4 });
    expect(formatCryptoAttribute(r.value)).toBe(RFC_EXAMPLE);
  });

  it.each([
    '2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj',
    '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:4',
    '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1048576',
    '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4;inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|2:4 KDR=1 UNENCRYPTED_SRTCP',
    '7 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|1:4',
  ])('round-trips %s', (line) => {
    const r = parseCryptoAttribute(line);
    expect(r.ok).toBe(true);
    if (r.ok) expect(formatCryptoAttribute(r.value)).toBe(line);
  });

  it('keeps session parameters', () => {
    const r = parseCryptoAttribute(
      '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR UNENCRYPTED_SRTCP',
    );
    expect(r.ok && r.value.sessionParams).toEqual(['UNENCRYPTED_SRTCP']);
  });

  it.each([
    ['bad-syntax', '1 AES_CM_128_HMAC_SHA1_80'],
    ['bad-tag', 'x AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR'],
    ['bad-key-param', '1 AES_CM_128_HMAC_SHA1_80 key:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR'],
    ['bad-key-param', '1 AES_CM_128_HMAC_SHA1_80 inline:***'],
    [
      'bad-key-param',
      '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|soon',
    ],
    [
      'bad-key-param',
      '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|1:0',
    ],
    ['bad-key-length', '1 AES_CM_128_HMAC_SHA1_80 inline:QUJDRA=='],
  ])('rejects %s: %s', (reason, line) => {
    const r = parseCryptoAttribute(line);
    expect(r.ok ? 'ok' : r.reason).toBe(reason);
    if (!r.ok) expect(r.detail.length).toBeGreaterThan(10);
  });

  it('creates fresh keys and splits key and salt', () => {
    const a = createCryptoAttribute(3, 'AES_CM_128_HMAC_SHA1_32', (n) => Buffer.alloc(n, 7));
    expect(formatCryptoAttribute(a)).toBe(
      `3 AES_CM_128_HMAC_SHA1_32 inline:${Buffer.alloc(30, 7).toString('base64')}`,
    );
    const { masterKey, masterSalt } = splitKeySalt('AES_CM_128_HMAC_SHA1_32', a.keys[0]!.keySalt);
    expect([masterKey.length, masterSalt.length]).toEqual([16, 14]);
    const random = createCryptoAttribute(1, 'AES_CM_128_HMAC_SHA1_80');
    expect(
      random.keys[0]!.keySalt.equals(
        createCryptoAttribute(1, 'AES_CM_128_HMAC_SHA1_80').keys[0]!.keySalt,
      ),
    ).toBe(false);
  });

  it('encodes MKI values big-endian in their length', () => {
    expect(mkiBytes({ value: 1, length: 4 }).toString('hex')).toBe('00000001');
    expect(mkiBytes({ value: 0x1234, length: 2 }).toString('hex')).toBe('1234');
  });
});
