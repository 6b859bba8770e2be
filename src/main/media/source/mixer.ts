/**
 * In-band DTMF over any source (`--dtmf inband`): `sendDigit` queues a dual-tone burst (ITU-T
 * Q.23 frequencies from dtmf/inband-generator) that goes into the next frames read, followed by
 * an inter-digit pause. By default the tone replaces the source's audio while it sounds, the way
 * phones send DTMF: a tone summed with a loud prompt or a test tone can fail the receiver's
 * energy and twist checks (Q.24). `mode: 'mix'` sums the two instead (saturating).
 */
import type { AudioSource } from '../audio.ts';
import { isDtmfDigit, type DtmfDigit } from '../dtmf/digits.ts';
import { generateDtmfTone } from '../dtmf/inband-generator.ts';

export interface DtmfMixerOptions {
  mode?: 'replace' | 'mix';
  /** Level of each of the two tones, default -7 dBm0 (total ≈ -4 dBm0). */
  levelDbm0?: number;
  /** Pause after each digit before the next one starts, default 100 ms (Q.24 asks ≥ 40 ms). */
  gapMs?: number;
  /**
   * Called when a digit's tone starts, from inside `read` (on the media clock), with the sample
   * offset of the tone's first sample in the frame being read: the engine adds
   * `offset / sampleRate` to the frame's media time to report when the digit was sent.
   */
  onToneStart?: (digit: DtmfDigit, offset: number, sampleRate: number) => void;
}

interface Burst {
  digit: DtmfDigit;
  durationMs: number;
}

export class DtmfMixer implements AudioSource {
  private readonly source: AudioSource;
  private readonly mode: 'replace' | 'mix';
  private readonly levelDbm0: number;
  private readonly gapMs: number;
  private readonly onToneStart: DtmfMixerOptions['onToneStart'];
  private readonly queue: Burst[] = [];
  /** The tone now playing (samples at `rate`) and how far into it we are. */
  private tone: Int16Array | undefined;
  private tonePos = 0;
  /** Samples of pause left after the current tone. */
  private gapLeft = 0;

  constructor(source: AudioSource, opts: DtmfMixerOptions = {}) {
    this.source = source;
    this.mode = opts.mode ?? 'replace';
    this.levelDbm0 = opts.levelDbm0 ?? -7;
    this.gapMs = opts.gapMs ?? 100;
    this.onToneStart = opts.onToneStart;
  }

  /** Queue one digit (0-9, *, #, A-D) of `durationMs` (default 100, Q.24 minimum 40). */
  sendDigit(digit: string, durationMs = 100): void {
    const d = digit.toUpperCase();
    if (!isDtmfDigit(d)) throw new RangeError(`not a DTMF digit: "${digit}"`);
    if (!(durationMs > 0 && durationMs <= 10_000))
      throw new RangeError(`DTMF duration ${durationMs} ms is outside 1–10000 ms`);
    this.queue.push({ digit: d, durationMs });
  }

  /** Digits queued or sounding. */
  get pending(): number {
    return this.queue.length + (this.tone ? 1 : 0);
  }

  get done(): boolean | undefined {
    return this.pending === 0 && this.gapLeft === 0 ? this.source.done : false;
  }

  read(frame: Int16Array, sampleRate: number): void {
    this.source.read(frame, sampleRate);
    let at = 0;
    while (at < frame.length) {
      if (this.tone) {
        const n = Math.min(frame.length - at, this.tone.length - this.tonePos);
        for (let i = 0; i < n; i++) {
          const t = this.tone[this.tonePos + i]!;
          const v = this.mode === 'mix' ? frame[at + i]! + t : t;
          frame[at + i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
        }
        at += n;
        this.tonePos += n;
        if (this.tonePos >= this.tone.length) {
          this.tone = undefined;
          this.gapLeft = Math.round((this.gapMs * sampleRate) / 1000);
        }
      } else if (this.gapLeft > 0) {
        const n = Math.min(frame.length - at, this.gapLeft);
        at += n;
        this.gapLeft -= n;
      } else {
        const next = this.queue.shift();
        if (!next) return;
        this.tone = generateDtmfTone(next.digit, {
          durationMs: next.durationMs,
          sampleRate,
          lowDbm0: this.levelDbm0,
          highDbm0: this.levelDbm0,
        });
        this.tonePos = 0;
        this.onToneStart?.(next.digit, at, sampleRate);
      }
    }
  }

  close(): void {
    this.queue.length = 0;
    this.tone = undefined;
    this.source.close?.();
  }
}
