/** PCM helpers for the live-frame channel: resampling, 20 ms framing, 16-bit conversion, levels. */
import { base64ToBytes, bytesToBase64 } from '../../lib/download.ts';

export const FRAME_RATE = 16_000;
export const FRAME_MS = 20;

/** Streaming linear-interpolation resampler (keeps its phase across chunks). */
export class Resampler {
  private pos = 0;
  private last = 0;
  readonly from: number;
  readonly to: number;
  constructor(from: number, to: number) {
    this.from = from;
    this.to = to;
  }

  process(input: Float32Array): Float32Array {
    if (this.from === this.to) return input;
    const step = this.from / this.to;
    const out: number[] = [];
    // pos is measured in input samples, with -1 meaning the last sample of the previous chunk.
    while (this.pos < input.length - 1 + 1e-9) {
      const i = Math.floor(this.pos);
      const frac = this.pos - i;
      const a = i < 0 ? this.last : input[i]!;
      const b = input[i + 1] ?? a;
      out.push(a + (b - a) * frac);
      this.pos += step;
    }
    this.pos -= input.length;
    if (input.length) this.last = input[input.length - 1]!;
    return Float32Array.from(out);
  }
}

/** Collects samples and hands out fixed-size frames. */
export class Framer {
  private buf: Float32Array;
  private fill = 0;
  readonly size: number;
  constructor(size: number) {
    this.size = size;
    this.buf = new Float32Array(size);
  }

  push(samples: Float32Array, onFrame: (frame: Float32Array) => void): void {
    let off = 0;
    while (off < samples.length) {
      const n = Math.min(this.size - this.fill, samples.length - off);
      this.buf.set(samples.subarray(off, off + n), this.fill);
      this.fill += n;
      off += n;
      if (this.fill === this.size) {
        onFrame(this.buf.slice());
        this.fill = 0;
      }
    }
  }
}

export function floatToPcm16(f: Float32Array): Int16Array {
  const out = new Int16Array(f.length);
  for (let i = 0; i < f.length; i++) {
    const s = Math.max(-1, Math.min(1, f[i]!));
    out[i] = s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff);
  }
  return out;
}

export function pcm16ToFloat(p: Int16Array): Float32Array {
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = p[i]! / 0x8000;
  return out;
}

/** Little-endian 16-bit PCM ↔ base64 (the contract's `pcm` field). */
export function pcm16ToBase64(p: Int16Array): string {
  const bytes = new Uint8Array(p.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < p.length; i++) view.setInt16(i * 2, p[i]!, true);
  return bytesToBase64(bytes);
}

export function base64ToPcm16(b64: string): Int16Array {
  const bytes = base64ToBytes(b64);
  const n = Math.floor(bytes.length / 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, n * 2);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

/** RMS level in dBFS; −Infinity-safe (silence reads −100). */
export function rmsDb(f: Float32Array): number {
  if (f.length === 0) return -100;
  let sum = 0;
  for (let i = 0; i < f.length; i++) sum += f[i]! * f[i]!;
  const rms = Math.sqrt(sum / f.length);
  return rms > 1e-5 ? 20 * Math.log10(rms) : -100;
}
