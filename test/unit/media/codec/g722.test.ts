import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  G722Decoder,
  G722Encoder,
  createG722Codec,
} from '../../../../src/main/media/codec/g722.ts';
import { roundTripTone } from './codec-harness.ts';
import { toneSnrDb } from './tone-snr.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

function s16(buf: Buffer): Int16Array {
  const out = new Int16Array(buf.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = buf.readInt16LE(2 * i);
  return out;
}

describe('G.722 (64 kbit/s SB-ADPCM)', () => {
  it('carries a 1 kHz tone with SNR > 20 dB', () => {
    const { decoded, payloadSizes } = roundTripTone(createG722Codec(), 1000, -10, 1);
    // Skip the first 100 ms while the adaptive quantizer settles.
    const snr = toneSnrDb(decoded, 1000, 16000, 1600);
    expect(snr).toBeGreaterThan(20);
    expect(payloadSizes.every((n) => n === 160)).toBe(true);
  });

  it('carries a 6 kHz tone (the higher sub-band) recognisably', () => {
    const { decoded } = roundTripTone(createG722Codec(), 6000, -10, 1);
    // 2-bit ADPCM in the upper band: coarse, but the tone dominates.
    expect(toneSnrDb(decoded, 6000, 16000, 1600)).toBeGreaterThan(8);
  });

  it('decodes silence to near silence and is 16 kHz PCM on an 8000 Hz RTP clock', () => {
    const codec = createG722Codec();
    expect(codec.clockRate).toBe(8000);
    expect(codec.sampleRate).toBe(16000);
    expect(codec.payloadType).toBe(9);
    expect(codec.frameSamples(20)).toBe(320);
    let peak = 0;
    for (let f = 0; f < 20; f++) {
      for (const s of codec.decode(codec.encode(new Int16Array(320))))
        peak = Math.max(peak, Math.abs(s));
    }
    expect(peak).toBeLessThan(16);
  });

  // Fixture: 0.5 s of 16 kHz test signal (chirp + tone + noise burst + overload), encoded with
  // FFmpeg 5.1 `-c:a g722 -f g722`; the hash is of FFmpeg's own decode of that bitstream.
  it('encodes bit-exactly like FFmpeg adpcm_g722', () => {
    const pcm = s16(fixture('g722-in-16k.s16le'));
    const expected = fixture('g722-ffmpeg.g722');
    const ours = new G722Encoder().encode(pcm);
    expect(ours.length).toBe(expected.length);
    expect(Buffer.compare(ours, expected)).toBe(0);
  });

  it('decodes FFmpeg’s bitstream bit-exactly like FFmpeg', () => {
    const decoded = new G722Decoder().decode(fixture('g722-ffmpeg.g722'));
    const bytes = Buffer.from(decoded.buffer, decoded.byteOffset, decoded.byteLength);
    expect(decoded.length).toBe(8000);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      '07b91850a7b5fc225733eeb28a39e55f8190a5d257f489df3a96da98d6620e2a',
    );
  });

  it('gives the same bitstream whatever the frame split (odd lengths carry over)', () => {
    const pcm = s16(fixture('g722-in-16k.s16le')).subarray(0, 640);
    const whole = new G722Encoder().encode(pcm);
    const enc = new G722Encoder();
    const parts = [enc.encode(pcm.subarray(0, 321)), enc.encode(pcm.subarray(321, 640))];
    expect(parts.map((p) => p.length)).toEqual([160, 160]);
    expect(Buffer.compare(Buffer.concat(parts), whole)).toBe(0);
  });

  it('decodes any byte sequence without throwing', () => {
    const dec = new G722Decoder();
    const junk = Buffer.alloc(4000);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 197 + 31) & 0xff;
    const out = dec.decode(junk);
    expect(out.length).toBe(8000);
    expect(out.some((v) => v !== 0)).toBe(true);
  });
});
