import { describe, expect, it } from 'vitest';
import {
  codecCapabilities,
  codecCapability,
  createCodec,
} from '../../../../src/main/media/codec/registry.ts';
import { roundTripTone } from './codec-harness.ts';
import { toneSnrDb } from './tone-snr.ts';

describe('codec registry', () => {
  it('lists what we can do with each negotiable codec', () => {
    const caps = codecCapabilities();
    expect(caps.map((c) => c.name)).toEqual(['PCMU', 'PCMA', 'G722', 'opus', 'G729']);
    const by = Object.fromEntries(caps.map((c) => [c.name, c]));
    for (const n of ['PCMU', 'PCMA', 'G722', 'opus']) {
      expect(by[n]).toMatchObject({ encode: true, decode: true, carry: true, sends: 'audio' });
    }
    expect(by.G729).toMatchObject({
      encode: false,
      decode: false,
      carry: true,
      sends: 'fixed-pattern',
      payloadType: 18,
    });
    expect(by.G722).toMatchObject({ clockRate: 8000, sampleRate: 16000, payloadType: 9 });
    expect(by.opus).toMatchObject({ clockRate: 48000, channels: 2, sampleRate: 48000 });
    expect(by.opus!.payloadType).toBeUndefined();
  });

  it('creates codecs by SDP name, case-insensitively, and nothing for unknown names', () => {
    expect(createCodec('pcmu')?.name).toBe('PCMU');
    expect(createCodec('G.722')?.name).toBe('G722');
    expect(createCodec('g729')?.name).toBe('G729');
    const opus = createCodec('OPUS');
    expect(opus?.name).toBe('opus');
    opus?.close();
    expect(createCodec('iLBC')).toBeUndefined();
    expect(codecCapability('AMR')).toBeUndefined();
  });

  it('gives each call its own state', () => {
    expect(createCodec('G722')).not.toBe(createCodec('G722'));
  });

  it.each([
    ['PCMU', 160, 160],
    ['PCMA', 160, 160],
    ['G722', 320, 160],
    ['G729', 160, 20],
  ])('%s: 20 ms = %i samples → %i bytes', (name, samples, bytes) => {
    const codec = createCodec(name)!;
    expect(codec.frameSamples(20)).toBe(samples);
    expect(codec.encode(new Int16Array(samples)).length).toBe(bytes);
    expect(codec.decode(codec.encode(new Int16Array(samples))).length).toBe(samples);
  });

  it.each(['PCMU', 'PCMA'])('%s round trip of a -10 dBm0 1004 Hz tone: SNR > 30 dB', (name) => {
    const codec = createCodec(name)!;
    const { decoded } = roundTripTone(codec, 1004, -10, 0.5);
    expect(toneSnrDb(decoded, 1004, 8000)).toBeGreaterThan(30);
  });
});
