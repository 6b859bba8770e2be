import { describe, expect, it } from 'vitest';
import { pcmuCodec } from '../../../../src/main/media/codec/g711.ts';
import { parseRtcp, type RtcpPacket } from '../../../../src/main/media/rtp/rtcp-packet.ts';
import { serializeRtcp } from '../../../../src/main/media/rtp/rtcp-serialize.ts';
import { serializeRtp } from '../../../../src/main/media/rtp/rtp-packet.ts';
import { ReceptionStats } from '../../../../src/main/media/session/reception-stats.ts';
import { RtcpReporter } from '../../../../src/main/media/session/rtcp-reporter.ts';
import { RtpReceiver } from '../../../../src/main/media/session/rtp-receiver.ts';
import { RtpSender } from '../../../../src/main/media/session/rtp-sender.ts';
import type { PeerReport, SessionCodec } from '../../../../src/main/media/session/types.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

describe('ReceptionStats (RFC 3550 A.1, A.3, A.8)', () => {
  it('extends the sequence across the wrap and reports cumulative and fractional loss', () => {
    const r = new ReceptionStats(0x42, 65530, 8000);
    // 65530..65535, 0..9 with 3 missing (65533, 2, 3): 16 expected, 13 received.
    const seqs = [65530, 65531, 65532, 65534, 65535, 0, 1, 4, 5, 6, 7, 8, 9];
    seqs.forEach((s, i) => r.update(s, i * 160, i * 20, true));
    expect(r.extendedHighestSeq).toBe(65536 + 9);
    const b1 = r.reportBlock(0, 0);
    expect([b1.ssrc, b1.cumulativeLost, b1.extendedHighestSeq]).toEqual([0x42, 3, 65545]);
    expect(b1.fractionLost).toBe(Math.floor((3 * 256) / 16));
    // Next interval: 10 more, none lost: fraction 0, cumulative unchanged.
    for (let s = 10; s < 20; s++) r.update(s, s * 160, s * 20, true);
    const b2 = r.reportBlock(0, 0);
    expect([b2.fractionLost, b2.cumulativeLost]).toEqual([0, 3]);
  });

  it('computes interarrival jitter in timestamp units from arrival times', () => {
    const r = new ReceptionStats(1, 0, 8000);
    // Packets every 20 ms of media, arriving alternately 0 and 5 ms late: |D| = 40 units each.
    for (let i = 0; i < 200; i++) r.update(i, i * 160, i * 20 + (i % 2) * 5, true);
    expect(r.jitterUnits).toBeGreaterThan(39);
    expect(r.jitterUnits).toBeLessThanOrEqual(40);
    expect(r.reportBlock(0, 0).jitter).toBe(39);
  });

  it('resynchronises on a restarted sequence only when two packets agree (A.1 bad_seq)', () => {
    const r = new ReceptionStats(1, 100, 8000);
    r.update(100, 0, 0, true);
    r.update(40000, 0, 20, true); // lone jump: ignored
    expect(r.extendedHighestSeq).toBe(100);
    r.update(40000, 0, 20, true);
    r.update(40001, 160, 40, true); // …now it follows: restart
    expect(r.extendedHighestSeq).toBe(40001);
  });
});

function setup() {
  const timers = new FakeClock();
  const wire: RtcpPacket[][] = [];
  const reports: PeerReport[] = [];
  const byes: number[][] = [];
  const codec = pcmuCodec as SessionCodec;
  const sender = new RtpSender({
    codec,
    ptimeMs: 20,
    telephoneEventRate: 8000,
    source: { read: () => undefined },
    sinks: [],
    ssrc: 0xa,
    transmit: () => true,
  });
  const receiver = new RtpReceiver({
    codec,
    ptimeMs: 20,
    telephoneEventRate: 8000,
    sinks: [],
    timestampJumpMs: 1000,
    onDtmf: () => undefined,
  });
  let ms = 0;
  const rtcp = new RtcpReporter({
    cname: 'me@test',
    intervalMs: 5000,
    timers,
    sender,
    receiver,
    rtpNow: () => 1234,
    sessionMs: () => ms,
    transmit: (buf, done) => {
      const p = parseRtcp(buf, { requireReportFirst: true });
      if (!p.ok) throw new Error(p.detail);
      wire.push(p.value);
      done?.();
      return true;
    },
    onReport: (r) => reports.push(r),
    onBye: (b) => byes.push(b.ssrcs),
    random: () => 0.5, // factor 1.0
  });
  return { timers, wire, reports, byes, sender, receiver, rtcp, setMs: (v: number) => (ms = v) };
}

