/**
 * Level meter sink: peak and RMS per direction over the last 100 ms and the last 1 s, in dBFS,
 * for the GUI's live meters. Peak dBFS = 20·log10(|peak| / 32768); RMS dBFS follows AES17, so a
 * full-scale sine reads 0 dBFS for both (RMS·√2 / 32768). A -10 dBm0 sine therefore reads
 * -13.17 dBFS (level.ts: 0 dBm0 sits 3.17 dB below full scale). Silence reads -Infinity.
 *
 * Audio is summed into 10 ms buckets by its `atMs`; the windows end at the newest bucket of each
 * direction, so the meter follows the media clock, not the wall clock.
 */
import type { AudioDirection, AudioSink } from '../audio.ts';

const BUCKET_MS = 10;
const BUCKETS = 100; // 1 s

export interface Level {
  peakDbfs: number;
  rmsDbfs: number;
}

export interface DirectionLevels {
  last100ms: Level;
  last1s: Level;
  /** `atMs` of the newest audio measured, or null before any. */
  atMs: number | null;
}

export type LevelSnapshot = Record<AudioDirection, DirectionLevels>;

class Buckets {
  private readonly id = new Float64Array(BUCKETS).fill(-1);
  private readonly sumSq = new Float64Array(BUCKETS);
  private readonly count = new Float64Array(BUCKETS);
  private readonly peak = new Float64Array(BUCKETS);
  newest = -1;
  lastMs: number | null = null;

  add(pcm: Int16Array, sampleRate: number, atMs: number): void {
    const dt = 1000 / sampleRate;
    for (let i = 0; i < pcm.length; i++) {
      const b = Math.floor((atMs + i * dt) / BUCKET_MS);
      const slot = ((b % BUCKETS) + BUCKETS) % BUCKETS;
      if (this.id[slot] !== b) {
        this.id[slot] = b;
        this.sumSq[slot] = 0;
        this.count[slot] = 0;
        this.peak[slot] = 0;
      }
      const v = pcm[i]!;
      this.sumSq[slot]! += v * v;
      this.count[slot]!++;
      if (Math.abs(v) > this.peak[slot]!) this.peak[slot] = Math.abs(v);
      if (b > this.newest) this.newest = b;
    }
    if (pcm.length > 0) this.lastMs = Math.max(this.lastMs ?? -Infinity, atMs + pcm.length * dt);
  }

  level(windowMs: number): Level {
    const n = Math.round(windowMs / BUCKET_MS);
    let sum = 0;
    let count = 0;
    let peak = 0;
    for (let b = this.newest - n + 1; b <= this.newest; b++) {
      const slot = ((b % BUCKETS) + BUCKETS) % BUCKETS;
      if (this.id[slot] !== b) continue;
      sum += this.sumSq[slot]!;
      count += this.count[slot]!;
      peak = Math.max(peak, this.peak[slot]!);
    }
    const rms = count > 0 ? Math.sqrt(sum / count) : 0;
    return { peakDbfs: dbfs(peak), rmsDbfs: dbfs(rms * Math.SQRT2) };
  }
}

function dbfs(v: number): number {
  return v > 0 ? 20 * Math.log10(v / 32768) : -Infinity;
}

export interface LevelMeterOptions {
  /** Called with a snapshot at most every `intervalMs` of media time (default 100 ms). */
  onLevels?: (levels: LevelSnapshot) => void;
  intervalMs?: number;
}

export class LevelMeter implements AudioSink {
  private readonly dirs: Record<AudioDirection, Buckets> = {
    sent: new Buckets(),
    received: new Buckets(),
  };
  private readonly onLevels: LevelMeterOptions['onLevels'];
  private readonly intervalMs: number;
  private lastEmit = -Infinity;

  constructor(opts: LevelMeterOptions = {}) {
    this.onLevels = opts.onLevels;
    this.intervalMs = opts.intervalMs ?? 100;
  }

  write(pcm: Int16Array, sampleRate: number, dir: AudioDirection, atMs: number): void {
    this.dirs[dir].add(pcm, sampleRate, atMs);
    if (this.onLevels && atMs - this.lastEmit >= this.intervalMs) {
      this.lastEmit = atMs;
      this.onLevels(this.snapshot());
    }
  }

  levels(dir: AudioDirection): DirectionLevels {
    const b = this.dirs[dir];
    return { last100ms: b.level(100), last1s: b.level(1000), atMs: b.lastMs };
  }

  snapshot(): LevelSnapshot {
    return { sent: this.levels('sent'), received: this.levels('received') };
  }
}
