import { describe, expect, it } from 'vitest';
import { createOpusCodec } from '../../../../src/main/media/codec/opus.ts';
import { rmsDbm0 } from '../../../../src/main/media/level.ts';
import { roundTripTone } from './codec-harness.ts';
import { toneSnrDb } from './tone-snr.ts';

describe('Opus (opusscript, libopus WebAssembly)', () => {
  it('is 48 kHz mono PCM on a 48000 Hz clock, opus/48000/2 in SDP', () => {
    const codec = createOpusCodec();
    try {
      expect(codec.name).toBe('opus');
      expect(codec.clockRate).toBe(48000);
      expect(codec.channels).toBe(2);
      expect(codec.sampleRate).toBe(48000);
      expect(codec.frameSamples(20)).toBe(960);
    } finally {
      codec.close();
    }
  });

  it('carries a 1 kHz tone at 20 ms frames, level kept, 20 ms of audio per packet', () => {
    const codec = createOpusCodec();
    try {
      const { decoded, payloadSizes } = roundTripTone(codec, 1000, -10, 1);
      expect(decoded.length).toBe(48000);
      // At 32 kbit/s fullband libopus codes band energies (CELT), not the waveform: a pure tone
      // keeps its level and dominates, but the per-sample SNR is modest (measured 16 dB).
      expect(toneSnrDb(decoded, 1000, 48000, 4800)).toBeGreaterThan(12);
      expect(rmsDbm0(decoded, 4800)).toBeCloseTo(-10, 0);
      // 32 kbit/s target: about 80 bytes per 20 ms.
      const mean = payloadSizes.reduce((a, b) => a + b, 0) / payloadSizes.length;
      expect(mean).toBeGreaterThan(40);
      expect(mean).toBeLessThan(120);
    } finally {
      codec.close();
    }
  });

  it('at 64 kbit/s keeps the waveform: SNR > 30 dB', () => {
    const codec = createOpusCodec({ bitrate: 64000 });
    try {
      const { decoded, payloadSizes } = roundTripTone(codec, 1000, -10, 1);
      expect(toneSnrDb(decoded, 1000, 48000, 4800)).toBeGreaterThan(30);
      const mean = payloadSizes.reduce((a, b) => a + b, 0) / payloadSizes.length;
      expect(mean).toBeGreaterThan(120);
    } finally {
      codec.close();
    }
  });

  it('can work at 16 kHz PCM (the RTP clock stays 48000)', () => {
    const codec = createOpusCodec({ sampleRate: 16000 });
    try {
      expect(codec.clockRate).toBe(48000);
      expect(codec.frameSamples(20)).toBe(320);
      const { decoded } = roundTripTone(codec, 1000, -10, 0.5);
      expect(decoded.length).toBe(8000);
      expect(toneSnrDb(decoded, 1000, 16000, 1600)).toBeGreaterThan(30);
    } finally {
      codec.close();
    }
  });

  it('rejects frame lengths libopus cannot encode, with a clear message', () => {
    const codec = createOpusCodec();
    try {
      expect(() => codec.encode(new Int16Array(1000))).toThrow(/Opus frames must last/);
    } finally {
      codec.close();
    }
  });

  it('turns a malformed packet into counted silence instead of throwing', () => {
    const codec = createOpusCodec() as ReturnType<typeof createOpusCodec> & {
      decodeErrors: number;
    };
    try {
      // TOC code 3 with a frame count of 0 is invalid (RFC 6716 §3.2.5).
      const out = codec.decode(Buffer.from([0x03, 0x00]));
      expect(out.length).toBe(960);
      expect(out.every((s) => s === 0)).toBe(true);
      expect(codec.decodeErrors).toBe(1);
      expect(codec.decode(Buffer.alloc(0)).length).toBe(960);
    } finally {
      codec.close();
    }
  });

  it('refuses bad options and use after close', () => {
    expect(() => createOpusCodec({ sampleRate: 44100 as 48000 })).toThrow(RangeError);
    expect(() => createOpusCodec({ bitrate: 1000 })).toThrow(/bitrate/);
    const codec = createOpusCodec();
    codec.close();
    codec.close();
    expect(() => codec.encode(new Int16Array(960))).toThrow(/closed/);
  });
});
