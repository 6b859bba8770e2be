import { describe, expect, it } from 'vitest';
import {
  G729_COMFORT_FRAME,
  createG729Codec,
  g729FrameCount,
} from '../../../../src/main/media/codec/g729.ts';

describe('G.729 (negotiate and carry)', () => {
  it('sends one fixed 10-byte frame per 10 ms, whatever the input', () => {
    const codec = createG729Codec();
    expect(codec.encodesAudio).toBe(false);
    expect(codec.frameSamples(20)).toBe(160);
    const loud = new Int16Array(160).fill(20000);
    const a = codec.encode(loud);
    const b = codec.encode(new Int16Array(160));
    expect(a.length).toBe(20);
    expect(Buffer.compare(a, b)).toBe(0);
    expect(Buffer.compare(a.subarray(0, 10), G729_COMFORT_FRAME)).toBe(0);
    expect(Buffer.compare(a.subarray(10), G729_COMFORT_FRAME)).toBe(0);
  });

  it('the frame is not all zeros (decoders treat that as an erased frame) and has P0 = 1', () => {
    expect(G729_COMFORT_FRAME.length).toBe(10);
    expect(G729_COMFORT_FRAME.some((b) => b !== 0)).toBe(true);
    // Bit 26 (MSB first) is the parity bit; P1 (bits 18-25) is 0.
    expect(G729_COMFORT_FRAME.readUInt8(3) & 0x20).toBe(0x20);
    expect((G729_COMFORT_FRAME.readUInt16BE(2) >> 6) & 0xff).toBe(0);
  });

  it('keeps whole frames across odd PCM lengths', () => {
    const codec = createG729Codec();
    expect(codec.encode(new Int16Array(120)).length).toBe(10);
    expect(codec.encode(new Int16Array(40)).length).toBe(10);
  });

  it('decodes to silence of the payload duration (speech frames plus an Annex B SID)', () => {
    const codec = createG729Codec();
    expect(codec.decodesAudio).toBe(false);
    expect(codec.decode(Buffer.alloc(20)).length).toBe(160);
    expect(codec.decode(Buffer.alloc(22)).length).toBe(240);
    expect(codec.decode(Buffer.alloc(2)).length).toBe(80);
    expect(g729FrameCount(0)).toBe(0);
    expect(g729FrameCount(1)).toBe(0);
    expect(codec.decode(Buffer.alloc(30)).every((s) => s === 0)).toBe(true);
  });
});
