import { describe, expect, it } from 'vitest';
import { aesCmKeystream, srtpIv } from '../../../../src/main/media/srtp/aes-cm.ts';
import { deriveKey, deriveSessionKeys, KDF_LABEL } from '../../../../src/main/media/srtp/kdf.ts';
import { ReplayWindow } from '../../../../src/main/media/srtp/replay-window.ts';
import { SrtpContext, type UnprotectResult } from '../../../../src/main/media/srtp/srtp-context.ts';
import { serializeRtp } from '../../../../src/main/media/rtp/rtp-packet.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const MASTER_KEY = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
const MASTER_SALT = hex('0EC675AD498AFEEBB6960B3AABE6');

function rtp(seq: number, ssrc = 0xcafebabe, payload = Buffer.alloc(160, 0xd5)): Buffer {
  return serializeRtp({
    marker: false,
    payloadType: 8,
    sequenceNumber: seq,
    timestamp: seq * 160,
    ssrc,
    csrcs: [],
    payload,
  });
}
const pair = (
  suite: 'AES_CM_128_HMAC_SHA1_80' | 'AES_CM_128_HMAC_SHA1_32' = 'AES_CM_128_HMAC_SHA1_80',
) => ({
  tx: new SrtpContext({ suite, masterKey: MASTER_KEY, masterSalt: MASTER_SALT }),
  rx: new SrtpContext({ suite, masterKey: MASTER_KEY, masterSalt: MASTER_SALT }),
});
const reason = (r: UnprotectResult) => (r.ok ? 'ok' : r.reason);

