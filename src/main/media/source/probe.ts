/**
 * Audio-path probe: a signal the far end (or our own probe detector after an echo) can recognise
 * unambiguously, to prove audio flows in a direction and to measure round-trip delay.
 *
 * Every `periodMs` (default 1000) the probe sends one burst: a 40 ms marker tone at 1850 Hz, then
 * a 40 ms ID tone whose frequency (2250, 2500, 2750 or 3000 Hz) encodes the burst number modulo
 * 4, then silence. The frequencies sit inside the 300–3400 Hz telephone band, away from DTMF
 * (697–1633 Hz, ITU-T Q.23), the 1004 Hz test tone, the 2100 Hz answer tone that disables echo
 * cancellers (ITU-T G.164/G.165) and 2600 Hz SF signalling; the marker/ID pair in order rarely
 * occurs in speech. The ID lets an echo be matched to the burst that caused it for delays up to
 * 4 periods. Tones are energy features, so the probe survives G.711, G.722 and Opus.
 */
import type { AudioSource } from '../audio.ts';
import { ToneSource } from './tone.ts';

export const PROBE_MARKER_HZ = 1850;
export const PROBE_ID_HZ = [2250, 2500, 2750, 3000] as const;
export const PROBE_SEGMENT_MS = 40;
export const PROBE_DEFAULT_PERIOD_MS = 1000;

export interface ProbeOptions {
  /** Time between burst starts, default 1000 ms (at least 200). */
  periodMs?: number;
  /** Level of each tone, default -10 dBm0. */
  levelDbm0?: number;
}

export class ProbeSource implements AudioSource {
  readonly periodMs: number;
  readonly levelDbm0: number;
  /** Bursts started so far. */
  bursts = 0;
  private rate = 0;
  private burst: Int16Array[] = [];
  private pos = 0;
  private periodSamples = 0;

  constructor(opts: ProbeOptions = {}) {
    this.periodMs = opts.periodMs ?? PROBE_DEFAULT_PERIOD_MS;
    if (!(this.periodMs >= 200)) throw new RangeError(`probe period ${this.periodMs} ms < 200 ms`);
    this.levelDbm0 = opts.levelDbm0 ?? -10;
  }

  read(frame: Int16Array, sampleRate: number): void {
    if (sampleRate !== this.rate) this.prepare(sampleRate);
    for (let i = 0; i < frame.length; i++) {
      if (this.pos === 0) this.bursts++;
      const id = (this.bursts - 1) & 3;
      frame[i] = this.burst[id]![this.pos] ?? 0;
      if (++this.pos >= this.periodSamples) this.pos = 0;
    }
  }

  /** Build the four bursts (marker + ID tone) at this rate; restart the period. */
  private prepare(sampleRate: number): void {
    if (sampleRate < 8000) throw new RangeError(`probe needs ≥ 8000 Hz, got ${sampleRate}`);
    const seg = Math.round((PROBE_SEGMENT_MS * sampleRate) / 1000);
    const marker = new ToneSource({
      frequency: PROBE_MARKER_HZ,
      levelDbm0: this.levelDbm0,
      sampleRate,
    }).next(seg);
    this.burst = PROBE_ID_HZ.map((f) => {
      const b = new Int16Array(2 * seg);
      b.set(marker);
      b.set(new ToneSource({ frequency: f, levelDbm0: this.levelDbm0, sampleRate }).next(seg), seg);
      return taper(b, Math.round(sampleRate / 1000));
    });
    this.rate = sampleRate;
    this.periodSamples = Math.round((this.periodMs * sampleRate) / 1000);
    this.pos = 0;
  }
}

/** 1 ms raised-cosine ramps at both ends so the burst does not click (spectral splatter). */
function taper(b: Int16Array, n: number): Int16Array {
  for (let i = 0; i < n; i++) {
    const g = 0.5 - 0.5 * Math.cos((Math.PI * i) / n);
    b[i] = Math.round(b[i]! * g);
    b[b.length - 1 - i] = Math.round(b[b.length - 1 - i]! * g);
  }
  return b;
}
