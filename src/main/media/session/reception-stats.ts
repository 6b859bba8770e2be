/**
 * What one RTP source needs for its RTCP report block (RFC 3550 §6.4.1): extended highest
 * sequence number (Appendix A.1), cumulative and fractional loss (A.3) and interarrival jitter
 * (A.8). Kept minimal on purpose; the quality statistics (stats/) build on the session's
 * per-packet `onPacket` hook instead.
 */
import type { ReportBlock } from '../rtp/rtcp-packet.ts';

const RTP_SEQ_MOD = 0x10000;
// RFC 3550 Appendix A.1 constants.
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;

export class ReceptionStats {
  readonly ssrc: number;
  private readonly clockRate: number;
  private maxSeq: number;
  private cycles = 0;
  private baseSeq: number;
  private badSeq = RTP_SEQ_MOD + 1;
  private received = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private transit: number | undefined;
  /** Interarrival jitter, timestamp units (A.8, floating point form). */
  private jitter = 0;

  constructor(ssrc: number, seq: number, clockRate: number) {
    this.ssrc = ssrc;
    this.clockRate = clockRate;
    this.baseSeq = seq;
    this.maxSeq = seq; // A.1 init_seq; the first update() then counts the packet
  }

  /** RFC 3550 A.1 update_seq (without probation: signalling already vouched for the source). */
  update(seq: number, timestamp: number, arrivalMs: number, audio: boolean): void {
    const udelta = (seq - this.maxSeq + RTP_SEQ_MOD) % RTP_SEQ_MOD;
    if (udelta < MAX_DROPOUT) {
      if (seq < this.maxSeq) this.cycles += RTP_SEQ_MOD; // wrapped
      this.maxSeq = seq;
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      // A very large jump: accept it only when the next packet follows it (the peer restarted).
      if (seq === this.badSeq) {
        this.baseSeq = seq;
        this.maxSeq = seq;
        this.cycles = 0;
        this.received = 0;
        this.expectedPrior = 0;
        this.receivedPrior = 0;
        this.transit = undefined;
      } else {
        this.badSeq = (seq + 1) % RTP_SEQ_MOD;
        return;
      }
    }
    // else: duplicate or reordered packet, counted below.
    this.received++;
    // A.8 jitter, on audio packets only (telephone-event timestamps stay constant per event).
    if (!audio) return;
    const arrival = (arrivalMs * this.clockRate) / 1000;
    const transit = arrival - timestamp;
    if (this.transit !== undefined) {
      let d = transit - this.transit;
      // Timestamps are modulo 2^32: take the shortest distance.
      if (d > 0x80000000) d -= 0x100000000;
      else if (d < -0x80000000) d += 0x100000000;
      this.jitter += (Math.abs(d) - this.jitter) / 16;
    }
    this.transit = transit;
  }

  get extendedHighestSeq(): number {
    return this.cycles + this.maxSeq;
  }

  get packetsReceived(): number {
    return this.received;
  }

  /** Jitter in timestamp units. */
  get jitterUnits(): number {
    return this.jitter;
  }

  /**
   * The report block for this source (A.3); advances the "prior" counters, so call it once per
   * report sent. `lastSr`/`delaySinceLastSr` come from the peer's last SR (§6.4.1).
   */
  reportBlock(lastSr: number, delaySinceLastSr: number): ReportBlock {
    const expected = this.extendedHighestSeq - this.baseSeq + 1;
    let lost = expected - this.received;
    // Cumulative loss is a signed 24-bit field.
    lost = Math.max(-0x800000, Math.min(0x7fffff, lost));
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.received - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    const fraction =
      expectedInterval === 0 || lostInterval <= 0
        ? 0
        : Math.min(255, Math.floor((lostInterval * 256) / expectedInterval));
    return {
      ssrc: this.ssrc,
      fractionLost: fraction,
      cumulativeLost: lost,
      extendedHighestSeq: this.extendedHighestSeq >>> 0,
      jitter: Math.floor(this.jitter) >>> 0,
      lastSr,
      delaySinceLastSr,
    };
  }
}
