/**
 * Statistics of one received RTP stream (one SSRC), fed one packet at a time — the shape
 * `PacketInfo` has (src/main/media/session/types.ts; the RTP session emits it for every packet
 * received through `onPacket` / the `packet` event).
 *
 * - Wireshark's figures (lost, max delta, max/mean jitter in ms): wireshark-analysis.ts.
 * - RFC 3550 report-block figures (A.1 extended seq, A.3 loss, A.8 jitter): rfc3550-reception.ts.
 * - `interval()`: what changed since the previous call (live 1 s statistics).
 */
import type { PacketInfo } from '../session/types.ts';
import { clockRateOf } from './clock-rate.ts';
import { fractionLost, Rfc3550Reception, type RtcpReceptionBlock } from './rfc3550-reception.ts';
import { WiresharkRtpAnalysis, type WiresharkFigures } from './wireshark-analysis.ts';

export type StatsPacket = Pick<
  PacketInfo,
  'arrivalMs' | 'sequenceNumber' | 'timestamp' | 'ssrc' | 'payloadType' | 'marker' | 'payloadBytes'
>;

/** Clock rate for a payload type; 0 = no jitter for that packet (see clock-rate.ts). */
export type ClockRateResolver = (payloadType: number) => number;

/** Static payload types only — what Wireshark knows without SDP. */
export const staticClockRates: ClockRateResolver = (pt) => clockRateOf(pt);

export interface RtpStreamSnapshot extends WiresharkFigures {
  ssrc: number;
  /** Payload type of the first packet. */
  payloadType: number;
  /** Every payload type seen, in order of first appearance. */
  payloadTypes: number[];
  /** RTP payload octets (padding excluded). */
  bytes: number;
  /** Packets whose sequence number had already been received. */
  duplicates: number;
  /** Packets that arrived after a higher sequence number (late, not duplicates). */
  outOfOrder: number;
  firstArrivalMs: number | null;
  lastArrivalMs: number | null;
  rfc3550: {
    extendedHighestSeq: number;
    expected: number;
    received: number;
    /** Signed 24-bit (A.3). */
    cumulativeLost: number;
    /** Timestamp units (A.8, J >> 4). */
    jitterUnits: number;
    /** The same in ms (0 when the clock rate is unknown). */
    jitterMs: number;
  };
}

export interface RtpIntervalStats {
  /** Packets received in the interval (duplicates included). */
  packets: number;
  bytes: number;
  expected: number;
  lost: number;
  /** 0..255 (RFC 3550 A.3). */
  fractionLost: number;
  lostPercent: number;
  /** Wireshark jitter at the end of the interval (ms). */
  jitterMs: number;
  /** Highest Wireshark jitter (ms) of the packets in the interval. */
  jitterMaxMs: number;
  /** Highest arrival delta (ms) of the regular packets in the interval. */
  maxDeltaMs: number;
}

export class RtpStreamStats {
  readonly ssrc: number;
  private readonly clockRate: ClockRateResolver;
  private readonly ws = new WiresharkRtpAnalysis();
  private readonly rfc = new Rfc3550Reception();
  private readonly pts: number[] = [];
  private bytes = 0;
  private firstMs: number | null = null;
  private lastMs: number | null = null;
  private lastArrivalForDelta: number | null = null;
  private iv = {
    packets: 0,
    bytes: 0,
    expectedBase: 0,
    receivedBase: 0,
    jitterMax: 0,
    maxDelta: 0,
  };

  constructor(ssrc: number, clockRate: ClockRateResolver = staticClockRates) {
    this.ssrc = ssrc;
    this.clockRate = clockRate;
  }

  add(p: StatsPacket): void {
    const clock = this.clockRate(p.payloadType);
    const regular = this.ws.add(
      p.arrivalMs,
      p.sequenceNumber,
      p.timestamp,
      p.payloadType,
      p.marker,
      clock,
    );
    this.rfc.add(p.sequenceNumber, p.timestamp, p.arrivalMs, clock);
    if (!this.pts.includes(p.payloadType)) this.pts.push(p.payloadType);
    this.bytes += p.payloadBytes;
    this.firstMs ??= p.arrivalMs;
    this.lastMs = p.arrivalMs;
    this.iv.packets++;
    this.iv.bytes += p.payloadBytes;
    if (regular && this.lastArrivalForDelta !== null)
      this.iv.maxDelta = Math.max(this.iv.maxDelta, p.arrivalMs - this.lastArrivalForDelta);
    this.lastArrivalForDelta = p.arrivalMs;
    if (clock !== 0 && regular) this.iv.jitterMax = Math.max(this.iv.jitterMax, this.ws.jitterMs);
  }

  get packets(): number {
    return this.ws.packets;
  }

  /** The clock rate of the last packet with a known one (0 if none). */
  get currentClockRate(): number {
    return this.ws.figures().clockRate;
  }

  /** Cumulative figures since the first packet. */
  snapshot(): RtpStreamSnapshot {
    const ws = this.ws.figures();
    const clock = ws.clockRate;
    return {
      ...ws,
      ssrc: this.ssrc,
      payloadType: this.pts[0] ?? -1,
      payloadTypes: [...this.pts],
      bytes: this.bytes,
      duplicates: this.rfc.duplicates,
      outOfOrder: this.rfc.outOfOrder,
      firstArrivalMs: this.firstMs,
      lastArrivalMs: this.lastMs,
      rfc3550: {
        extendedHighestSeq: this.rfc.extendedHighestSeq,
        expected: this.rfc.expected,
        received: this.rfc.packetsReceived,
        cumulativeLost: this.rfc.cumulativeLost,
        jitterUnits: this.rfc.jitterUnits,
        jitterMs: clock ? (this.rfc.jitterExact * 1000) / clock : 0,
      },
    };
  }

  /** What happened since the previous `interval()` call (or since the start). */
  interval(): RtpIntervalStats {
    // After an A.1 restart (the source jumped and restarted) the counters start again from 0.
    const restarted =
      this.rfc.expected < this.iv.expectedBase || this.rfc.packetsReceived < this.iv.receivedBase;
    const expected = this.rfc.expected - (restarted ? 0 : this.iv.expectedBase);
    const received = this.rfc.packetsReceived - (restarted ? 0 : this.iv.receivedBase);
    const lost = expected - received;
    const out: RtpIntervalStats = {
      packets: this.iv.packets,
      bytes: this.iv.bytes,
      expected,
      lost,
      fractionLost: fractionLost(expected, received),
      lostPercent: expected > 0 && lost > 0 ? (lost * 100) / expected : 0,
      jitterMs: this.ws.jitterMs,
      jitterMaxMs: this.iv.jitterMax,
      maxDeltaMs: this.iv.maxDelta,
    };
    this.iv = {
      packets: 0,
      bytes: 0,
      expectedBase: this.rfc.expected,
      receivedBase: this.rfc.packetsReceived,
      jitterMax: 0,
      maxDelta: 0,
    };
    return out;
  }

  /**
   * Figures for the RTCP report block about this source (RFC 3550 §6.4.1); advances the A.3
   * interval, so call once per report sent.
   */
  reportBlock(): RtcpReceptionBlock & { ssrc: number } {
    return { ssrc: this.ssrc, ...this.rfc.reportBlock() };
  }
}
