/**
 * Speech activity detector: a simple energy-based voice activity detector with hangover, used to
 * find when the far end starts talking (e.g. a voice agent's greeting) and the talk spurts after.
 *
 * Per 10 ms block: level in dBFS (AES17 RMS). A block is "loud" when it is above both an absolute
 * floor (`thresholdDbfs`, default -45 dBFS) and the tracked noise floor + `snrDb` (default 12 dB).
 * Speech starts after `minSpeechMs` (default 60 ms) of loud blocks, dated to the first of them, and
 * ends after `hangoverMs` (default 300 ms) without a loud block, dated to the last loud one. The
 * noise floor starts at -70 dBFS, follows quiet blocks and creeps up 2 dB/s during loud ones, so
 * steady noise is learned within seconds but a sentence is not. Energy only: a tone or music counts as "speech".
 */
import type { AudioDirection, AudioSink } from '../audio.ts';

export interface SpeechSegment {
  startMs: number;
  /** null while the segment is still going on. */
  endMs: number | null;
}

export interface SpeechActivityOptions {
  direction?: AudioDirection;
  thresholdDbfs?: number;
  snrDb?: number;
  minSpeechMs?: number;
  hangoverMs?: number;
  onSpeechStart?: (atMs: number) => void;
  onSpeechEnd?: (seg: { startMs: number; endMs: number }) => void;
}

const BLOCK_MS = 10;

export class SpeechActivityDetector implements AudioSink {
  private readonly o: Required<Omit<SpeechActivityOptions, 'onSpeechStart' | 'onSpeechEnd'>>;
  private readonly cb: Pick<SpeechActivityOptions, 'onSpeechStart' | 'onSpeechEnd'>;
  /** Tracked noise floor in dBFS; starts by assuming a quiet line. */
  private noiseDb = -70;
  private blockSum = 0;
  private blockN = 0;
  private blockAt = 0;
  private blockLen = 0;
  private loudRun = 0;
  private loudRunStart = 0;
  private lastLoudEnd = 0;
  private speaking = false;
  readonly segments: SpeechSegment[] = [];

  constructor(opts: SpeechActivityOptions = {}) {
    this.o = {
      direction: opts.direction ?? 'received',
      thresholdDbfs: opts.thresholdDbfs ?? -45,
      snrDb: opts.snrDb ?? 12,
      minSpeechMs: opts.minSpeechMs ?? 60,
      hangoverMs: opts.hangoverMs ?? 300,
    };
    this.cb = { onSpeechStart: opts.onSpeechStart, onSpeechEnd: opts.onSpeechEnd };
  }

  /** Start of the first speech segment, or null if none yet. */
  get firstSpeechMs(): number | null {
    return this.segments[0]?.startMs ?? null;
  }

  get speakingNow(): boolean {
    return this.speaking;
  }

  write(pcm: Int16Array, sampleRate: number, dir: AudioDirection, atMs: number): void {
    if (dir !== this.o.direction) return;
    this.blockLen = Math.round((BLOCK_MS * sampleRate) / 1000);
    const dt = 1000 / sampleRate;
    for (let i = 0; i < pcm.length; i++) {
      if (this.blockN === 0) this.blockAt = atMs + i * dt;
      this.blockSum += pcm[i]! * pcm[i]!;
      if (++this.blockN >= this.blockLen) this.endBlock();
    }
  }

  /** End of the call: close an open segment at the last loud block. */
  close(): void {
    if (this.speaking) this.stop();
  }

  private endBlock(): void {
    const rms = Math.sqrt(this.blockSum / this.blockN);
    const db = rms > 0 ? 20 * Math.log10((rms * Math.SQRT2) / 32768) : -120;
    const start = this.blockAt;
    const end = start + BLOCK_MS;
    this.blockSum = 0;
    this.blockN = 0;
    const loud = db > this.o.thresholdDbfs && db > this.noiseDb + this.o.snrDb;
    // Noise floor: follows quiet blocks (fast down, ~1 s up), creeps up 2 dB/s during loud ones so
    // steady noise above the floor is learned within seconds but a sentence is not.
    if (!loud) this.noiseDb += (db < this.noiseDb ? 0.3 : 0.05) * (db - this.noiseDb);
    else this.noiseDb += 2 * (BLOCK_MS / 1000);
    if (loud) {
      if (this.loudRun === 0) this.loudRunStart = start;
      this.loudRun += BLOCK_MS;
      this.lastLoudEnd = end;
      if (!this.speaking && this.loudRun >= this.o.minSpeechMs) {
        this.speaking = true;
        this.segments.push({ startMs: this.loudRunStart, endMs: null });
        this.cb.onSpeechStart?.(this.loudRunStart);
      }
    } else {
      this.loudRun = 0;
      if (this.speaking && end - this.lastLoudEnd >= this.o.hangoverMs) this.stop();
    }
  }

  private stop(): void {
    this.speaking = false;
    const seg = this.segments[this.segments.length - 1]!;
    seg.endMs = this.lastLoudEnd;
    this.cb.onSpeechEnd?.({ startMs: seg.startMs, endMs: this.lastLoudEnd });
  }
}
