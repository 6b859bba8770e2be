import { describe, expect, it } from 'vitest';
import { ToneSource } from '../../../../src/main/media/source/tone.ts';
import { DBM0_PEAK, dbm0ToPeak, peakToDbm0, rmsDbm0 } from '../../../../src/main/media/level.ts';
import { decodeUlaw } from '../../../../src/main/media/codec/g711.ts';
import { goertzelAmplitude, goertzelPower } from '../../../../src/main/media/dtmf/goertzel.ts';

describe('dBm0 levels', () => {
  it('puts the G.711 µ-law digital milliwatt (Table 5) at 0 dBm0', () => {
    const dmw = decodeUlaw(Buffer.from([0x1e, 0x0b, 0x0b, 0x1e, 0x9e, 0x8b, 0x8b, 0x9e]));
    expect(rmsDbm0(dmw)).toBeCloseTo(0, 1);
  });

  it('converts between peak and dBm0', () => {
    expect(dbm0ToPeak(0)).toBeCloseTo(DBM0_PEAK, 6);
    expect(dbm0ToPeak(3.17)).toBeCloseTo(32768, 0);
    expect(peakToDbm0(dbm0ToPeak(-13))).toBeCloseTo(-13, 9);
    expect(rmsDbm0(new Int16Array(10))).toBe(-Infinity);
  });
});

describe('ToneSource', () => {
  it('defaults to 1004 Hz at -10 dBm0, 8 kHz', () => {
    const t = new ToneSource();
    const pcm = t.next(8000);
    expect(t.sampleRate).toBe(8000);
    expect(rmsDbm0(pcm)).toBeCloseTo(-10, 1);
    const at = (f: number) => goertzelAmplitude(goertzelPower(pcm, 0, 8000, f, 8000), 8000);
    expect(at(1004)).toBeCloseTo(dbm0ToPeak(-10), -1);
    expect(at(1000)).toBeLessThan(at(1004) / 20);
  });

  it('is phase-continuous across frames of any size', () => {
    const whole = new ToneSource({ frequency: 697, levelDbm0: -3 }).next(1000);
    const framed = new ToneSource({ frequency: 697, levelDbm0: -3 });
    const parts = [160, 7, 333, 500].map((n) => framed.next(n));
    const joined = Int16Array.from(parts.flatMap((p) => [...p]));
    expect(joined).toEqual(whole);
    // No jump at a frame edge bigger than the sine's largest step.
    const maxStep = dbm0ToPeak(-3) * 2 * Math.PI * (697 / 8000) + 2;
    for (let i = 1; i < joined.length; i++)
      expect(Math.abs(joined[i]! - joined[i - 1]!)).toBeLessThanOrEqual(maxStep);
  });

  it('sums several components and restarts on reset', () => {
    const t = new ToneSource({
      sampleRate: 16000,
      components: [
        { frequency: 350, levelDbm0: -13 },
        { frequency: 440, levelDbm0: -13 },
      ],
    });
    const first = t.next(320);
    expect(rmsDbm0(first)).toBeCloseTo(-10, 0); // two equal uncorrelated tones: +3 dB
    t.reset();
    expect(t.next(320)).toEqual(first);
  });

  it('works as an AudioSource filling frames at the requested rate', () => {
    const t = new ToneSource({ frequency: 1000, levelDbm0: -10 });
    const frame = new Int16Array(320);
    t.read(frame, 16000);
    expect(rmsDbm0(frame)).toBeCloseTo(-10, 1);
    expect(goertzelAmplitude(goertzelPower(frame, 0, 320, 1000, 16000), 320)).toBeCloseTo(
      dbm0ToPeak(-10),
      -1,
    );
    expect(frame).toEqual(
      new ToneSource({ frequency: 1000, levelDbm0: -10, sampleRate: 16000 }).next(320),
    );
  });

  it('refuses frequencies above Nyquist and levels that would clip', () => {
    expect(() => new ToneSource({ frequency: 4000 })).toThrow(RangeError);
    expect(() => new ToneSource({ frequency: 1000, levelDbm0: 6 })).toThrow(/clip/);
  });
});
