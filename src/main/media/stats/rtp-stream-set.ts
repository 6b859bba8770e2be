/**
 * Received RTP split into streams, so figures are never averaged across sources: one stream per
 * SSRC (RFC 3550 §8: a new SSRC is a new source — a restarted peer, a transfer, an SBC switching
 * media), and within one SSRC a new sub-stream whenever the clock rate changes (the timestamps
 * then count in other units, so jitter across the change would be nonsense). Each stream gets a
 * label saying which part it is.
 *
 * Telephone-event and other packets whose clock rate is 0 never start a sub-stream; they belong
 * to the current one (as in Wireshark, they are counted but get no jitter).
 */
import {
  RtpStreamStats,
  staticClockRates,
  type ClockRateResolver,
  type RtpStreamSnapshot,
  type StatsPacket,
} from './rtp-stream-stats.ts';

export interface LabelledStream {
  ssrc: number;
  /** 1-based part number within this SSRC (clock-rate changes). */
  part: number;
  clockRate: number;
  /** e.g. "SSRC 0x1234ABCD", "SSRC 0x1234ABCD part 2 (16000 Hz)", "… (2nd SSRC)". */
  label: string;
  stats: RtpStreamStats;
}

interface Entry {
  ssrc: number;
  part: number;
  clockRate: number;
  stats: RtpStreamStats;
  /** Order of the SSRC among all SSRCs (1-based). */
  ssrcIndex: number;
}

export function ssrcHex(ssrc: number): string {
  return `0x${(ssrc >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

function ordinal(n: number): string {
  const s =
    n % 100 >= 11 && n % 100 <= 13
      ? 'th'
      : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${s}`;
}

export class RtpStreamSet {
  private readonly clockRate: ClockRateResolver;
  private readonly entries: Entry[] = [];
  /** The current (last) part of each SSRC. */
  private readonly current = new Map<number, Entry>();
  private ssrcCount = 0;

  constructor(clockRate: ClockRateResolver = staticClockRates) {
    this.clockRate = clockRate;
  }

  /** Account one packet; returns the stream it went to. */
  add(p: StatsPacket): RtpStreamStats {
    const clock = this.clockRate(p.payloadType);
    let e = this.current.get(p.ssrc);
    if (!e) {
      e = {
        ssrc: p.ssrc,
        part: 1,
        clockRate: clock,
        stats: new RtpStreamStats(p.ssrc, this.clockRate),
        ssrcIndex: ++this.ssrcCount,
      };
      this.entries.push(e);
      this.current.set(p.ssrc, e);
    } else if (clock !== 0 && e.clockRate !== 0 && clock !== e.clockRate) {
      e = {
        ssrc: p.ssrc,
        part: e.part + 1,
        clockRate: clock,
        stats: new RtpStreamStats(p.ssrc, this.clockRate),
        ssrcIndex: e.ssrcIndex,
      };
      this.entries.push(e);
      this.current.set(p.ssrc, e);
    } else if (e.clockRate === 0 && clock !== 0) {
      e.clockRate = clock;
    }
    e.stats.add(p);
    return e.stats;
  }

  /** The stream packets of `ssrc` go to now. */
  get(ssrc: number): RtpStreamStats | undefined {
    return this.current.get(ssrc)?.stats;
  }

  /** All streams in order of first packet, labelled. */
  streams(): LabelledStream[] {
    const parts = new Map<number, number>();
    for (const e of this.entries) parts.set(e.ssrc, Math.max(parts.get(e.ssrc) ?? 0, e.part));
    return this.entries.map((e) => {
      let label = `SSRC ${ssrcHex(e.ssrc)}`;
      if ((parts.get(e.ssrc) ?? 1) > 1)
        label += ` part ${e.part} (${e.clockRate ? `${e.clockRate} Hz` : 'unknown clock'})`;
      if (this.ssrcCount > 1) label += ` (${ordinal(e.ssrcIndex)} SSRC)`;
      return { ssrc: e.ssrc, part: e.part, clockRate: e.clockRate, label, stats: e.stats };
    });
  }

  snapshots(): Array<RtpStreamSnapshot & { label: string; part: number }> {
    return this.streams().map((s) => ({ ...s.stats.snapshot(), label: s.label, part: s.part }));
  }
}
