import { describe, expect, it } from 'vitest';
import { LiveSink, type LiveFrame } from '../../../../src/main/media/sink/live.ts';

describe('LiveSink (GUI speaker frames)', () => {
  it('re-chunks 30 ms received packets into 20 ms frames with their times', () => {
    const frames: LiveFrame[] = [];
    const sink = new LiveSink({ onFrame: (f) => frames.push(f) });
    for (let k = 0; k < 4; k++) {
      const pcm = Int16Array.from({ length: 240 }, (_, i) => k * 240 + i);
      sink.write(pcm, 8000, 'received', 1000 + k * 30);
    }
    sink.write(new Int16Array(160), 8000, 'sent', 0); // not forwarded
    expect(frames).toHaveLength(6);
    expect(frames.every((f) => f.pcm.length === 160 && f.sampleRate === 8000)).toBe(true);
    expect(frames.map((f) => f.atMs)).toEqual([1000, 1020, 1040, 1060, 1080, 1100]);
    expect(frames[1]!.pcm[0]).toBe(160);
    expect(frames[5]!.pcm[159]).toBe(959);
  });

  it('flushes a partial frame padded with silence on close, and follows rate changes', () => {
    const frames: LiveFrame[] = [];
    const sink = new LiveSink({ onFrame: (f) => frames.push(f) });
    sink.write(new Int16Array(100).fill(3), 8000, 'received', 0);
    sink.write(new Int16Array(320).fill(4), 16000, 'received', 20);
    expect(frames).toHaveLength(2);
    expect(frames[0]!.pcm.length).toBe(160);
    expect(frames[0]!.pcm[99]).toBe(3);
    expect(frames[0]!.pcm[100]).toBe(0);
    expect(frames[1]).toMatchObject({ sampleRate: 16000, atMs: 20 });
    expect(frames[1]!.pcm.length).toBe(320);
    sink.close();
    expect(frames).toHaveLength(2);
  });
});
