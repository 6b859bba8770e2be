import { describe, expect, it } from 'vitest';
import {
  parseRtp,
  rtpHeaderLength,
  serializeRtp,
  type RtpPacket,
} from '../../../../src/main/media/rtp/rtp-packet.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function mustParse(buf: Buffer): RtpPacket {
  const r = parseRtp(buf);
  if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
  return r.value;
}

describe('parseRtp', () => {
  it('parses the libsrtp reference header (V=2, PT 15, seq 0x1234)', () => {
    const p = mustParse(hex('800f1234 decafbad cafebabe abababab'));
    expect(p).toMatchObject({
      marker: false,
      payloadType: 15,
      sequenceNumber: 0x1234,
      timestamp: 0xdecafbad,
      ssrc: 0xcafebabe,
      csrcs: [],
    });
    expect(p.extension).toBeUndefined();
    expect(p.payload.toString('hex')).toBe('abababab');
  });

  it('reads marker, CSRCs, the header extension and strips padding', () => {
    // V=2 P=1 X=1 CC=2, M=1 PT=101
    const buf = hex(
      'b2e5 0001 00000320 11111111 22222222 33333333 bede0001 10ff0000 0102 0003 000003',
    );
    const p = mustParse(buf);
    expect(p.marker).toBe(true);
    expect(p.payloadType).toBe(101);
    expect(p.csrcs).toEqual([0x22222222, 0x33333333]);
    expect(p.extension?.profile).toBe(0xbede);
    expect(p.extension?.data.toString('hex')).toBe('10ff0000');
    expect(p.payload.toString('hex')).toBe('01020003');
    expect(p.paddingLength).toBe(3);
    expect(rtpHeaderLength(buf)).toEqual({ ok: true, value: 28 });
  });

  it.each([
    ['too-short', '80000001 00000000 000000'],
    ['bad-version', '40000001 00000000 00000000'],
    ['csrc-overflow', '83000001 00000000 00000000 11111111 22222222'],
    ['extension-truncated', '90000001 00000000 00000000 bede'],
    ['extension-truncated', '90000001 00000000 00000000 bede0002 00000000'],
    ['bad-padding', 'a0000001 00000000 00000000 010200'],
    ['bad-padding', 'a0000001 00000000 00000000 010205'],
  ])('rejects %s without throwing (%s)', (reason, bytes) => {
    const r = parseRtp(hex(bytes));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.detail.length).toBeGreaterThan(5);
    }
  });

  it('accepts padding that fills the whole payload', () => {
    const p = mustParse(hex('a0000001 00000000 00000000 00000004'));
    expect(p.payload.length).toBe(0);
  });
});

describe('serializeRtp', () => {
  it('round-trips every field', () => {
    const original: RtpPacket = {
      marker: true,
      payloadType: 0,
      sequenceNumber: 65535,
      timestamp: 0xffffffff,
      ssrc: 0x80000001,
      csrcs: [1, 2, 3],
      extension: { profile: 0x1000, data: hex('0102030405060708') },
      payload: Buffer.alloc(160, 0xff),
      paddingLength: 4,
    };
    const wire = serializeRtp(original);
    expect(wire.length).toBe(12 + 12 + 4 + 8 + 160 + 4);
    expect(wire[0]).toBe(0xb3);
    expect(mustParse(wire)).toEqual(original);
  });

  it('writes the minimal header byte-exactly', () => {
    const wire = serializeRtp({
      marker: false,
      payloadType: 15,
      sequenceNumber: 0x1234,
      timestamp: 0xdecafbad,
      ssrc: 0xcafebabe,
      csrcs: [],
      payload: hex('abab'),
    });
    expect(wire.toString('hex')).toBe('800f1234decafbadcafebabeabab');
  });

  it('refuses values that cannot be encoded', () => {
    const base = {
      marker: false,
      payloadType: 0,
      sequenceNumber: 0,
      timestamp: 0,
      ssrc: 0,
      payload: Buffer.alloc(0),
    };
    expect(() => serializeRtp({ ...base, csrcs: new Array(16).fill(1) })).toThrow(RangeError);
    expect(() => serializeRtp({ ...base, csrcs: [], payloadType: 128 })).toThrow(RangeError);
    expect(() =>
      serializeRtp({ ...base, csrcs: [], extension: { profile: 1, data: Buffer.alloc(3) } }),
    ).toThrow(RangeError);
  });
});
