/** Test helper: push a tone through a codec frame by frame and collect the decoded audio. */
import type { MediaCodec } from '../../../../src/main/media/codec/registry.ts';
import { ToneSource } from '../../../../src/main/media/source/tone.ts';

export interface RoundTrip {
  decoded: Int16Array;
  payloadSizes: number[];
}

export function roundTripTone(
  codec: MediaCodec,
  frequency: number,
  levelDbm0: number,
  seconds: number,
  ptimeMs = 20,
): RoundTrip {
  const tone = new ToneSource({ frequency, levelDbm0, sampleRate: codec.sampleRate });
  const n = codec.frameSamples(ptimeMs);
  const frames = Math.round((seconds * 1000) / ptimeMs);
  const decoded = new Int16Array(n * frames);
  const payloadSizes: number[] = [];
  for (let f = 0; f < frames; f++) {
    const payload = codec.encode(tone.next(n));
    payloadSizes.push(payload.length);
    decoded.set(codec.decode(payload), f * n);
  }
  return { decoded, payloadSizes };
}
