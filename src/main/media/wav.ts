/**
 * WAV (RIFF/WAVE) read and write. Reads PCM 8-bit (unsigned) and 16-bit, G.711 µ-law (format 7)
 * and A-law (format 6), plain or WAVE_FORMAT_EXTENSIBLE, any channel count and rate; writes
 * 16-bit PCM, mono or stereo. Pure: works on Buffers (file I/O belongs to the caller).
 */
import { decodeAlaw, decodeUlaw } from './codec/g711.ts';
import { resample, type ResampleMethod } from './resample.ts';

export type WavErrorCode =
  | 'too-short'
  | 'not-riff'
  | 'not-wave'
  | 'no-fmt-chunk'
  | 'no-data-chunk'
  | 'bad-fmt-chunk'
  | 'unsupported-format';

export class WavError extends Error {
  readonly code: WavErrorCode;
  constructor(code: WavErrorCode, message: string) {
    super(`invalid WAV: ${message}`);
    this.name = 'WavError';
    this.code = code;
  }
}

export type WavEncoding = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64' | 'ulaw' | 'alaw';

export interface WavAudio {
  sampleRate: number;
  encoding: WavEncoding;
  /** One Int16Array per channel, de-interleaved. */
  channels: Int16Array[];
  /** True when the data chunk claimed more bytes than the file holds (read what is there). */
  truncated: boolean;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;

interface Fmt {
  format: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bits: number;
}

function parseFmt(body: Buffer): Fmt {
  if (body.length < 16)
    throw new WavError('bad-fmt-chunk', `fmt chunk of ${body.length} bytes, need 16`);
  let format = body.readUInt16LE(0);
  if (format === FORMAT_EXTENSIBLE) {
    // WAVEFORMATEXTENSIBLE: cbSize(2) validBits(2) channelMask(4) SubFormat GUID(16), whose first
    // two bytes are the plain format code.
    if (body.length < 40)
      throw new WavError('bad-fmt-chunk', 'WAVE_FORMAT_EXTENSIBLE fmt chunk is too short');
    format = body.readUInt16LE(24);
  }
  const fmt = {
    format,
    channels: body.readUInt16LE(2),
    sampleRate: body.readUInt32LE(4),
    blockAlign: body.readUInt16LE(12),
    bits: body.readUInt16LE(14),
  };
  if (fmt.channels < 1) throw new WavError('bad-fmt-chunk', 'channel count is 0');
  if (fmt.sampleRate < 1) throw new WavError('bad-fmt-chunk', 'sample rate is 0');
  return fmt;
}

function encodingOf(f: Fmt): WavEncoding {
  if (f.format === FORMAT_PCM && f.bits === 8) return 'pcm8';
  if (f.format === FORMAT_PCM && f.bits === 16) return 'pcm16';
  // sox writes 32-bit PCM by default for synthesized audio; editors often write 24-bit or float.
  if (f.format === FORMAT_PCM && f.bits === 24) return 'pcm24';
  if (f.format === FORMAT_PCM && f.bits === 32) return 'pcm32';
  if (f.format === FORMAT_FLOAT && f.bits === 32) return 'float32';
  if (f.format === FORMAT_FLOAT && f.bits === 64) return 'float64';
  if (f.format === FORMAT_MULAW && f.bits === 8) return 'ulaw';
  if (f.format === FORMAT_ALAW && f.bits === 8) return 'alaw';
  const name =
    f.format === FORMAT_PCM
      ? `${f.bits}-bit PCM`
      : f.format === 3
        ? `${f.bits}-bit float`
        : `format 0x${f.format.toString(16)}`;
  throw new WavError(
    'unsupported-format',
    `${name} is not supported (use 8/16/24/32-bit PCM, 32/64-bit float, µ-law or A-law; e.g. sox in.wav -b 16 out.wav)`,
  );
}

const BYTES: Readonly<Record<WavEncoding, number>> = { pcm8: 1, ulaw: 1, alaw: 1, pcm16: 2, pcm24: 3, pcm32: 4, float32: 4, float64: 8 };

/** One sample of a 16-bit-or-wider encoding, as 16-bit PCM (truncating extra precision). */
function wideSample(data: Buffer, off: number, enc: WavEncoding): number {
  switch (enc) {
    case 'pcm16':
      return data.readInt16LE(off);
    case 'pcm24':
      return data.readIntLE(off, 3) >> 8;
    case 'pcm32':
      return data.readInt32LE(off) >> 16;
    default: {
      const v = enc === 'float32' ? data.readFloatLE(off) : data.readDoubleLE(off);
      return Math.max(-32768, Math.min(32767, Math.round(v * 32768)));
    }
  }
}

/** Parse a WAV file. Throws WavError naming the problem. */
export function readWav(buf: Buffer): WavAudio {
  if (buf.length < 12) throw new WavError('too-short', `file of ${buf.length} bytes`);
  if (buf.toString('latin1', 0, 4) !== 'RIFF') {
    throw new WavError('not-riff', `starts with "${buf.toString('latin1', 0, 4)}", not "RIFF"`);
  }
  if (buf.toString('latin1', 8, 12) !== 'WAVE')
    throw new WavError('not-wave', 'RIFF form type is not WAVE');
  let fmt: Fmt | undefined;
  let data: Buffer | undefined;
  let truncated = false;
  let at = 12;
  while (at + 8 <= buf.length) {
    const id = buf.toString('latin1', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    const start = at + 8;
    const end = Math.min(buf.length, start + size);
    if (id === 'fmt ') fmt = parseFmt(buf.subarray(start, end));
    else if (id === 'data' && !data) {
      data = buf.subarray(start, end);
      truncated = start + size > buf.length;
    }
    at = start + size + (size & 1); // chunks are padded to even length
  }
  if (!fmt) throw new WavError('no-fmt-chunk', 'no "fmt " chunk');
  if (!data) throw new WavError('no-data-chunk', 'no "data" chunk');
  const encoding = encodingOf(fmt);
  const bytesPerSample = BYTES[encoding];
  const frameBytes = Math.max(fmt.blockAlign, bytesPerSample * fmt.channels);
  const frames = Math.floor(data.length / frameBytes);
  if (frames * frameBytes !== data.length) truncated = true;
  const channels = Array.from({ length: fmt.channels }, () => new Int16Array(frames));
  const decodeByte =
    encoding === 'ulaw'
      ? (b: number) => decodeUlaw(Uint8Array.of(b))[0]!
      : encoding === 'alaw'
        ? (b: number) => decodeAlaw(Uint8Array.of(b))[0]!
        : (b: number) => (b - 128) << 8; // 8-bit WAV PCM is unsigned, 128 = silence
  const table =
    bytesPerSample === 1 ? Int16Array.from({ length: 256 }, (_, b) => decodeByte(b)) : undefined;
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < fmt.channels; c++) {
      const off = f * frameBytes + c * bytesPerSample;
      channels[c]![f] = table ? table[data[off]!]! : wideSample(data, off, encoding);
    }
  }
  return { sampleRate: fmt.sampleRate, encoding, channels, truncated };
}

