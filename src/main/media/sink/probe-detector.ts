/**
 * Probe detector sink: finds the audio-path probe (source/probe.ts) in received audio and, when
 * it also sees the sent audio, measures the round-trip delay of a probe sent into an echo: the
 * time from a burst's onset in the sent stream to the onset of the burst with the same ID in the
 * received stream (both on the session's `atMs` clock). It reports when the probe was first
 * heard, how often, and the round-trip delays.
 *
 * Round-trip figures only mean something when the far end echoes our audio; against another
 * probe source they pair unrelated bursts, so turn `measureRoundTrip` off there.
 */
import type { AudioDirection, AudioSink } from '../audio.ts';
import { ProbeTracker, type ProbeBurst } from './probe-tracker.ts';

export interface ProbeDetection extends ProbeBurst {
  dir: AudioDirection;
  /** For a received burst: delay since the sent burst with the same ID, if one was seen. */
  roundTripMs?: number;
}

export interface ProbeReport {
  /** Bursts found in the sent audio (our own probe, for timing). */
  sent: number;
  /** Bursts found in the received audio. */
  received: number;
  /** When the first received burst started, on the `atMs` clock; null if none. */
  firstDetectedMs: number | null;
  lastDetectedMs: number | null;
  /** Received bursts per second of received audio (1.0 for the default 1 s period, no loss). */
  detectionsPerSecond: number;
  roundTripMs: { last: number; min: number; max: number; mean: number; count: number } | null;
}

export interface ProbeDetectorOptions {
  /** Weakest marker tone accepted, default -40 dBm0. */
  minLevelDbm0?: number;
  /** Pair received bursts with sent ones (default true). */
  measureRoundTrip?: boolean;
  onDetect?: (d: ProbeDetection) => void;
}

const SENT_KEEP = 8;

export class ProbeDetector implements AudioSink {
  private readonly opts: ProbeDetectorOptions;
  private readonly trackers: Partial<Record<AudioDirection, ProbeTracker>> = {};
  private readonly sentBursts: ProbeBurst[] = [];
  private rtt: { last: number; min: number; max: number; sum: number; count: number } | null = null;
  private sentCount = 0;
  private receivedCount = 0;
  private first: number | null = null;
  private last: number | null = null;
  private receivedMs = 0;
  readonly detections: ProbeDetection[] = [];

  constructor(opts: ProbeDetectorOptions = {}) {
    this.opts = opts;
  }

  write(pcm: Int16Array, sampleRate: number, dir: AudioDirection, atMs: number): void {
    if (dir === 'sent' && this.opts.measureRoundTrip === false) return;
    let t = this.trackers[dir];
    if (t?.sampleRate !== sampleRate) {
      t = new ProbeTracker(sampleRate, this.opts.minLevelDbm0);
      this.trackers[dir] = t;
    }
    if (dir === 'received') this.receivedMs += (pcm.length * 1000) / sampleRate;
    for (const b of t.process(pcm, atMs)) this.onBurst(b, dir);
  }

  private onBurst(b: ProbeBurst, dir: AudioDirection): void {
    const d: ProbeDetection = { ...b, dir };
    if (dir === 'sent') {
      this.sentCount++;
      this.sentBursts.push(b);
      if (this.sentBursts.length > SENT_KEEP) this.sentBursts.shift();
    } else {
      this.receivedCount++;
      this.first ??= b.atMs;
      this.last = b.atMs;
      const match = this.sentBursts.findLast((s) => s.id === b.id && s.atMs <= b.atMs);
      if (match) {
        const v = b.atMs - match.atMs;
        d.roundTripMs = v;
        const s = this.rtt;
        this.rtt = s
          ? {
              last: v,
              min: Math.min(s.min, v),
              max: Math.max(s.max, v),
              sum: s.sum + v,
              count: s.count + 1,
            }
          : { last: v, min: v, max: v, sum: v, count: 1 };
      }
    }
    this.detections.push(d);
    if (this.detections.length > 1000) this.detections.shift();
    this.opts.onDetect?.(d);
  }

  report(): ProbeReport {
    const r = this.rtt;
    return {
      sent: this.sentCount,
      received: this.receivedCount,
      firstDetectedMs: this.first,
      lastDetectedMs: this.last,
      detectionsPerSecond: this.receivedMs > 0 ? this.receivedCount / (this.receivedMs / 1000) : 0,
      roundTripMs: r && {
        last: r.last,
        min: r.min,
        max: r.max,
        mean: r.sum / r.count,
        count: r.count,
      },
    };
  }
}
