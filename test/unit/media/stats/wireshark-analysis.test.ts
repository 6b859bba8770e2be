import { describe, expect, it } from 'vitest';
import {
  RtpStreamStats,
  type StatsPacket,
} from '../../../../src/main/media/stats/rtp-stream-stats.ts';
import { clockRateOf } from '../../../../src/main/media/stats/clock-rate.ts';

/** Packets every 20 ms with 160-tick steps unless overridden. */
function feed(
  list: Array<Partial<StatsPacket> & { seq: number; t?: number; ts?: number }>,
  resolver?: (pt: number) => number,
): RtpStreamStats {
  const s = new RtpStreamStats(0x1234, resolver);
  list.forEach((p, i) =>
    s.add({
      arrivalMs: p.t ?? i * 20,
      sequenceNumber: p.seq,
      timestamp: p.ts ?? i * 160,
      ssrc: 0x1234,
      payloadType: p.payloadType ?? 0,
      marker: p.marker ?? false,
      payloadBytes: p.payloadBytes ?? 160,
    }),
  );
  return s;
}

describe('RtpStreamStats: Wireshark figures (ui/tap-rtp-analysis.c)', () => {
  it('a clean stream: no loss, no jitter, 20 ms deltas', () => {
    const s = feed(Array.from({ length: 50 }, (_, i) => ({ seq: 100 + i }))).snapshot();
    expect(s).toMatchObject({
      packets: 50,
      expected: 50,
      lost: 0,
      lostPercent: 0,
      duplicates: 0,
      outOfOrder: 0,
      sequenceErrors: 0,
      bytes: 8000,
    });
    expect(s.maxDeltaMs).toBe(20);
    expect(s.jitterMaxMs).toBe(0);
    expect(s.problem).toBe(false);
  });

  it('jitter by hand: J = (15J + |D|)/16, mean over all packets, max over regular ones', () => {
    // Arrivals 0, 20, 45 ms; timestamps 0, 160, 320: the third is 5 ms late.
    const s = feed([
      { seq: 1, t: 0 },
      { seq: 2, t: 20 },
      { seq: 3, t: 45 },
    ]).snapshot();
    expect(s.jitterMs).toBeCloseTo(5 / 16, 12);
    expect(s.jitterMaxMs).toBeCloseTo(0.3125, 12);
    // mean: packet 2 → (0·0 + 0)/1, packet 3 → (0·1 + 0.3125)/2
    expect(s.jitterMeanMs).toBeCloseTo(0.15625, 12);
    expect(s.maxDeltaMs).toBe(25);
    expect(s.minDeltaMs).toBe(20);
    // RFC 3550 A.8 on the same packets: transit 0, 0, 40 units → J = 40/16 = 2.5 units = 0.3125 ms at 8 kHz.
    expect(s.rfc3550.jitterUnits).toBe(2);
    expect(s.rfc3550.jitterMs).toBeCloseTo(0.3125, 12);
  });

  it('sequence wrap-around counts a cycle: no false loss', () => {
    const s = feed([65533, 65534, 65535, 0, 1, 2].map((seq) => ({ seq }))).snapshot();
    expect(s).toMatchObject({ packets: 6, expected: 6, lost: 0, sequenceErrors: 0 });
    expect(s.rfc3550.extendedHighestSeq).toBe(65536 + 2);
  });

  it('loss across the wrap is counted', () => {
    const s = feed([65533, 65534, 1, 2].map((seq) => ({ seq }))).snapshot();
    expect(s).toMatchObject({ packets: 4, expected: 6, lost: 2, sequenceErrors: 1 });
    expect(s.lostPercent).toBeCloseTo(33.333, 2);
    expect(s.rfc3550.cumulativeLost).toBe(2);
  });

  it('duplicates make Wireshark loss negative and are counted as duplicates', () => {
    const s = feed([1, 2, 2, 3, 4].map((seq) => ({ seq }))).snapshot();
    expect(s).toMatchObject({
      packets: 5,
      expected: 4,
      lost: -1,
      duplicates: 1,
      outOfOrder: 0,
      sequenceErrors: 1,
    });
    expect(s.rfc3550.cumulativeLost).toBe(-1);
  });

  it('reordering: out of order, no loss; a late last packet makes Wireshark loss negative', () => {
    const r = feed([1, 3, 2, 4].map((seq) => ({ seq }))).snapshot();
    expect(r).toMatchObject({
      packets: 4,
      expected: 4,
      lost: 0,
      outOfOrder: 1,
      duplicates: 0,
      sequenceErrors: 2,
    });
    // Wireshark uses the last packet *seen*: 1, 2, 4, 3 → expected 3 − 1 + 1 = 3, lost = 3 − 4.
    const late = feed([1, 2, 4, 3].map((seq) => ({ seq }))).snapshot();
    expect(late).toMatchObject({ expected: 3, lost: -1, outOfOrder: 1 });
    expect(late.rfc3550.expected).toBe(4);
    expect(late.rfc3550.cumulativeLost).toBe(0);
  });

  it('a marker packet after a silence gap is not "regular": its delta is not the max delta', () => {
    const s = feed([
      { seq: 1, t: 0, ts: 0 },
      { seq: 2, t: 20, ts: 160 },
      { seq: 3, t: 1020, ts: 8160, marker: true },
      { seq: 4, t: 1040, ts: 8320 },
    ]).snapshot();
    expect(s.maxDeltaMs).toBe(20);
    expect(s.lost).toBe(0);
  });

  it('without the marker the same gap is the max delta', () => {
    const s = feed([
      { seq: 1, t: 0, ts: 0 },
      { seq: 2, t: 20, ts: 160 },
      { seq: 3, t: 1020, ts: 8160 },
    ]).snapshot();
    expect(s.maxDeltaMs).toBe(1000);
  });

  it('comfort noise (PT 13) and the packet after it are not regular', () => {
    const s = feed([
      { seq: 1, t: 0, ts: 0 },
      { seq: 2, t: 20, ts: 160 },
      { seq: 3, t: 40, ts: 320, payloadType: 13, payloadBytes: 1 },
      { seq: 4, t: 540, ts: 4320 },
      { seq: 5, t: 560, ts: 4480 },
    ]).snapshot();
    // Delta 500 (packet 4, after CN) is excluded.
    expect(s.maxDeltaMs).toBe(20);
    expect(s.payloadTypes).toEqual([0, 13]);
    expect(s.bytes).toBe(160 * 4 + 1);
  });

  it('telephone-event (clock 0) packets get no jitter and do not start a new stream', () => {
    const resolver = (pt: number): number =>
      pt === 101 ? clockRateOf(101, 'telephone-event', 8000) : clockRateOf(pt);
    const s = feed(
      [
        { seq: 1, t: 0, ts: 0 },
        { seq: 2, t: 20, ts: 160 },
        { seq: 3, t: 43, ts: 320, payloadType: 101, payloadBytes: 4 },
        { seq: 4, t: 61, ts: 320, payloadType: 101, payloadBytes: 4 },
      ],
      resolver,
    ).snapshot();
    expect(s.jitterMs).toBe(0);
    expect(s.jitterMaxMs).toBe(0);
    expect(s.clockRate).toBe(8000);
    expect(s.packets).toBe(4);
  });

  it('unknown dynamic payload types have clock 0: no jitter at all (Wireshark without SDP)', () => {
    const s = feed(
      [
        { seq: 1, t: 0 },
        { seq: 2, t: 29, payloadType: 96 },
        { seq: 3, t: 40, payloadType: 96 },
      ].map((p, i) => ({ ...p, payloadType: 96, ts: i * 160 })),
    ).snapshot();
    expect(s.clockRate).toBe(0);
    expect(s.jitterMinMs).toBeNull();
    expect(s.jitterMeanMs).toBe(0);
    expect(s.maxDeltaMs).toBe(29);
  });

  it('divides the clock by 1000 with integer division (44100 Hz → 44 ticks per ms)', () => {
    const resolver = (): number => 44_100;
    // 882 ticks: 20.0 ms at 44.1 ticks/ms, 20.045 ms at Wireshark's 44.
    const s = feed(
      [
        { seq: 1, t: 0, ts: 0 },
        { seq: 2, t: 20, ts: 882 },
      ],
      resolver,
    ).snapshot();
    expect(s.jitterMs).toBeCloseTo(Math.abs(20 - 882 / 44) / 16, 12);
  });

  it('a timestamp behind the first packet is a wrong timestamp: not regular, no jitter, a problem', () => {
    const s = feed([
      { seq: 1, t: 0, ts: 1000 },
      { seq: 2, t: 20, ts: 1160 },
      { seq: 3, t: 400, ts: 10 },
      { seq: 4, t: 420, ts: 1320 },
    ]).snapshot();
    expect(s.wrongTimestamps).toBe(1);
    expect(s.problem).toBe(true);
    // Packet 4's delta is measured from packet 2 (the last in time sequence).
    expect(s.maxDeltaMs).toBe(400);
  });
});

