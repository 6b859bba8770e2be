import { describe, expect, it } from 'vitest';
import { LevelMeter, type LevelSnapshot } from '../../../../src/main/media/sink/level-meter.ts';
import { ToneSource } from '../../../../src/main/media/source/tone.ts';

describe('LevelMeter (dBFS per direction)', () => {
  it('reads a -10 dBm0 tone as -13.17 dBFS peak and RMS, over 100 ms and 1 s', () => {
    const meter = new LevelMeter();
    const tone = new ToneSource({ frequency: 1004, levelDbm0: -10 });
    for (let t = 0; t < 2000; t += 20) meter.write(tone.next(160), 8000, 'received', t);
    const r = meter.levels('received');
    expect(r.last100ms.rmsDbfs).toBeCloseTo(-13.17, 1);
    expect(r.last1s.rmsDbfs).toBeCloseTo(-13.17, 1);
    expect(r.last100ms.peakDbfs).toBeCloseTo(-13.17, 1);
    expect(r.atMs).toBe(2000);
    const s = meter.levels('sent');
    expect(s.last1s.rmsDbfs).toBe(-Infinity);
    expect(s.atMs).toBeNull();
  });

  it('100 ms follows a level change at once while 1 s still remembers', () => {
    const meter = new LevelMeter();
    const loud = new ToneSource({ frequency: 1004, levelDbm0: -10 });
    for (let t = 0; t < 1000; t += 20) meter.write(loud.next(160), 8000, 'sent', t);
    for (let t = 1000; t < 1200; t += 20) meter.write(new Int16Array(160), 8000, 'sent', t);
    const s = meter.levels('sent');
    expect(s.last100ms.rmsDbfs).toBe(-Infinity);
    expect(s.last100ms.peakDbfs).toBe(-Infinity);
    // 800 of the last 1000 ms hold the tone: RMS 10·log10(0.8) ≈ -0.97 dB lower.
    expect(s.last1s.rmsDbfs).toBeCloseTo(-13.17 - 0.97, 1);
    expect(s.last1s.peakDbfs).toBeCloseTo(-13.17, 1);
  });

  it('reads full-scale as 0 dBFS and emits snapshots every 100 ms of media time', () => {
    const seen: LevelSnapshot[] = [];
    const meter = new LevelMeter({ onLevels: (l) => seen.push(l) });
    const square = Int16Array.from({ length: 160 }, (_, i) => (i % 2 ? 32767 : -32768));
    for (let t = 0; t < 500; t += 20) meter.write(square, 8000, 'sent', t);
    expect(seen).toHaveLength(5);
    expect(seen[4]!.sent.last100ms.peakDbfs).toBeCloseTo(0, 3);
    // A full-scale square wave has RMS = peak: +3.01 dBFS in the AES17 convention.
    expect(seen[4]!.sent.last100ms.rmsDbfs).toBeCloseTo(3.01, 1);
  });
});
