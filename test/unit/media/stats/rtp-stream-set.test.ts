import { describe, expect, it } from 'vitest';
import { RtpStreamSet, ssrcHex } from '../../../../src/main/media/stats/rtp-stream-set.ts';
import { clockRateOf, payloadName } from '../../../../src/main/media/stats/clock-rate.ts';

const pkt = (ssrc: number, seq: number, i: number, pt = 0, ts = i * 160) => ({
  arrivalMs: i * 20,
  sequenceNumber: seq,
  timestamp: ts,
  ssrc,
  payloadType: pt,
  marker: false,
  payloadBytes: 160,
});

describe('RtpStreamSet', () => {
  it('an SSRC switch makes a second stream; the old SSRC coming back continues its own', () => {
    const set = new RtpStreamSet();
    for (let i = 0; i < 10; i++) set.add(pkt(0xaaaa, i, i));
    for (let i = 10; i < 20; i++) set.add(pkt(0xbbbb, 5000 + i, i));
    for (let i = 20; i < 25; i++) set.add(pkt(0xaaaa, i - 10, i));
    const s = set.snapshots();
    expect(s.map((x) => [x.ssrc, x.packets, x.lost])).toEqual([
      [0xaaaa, 15, 0],
      [0xbbbb, 10, 0],
    ]);
    expect(s[0]!.label).toBe('SSRC 0x0000AAAA (1st SSRC)');
    expect(s[1]!.label).toBe('SSRC 0x0000BBBB (2nd SSRC)');
  });

  it('a clock-rate change splits the SSRC into labelled parts instead of averaging', () => {
    // PT 0 (8000 Hz) then PT 6 (DVI4 16000 Hz) on the same SSRC.
    const set = new RtpStreamSet();
    for (let i = 0; i < 10; i++) set.add(pkt(0x42, i, i, 0));
    for (let i = 10; i < 20; i++) set.add(pkt(0x42, i, i, 6, 10 * 160 + (i - 10) * 320));
    const streams = set.streams();
    expect(streams.map((s) => [s.part, s.clockRate, s.stats.packets])).toEqual([
      [1, 8000, 10],
      [2, 16000, 10],
    ]);
    expect(streams[1]!.label).toBe('SSRC 0x00000042 part 2 (16000 Hz)');
    // Each part is internally consistent: no loss, no jitter.
    for (const s of streams) expect(s.stats.snapshot()).toMatchObject({ lost: 0, jitterMaxMs: 0 });
    expect(set.get(0x42)).toBe(streams[1]!.stats);
  });

  it('clock-0 packets (telephone-event, CN-like unknowns) never start a part', () => {
    const resolver = (pt: number): number =>
      clockRateOf(pt, pt === 101 ? 'telephone-event' : undefined);
    const set = new RtpStreamSet(resolver);
    for (let i = 0; i < 5; i++) set.add(pkt(1, i, i, 0));
    for (let i = 5; i < 8; i++) set.add(pkt(1, i, i, 101, 800));
    for (let i = 8; i < 12; i++) set.add(pkt(1, i, i, 0));
    expect(set.streams()).toHaveLength(1);
    expect(set.streams()[0]!.label).toBe('SSRC 0x00000001');
  });

  it('formats SSRCs as 0x%08X', () => {
    expect(ssrcHex(0xdeadbeef)).toBe('0xDEADBEEF');
    expect(ssrcHex(1)).toBe('0x00000001');
  });
});

describe('clockRateOf (Wireshark clock_map / mimetype_and_clock_map)', () => {
  it('static types from the table; unassigned and dynamic-without-name are 0', () => {
    expect([0, 8, 9, 13, 18, 6, 10, 16, 34].map((pt) => clockRateOf(pt))).toEqual([
      8000, 8000, 8000, 8000, 8000, 16000, 44100, 11025, 90000,
    ]);
    expect(clockRateOf(35)).toBe(0);
    expect(clockRateOf(96)).toBe(0);
  });

  it('dynamic types: telephone-event 0, SDP rate, else the name table (prefix, from the end)', () => {
    expect(clockRateOf(101, 'telephone-event', 8000)).toBe(0);
    expect(clockRateOf(101, 'TELEPHONE-EVENT', 48000)).toBe(0);
    expect(clockRateOf(111, 'opus', 48000)).toBe(48000);
    expect(clockRateOf(111, 'opus')).toBe(48000);
    expect(clockRateOf(97, 'AMR-WB')).toBe(16000);
    expect(clockRateOf(97, 'AMR')).toBe(8000);
    expect(clockRateOf(97, 'x-unknown')).toBe(0);
    expect(clockRateOf(9, 'G722', 16000)).toBe(8000);
  });

  it('names payload types for display', () => {
    expect(payloadName(0)).toBe('PCMU');
    expect(payloadName(8)).toBe('PCMA');
    expect(payloadName(111, 'opus')).toBe('opus');
    expect(payloadName(96)).toBe('PT 96');
  });
});
