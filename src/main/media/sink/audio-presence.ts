/**
 * Audio presence of one direction (issue 17, docs/diagnosis.md): decoded audio cut into 20 ms
 * frames, each above or below the floor (AUDIO_FLOOR_DBFS, RMS), comfort noise (RFC 3389) and
 * undecodable packets counted apart — so a report never calls silence or unchecked audio "ok".
 */
import { AUDIO_FLOOR_DBFS, type AudioPresence } from '../../../shared/model/diagnosis.ts';

const FRAME_MS = 20;
/** A comfort-noise packet covers the time to the next packet, at most this long. */
const MAX_CN_SPAN_MS = 1000;
const NOTHING_DBFS = -120;

const dbfs = (linear: number): number => (linear > 0 ? Math.max(NOTHING_DBFS, 20 * Math.log10(linear / 32768)) : NOTHING_DBFS);
const r1 = (x: number): number => Math.round(x * 10) / 10;

export class AudioPresenceMeter {
  private readonly floor: number;
  private activeMs = 0;
  private silentMs = 0;
  private cnMs = 0;
  private undecodable = 0;
  private peak = 0;
  /** Sum of frame mean-square values (for the power mean) and frames measured. */
  private powerSum = 0;
  private frames = 0;
  /** Samples of the frame being filled. */
  private sumSq = 0;
  private filled = 0;
  private rate = 0;
  private cnSince: number | undefined;
  private cnPtimeMs = FRAME_MS;
  private reason: string | undefined;

  constructor(floorDbfs = AUDIO_FLOOR_DBFS) {
    this.floor = floorDbfs;
  }

  /** Decoded PCM of this direction. */
  write(pcm: Int16Array, sampleRate: number, atMs?: number): void {
    if (atMs !== undefined) this.packet(atMs);
    if (sampleRate !== this.rate) {
      this.rate = sampleRate;
      this.sumSq = 0;
      this.filled = 0;
    }
    const perFrame = Math.max(1, Math.round((sampleRate * FRAME_MS) / 1000));
    for (let i = 0; i < pcm.length; i++) {
      const s = pcm[i]!;
      const a = s < 0 ? -s : s;
      if (a > this.peak) this.peak = a;
      this.sumSq += s * s;
      if (++this.filled === perFrame) this.endFrame(perFrame);
    }
  }

  private endFrame(n: number): void {
    const meanSq = this.sumSq / n;
    this.powerSum += meanSq;
    this.frames++;
    if (dbfs(Math.sqrt(meanSq)) > this.floor) this.activeMs += FRAME_MS;
    else this.silentMs += FRAME_MS;
    this.sumSq = 0;
    this.filled = 0;
  }

  /** Any packet of this direction arrived: a pending comfort-noise span ends here. */
  packet(atMs: number): void {
    if (this.cnSince === undefined) return;
    this.cnMs += Math.min(MAX_CN_SPAN_MS, Math.max(0, atMs - this.cnSince));
    this.cnSince = undefined;
  }

  /** RFC 3389 §4: a comfort-noise packet; never audio, never malformed. */
  comfortNoise(atMs: number, ptimeMs = FRAME_MS): void {
    this.packet(atMs);
    this.cnSince = atMs;
    this.cnPtimeMs = ptimeMs;
  }

  /** A packet whose audio could not be decoded, and why. */
  notDecoded(reason: string, count = 1): void {
    this.undecodable += count;
    this.reason ??= reason;
  }

  snapshot(): AudioPresence {
    const cnMs = this.cnMs + (this.cnSince !== undefined ? this.cnPtimeMs : 0);
    const decoded = this.frames > 0;
    return {
      decoded,
      activeMs: this.activeMs,
      silentMs: this.silentMs,
      cnMs,
      undecodable: this.undecodable,
      peakDbfs: r1(dbfs(this.peak)),
      meanDbfs: r1(decoded ? dbfs(Math.sqrt(this.powerSum / this.frames)) : NOTHING_DBFS),
      ...(!decoded ? { reason: this.reason ?? (cnMs > 0 ? 'only comfort noise arrived' : 'no audio arrived') } : {}),
    };
  }
}
