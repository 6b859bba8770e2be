/**
 * Tone as an AudioSource: wraps ToneSource (which produces `next(n)` samples at a fixed rate) so
 * the media clock can `read(frame, sampleRate)` from it. If the codec's rate changes (re-INVITE to
 * another codec) the tone restarts at the new rate.
 */
import type { AudioSource } from '../audio.ts';
import { ToneSource, type ToneOptions } from './tone.ts';

export class ToneAudioSource implements AudioSource {
  private tone: ToneSource | undefined;
  private readonly opts: Omit<ToneOptions, 'sampleRate'>;

  constructor(opts: Omit<ToneOptions, 'sampleRate'> = {}) {
    this.opts = opts;
    // Validate now (frequencies, clipping) so a bad --tone fails before the call starts; the
    // 48 kHz check is the loosest Nyquist limit, the per-rate check happens on first read.
    new ToneSource({ ...opts, sampleRate: 48000 });
  }

  read(frame: Int16Array, sampleRate: number): void {
    if (this.tone?.sampleRate !== sampleRate)
      this.tone = new ToneSource({ ...this.opts, sampleRate });
    frame.set(this.tone.next(frame.length));
  }
}
