import { describe, expect, it } from 'vitest';
import { LiveSource } from '../../../../src/main/media/source/live.ts';
import { ToneSource } from '../../../../src/main/media/source/tone.ts';
import { toneSnrDb } from '../codec/tone-snr.ts';

const ramp = (n: number, from = 1) => Int16Array.from({ length: n }, (_, i) => from + i);

describe('LiveSource (GUI microphone FIFO)', () => {
  it('waits for the target buffer, then plays pushed audio in order', () => {
    const src = new LiveSource({ sampleRate: 8000, targetMs: 40 });
    const frame = new Int16Array(160);
    src.push(ramp(160), 8000); // 20 ms < 40 ms target
    src.read(frame, 8000);
    expect(frame.every((s) => s === 0)).toBe(true);
    src.push(ramp(160, 161), 8000);
    src.read(frame, 8000);
    expect(Array.from(frame.subarray(0, 3))).toEqual([1, 2, 3]);
    src.read(frame, 8000);
    expect(frame[0]).toBe(161);
    expect(frame[159]).toBe(320);
    expect(src.stats.underruns).toBe(0);
  });

  it('fills a gap with silence, counts the underrun and re-buffers before resuming', () => {
    const src = new LiveSource({ sampleRate: 8000, targetMs: 20 });
    const frame = new Int16Array(160);
    src.push(ramp(240), 8000); // 30 ms, pushed in one irregular burst
    src.read(frame, 8000);
    expect(frame[159]).toBe(160);
    src.read(frame, 8000); // only 80 samples left
    expect(frame[0]).toBe(161);
    expect(frame[79]).toBe(240);
    expect(frame.subarray(80).every((s) => s === 0)).toBe(true);
    expect(src.stats.underruns).toBe(1);
    src.push(ramp(80, 500), 8000); // 10 ms: below the target, keep silent
    src.read(frame, 8000);
    expect(frame.every((s) => s === 0)).toBe(true);
    src.push(ramp(160, 1000), 8000);
    src.read(frame, 8000);
    expect(frame[0]).toBe(500);
    expect(src.stats.silenceSamples).toBe(80 + 160);
  });

  it('drops the oldest audio when too much piles up, keeping latency bounded', () => {
    const src = new LiveSource({ sampleRate: 8000, targetMs: 40, maxMs: 100 });
    for (let i = 0; i < 7; i++) src.push(new Int16Array(160).fill(i + 1), 8000); // 140 ms
    expect(src.stats.bufferedMs).toBeLessThanOrEqual(100);
    expect(src.stats.droppedSamples).toBeGreaterThan(0);
    // At 960 samples (120 ms) the FIFO dropped back to 40 ms: chunks 1-4 are gone.
    expect(src.stats.droppedSamples).toBe(640);
    const frame = new Int16Array(160);
    src.read(frame, 8000);
    expect(frame[0]).toBe(5);
  });

  it('resamples 48 kHz microphone chunks of any size to the codec rate without drift', () => {
    const src = new LiveSource({ sampleRate: 8000, targetMs: 20, maxMs: 60_000 });
    let pushed = 0;
    for (let i = 0; i < 100; i++) {
      const n = 317 + (i % 5) * 101; // irregular chunk sizes
      src.push(new Int16Array(n).fill(1200), 48000);
      pushed += n;
    }
    const expected = (pushed * 8000) / 48000;
    expect(Math.abs((src.stats.bufferedMs * 8000) / 1000 - expected)).toBeLessThanOrEqual(2);
  });

  it('keeps a tone continuous across irregular chunk boundaries (no clicks)', () => {
    const src = new LiveSource({ sampleRate: 8000, targetMs: 20, maxMs: 60_000 });
    const tone = new ToneSource({ frequency: 1000, levelDbm0: -10, sampleRate: 48000 });
    for (let i = 0; i < 60; i++) src.push(tone.next(401 + ((i * 37) % 211)), 48000);
    const out = new Int16Array(1600);
    src.read(out, 8000);
    expect(toneSnrDb(out, 1000, 8000)).toBeGreaterThan(35);
  });
});
