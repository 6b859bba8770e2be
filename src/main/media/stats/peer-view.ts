/**
 * The peer's view of our stream, from the report blocks of its RTCP SR/RR about our SSRC
 * (RFC 3550 §6.4.1): fraction and cumulative loss, interarrival jitter (converted to ms with our
 * clock rate) and the round-trip time A − LSR − DLSR.
 */
import type { ReportBlock } from '../rtp/rtcp-packet.ts';

/** Middle 32 bits of a 64-bit NTP timestamp (RFC 3550 §4: 16.16 fixed-point seconds). */
export function ntpMiddle32(ntpSeconds: number, ntpFraction: number): number {
  return (((ntpSeconds & 0xffff) << 16) | (ntpFraction >>> 16)) >>> 0;
}

/**
 * RFC 3550 §6.4.1: RTT = A − LSR − DLSR in 1/65536 s, where A is the arrival time of the report
 * (middle 32 bits of NTP). null when the peer has not received an SR from us yet (LSR = 0) or
 * when the result is negative (clock errors). Returned in ms.
 */
export function roundTripMs(arrivalNtp32: number, lsr: number, dlsr: number): number | null {
  if (lsr === 0) return null;
  const units = (arrivalNtp32 - lsr - dlsr) | 0; // modulo 2^32, signed
  if (units < 0) return null;
  return (units * 1000) / 65536;
}

export interface PeerView {
  ssrc: number;
  /** Fraction lost in the peer's last interval, 0..1 (the 8-bit field / 256). */
  fractionLost: number;
  /** Cumulative lost, signed 24 bit (negative with duplicates). */
  cumulativeLost: number;
  extendedHighestSeq: number;
  jitterUnits: number;
  /** Jitter in ms (null when our clock rate is not known). */
  jitterMs: number | null;
  rttMs: number | null;
  /**
   * Packets the peer says it received: highest seq − our first seq + 1 − cumulative lost (only
   * when our first sequence number is known).
   */
  packetsReceivedByPeer: number | null;
}

export interface PeerViewOptions {
  /** Clock rate of our codec (for jitter in ms). */
  clockRate: number;
  /** A: when the report arrived, middle 32 bits of NTP (see `ntpMiddle32`). */
  arrivalNtp32?: number;
  /** The first sequence number we sent (to derive packets received). */
  firstSeqSent?: number;
}

export function peerView(block: ReportBlock, o: PeerViewOptions): PeerView {
  let received: number | null = null;
  if (o.firstSeqSent !== undefined) {
    // Extended highest seq counts cycles in its top 16 bits; our first seq had cycle 0.
    received = Math.max(0, block.extendedHighestSeq - o.firstSeqSent + 1 - block.cumulativeLost);
  }
  return {
    ssrc: block.ssrc,
    fractionLost: block.fractionLost / 256,
    cumulativeLost: block.cumulativeLost,
    extendedHighestSeq: block.extendedHighestSeq,
    jitterUnits: block.jitter,
    jitterMs: o.clockRate > 0 ? (block.jitter * 1000) / o.clockRate : null,
    rttMs:
      o.arrivalNtp32 !== undefined
        ? roundTripMs(o.arrivalNtp32, block.lastSr, block.delaySinceLastSr)
        : null,
    packetsReceivedByPeer: received,
  };
}

/** The block about `ourSsrc` in a report, if any. */
export function blockAbout(
  reports: readonly ReportBlock[],
  ourSsrc: number,
): ReportBlock | undefined {
  return reports.find((b) => b.ssrc >>> 0 === ourSsrc >>> 0);
}
