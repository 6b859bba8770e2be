/**
 * What one RTP source needs for its RTCP report block (RFC 3550 §6.4.1): the source's SSRC and
 * the receiver figures of Appendix A.1/A.3/A.8 — computed by the one RFC 3550 implementation the
 * quality statistics use (stats/rfc3550-reception.ts), so RTCP, the report and Wireshark agree.
 */
import type { ReportBlock } from '../rtp/rtcp-packet.ts';
import { Rfc3550Reception } from '../stats/rfc3550-reception.ts';

export class ReceptionStats {
  readonly ssrc: number;
  private readonly clockRate: number;
  private readonly rx = new Rfc3550Reception();

  constructor(ssrc: number, _firstSeq: number, clockRate: number) {
    this.ssrc = ssrc;
    this.clockRate = clockRate;
  }

  /** One packet; jitter (A.8) from audio packets only (telephone-event timestamps stay constant). */
  update(seq: number, timestamp: number, arrivalMs: number, audio: boolean): void {
    this.rx.add(seq, timestamp, arrivalMs, audio ? this.clockRate : 0);
  }

  get extendedHighestSeq(): number {
    return this.rx.extendedHighestSeq;
  }

  get packetsReceived(): number {
    return this.rx.packetsReceived;
  }

  /** Jitter in timestamp units. */
  get jitterUnits(): number {
    return this.rx.jitterExact;
  }

  /**
   * The report block for this source (A.3); advances the "prior" counters, so call it once per
   * report sent. `lastSr`/`delaySinceLastSr` come from the peer's last SR (§6.4.1).
   */
  reportBlock(lastSr: number, delaySinceLastSr: number): ReportBlock {
    return { ssrc: this.ssrc, ...this.rx.reportBlock(), lastSr, delaySinceLastSr };
  }
}
