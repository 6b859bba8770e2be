import { describe, expect, it } from 'vitest';
import {
  InbandDtmfDetector,
  type InbandDetectorOptions,
} from '../../../../src/main/media/dtmf/inband-detector.ts';
import {
  dtmfFrequencies,
  generateDtmfSequence,
  generateDtmfTone,
} from '../../../../src/main/media/dtmf/inband-generator.ts';
import { goertzelAmplitude, goertzelPower } from '../../../../src/main/media/dtmf/goertzel.ts';
import { ToneSource } from '../../../../src/main/media/source/tone.ts';
import { dbm0ToPeak, rmsDbm0 } from '../../../../src/main/media/level.ts';
import type { DtmfDigit } from '../../../../src/main/media/dtmf/digits.ts';

function concat(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
const silence = (ms: number) => new Int16Array(Math.round(ms * 8));

function detect(pcm: Int16Array, opts?: InbandDetectorOptions) {
  const d = new InbandDtmfDetector(opts);
  return [...d.process(pcm), ...d.flush()];
}
const digitsOf = (pcm: Int16Array, opts?: InbandDetectorOptions) =>
  detect(pcm, opts)
    .filter((e) => e.type === 'digit')
    .map((e) => e.digit)
    .join('');

/** Deterministic pseudo-random noise (xorshift32), uniform in [-amp, amp]. */
function noise(n: number, amp: number, seed = 12345): Int16Array {
  let x = seed;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = Math.round(((x >>> 0) / 0xffffffff - 0.5) * 2 * amp);
  }
  return out;
}

describe('Goertzel', () => {
  it('measures the amplitude of an on-bin sine and ignores a distant one', () => {
    const pcm = new ToneSource({ frequency: 1000, levelDbm0: 0 }).next(200);
    expect(goertzelAmplitude(goertzelPower(pcm, 0, 200, 1000, 8000), 200)).toBeCloseTo(
      dbm0ToPeak(0),
      -2,
    );
    expect(goertzelAmplitude(goertzelPower(pcm, 0, 200, 2000, 8000), 200)).toBeLessThan(200);
  });
});

describe('DTMF generation (Q.23)', () => {
  it('maps digits to row/column frequencies', () => {
    expect(dtmfFrequencies('1')).toEqual([697, 1209]);
    expect(dtmfFrequencies('0')).toEqual([941, 1336]);
    expect(dtmfFrequencies('D')).toEqual([941, 1633]);
  });

  it('produces both tones at the requested levels', () => {
    const pcm = generateDtmfTone('5', { durationMs: 100, lowDbm0: -7, highDbm0: -5 });
    expect(pcm.length).toBe(800);
    const amp = (f: number) => goertzelAmplitude(goertzelPower(pcm, 0, 800, f, 8000), 800);
    expect(20 * Math.log10(amp(770) / dbm0ToPeak(0))).toBeCloseTo(-7, 0);
    expect(20 * Math.log10(amp(1336) / dbm0ToPeak(0))).toBeCloseTo(-5, 0);
    expect(amp(697)).toBeLessThan(amp(770) / 5);
  });
});

