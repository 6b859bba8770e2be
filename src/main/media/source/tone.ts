/**
 * Tone source: one or more sine components at levels in dBm0, produced in frames of N samples
 * with continuous phase across frames (no clicks at frame edges). The default is the classic
 * 1004 Hz test tone (ITU-T O.6 / the "1 kHz" milliwatt offset so it does not alias with 8 kHz
 * sampling) at -10 dBm0.
 */
import type { AudioSource } from '../audio.ts';
import { dbm0ToPeak } from '../level.ts';

export interface ToneComponent {
  frequency: number;
  levelDbm0: number;
}

export interface ToneOptions {
  /** Single-tone shorthand, default 1004 Hz. Ignored when `components` is given. */
  frequency?: number;
  /** Single-tone level, default -10 dBm0. */
  levelDbm0?: number;
  components?: ToneComponent[];
  sampleRate?: number;
}

export const DEFAULT_TONE_HZ = 1004;
export const DEFAULT_TONE_DBM0 = -10;

export class ToneSource implements AudioSource {
  readonly sampleRate: number;
  readonly components: readonly ToneComponent[];
  private readonly peaks: number[];
  /** Phase of each component in cycles, kept in [0, 1) so precision never degrades. */
  private readonly phases: number[];

  constructor(opts: ToneOptions = {}) {
    this.sampleRate = opts.sampleRate ?? 8000;
    this.components = opts.components ?? [
      {
        frequency: opts.frequency ?? DEFAULT_TONE_HZ,
        levelDbm0: opts.levelDbm0 ?? DEFAULT_TONE_DBM0,
      },
    ];
    for (const c of this.components) {
      if (!(c.frequency >= 0) || c.frequency >= this.sampleRate / 2) {
        throw new RangeError(
          `tone frequency ${c.frequency} Hz must be in [0, ${this.sampleRate / 2}) Hz`,
        );
      }
    }
    this.peaks = this.components.map((c) => dbm0ToPeak(c.levelDbm0));
    const totalPeak = this.peaks.reduce((a, b) => a + b, 0);
    if (totalPeak > 32767.5)
      throw new RangeError(`tone peak ${Math.round(totalPeak)} would clip 16-bit PCM`);
    this.phases = this.components.map(() => 0);
  }

  /** The next `n` samples at the construction rate. */
  next(n: number): Int16Array {
    const out = new Int16Array(n);
    this.read(out, this.sampleRate);
    return out;
  }

  /**
   * AudioSource: fill `frame` at `sampleRate` (the phase, kept in cycles, stays continuous even
   * if the rate changes between frames).
   */
  read(frame: Int16Array, sampleRate: number): void {
    const n = frame.length;
    const acc = new Float64Array(n);
    for (let k = 0; k < this.components.length; k++) {
      const peak = this.peaks[k]!;
      const step = this.components[k]!.frequency / sampleRate;
      let phase = this.phases[k]!;
      for (let i = 0; i < n; i++) {
        acc[i] = acc[i]! + peak * Math.sin(2 * Math.PI * phase);
        phase += step;
        if (phase >= 1) phase -= 1;
      }
      this.phases[k] = phase;
    }
    for (let i = 0; i < n; i++) frame[i] = Math.round(acc[i]!);
  }

  reset(): void {
    this.phases.fill(0);
  }
}
