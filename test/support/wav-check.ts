/**
 * Read back WAV files the product wrote (recordings), independently of src/main/media/wav.ts:
 * RIFF/WAVE with a PCM fmt chunk (16-bit) and a data chunk, de-interleaved per channel, plus
 * the two measures the tests need: RMS level and a zero-crossing frequency estimate.
 */
import { readFileSync } from 'node:fs';

export interface WavData {
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** One array per channel (16-bit PCM only; empty arrays for other sample formats). */
  samples: Int16Array[];
}

export function readWav(file: string): WavData {
  const buf = readFileSync(file);
  if (
    buf.length < 12 ||
    buf.toString('ascii', 0, 4) !== 'RIFF' ||
    buf.toString('ascii', 8, 12) !== 'WAVE'
  ) {
    throw new Error(`${file}: not a RIFF/WAVE file (${buf.length} bytes)`);
  }
  let fmt: Omit<WavData, 'samples'> | undefined;
  let data: Buffer | undefined;
  for (let at = 12; at + 8 <= buf.length;) {
    const id = buf.toString('ascii', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    const body = buf.subarray(at + 8, Math.min(buf.length, at + 8 + size));
    if (id === 'fmt ') {
      fmt = {
        format: body.readUInt16LE(0),
        channels: body.readUInt16LE(2),
        sampleRate: body.readUInt32LE(4),
        bitsPerSample: body.readUInt16LE(14),
      };
    } else if (id === 'data') {
      data = body;
    }
    at += 8 + size + (size % 2);
  }
  if (!fmt || !data) throw new Error(`${file}: missing ${fmt ? 'data' : 'fmt '} chunk`);
  const samples: Int16Array[] = [];
  if (fmt.bitsPerSample === 16 && (fmt.format === 1 || fmt.format === 0xfffe)) {
    const frames = Math.floor(data.length / (2 * fmt.channels));
    for (let ch = 0; ch < fmt.channels; ch++) {
      const out = new Int16Array(frames);
      for (let i = 0; i < frames; i++) out[i] = data.readInt16LE((i * fmt.channels + ch) * 2);
      samples.push(out);
    }
  } else {
    for (let ch = 0; ch < fmt.channels; ch++) samples.push(new Int16Array(0));
  }
  return { ...fmt, samples };
}

/** RMS in dBFS (full scale 32768); -Infinity for digital silence. */
export function rmsDbfs(x: Int16Array): number {
  if (x.length === 0) return -Infinity;
  let sum = 0;
  for (const v of x) sum += v * v;
  const rms = Math.sqrt(sum / x.length);
  return rms === 0 ? -Infinity : 20 * Math.log10(rms / 32768);
}

/** The loudest `ms` window of `x` (by RMS), to measure a tone that fills only part of a recording. */
export function loudestWindow(x: Int16Array, sampleRate: number, ms = 200): Int16Array {
  const n = Math.round((sampleRate * ms) / 1000);
  if (x.length <= n) return x;
  let best = 0;
  let bestAt = 0;
  for (let at = 0; at + n <= x.length; at += Math.max(1, n >> 2)) {
    let s = 0;
    for (let i = at; i < at + n; i++) s += x[i]! * x[i]!;
    if (s > best) {
      best = s;
      bestAt = at;
    }
  }
  return x.subarray(bestAt, bestAt + n);
}

/** Frequency of a pure tone from its zero crossings (rising and falling) per second. */
export function zeroCrossingHz(x: Int16Array, sampleRate: number): number {
  let crossings = 0;
  for (let i = 1; i < x.length; i++) if (x[i - 1]! < 0 !== x[i]! < 0) crossings++;
  return (crossings / 2) * (sampleRate / x.length);
}

/**
 * The strongest frequency between `lo` and `hi` Hz (DFT scan in 5 Hz steps). Unlike zero
 * crossings, gaps of silence (a starved audio path fills them in) do not move the peak.
 */
export function dominantHz(x: Int16Array, sampleRate: number, lo = 300, hi = 3400): number {
  let best = lo;
  let bestPower = -1;
  for (let f = lo; f <= hi; f += 5) {
    const w = (2 * Math.PI * f) / sampleRate;
    let re = 0;
    let im = 0;
    for (let i = 0; i < x.length; i++) {
      re += x[i]! * Math.cos(w * i);
      im -= x[i]! * Math.sin(w * i);
    }
    const p = re * re + im * im;
    if (p > bestPower) {
      bestPower = p;
      best = f;
    }
  }
  return best;
}
