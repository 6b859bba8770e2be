import { describe, expect, it } from 'vitest';
import {
  cnameOf,
  isRtcp,
  parseRtcp,
  type RtcpPacket,
} from '../../../../src/main/media/rtp/rtcp-packet.ts';
import { serializeRtcp } from '../../../../src/main/media/rtp/rtcp-serialize.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const SR: RtcpPacket = {
  type: 'sr',
  ssrc: 0x11223344,
  ntpSeconds: 0xe5f1a2b3,
  ntpFraction: 0x80000000,
  rtpTimestamp: 160_000,
  packetCount: 1000,
  octetCount: 160_000,
  reports: [
    {
      ssrc: 0xaabbccdd,
      fractionLost: 25,
      cumulativeLost: -2,
      extendedHighestSeq: 0x0001_0005,
      jitter: 37,
      lastSr: 0xb7052000,
      delaySinceLastSr: 0x00054000,
    },
  ],
};

describe('RTCP parse', () => {
  it('parses a hand-built RR with one report block, sign-extending cumulative loss', () => {
    const rr = hex(
      '81c90007 01020304' + // V=2 RC=1 PT=201 length=7, reporter SSRC
        'aabbccdd 19fffffe 00010005 00000025 b7052000 00054000',
    );
    const r = parseRtcp(rr);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual([
      {
        type: 'rr',
        ssrc: 0x01020304,
        reports: [
          {
            ssrc: 0xaabbccdd,
            fractionLost: 0x19,
            cumulativeLost: -2,
            extendedHighestSeq: 0x10005,
            jitter: 0x25,
            lastSr: 0xb7052000,
            delaySinceLastSr: 0x54000,
          },
        ],
      },
    ]);
  });

  it('round-trips a compound SR + SDES(CNAME) + BYE', () => {
    const packets: RtcpPacket[] = [
      SR,
      {
        type: 'sdes',
        chunks: [{ ssrc: 0x11223344, items: [{ type: 1, value: 'trunkscope@host' }] }],
      },
      { type: 'bye', ssrcs: [0x11223344], reason: 'call ended' },
    ];
    const wire = serializeRtcp(packets);
    expect(wire.length % 4).toBe(0);
    expect(wire.readUInt16BE(2)).toBe(12); // SR with one block: 52 bytes = 13 words
    const r = parseRtcp(wire, { requireReportFirst: true });
    expect(r).toEqual({ ok: true, value: packets });
    if (r.ok && r.value[1]?.type === 'sdes')
      expect(cnameOf(r.value[1].chunks[0]!)).toBe('trunkscope@host');
  });

  it('pads SDES chunks with at least one null octet (RFC 3550 §6.5)', () => {
    // CNAME of 2 chars: ssrc(4) + type,len,2 chars (4) → needs 4 more null octets
    const wire = serializeRtcp([
      { type: 'sdes', chunks: [{ ssrc: 1, items: [{ type: 1, value: 'ab' }] }] },
    ]);
    expect(wire.toString('hex')).toBe('81ca0003' + '00000001' + '01026162' + '00000000');
  });

  it('keeps unknown packet types raw (e.g. RTPFB NACK)', () => {
    const nack = hex('81cd0003 00000001 00000002 00640000');
    const r = parseRtcp(nack);
    expect(r.ok && r.value[0]).toMatchObject({ type: 'other', packetType: 205, count: 1 });
    if (r.ok) expect(serializeRtcp(r.value).equals(nack)).toBe(true);
  });

  it('removes padding on the last packet', () => {
    const r = parseRtcp(hex('a1cb0002 00000009 00000004'));
    expect(r).toEqual({ ok: true, value: [{ type: 'bye', ssrcs: [9], reason: undefined }] });
  });

  it.each([
    ['too-short', '80c8'],
    ['bad-version', '40c90001 00000001'],
    ['bad-length', '80c90005 00000001'],
    ['too-short', '80c90001 00000001 80'],
    ['bad-body', '81c90001 00000001'],
    ['bad-body', '81ca0002 00000001 01100000'],
    ['bad-body', '82cb0001 00000001'],
    ['bad-padding', 'a0cb0001 00000000 80cb0000'],
    ['bad-padding', 'a0cb0001 00000009'],
  ])('rejects %s (%s)', (reason, bytes) => {
    const r = parseRtcp(hex(bytes));
    expect(r.ok ? 'ok' : r.reason).toBe(reason);
  });

  it('optionally enforces SR/RR first in a compound packet', () => {
    const bye = serializeRtcp([{ type: 'bye', ssrcs: [1] }]);
    expect(parseRtcp(bye).ok).toBe(true);
    const strict = parseRtcp(bye, { requireReportFirst: true });
    expect(strict.ok ? 'ok' : strict.reason).toBe('not-sr-or-rr-first');
  });
});

describe('isRtcp (RFC 5761 demultiplexing)', () => {
  it('tells RTCP packet types from RTP payload types', () => {
    expect(isRtcp(hex('80c8'))).toBe(true);
    expect(isRtcp(hex('80c9'))).toBe(true);
    expect(isRtcp(hex('8000'))).toBe(false);
    expect(isRtcp(hex('80e5'))).toBe(false); // marker + PT 101
    expect(isRtcp(hex('80'))).toBe(false);
  });
});
