/**
 * The RFC 3550 receiver figures an RTCP report block carries (§6.4.1): extended highest sequence
 * number (Appendix A.1), cumulative and fractional loss (A.3), interarrival jitter in timestamp
 * units (A.8, the integer form pjmedia and the RFC use); plus duplicate and out-of-order counts,
 * which RFC 3550 leaves to the implementation.
 *
 * Without A.1 probation (MIN_SEQUENTIAL): signalling already vouched for the source, and the
 * first packet must count.
 */

const SEQ_MOD = 0x10000;
// RFC 3550 Appendix A.1.
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;

export interface RtcpReceptionBlock {
  /** 0..255: lost/expected since the previous block, ×256 (A.3). */
  fractionLost: number;
  /** Signed 24-bit cumulative loss (A.3; negative with duplicates). */
  cumulativeLost: number;
  extendedHighestSeq: number;
  /** Interarrival jitter, timestamp units (A.8: J >> 4). */
  jitter: number;
}

export class Rfc3550Reception {
  private started = false;
  private baseSeq = 0;
  private maxSeq = 0;
  private cycles = 0;
  private badSeq = SEQ_MOD + 1;
  private received = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private transit: number | undefined;
  /** A.8 integer jitter, scaled by 16. */
  private jitterQ4 = 0;
  private dups = 0;
  private late = 0;
  /** One bit per 16-bit sequence number: received since the window last passed it. */
  private readonly seen = new Uint8Array(SEQ_MOD / 8);

  /** One packet; `clockRate` 0 skips jitter (telephone-event, unknown payload). */
  add(seq: number, timestamp: number, arrivalMs: number, clockRate: number): void {
    if (!this.started) {
      this.started = true;
      this.restart(seq);
    } else {
      const udelta = (seq - this.maxSeq + SEQ_MOD) % SEQ_MOD;
      if (udelta === 0) {
        this.dups++;
      } else if (udelta < MAX_DROPOUT) {
        // In order, with permissible gap (A.1).
        if (seq < this.maxSeq) this.cycles += SEQ_MOD;
        for (let s = (this.maxSeq + 1) % SEQ_MOD; s !== seq; s = (s + 1) % SEQ_MOD)
          this.clearSeen(s);
        this.maxSeq = seq;
        this.clearSeen(seq);
      } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
        // A very large jump: the source restarted if the next packet follows it (A.1).
        if (seq === this.badSeq) {
          this.restart(seq);
        } else {
          this.badSeq = (seq + 1) % SEQ_MOD;
          return;
        }
      } else if (this.isSeen(seq)) {
        this.dups++;
      } else {
        this.late++;
      }
    }
    this.markSeen(seq);
    this.received++;
    if (clockRate === 0) return;
    // A.8: transit = arrival (timestamp units) − RTP timestamp; D = transit − previous transit.
    const arrival = Math.round((arrivalMs * clockRate) / 1000);
    const transit = arrival - timestamp;
    if (this.transit !== undefined) {
      let d = transit - this.transit;
      d = ((((d % 0x100000000) + 0x100000000 + 0x80000000) % 0x100000000) - 0x80000000) | 0;
      // J += |D| − ((J + 8) >> 4), kept scaled by 16.
      this.jitterQ4 += Math.abs(d) - Math.floor((this.jitterQ4 + 8) / 16);
    }
    this.transit = transit;
  }

  private restart(seq: number): void {
    // A.1 init_seq.
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = SEQ_MOD + 1;
    this.cycles = 0;
    this.received = 0;
    this.expectedPrior = 0;
    this.receivedPrior = 0;
    this.transit = undefined;
    this.seen.fill(0);
  }

  private isSeen(seq: number): boolean {
    return (this.seen[seq >> 3]! & (1 << (seq & 7))) !== 0;
  }
  private markSeen(seq: number): void {
    this.seen[seq >> 3]! |= 1 << (seq & 7);
  }
  private clearSeen(seq: number): void {
    this.seen[seq >> 3]! &= ~(1 << (seq & 7));
  }

  get extendedHighestSeq(): number {
    return this.cycles + this.maxSeq;
  }

  /** A.3 expected = extended max − base + 1 (0 before the first packet). */
  get expected(): number {
    return this.started ? this.extendedHighestSeq - this.baseSeq + 1 : 0;
  }

  get packetsReceived(): number {
    return this.received;
  }

  /** A.3 cumulative lost, clamped to the signed 24-bit field. */
  get cumulativeLost(): number {
    return Math.max(-0x800000, Math.min(0x7fffff, this.expected - this.received));
  }

  get duplicates(): number {
    return this.dups;
  }

  /** Packets that arrived after a higher sequence number (and were not duplicates). */
  get outOfOrder(): number {
    return this.late;
  }

  /** A.8 jitter in timestamp units, as reported (J >> 4). */
  get jitterUnits(): number {
    return Math.floor(this.jitterQ4 / 16);
  }

  /** A.8 jitter with its fraction, in timestamp units. */
  get jitterExact(): number {
    return this.jitterQ4 / 16;
  }

  /**
   * The report-block figures; advances the "prior" counters of A.3, so call it once per RTCP
   * report sent.
   */
  reportBlock(): RtcpReceptionBlock {
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.received - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.received;
    return {
      fractionLost: fractionLost(expectedInterval, receivedInterval),
      cumulativeLost: this.cumulativeLost,
      extendedHighestSeq: this.extendedHighestSeq >>> 0,
      jitter: this.jitterUnits >>> 0,
    };
  }
}

/** A.3: fraction = (lost_interval << 8) / expected_interval, 0 when nothing or less was lost. */
export function fractionLost(expectedInterval: number, receivedInterval: number): number {
  const lostInterval = expectedInterval - receivedInterval;
  if (expectedInterval <= 0 || lostInterval <= 0) return 0;
  return Math.min(255, Math.floor((lostInterval * 256) / expectedInterval));
}
