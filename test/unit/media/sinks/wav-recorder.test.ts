import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WavRecorder } from '../../../../src/main/media/sink/wav-recorder.ts';
import { readWav } from '../../../../src/main/media/wav.ts';

const burst = (n: number, v: number) => new Int16Array(n).fill(v);

/** Index of the first non-zero sample, or -1. */
const onset = (pcm: Int16Array) => pcm.findIndex((s) => s !== 0);

describe('WavRecorder (stereo: left = sent, right = received)', () => {
  it('puts a sent burst at 100 ms and a received one at 300 ms at those offsets', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trunkscope-rec-'));
    try {
      const path = join(dir, 'call.wav');
      const rec = new WavRecorder(path);
      // 20 ms frames on the media clock; silence except the two bursts; the received side
      // starts late (first packet at 200 ms) and has a gap (no packet for 320-400 ms).
      for (let t = 0; t < 500; t += 20) {
        rec.write(t === 100 ? burst(160, 1000) : burst(160, 0), 8000, 'sent', t);
        if (t >= 200 && (t < 320 || t >= 400))
          rec.write(t === 300 ? burst(160, -2000) : burst(160, 0), 8000, 'received', t);
      }
      await rec.close();
      const wav = readWav(await readFile(path));
      expect(wav.sampleRate).toBe(8000);
      expect(wav.channels).toHaveLength(2);
      const [left, right] = wav.channels as [Int16Array, Int16Array];
      expect(left.length).toBe(4000); // 500 ms
      expect(onset(left)).toBe(800); // 100 ms
      expect(left[800 + 159]).toBe(1000);
      expect(left[800 + 160]).toBe(0);
      expect(onset(right)).toBe(2400); // 300 ms
      expect(right[2400]).toBe(-2000);
      expect(rec.durationMs).toBe(500);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps timing when the frames do not start at 0 and pads the shorter side', () => {
    const rec = new WavRecorder(undefined);
    rec.write(burst(80, 5), 8000, 'received', 1000);
    const wav = readWav(rec.toWav());
    const [left, right] = wav.channels as [Int16Array, Int16Array];
    expect(left.length).toBe(8080);
    expect(right.length).toBe(8080);
    expect(onset(right)).toBe(8000);
    expect(onset(left)).toBe(-1);
  });

  it('resamples frames at another rate to the file rate and stops at the maximum duration', () => {
    const rec = new WavRecorder(undefined, { sampleRate: 8000, maxDurationMs: 100 });
    rec.write(burst(320, 700), 16000, 'sent', 0);
    rec.write(burst(160, 700), 8000, 'sent', 90);
    expect(rec.durationMs).toBe(100);
    expect(rec.droppedMs).toBe(10);
    const [left] = readWav(rec.toWav()).channels as [Int16Array];
    expect(left.subarray(0, 160).every((s) => s === 700)).toBe(true);
    rec.write(burst(10, 1), 8000, 'sent', -50);
    expect(rec.droppedMs).toBeCloseTo(11.25, 6);
  });

  it('writes the file once; frames after close are ignored', async () => {
    const rec = new WavRecorder(undefined);
    rec.write(burst(160, 1), 8000, 'sent', 0);
    await rec.close();
    rec.write(burst(160, 1), 8000, 'sent', 20);
    expect(rec.durationMs).toBe(20);
  });
});
