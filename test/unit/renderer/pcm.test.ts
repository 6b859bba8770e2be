// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import {
  Framer,
  Resampler,
  base64ToPcm16,
  floatToPcm16,
  pcm16ToBase64,
  pcm16ToFloat,
  rmsDb,
} from '../../../src/renderer/src/features/audio/pcm.ts';
import { levelFraction } from '../../../src/renderer/src/components/level-meter.tsx';

describe('live-frame PCM', () => {
  it('resamples 48 kHz to 16 kHz across chunk boundaries without losing samples', () => {
    const r = new Resampler(48_000, 16_000);
    let n = 0;
    const ramp = (start: number, len: number) =>
      Float32Array.from({ length: len }, (_, i) => (start + i) / 48_000);
    const outs: number[] = [];
    for (let c = 0; c < 10; c++) {
      const o = r.process(ramp(c * 2048, 2048));
      n += o.length;
      outs.push(...o);
    }
    expect(Math.abs(n - (10 * 2048) / 3)).toBeLessThanOrEqual(1);
    // A ramp stays a ramp: each output sample is 3 input samples further on.
    for (let i = 1; i < outs.length; i++)
      expect(outs[i]! - outs[i - 1]!).toBeCloseTo(3 / 48_000, 6);
  });

  it('cuts 20 ms frames at 16 kHz (320 samples)', () => {
    const f = new Framer(320);
    const frames: Float32Array[] = [];
    f.push(new Float32Array(500), (x) => frames.push(x));
    f.push(new Float32Array(500), (x) => frames.push(x));
    expect(frames.map((x) => x.length)).toEqual([320, 320, 320]);
  });

  it('round-trips 16-bit little-endian PCM through base64', () => {
    const pcm = floatToPcm16(Float32Array.from([0, 0.5, -0.5, 1, -1, 2]));
    expect([...pcm]).toEqual([0, 16384, -16384, 32767, -32768, 32767]);
    const b64 = pcm16ToBase64(pcm);
    expect(atob(b64).charCodeAt(2)).toBe(0x00); // 16384 = 0x4000, low byte first
    expect(atob(b64).charCodeAt(3)).toBe(0x40);
    expect([...base64ToPcm16(b64)]).toEqual([...pcm]);
    expect(pcm16ToFloat(Int16Array.from([-32768]))[0]).toBe(-1);
  });

  it('measures levels in dBFS for the meters', () => {
    expect(rmsDb(new Float32Array(160))).toBe(-100);
    const sine = Float32Array.from({ length: 800 }, (_, i) => Math.sin((2 * Math.PI * i) / 40));
    expect(rmsDb(sine)).toBeCloseTo(-3.01, 1);
    expect(levelFraction(-30)).toBe(0.5);
    expect(levelFraction(null)).toBe(0);
  });
});