describe('RtcpReporter (RFC 3550 §6)', () => {
  it('sends RR + SDES at first, SR once we sent, on the randomised interval', () => {
    const { timers, wire, sender, rtcp } = setup();
    rtcp.start();
    timers.advance(2499);
    expect(wire).toHaveLength(0);
    timers.advance(1); // first report after half the interval
    expect(wire[0]!.map((p) => p.type)).toEqual(['rr', 'sdes']);
    expect(wire[0]![1]).toEqual({
      type: 'sdes',
      chunks: [{ ssrc: 0xa, items: [{ type: 1, value: 'me@test' }] }],
    });
    for (let f = 0; f < 10; f++) sender.tick(f, f * 20, true);
    timers.advance(5000);
    const sr = wire[1]![0]!;
    expect(sr.type === 'sr' && [sr.ssrc, sr.packetCount, sr.octetCount, sr.rtpTimestamp]).toEqual([
      0xa, 10, 1600, 1234,
    ]);
    // Nothing sent since: back to RR.
    timers.advance(5000);
    expect(wire[2]![0]!.type).toBe('rr');
    rtcp.stop();
    timers.advance(60_000);
    expect(wire).toHaveLength(3);
  });

  it('adds a report block for the peer with LSR/DLSR from its last SR, keeps its report', () => {
    const { wire, receiver, rtcp, reports, setMs } = setup();
    for (let s = 0; s < 5; s++) {
      receiver.handle(
        serializeRtp({
          marker: false,
          payloadType: 0,
          sequenceNumber: s,
          timestamp: s * 160,
          ssrc: 0xb,
          csrcs: [],
          payload: Buffer.alloc(160),
        }),
        { address: '127.0.0.1', port: 1 },
        s * 20,
      );
    }
    setMs(1000);
    rtcp.handle(
      serializeRtcp([
        {
          type: 'sr',
          ssrc: 0xb,
          ntpSeconds: 0x12345678,
          ntpFraction: 0x9abc0000,
          rtpTimestamp: 5,
          packetCount: 5,
          octetCount: 800,
          reports: [],
        },
        { type: 'sdes', chunks: [{ ssrc: 0xb, items: [{ type: 1, value: 'peer@x' }] }] },
      ]),
    );
    expect(reports[0]).toMatchObject({ type: 'sr', ssrc: 0xb, sender: { packetCount: 5 } });
    expect(rtcp.peerCname).toBe('peer@x');
    setMs(1500);
    rtcp.sendReport();
    const rr = wire[0]![0]!;
    expect(rr.type).toBe('rr');
    const block = rr.type === 'rr' ? rr.reports[0]! : undefined;
    expect(block).toMatchObject({
      ssrc: 0xb,
      extendedHighestSeq: 4,
      cumulativeLost: 0,
      lastSr: 0x56789abc,
      delaySinceLastSr: 32768,
    });
  });

  it('sends BYE last in a compound, counts garbage, reports the peer BYE', () => {
    const { wire, rtcp, byes } = setup();
    let done = false;
    rtcp.sendBye('bye now', () => (done = true));
    expect(done).toBe(true);
    expect(wire[0]!.map((p) => p.type)).toEqual(['rr', 'sdes', 'bye']);
    expect(wire[0]![2]).toEqual({ type: 'bye', ssrcs: [0xa], reason: 'bye now' });
    rtcp.handle(Buffer.from([0x80, 0xc8, 0xff, 0xff]));
    rtcp.handle(Buffer.alloc(2));
    expect(rtcp.counters.malformed).toBe(2);
    rtcp.handle(
      serializeRtcp([
        { type: 'rr', ssrc: 3, reports: [] },
        { type: 'bye', ssrcs: [3] },
      ]),
    );
    expect(byes).toEqual([[3]]);
    expect(rtcp.counters.received).toBe(1);
  });
});
