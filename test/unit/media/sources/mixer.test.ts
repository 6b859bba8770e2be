import { describe, expect, it } from 'vitest';
import { DtmfMixer } from '../../../../src/main/media/source/mixer.ts';
import { ToneAudioSource } from '../../../../src/main/media/source/tone-audio-source.ts';
import { SilenceSource } from '../../../../src/main/media/source/silence.ts';
import { InbandDtmfDetector } from '../../../../src/main/media/dtmf/inband-detector.ts';

function run(src: DtmfMixer, frames: number, rate = 8000): Int16Array {
  const n = (rate * 20) / 1000;
  const out = new Int16Array(frames * n);
  const frame = new Int16Array(n);
  for (let f = 0; f < frames; f++) {
    src.read(frame, rate);
    out.set(frame, f * n);
  }
  return out;
}

describe('DtmfMixer (in-band DTMF over a source)', () => {
  it('plays queued digits over a test tone so a Q.24 detector reads them', () => {
    const starts: [string, number][] = [];
    const mixer = new DtmfMixer(new ToneAudioSource({ frequency: 1004, levelDbm0: -10 }), {
      onToneStart: (d, offset) => starts.push([d, offset]),
    });
    for (const d of '12#') mixer.sendDigit(d, 80);
    expect(mixer.pending).toBe(3);
    const pcm = run(mixer, 50);
    const det = new InbandDtmfDetector();
    const digits = [...det.process(pcm), ...det.flush()]
      .filter((e) => e.type === 'digit')
      .map((e) => e.digit);
    expect(digits.join('')).toBe('12#');
    expect(mixer.pending).toBe(0);
    // 80 ms tone + 100 ms gap: the second digit starts 180 ms = 9 frames in, at offset 0.
    expect(starts).toEqual([
      ['1', 0],
      ['2', 0],
      ['#', 0],
    ]);
  });

  it('keeps the source audio between digits and, in mix mode, under the tone', () => {
    const mixer = new DtmfMixer(new ToneAudioSource({ frequency: 1004, levelDbm0: -20 }), {
      mode: 'mix',
    });
    mixer.sendDigit('5', 40);
    const pcm = run(mixer, 5);
    const det = new InbandDtmfDetector();
    expect(det.process(pcm).some((e) => e.type === 'digit' && e.digit === '5')).toBe(true);
    expect(pcm.subarray(400).some((s) => s !== 0)).toBe(true); // the tone goes on after
  });

  it('rejects what is not a digit or a sane duration', () => {
    const mixer = new DtmfMixer(new SilenceSource());
    expect(() => mixer.sendDigit('x')).toThrow(/not a DTMF digit/);
    expect(() => mixer.sendDigit('1', 0)).toThrow(RangeError);
    mixer.sendDigit('a');
    expect(mixer.pending).toBe(1);
  });
});