describe('InbandDtmfDetector', () => {
  it('detects all 16 digits in order with start times', () => {
    const digits = '123A456B789C*0#D';
    const pcm = generateDtmfSequence(digits, { toneMs: 60, gapMs: 60, leadMs: 30 });
    const events = detect(pcm);
    const found = events.filter((e) => e.type === 'digit');
    expect(found.map((e) => e.digit).join('')).toBe(digits);
    found.forEach((e, i) => expect(Math.abs(e.startMs - (30 + i * 120))).toBeLessThanOrEqual(13));
    const ends = events.filter((e) => e.type === 'end');
    expect(ends).toHaveLength(16);
    ends.forEach((e) =>
      expect(e.type === 'end' && Math.abs(e.durationMs - 60)).toBeLessThanOrEqual(26),
    );
  });

  it('gives the same result whatever the chunking of the input', () => {
    const pcm = generateDtmfSequence('9081', { toneMs: 80, gapMs: 70 });
    const d = new InbandDtmfDetector();
    const events = [];
    for (let at = 0; at < pcm.length; at += 37)
      events.push(...d.process(pcm.subarray(at, at + 37)));
    events.push(...d.flush());
    expect(events).toEqual(detect(pcm));
  });

  it('always accepts 40 ms tones and always rejects tones up to 22 ms, at any block alignment', () => {
    const burst = (lead: number, digit: DtmfDigit, ms: number) =>
      concat(silence(lead / 8), generateDtmfTone(digit, { durationMs: ms }), silence(100));
    for (let lead = 0; lead < 102; lead += 3) {
      for (const d of ['7', '*', 'A'] as const) {
        expect(digitsOf(burst(lead, d, 40)), `40 ms ${d}, lead ${lead}`).toBe(d);
        expect(digitsOf(burst(lead, d, 20)), `20 ms ${d}, lead ${lead}`).toBe('');
        expect(digitsOf(burst(lead, d, 22)), `22 ms ${d}, lead ${lead}`).toBe('');
      }
    }
  });

  it.each([
    ['normal twist 6 dB', -4, -10, '8'],
    ['normal twist 10 dB', -2, -12, ''],
    ['reverse twist 3 dB', -8, -5, '8'],
    ['reverse twist 6 dB', -10, -4, ''],
  ])('%s', (_name, low, high, expected) => {
    const pcm = concat(
      generateDtmfTone('8', { durationMs: 80, lowDbm0: low, highDbm0: high }),
      silence(60),
    );
    expect(digitsOf(pcm)).toBe(expected);
  });

  it.each([
    [1.5, true],
    [-1.5, true],
    [3.5, false],
    [-3.5, false],
  ])('frequency error %f %% → detected: %s', (pct, expected) => {
    const all: DtmfDigit[] = ['1', '5', '9', 'D', '*', '0'];
    for (const d of all) {
      const pcm = concat(
        generateDtmfTone(d, { durationMs: 80, frequencyErrorPct: pct }),
        silence(60),
      );
      expect(digitsOf(pcm), `digit ${d}`).toBe(expected ? d : '');
    }
  });

  it('detects quiet digits down to -30 dBm0 per tone and ignores -45 dBm0', () => {
    const quiet = concat(
      generateDtmfTone('3', { durationMs: 80, lowDbm0: -30, highDbm0: -30 }),
      silence(60),
    );
    const tooQuiet = concat(
      generateDtmfTone('3', { durationMs: 80, lowDbm0: -45, highDbm0: -45 }),
      silence(60),
    );
    expect(digitsOf(quiet)).toBe('3');
    expect(digitsOf(tooQuiet)).toBe('');
  });

  it('detects digits with background noise at 15 dB S/N', () => {
    const tones = generateDtmfSequence('258', { toneMs: 80, gapMs: 80 });
    const n = noise(tones.length, (dbm0ToPeak(-22) * Math.sqrt(3)) / Math.SQRT2);
    expect(rmsDbm0(n)).toBeCloseTo(-22, 0);
    const mixed = tones.map((v, i) => v + n[i]!);
    expect(digitsOf(Int16Array.from(mixed))).toBe('258');
  });

  it('reports nothing for noise or a harmonic-rich speech-like signal', () => {
    expect(digitsOf(noise(16000, 8000))).toBe('');
    // A vowel-like buzz: 40 harmonics of a gliding 100-180 Hz pitch with a falling spectrum.
    const speech = new Int16Array(16000);
    let phase = 0;
    for (let i = 0; i < speech.length; i++) {
      const f0 = 140 + 40 * Math.sin((2 * Math.PI * i) / 8000);
      phase += f0 / 8000;
      let v = 0;
      for (let h = 1; h <= 40 && h * f0 < 3800; h++) v += Math.sin(2 * Math.PI * h * phase) / h;
      speech[i] = Math.round(6000 * v);
    }
    expect(digitsOf(speech)).toBe('');
  });

  it('rejects a dual tone whose row has a strong second harmonic (speech rejection)', () => {
    const src = new ToneSource({
      components: [
        { frequency: 852, levelDbm0: -8 },
        { frequency: 1704, levelDbm0: -12 }, // 2nd harmonic of the row
        { frequency: 1209, levelDbm0: -8 },
      ],
    });
    const pcm = concat(src.next(800), silence(60));
    expect(digitsOf(pcm)).toBe('');
    // Without the harmonic check the same signal reads as '7'.
    expect(digitsOf(pcm, { harmonicRejectDb: -100 })).toBe('7');
  });

  it('needs the inter-digit gap: 50 ms separates repeats, a 10 ms drop-out does not', () => {
    const tone = generateDtmfTone('5', { durationMs: 80 });
    expect(digitsOf(concat(tone, silence(50), tone, silence(60)))).toBe('55');
    expect(digitsOf(concat(tone, silence(10), tone, silence(60)))).toBe('5');
  });
});