describe('RFC 3711 Appendix B.2: AES-CM keystream', () => {
  it('matches the published keystream segments', () => {
    const key = hex('2B7E151628AED2A6ABF7158809CF4F3C');
    const iv = srtpIv(hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD'), 0, 0);
    expect(iv.toString('hex')).toBe('f0f1f2f3f4f5f6f7f8f9fafbfcfd0000');
    const ks = aesCmKeystream(key, iv, 0xff02 * 16);
    const block = (i: number) =>
      ks
        .subarray(i * 16, i * 16 + 16)
        .toString('hex')
        .toUpperCase();
    expect(block(0x0000)).toBe('E03EAD0935C95E80E166B16DD92B4EB4');
    expect(block(0x0001)).toBe('D23513162B02D0F72A43A2FE4A5F97AB');
    expect(block(0x0002)).toBe('41E95B3BB0A2E8DD477901E4FCA894C0');
    expect(block(0xfeff)).toBe('EC8CDF7398607CB0F2D21675EA9EA1E4');
    expect(block(0xff00)).toBe('362B7C3C6773516318A077D7FC5073AE');
    expect(block(0xff01)).toBe('6A2CC3787889374FBEB4C81B17BA6C44');
  });

  it('places SSRC and the 48-bit index in the IV (§4.1.1)', () => {
    const iv = srtpIv(Buffer.alloc(14), 0x12345678, 0x9abcdef00203);
    expect(iv.toString('hex')).toBe('00000000123456789abcdef002030000');
    expect(srtpIv(Buffer.alloc(14, 0xff), 0xffffffff, 0).toString('hex')).toBe(
      'ffffffff00000000ffffffffffff0000',
    );
  });
});

describe('RFC 3711 Appendix B.3: key derivation', () => {
  it('derives the published cipher key, salt and auth key', () => {
    expect(deriveKey(MASTER_KEY, MASTER_SALT, KDF_LABEL.rtpEncryption, 16).toString('hex')).toBe(
      'c61e7a93744f39ee10734afe3ff7a087',
    );
    expect(deriveKey(MASTER_KEY, MASTER_SALT, KDF_LABEL.rtpSalt, 14).toString('hex')).toBe(
      '30cbbc08863d8c85d49db34a9ae1',
    );
    expect(deriveKey(MASTER_KEY, MASTER_SALT, KDF_LABEL.rtpAuth, 94).toString('hex')).toBe(
      'cebe321f6ff7716b6fd4ab49af256a156d38baa48f0a0acf3c34e2359e6cdbce' +
        'e049646c43d9327ad175578ef72270986371c10c9a369ac2f94a8c5fbcdddc25' +
        '6d6e919a48b610ef17c2041e474035766b68642c59bbfc2f34db60dbdfb2',
    );
    const keys = deriveSessionKeys(MASTER_KEY, MASTER_SALT);
    expect(keys.rtp.authKey.toString('hex')).toBe('cebe321f6ff7716b6fd4ab49af256a156d38baa4');
    expect(keys.rtcp.encKey.equals(keys.rtp.encKey)).toBe(false);
  });
});

describe('SrtpContext against the libsrtp reference packets (srtp_driver)', () => {
  it('protects RTP exactly as libsrtp (AES_CM_128_HMAC_SHA1_80)', () => {
    const { tx, rx } = pair();
    const plain = hex('800f1234decafbadcafebabe' + 'ab'.repeat(16));
    const expected = hex(
      '800f1234decafbadcafebabe 4e55dc4ce79978d88ca4d215949d2402 b78d6acc99ea179b8dbb',
    );
    expect(tx.protectRtp(plain).toString('hex')).toBe(expected.toString('hex'));
    const back = rx.unprotectRtp(expected);
    expect(back.ok && back.packet.toString('hex')).toBe(plain.toString('hex'));
  });

  it('protects SRTCP exactly as libsrtp (whose first packet uses index 1)', () => {
    const { tx, rx } = pair();
    const plain = hex('81c8000bcafebabe' + 'ab'.repeat(16));
    const first = tx.protectRtcp(plain);
    expect(first.readUInt32BE(first.length - 14)).toBe(0x80000000); // RFC 3711 §3.4: index starts at 0
    const second = tx.protectRtcp(plain);
    expect(second.toString('hex')).toBe(
      '81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798',
    );
    const back = rx.unprotectRtcp(second);
    expect(back).toMatchObject({ ok: true, index: 1 });
    expect(back.ok && back.packet.equals(plain)).toBe(true);
  });
});

describe('SrtpContext behaviour', () => {
  it('round-trips RTP with both tag lengths', () => {
    for (const [suite, tag] of [
      ['AES_CM_128_HMAC_SHA1_80', 10],
      ['AES_CM_128_HMAC_SHA1_32', 4],
    ] as const) {
      const { tx, rx } = pair(suite);
      const p = rtp(1000);
      const wire = tx.protectRtp(p);
      expect(wire.length).toBe(p.length + tag);
      expect(wire.subarray(12, 172).equals(p.subarray(12))).toBe(false);
      const back = rx.unprotectRtp(wire);
      expect(back.ok && back.packet.equals(p)).toBe(true);
      // SRTCP keeps the 80-bit tag for both suites (RFC 4568 §6.2.2).
      expect(tx.protectRtcp(hex('80c90001 cafebabe')).length).toBe(8 + 4 + 10);
    }
  });

  it('fails authentication on any tampered bit, without updating state', () => {
    const { tx, rx } = pair();
    const wire = tx.protectRtp(rtp(5));
    for (const at of [1, 12, 100, wire.length - 1]) {
      const bad = Buffer.from(wire);
      bad[at] = bad[at]! ^ 0x01;
      const r = rx.unprotectRtp(bad);
      expect(reason(r), `byte ${at}`).toBe('auth-failed');
      if (!r.ok) expect(r.detail).toMatch(/tag mismatch/);
    }
    expect(reason(rx.unprotectRtp(wire))).toBe('ok');
    const rtcp = tx.protectRtcp(hex('80c90001 cafebabe'));
    rtcp[9] = rtcp[9]! ^ 0x80;
    expect(reason(rx.unprotectRtcp(rtcp))).toBe('auth-failed');
  });

  it('rejects replays and packets behind the 64-packet window', () => {
    const { tx, rx } = pair();
    const wires = Array.from({ length: 100 }, (_, i) => tx.protectRtp(rtp(i)));
    expect(reason(rx.unprotectRtp(wires[0]!))).toBe('ok');
    expect(reason(rx.unprotectRtp(wires[0]!))).toBe('replay');
    for (const w of wires.slice(2)) expect(reason(rx.unprotectRtp(w))).toBe('ok');
    expect(reason(rx.unprotectRtp(wires[1]!))).toBe('replay-too-old');
    expect(reason(rx.unprotectRtp(wires[99]!))).toBe('replay');
    const c = tx.protectRtcp(hex('80c90001 cafebabe'));
    expect(reason(rx.unprotectRtcp(c))).toBe('ok');
    expect(reason(rx.unprotectRtcp(c))).toBe('replay');
  });

  it('accepts reordering inside the window', () => {
    const { tx, rx } = pair();
    const wires = Array.from({ length: 10 }, (_, i) => tx.protectRtp(rtp(i)));
    const order = [0, 2, 1, 5, 3, 4, 9, 6, 8, 7];
    for (const i of order) expect(reason(rx.unprotectRtp(wires[i]!)), `packet ${i}`).toBe('ok');
  });

  it('estimates the rollover counter across the 16-bit sequence wrap (§3.3.1)', () => {
    const { tx, rx } = pair();
    const seqs = [65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2];
    const wires = seqs.map((s) => tx.protectRtp(rtp(s)));
    // Deliver with the wrap reordered: 65535 arrives after 0.
    const order = [0, 1, 2, 3, 4, 6, 5, 7, 8];
    const indices = order.map((i) => {
      const r = rx.unprotectRtp(wires[i]!);
      expect(reason(r), `seq ${seqs[i]}`).toBe('ok');
      return r.ok ? r.index : -1;
    });
    expect(indices).toEqual([65530, 65531, 65532, 65533, 65534, 65536, 65535, 65537, 65538]);
    // A receiver that guessed ROC 0 for seq 0 would fail authentication: the ROC is authenticated.
    const fresh = new SrtpContext({
      suite: 'AES_CM_128_HMAC_SHA1_80',
      masterKey: MASTER_KEY,
      masterSalt: MASTER_SALT,
    });
    expect(reason(fresh.unprotectRtp(wires[6]!))).toBe('auth-failed');
  });

  it('carries an MKI between payload and tag and checks it', () => {
    const mki = hex('00000001');
    const tx = new SrtpContext({
      suite: 'AES_CM_128_HMAC_SHA1_80',
      masterKey: MASTER_KEY,
      masterSalt: MASTER_SALT,
      mki,
    });
    const rx = new SrtpContext({
      suite: 'AES_CM_128_HMAC_SHA1_80',
      masterKey: MASTER_KEY,
      masterSalt: MASTER_SALT,
      mki,
    });
    const p = rtp(7);
    const wire = tx.protectRtp(p);
    expect(wire.subarray(p.length, p.length + 4).equals(mki)).toBe(true);
    const other = new SrtpContext({
      suite: 'AES_CM_128_HMAC_SHA1_80',
      masterKey: MASTER_KEY,
      masterSalt: MASTER_SALT,
      mki: hex('00000002'),
    });
    expect(reason(other.unprotectRtp(wire))).toBe('mki-mismatch');
    expect(reason(rx.unprotectRtp(wire))).toBe('ok');
  });

  it('supports unencrypted SRTCP (E=0) and reports malformed input as results', () => {
    const { tx, rx } = pair();
    const plain = hex('80c90001 cafebabe');
    const wire = tx.protectRtcp(plain, false);
    expect(wire.subarray(0, 8).equals(plain)).toBe(true);
    expect(wire.readUInt32BE(8)).toBe(0);
    expect(rx.unprotectRtcp(wire)).toMatchObject({ ok: true, index: 0 });
    expect(reason(rx.unprotectRtp(hex('800f1234decafbadcafebabe0102')))).toBe('malformed');
    expect(reason(rx.unprotectRtp(hex('400f1234decafbadcafebabe01020304050607080910')))).toBe(
      'malformed',
    );
    expect(reason(rx.unprotectRtcp(hex('80c90001 cafebabe 80000000')))).toBe('malformed');
    expect(() => tx.protectRtp(hex('8000'))).toThrow(RangeError);
  });

  it('refuses keys of the wrong length', () => {
    expect(
      () =>
        new SrtpContext({
          suite: 'AES_CM_128_HMAC_SHA1_80',
          masterKey: Buffer.alloc(15),
          masterSalt: MASTER_SALT,
        }),
    ).toThrow(/16-byte master key/);
  });
});

describe('ReplayWindow', () => {
  it('tracks the last 64 indices', () => {
    const w = new ReplayWindow();
    expect(w.check(0)).toBe('ok');
    w.accept(0);
    w.accept(100);
    expect(w.check(0)).toBe('too-old');
    expect(w.check(36)).toBe('too-old');
    expect(w.check(37)).toBe('ok');
    w.accept(37);
    expect(w.check(37)).toBe('replay');
    expect(w.check(101)).toBe('ok');
    expect(w.highest).toBe(100);
  });
});
