import { describe, expect, it } from 'vitest';
import { SilenceSource } from '../../../../src/main/media/source/silence.ts';
import { ToneAudioSource } from '../../../../src/main/media/source/tone-audio-source.ts';
import { rmsDbm0 } from '../../../../src/main/media/level.ts';

describe('silence and tone sources', () => {
  it('silence overwrites the frame with zeros', () => {
    const frame = new Int16Array(160).fill(99);
    new SilenceSource().read(frame);
    expect(frame.every((s) => s === 0)).toBe(true);
  });

  it('tone follows the codec rate and keeps its level', () => {
    const src = new ToneAudioSource({ levelDbm0: -10 });
    const a = new Int16Array(160);
    src.read(a, 8000);
    expect(rmsDbm0(a)).toBeCloseTo(-10, 1);
    const b = new Int16Array(960);
    src.read(b, 48000);
    expect(rmsDbm0(b)).toBeCloseTo(-10, 1);
  });

  it('rejects an impossible tone before the call', () => {
    expect(() => new ToneAudioSource({ frequency: 30000 })).toThrow(RangeError);
  });
});
