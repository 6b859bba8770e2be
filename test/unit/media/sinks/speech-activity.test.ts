import { describe, expect, it } from 'vitest';
import { SpeechActivityDetector } from '../../../../src/main/media/sink/speech-activity.ts';
import { ToneSource } from '../../../../src/main/media/source/tone.ts';

/** Noise at about `db` dBFS RMS (uniform, deterministic). */
function noise(n: number, db: number, seed = 1): Int16Array {
  const amp = (32768 * 10 ** (db / 20) * Math.sqrt(3)) / Math.SQRT2;
  let s = seed;
  return Int16Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return Math.round((s / 2 ** 32 - 0.5) * 2 * amp);
  });
}

/** A vowel-like burst: 150 Hz harmonics, syllable envelope at 4 Hz. */
function talk(n: number, rate: number, levelDbm0 = -20): Int16Array {
  const tone = new ToneSource({
    sampleRate: rate,
    components: [150, 300, 450, 600].map((f, i) => ({
      frequency: f,
      levelDbm0: levelDbm0 - 3 * i,
    })),
  });
  const x = tone.next(n);
  return x.map((v, i) => Math.round(v * (0.55 + 0.45 * Math.sin((2 * Math.PI * 4 * i) / rate))));
}

function run(det: SpeechActivityDetector, parts: Int16Array[], rate = 8000, t0 = 0): void {
  const all = new Int16Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const n = (rate * 20) / 1000;
  for (let f = 0; f * n < all.length; f++)
    det.write(all.subarray(f * n, (f + 1) * n), rate, 'received', t0 + f * 20);
}

describe('SpeechActivityDetector', () => {
  it('finds the first speech after a quiet line, and its end after the hangover', () => {
    const starts: number[] = [];
    const det = new SpeechActivityDetector({ onSpeechStart: (t) => starts.push(t) });
    run(det, [noise(12000, -60), talk(8000, 8000), noise(8000, -60)], 8000, 10_000);
    expect(starts).toHaveLength(1);
    expect(Math.abs(det.firstSpeechMs! - 11_500)).toBeLessThanOrEqual(20);
    expect(det.segments).toHaveLength(1);
    expect(Math.abs(det.segments[0]!.endMs! - 12_500)).toBeLessThanOrEqual(20);
    expect(det.speakingNow).toBe(false);
  });

  it('bridges short pauses with the hangover but splits on long ones', () => {
    const det = new SpeechActivityDetector({ hangoverMs: 300 });
    const q = (ms: number) => noise(ms * 8, -65);
    run(det, [
      q(500),
      talk(4000, 8000),
      q(150),
      talk(4000, 8000),
      q(800),
      talk(4000, 8000),
      q(500),
    ]);
    expect(det.segments).toHaveLength(2);
    expect(det.segments[0]!.endMs! - det.segments[0]!.startMs).toBeGreaterThan(1100);
  });

  it('ignores steady background noise and short clicks', () => {
    const det = new SpeechActivityDetector();
    const click = new Int16Array(160);
    click.fill(8000, 0, 160); // 20 ms < 60 ms minimum
    run(det, [noise(16000, -55), click, noise(16000, -55), noise(48000, -38, 3)]);
    // The click is too short; -38 dBFS steady noise (from 4.02 s) first looks like speech, but
    // the floor learns it within a few seconds and the segment ends.
    expect(det.segments).toHaveLength(1);
    expect(Math.abs(det.segments[0]!.startMs - 4020)).toBeLessThanOrEqual(20);
    expect(det.segments[0]!.endMs).not.toBeNull();
    expect(det.segments[0]!.endMs! - det.segments[0]!.startMs).toBeLessThan(4000);
    expect(det.speakingNow).toBe(false);
  });
});
