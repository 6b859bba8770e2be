import { describe, expect, it } from 'vitest';
import {
  mixToMono,
  readWav,
  readWavMono,
  WavError,
  writeWav,
} from '../../../src/main/media/wav.ts';
import { resample } from '../../../src/main/media/resample.ts';
import { ToneSource } from '../../../src/main/media/source/tone.ts';
import { goertzelAmplitude, goertzelPower } from '../../../src/main/media/dtmf/goertzel.ts';
import { dbm0ToPeak, rmsDbm0 } from '../../../src/main/media/level.ts';

/** A WAV with an arbitrary fmt chunk body and data, plus optional extra chunks before data. */
function wav(fmt: Buffer, data: Buffer, extra: Buffer[] = [], dataSize = data.length): Buffer {
  const chunk = (id: string, body: Buffer, size = body.length) => {
    const h = Buffer.alloc(8);
    h.write(id, 0, 'latin1');
    h.writeUInt32LE(size, 4);
    return Buffer.concat([h, body, Buffer.alloc(body.length & 1)]);
  };
  const body = Buffer.concat([
    Buffer.from('WAVE'),
    chunk('fmt ', fmt),
    ...extra,
    chunk('data', data, dataSize),
  ]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

function fmtChunk(format: number, channels: number, rate: number, bits: number): Buffer {
  const f = Buffer.alloc(16);
  const block = (channels * bits) / 8;
  f.writeUInt16LE(format, 0);
  f.writeUInt16LE(channels, 2);
  f.writeUInt32LE(rate, 4);
  f.writeUInt32LE(rate * block, 8);
  f.writeUInt16LE(block, 12);
  f.writeUInt16LE(bits, 14);
  return f;
}

const tone = (hz: number, rate: number, n: number, dbm0 = -6) =>
  new ToneSource({ frequency: hz, levelDbm0: dbm0, sampleRate: rate }).next(n);
const amp = (pcm: Int16Array, hz: number, rate: number) =>
  goertzelAmplitude(goertzelPower(pcm, 0, pcm.length, hz, rate), pcm.length);

describe('writeWav / readWav', () => {
  it('writes a canonical 44-byte header and round-trips mono', () => {
    const pcm = Int16Array.from([0, 1, -1, 32767, -32768]);
    const buf = writeWav([pcm], 8000);
    expect(buf.length).toBe(44 + 10);
    expect(buf.toString('hex', 0, 44)).toBe(
      '52494646' +
        '2e000000' +
        '57415645' +
        '666d7420' +
        '10000000' +
        '0100' +
        '0100' +
        '401f0000' +
        '803e0000' +
        '0200' +
        '1000' +
        '64617461' +
        '0a000000',
    );
    expect(readWav(buf)).toEqual({
      sampleRate: 8000,
      encoding: 'pcm16',
      channels: [pcm],
      truncated: false,
    });
  });

  it('round-trips stereo, interleaving frames', () => {
    const l = Int16Array.from([1, 2, 3]);
    const r = Int16Array.from([-1, -2, -3]);
    const buf = writeWav([l, r], 48000);
    expect(buf.readInt16LE(44)).toBe(1);
    expect(buf.readInt16LE(46)).toBe(-1);
    const back = readWav(buf);
    expect(back.channels).toEqual([l, r]);
    expect(mixToMono(back.channels)).toEqual(new Int16Array(3));
  });

  it('refuses bad channel layouts', () => {
    expect(() => writeWav([], 8000)).toThrow(RangeError);
    expect(() => writeWav([new Int16Array(2), new Int16Array(3)], 8000)).toThrow(RangeError);
  });
});

describe('readWav encodings', () => {
  it('reads unsigned 8-bit PCM', () => {
    const w = readWav(wav(fmtChunk(1, 1, 11025, 8), Buffer.from([128, 255, 0, 129])));
    expect(w.encoding).toBe('pcm8');
    expect(w.sampleRate).toBe(11025);
    expect([...w.channels[0]!]).toEqual([0, 127 << 8, -128 << 8, 256]);
  });

  it('reads µ-law (format 7) and A-law (format 6) WAVs', () => {
    const mu = readWav(wav(fmtChunk(7, 1, 8000, 8), Buffer.from([0xff, 0x80, 0x00])));
    expect(mu.encoding).toBe('ulaw');
    expect([...mu.channels[0]!]).toEqual([0, 32124, -32124]);
    const a = readWav(wav(fmtChunk(6, 2, 8000, 8), Buffer.from([0xd5, 0xaa, 0x2a, 0x55])));
    expect(a.encoding).toBe('alaw');
    expect(a.channels.map((c) => [...c])).toEqual([
      [8, -32256],
      [32256, -8],
    ]);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE 16-bit PCM and skips unknown, odd-sized chunks', () => {
    const ext = Buffer.alloc(40);
    fmtChunk(0xfffe, 1, 16000, 16).copy(ext);
    ext.writeUInt16LE(22, 16); // cbSize
    ext.writeUInt16LE(16, 18); // valid bits
    ext.writeUInt16LE(1, 24); // SubFormat GUID starts with KSDATAFORMAT_SUBTYPE_PCM = 1
    const list = Buffer.concat([
      Buffer.from('LIST'),
      Buffer.from([3, 0, 0, 0]),
      Buffer.from('abc'),
      Buffer.alloc(1),
    ]);
    const data = Buffer.alloc(4);
    data.writeInt16LE(-1234, 0);
    data.writeInt16LE(4321, 2);
    const w = readWav(wav(ext, data, [list]));
    expect(w).toMatchObject({ sampleRate: 16000, encoding: 'pcm16' });
    expect([...w.channels[0]!]).toEqual([-1234, 4321]);
  });

  it('reads what is there when the data chunk is cut off, and says so', () => {
    const w = readWav(wav(fmtChunk(1, 1, 8000, 16), Buffer.from([1, 0, 2, 0, 3, 0]), [], 1000));
    expect(w.truncated).toBe(true);
    expect([...w.channels[0]!]).toEqual([1, 2, 3]);
  });
});

describe('readWav errors name the problem', () => {
  it.each([
    ['too-short', Buffer.from('RIFF')],
    ['not-riff', Buffer.from('ID3\x03xxxxxxxxxxxxxxxx', 'latin1')],
    ['not-wave', Buffer.from('RIFF\x04\x00\x00\x00AVI LIST', 'latin1')],
    ['no-data-chunk', wav(fmtChunk(1, 1, 8000, 16), Buffer.alloc(0)).subarray(0, 36)],
    ['bad-fmt-chunk', wav(Buffer.alloc(10), Buffer.alloc(2))],
    ['bad-fmt-chunk', wav(fmtChunk(1, 0, 8000, 16), Buffer.alloc(2))],
  ])('%s', (code, buf) => {
    expect(() => readWav(buf)).toThrow(WavError);
    try {
      readWav(buf);
    } catch (e) {
      expect((e as WavError).code).toBe(code);
      expect((e as WavError).message).toMatch(/^invalid WAV: /);
    }
  });

  it.each([
    [fmtChunk(1, 1, 8000, 12), /12-bit PCM/],
    [fmtChunk(3, 1, 8000, 16), /16-bit float/],
    [fmtChunk(0x55, 1, 8000, 0), /format 0x55/],
  ])('rejects unsupported encodings: %#', (fmt, message) => {
    expect(() => readWav(wav(fmt, Buffer.alloc(12)))).toThrow(message);
  });

  it('reads 24- and 32-bit PCM and 32/64-bit float as 16-bit samples', () => {
    const pcm24 = Buffer.from([0x00, 0x00, 0x40, 0x00, 0x00, 0xc0]); // +0.5, -0.5 full scale
    expect([...readWav(wav(fmtChunk(1, 1, 8000, 24), pcm24)).channels[0]!]).toEqual([16384, -16384]);
    const pcm32 = Buffer.alloc(8);
    pcm32.writeInt32LE(0x40000000, 0);
    pcm32.writeInt32LE(-0x40000000, 4);
    expect([...readWav(wav(fmtChunk(1, 1, 8000, 32), pcm32)).channels[0]!]).toEqual([16384, -16384]);
    const f32 = Buffer.alloc(8);
    f32.writeFloatLE(0.25, 0);
    f32.writeFloatLE(-2, 4); // out of range: clipped
    expect([...readWav(wav(fmtChunk(3, 1, 8000, 32), f32)).channels[0]!]).toEqual([8192, -32768]);
    const f64 = Buffer.alloc(8);
    f64.writeDoubleLE(-0.25, 0);
    expect([...readWav(wav(fmtChunk(3, 1, 8000, 64), f64)).channels[0]!]).toEqual([-8192]);
  });

  it('rejects a file without a fmt chunk', () => {
    const buf = wav(fmtChunk(1, 1, 8000, 16), Buffer.alloc(2));
    buf.write('junk', 12, 'latin1');
    expect(() => readWav(buf)).toThrow(/no "fmt " chunk/);
  });
});

describe('resample', () => {
  it('keeps a 1 kHz tone and its level from 48 kHz to 8 kHz (sinc)', () => {
    const src = tone(1000, 48000, 48000);
    const out = resample(src, 48000, 8000);
    expect(out.length).toBe(8000);
    const mid = out.subarray(400, 7600);
    expect(rmsDbm0(mid)).toBeCloseTo(-6, 1);
    expect(20 * Math.log10(amp(mid, 1000, 8000) / dbm0ToPeak(-6))).toBeCloseTo(0, 1);
  });

  it('removes content above the new Nyquist frequency (sinc) where linear aliases it', () => {
    // 5 kHz at 48 kHz would alias to 3 kHz at 8 kHz.
    const src = tone(5000, 48000, 24000, -3);
    const sinc = resample(src, 48000, 8000, 'sinc').subarray(200, 3800);
    const linear = resample(src, 48000, 8000, 'linear').subarray(200, 3800);
    expect(rmsDbm0(sinc)).toBeLessThan(-50);
    expect(rmsDbm0(linear)).toBeGreaterThan(-10);
  });

  it('upsamples 8 kHz to 16 kHz with both methods', () => {
    const src = tone(440, 8000, 8000);
    for (const m of ['linear', 'sinc'] as const) {
      const out = resample(src, 8000, 16000, m);
      expect(out.length).toBe(16000);
      expect(rmsDbm0(out.subarray(800, 15200))).toBeCloseTo(-6, 0);
      expect(amp(out.subarray(800, 15200), 440, 16000)).toBeGreaterThan(dbm0ToPeak(-6.5));
    }
  });

  it('handles 44.1 kHz → 16 kHz and returns a copy when rates match', () => {
    const src = tone(1004, 44100, 44100);
    const out = resample(src, 44100, 16000);
    expect(out.length).toBe(16000);
    expect(rmsDbm0(out.subarray(800, 15200))).toBeCloseTo(-6, 1);
    const same = resample(src, 8000, 8000);
    expect(same).toEqual(src);
    expect(same).not.toBe(src);
    expect(() => resample(src, 0, 8000)).toThrow(RangeError);
  });
});

describe('readWavMono', () => {
  it('mixes stereo to mono and converts to the media rate', () => {
    const l = tone(1000, 16000, 16000);
    const buf = writeWav([l, l], 16000);
    const { sampleRate, pcm, source } = readWavMono(buf, { sampleRate: 8000 });
    expect(sampleRate).toBe(8000);
    expect(source.channels).toHaveLength(2);
    expect(pcm.length).toBe(8000);
    expect(rmsDbm0(pcm.subarray(400, 7600))).toBeCloseTo(-6, 1);
  });
});