describe('RtpStreamStats: RFC 3550 report figures and intervals', () => {
  it('fraction lost per RTCP interval (A.3) and cumulative loss', () => {
    const s = new RtpStreamStats(7);
    const add = (seq: number, i: number): void =>
      s.add({
        arrivalMs: i * 20,
        sequenceNumber: seq,
        timestamp: i * 160,
        ssrc: 7,
        payloadType: 8,
        marker: false,
        payloadBytes: 160,
      });
    for (let i = 0; i < 10; i++) add(i, i);
    expect(s.reportBlock()).toMatchObject({
      ssrc: 7,
      fractionLost: 0,
      cumulativeLost: 0,
      extendedHighestSeq: 9,
    });
    // Next 8 sequence numbers, 2 lost: fraction = (2 << 8) / 8 = 64.
    for (const seq of [10, 11, 13, 14, 15, 17]) add(seq, seq);
    expect(s.reportBlock()).toMatchObject({
      fractionLost: 64,
      cumulativeLost: 2,
      extendedHighestSeq: 17,
    });
    // Nothing new: fraction 0, cumulative unchanged.
    expect(s.reportBlock()).toMatchObject({ fractionLost: 0, cumulativeLost: 2 });
  });

  it('cumulative lost is clamped to 24 bits', () => {
    const s = new RtpStreamStats(9);
    let seq = 0;
    let ext = 0;
    for (let i = 0; ext < 0x800000 + 6000; i++) {
      s.add({
        arrivalMs: i,
        sequenceNumber: seq,
        timestamp: i * 160,
        ssrc: 9,
        payloadType: 0,
        marker: false,
        payloadBytes: 1,
      });
      seq = (seq + 2999) % 65536;
      ext += 2999;
    }
    expect(s.snapshot().rfc3550.cumulativeLost).toBe(0x7fffff);
    expect(s.reportBlock().cumulativeLost).toBe(0x7fffff);
  });

  it('interval() reports only what happened since the previous call', () => {
    const s = new RtpStreamStats(5);
    let i = 0;
    const add = (seq: number, t: number): void =>
      s.add({
        arrivalMs: t,
        sequenceNumber: seq,
        timestamp: seq * 160,
        ssrc: 5,
        payloadType: 0,
        marker: false,
        payloadBytes: 160,
      });
    for (; i < 50; i++) add(i, i * 20);
    const first = s.interval();
    expect(first).toMatchObject({
      packets: 50,
      expected: 50,
      lost: 0,
      fractionLost: 0,
      bytes: 8000,
    });
    // 50 more sequence numbers, every 5th lost (50, 55 … 95), packet 76 (after lost 75) 12 ms late.
    for (; i < 100; i++) if (i % 5 !== 0) add(i, i * 20 + (i === 76 ? 12 : 0));
    const second = s.interval();
    expect(second).toMatchObject({ packets: 40, expected: 50, lost: 10, lostPercent: 20 });
    expect(second.fractionLost).toBe(Math.floor((10 * 256) / 50));
    expect(second.jitterMaxMs).toBeGreaterThan(0.5);
    expect(second.maxDeltaMs).toBe(40 + 12);
    const empty = s.interval();
    expect(empty).toMatchObject({ packets: 0, expected: 0, lost: 0, fractionLost: 0 });
  });
});
