import { describe, expect, it } from 'vitest';
import { InbandDtmfSink, type InbandDigit } from '../../../../src/main/media/sink/inband-dtmf.ts';
import { generateDtmfSequence } from '../../../../src/main/media/dtmf/inband-generator.ts';
import { createCodec } from '../../../../src/main/media/codec/registry.ts';
import { resample } from '../../../../src/main/media/resample.ts';

function feed(sink: InbandDtmfSink, pcm: Int16Array, rate: number, startMs = 0, skip?: number) {
  const n = (rate * 20) / 1000;
  for (let f = 0; f * n < pcm.length; f++) {
    if (f === skip) continue; // a lost packet: nothing written for that frame time
    sink.write(pcm.subarray(f * n, (f + 1) * n), rate, 'received', startMs + f * 20);
  }
}

describe('InbandDtmfSink', () => {
  it('reports generated digits through PCMA with method inband and the tone start time', () => {
    const got: InbandDigit[] = [];
    const sink = new InbandDtmfSink({ onDigit: (d) => got.push(d) });
    const codec = createCodec('PCMA')!;
    // Digits at 200, 400, 600, 800 ms (100 ms on, 100 ms off after a 200 ms lead).
    const pcm = codec.decode(
      codec.encode(generateDtmfSequence('123#', { leadMs: 200, toneMs: 100, gapMs: 100 })),
    );
    feed(sink, pcm, 8000, 5000);
    expect(got.map((d) => d.digit).join('')).toBe('123#');
    expect(got.every((d) => d.method === 'inband')).toBe(true);
    got.forEach((d, i) => expect(Math.abs(d.atMs - (5200 + 200 * i))).toBeLessThan(15));
  });

  it('works on 16 kHz (G.722) audio and ignores the sent direction', () => {
    const got: string[] = [];
    const sink = new InbandDtmfSink({ onDigit: (d) => got.push(d.digit) });
    const pcm8 = generateDtmfSequence('*0', { leadMs: 100 });
    const pcm16 = resample(pcm8, 8000, 16000);
    sink.write(pcm16, 16000, 'sent', 0);
    expect(got).toEqual([]);
    feed(sink, pcm16, 16000);
    expect(got).toEqual(['*', '0']);
  });

  it('keeps digit times right across a gap in the received stream', () => {
    const got: InbandDigit[] = [];
    const ends: number[] = [];
    const sink = new InbandDtmfSink({
      onDigit: (d) => got.push(d),
      onDigitEnd: (d) => ends.push(d.durationMs),
    });
    const pcm = generateDtmfSequence('7', { leadMs: 300, toneMs: 120, gapMs: 0 });
    // Frame 2 (40-60 ms) is lost: later frames keep their own atMs.
    feed(sink, pcm, 8000, 0, 2);
    sink.close();
    expect(got).toHaveLength(1);
    expect(Math.abs(got[0]!.atMs - 300)).toBeLessThan(15);
    expect(ends).toHaveLength(1);
    expect(ends[0]).toBeGreaterThan(90);
  });
});
