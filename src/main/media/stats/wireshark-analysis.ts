/**
 * Wireshark's per-stream RTP analysis, ported statement by statement from Wireshark 4.0
 * `ui/tap-rtp-analysis.c` `rtppacket_analyse()` (the figures of Telephony → RTP → RTP Streams and
 * of `tshark -z rtp,streams`) and the totals of `ui/tap-rtp-common.c` `rtpstream_info_calculate()`.
 *
 * Quirks kept on purpose, because agreeing with Wireshark is the point:
 * - time is arrival in ms (a double); the clock is divided by 1000 with C integer division
 *   (44100 Hz → 44 ticks per ms);
 * - a packet is "in time sequence" when its timestamp is at most 2^31 ahead of the *first*
 *   packet's timestamp (with wrap); only those move the reference time and get jitter/delta;
 * - lost = (last seen seq + 65536·cycles) − first seq + 1 − packets, with Wireshark's wrap
 *   heuristic (a cycle is counted when seq drops below the first seq), so duplicates make it
 *   negative and a late last packet shrinks it;
 * - max/mean delta and max/mean jitter use "regular" packets only (not first, no marker, not
 *   CN, not right after CN, timestamp not in the past), yet the means divide by the count of all
 *   packets seen so far.
 */

/** STAT_FLAG_* of ui/tap-rtp-analysis.h. */
const FLAG_MARKER = 0x002;
const FLAG_WRONG_SEQ = 0x004;
const FLAG_PT_CN = 0x010;
const FLAG_FOLLOW_PT_CN = 0x020;
const FLAG_WRONG_TIMESTAMP = 0x080;

const TS_HALF = 0x80000000;

export interface WiresharkFigures {
  packets: number;
  expected: number;
  lost: number;
  lostPercent: number;
  /** Wireshark's "sequence errors": gaps, late and duplicate packets (statinfo->sequence). */
  sequenceErrors: number;
  /** Timestamp went behind the first packet's (STAT_FLAG_WRONG_TIMESTAMP) — counted here. */
  wrongTimestamps: number;
  /** Current jitter (ms). */
  jitterMs: number;
  jitterMaxMs: number;
  jitterMeanMs: number;
  /** null until a regular packet with a known clock rate (Wireshark prints -1). */
  jitterMinMs: number | null;
  maxDeltaMs: number;
  meanDeltaMs: number;
  minDeltaMs: number | null;
  /** Last non-zero clock rate used (0 if none: jitter was never computed). */
  clockRate: number;
  /** Wireshark's "Problems?" column: a wrong sequence or timestamp was seen. */
  problem: boolean;
  firstSeq: number;
  lastSeq: number;
}

export class WiresharkRtpAnalysis {
  private first = true;
  private startSeq = 0;
  private stopSeq = 0;
  private seqNum = 0;
  private firstTimestamp = 0;
  private time = 0;
  private lastNominal = 0;
  private pt = 0;
  private totalNr = 0;
  private cycles = 0;
  private under = false;
  private sequence = 0;
  private wrongTs = 0;
  private delta = 0;
  private jitter = 0;
  private maxJitter = 0;
  private meanJitter = 0;
  private minJitter = -1;
  private maxDelta = 0;
  private meanDelta = 0;
  private minDelta = -1;
  private clock = 0;
  private problem = false;