/** Average all channels into one. */
export function mixToMono(channels: Int16Array[]): Int16Array {
  if (channels.length === 1) return channels[0]!;
  const n = channels[0]?.length ?? 0;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const ch of channels) s += ch[i]!;
    out[i] = Math.round(s / channels.length);
  }
  return out;
}

export interface LoadWavOptions {
  sampleRate: 8000 | 16000 | 48000;
  resampler?: ResampleMethod;
}

/** Read a WAV as mono PCM at a media rate (a prompt to play into a call). */
export function readWavMono(
  buf: Buffer,
  opts: LoadWavOptions,
): { sampleRate: number; pcm: Int16Array; source: WavAudio } {
  const source = readWav(buf);
  const mono = mixToMono(source.channels);
  return {
    sampleRate: opts.sampleRate,
    pcm: resample(mono, source.sampleRate, opts.sampleRate, opts.resampler),
    source,
  };
}

/** 16-bit PCM WAV from one (mono) or two (stereo) channels of equal length. */
export function writeWav(channels: Int16Array[], sampleRate: number): Buffer {
  if (channels.length < 1 || channels.length > 2)
    throw new RangeError('writeWav takes 1 or 2 channels');
  const frames = channels[0]!.length;
  if (channels.some((c) => c.length !== frames)) throw new RangeError('channels differ in length');
  const n = channels.length;
  const dataBytes = frames * n * 2;
  const out = Buffer.alloc(44 + dataBytes);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVE', 8, 'latin1');
  out.write('fmt ', 12, 'latin1');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(FORMAT_PCM, 20);
  out.writeUInt16LE(n, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * n * 2, 28);
  out.writeUInt16LE(n * 2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(dataBytes, 40);
  let at = 44;
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < n; c++) {
      out.writeInt16LE(channels[c]![f]!, at);
      at += 2;
    }
  }
  return out;
}