  /**
   * One packet. `clockRate` is what `clockRateOf()` gives for its payload type (0: no jitter).
   * Returns true when the packet was "regular" (counted in max delta / jitter).
   */
  add(
    arrivalMs: number,
    seq: number,
    timestamp: number,
    pt: number,
    marker: boolean,
    clockRate: number,
  ): boolean {
    const now = arrivalMs;
    if (this.first) {
      // tap-rtp-analysis.c: first packet only initialises.
      this.first = false;
      this.startSeq = this.stopSeq = this.seqNum = seq;
      this.firstTimestamp = timestamp;
      this.time = now;
      this.lastNominal = 0;
      this.pt = pt;
      this.totalNr = 1;
      return false;
    }
    let flags = 0;
    // In time sequence relative to the first timestamp, with 32-bit wrap (4.0 lines 247-259).
    let inTime: boolean;
    if (this.firstTimestamp <= timestamp) inTime = timestamp - this.firstTimestamp < TS_HALF;
    else inTime = 0xffffffff - this.firstTimestamp + timestamp < TS_HALF;
    if (!inTime) {
      flags |= FLAG_WRONG_TIMESTAMP;
      this.wrongTs++;
    }
    // Sequence cycles (the `under` heuristic).
    if (seq < this.startSeq && inTime && !this.under) {
      this.cycles++;
      this.under = true;
    } else if (seq === 0 && this.stopSeq === 65535 && inTime && !this.under) {
      this.cycles++;
      this.under = true;
    } else if (seq > this.startSeq && inTime && this.under) {
      this.under = false;
    }
    // Sequence errors. seq_num is a guint32, so `seq_num - seq` wraps when seq_num < seq.
    const back = this.seqNum >= seq ? this.seqNum - seq : this.seqNum - seq + 0x100000000;
    if (inTime && this.seqNum + 1 === seq) {
      this.seqNum = seq;
    } else if (inTime && this.seqNum === 65535 && seq === 0) {
      this.seqNum = seq;
    } else if (inTime && (this.seqNum + 1 < seq || back > 0xff00)) {
      this.seqNum = seq;
      this.sequence++;
      flags |= FLAG_WRONG_SEQ;
    } else if (this.seqNum + 1 > seq) {
      this.sequence++;
      flags |= FLAG_WRONG_SEQ;
    }
    if (pt === 13 || pt === 19) flags |= FLAG_PT_CN;
    if (this.pt === 13 || this.pt === 19) flags |= FLAG_FOLLOW_PT_CN;
    this.pt = pt;

    let currentJitter = 0;
    if (inTime) {
      if (clockRate !== 0) {
        this.clock = clockRate;
        // guint32_wraparound_diff(timestamp, first_timestamp) / (clock_rate / 1000).
        const ticks = (timestamp - this.firstTimestamp + 0x100000000) % 0x100000000;
        const nominal = ticks / Math.floor(clockRate / 1000);
        const expected = this.time + (nominal - this.lastNominal);
        const diff = Math.abs(now - expected);
        currentJitter = (15 * this.jitter + diff) / 16;
        this.delta = now - this.time;
        this.jitter = currentJitter;
        this.lastNominal = nominal;
      } else {
        this.delta = now - this.time;
      }
    }
    if (marker) flags |= FLAG_MARKER;
    const regular =
      (flags & (FLAG_MARKER | FLAG_PT_CN | FLAG_WRONG_TIMESTAMP | FLAG_FOLLOW_PT_CN)) === 0;
    if (regular) {
      if (this.delta > this.maxDelta) this.maxDelta = this.delta;
      if (this.minDelta === -1 || this.delta < this.minDelta) this.minDelta = this.delta;
      this.meanDelta = (this.meanDelta * (this.totalNr - 1) + this.delta) / this.totalNr;
      if (clockRate !== 0) {
        if (this.jitter > this.maxJitter) this.maxJitter = this.jitter;
        this.meanJitter = (this.meanJitter * (this.totalNr - 1) + currentJitter) / this.totalNr;
        if (this.minJitter === -1 || this.jitter < this.minJitter) this.minJitter = this.jitter;
      }
    }
    if (flags & (FLAG_WRONG_TIMESTAMP | FLAG_WRONG_SEQ)) this.problem = true;
    if (inTime) this.time = now;
    this.stopSeq = seq;
    this.totalNr++;
    return regular;
  }

  get packets(): number {
    return this.totalNr;
  }

  /** Current jitter (ms). */
  get jitterMs(): number {
    return this.jitter;
  }

  figures(): WiresharkFigures {
    // tap-rtp-common.c rtpstream_info_calculate(): expected is a guint32, lost a gint32.
    const expected =
      this.totalNr === 0 ? 0 : (this.stopSeq + this.cycles * 0x10000 - this.startSeq + 1) >>> 0;
    const lost = this.totalNr === 0 ? 0 : (expected - this.totalNr) | 0;
    return {
      packets: this.totalNr,
      expected,
      lost,
      lostPercent: expected ? (lost * 100) / expected : 0,
      sequenceErrors: this.sequence,
      wrongTimestamps: this.wrongTs,
      jitterMs: this.jitter,
      jitterMaxMs: this.maxJitter,
      jitterMeanMs: this.meanJitter,
      jitterMinMs: this.minJitter === -1 ? null : this.minJitter,
      maxDeltaMs: this.maxDelta,
      meanDeltaMs: this.meanDelta,
      minDeltaMs: this.minDelta === -1 ? null : this.minDelta,
      clockRate: this.clock,
      problem: this.problem,
      firstSeq: this.startSeq,
      lastSeq: this.stopSeq,
    };
  }
}
