/**
 * Sample-rate conversion for prompts and recordings (e.g. 44.1/48 kHz WAV → 8 kHz G.711).
 *  - 'linear': interpolation between neighbours; cheap, no anti-alias filter (use for
 *    upsampling or when speed matters).
 *  - 'sinc': windowed-sinc (Blackman window, 16 zero crossings each side) low-pass at 0.95 of
 *    the lower Nyquist frequency, so content above the new Nyquist is removed before decimation.
 */
export type ResampleMethod = 'linear' | 'sinc';

const ZERO_CROSSINGS = 16;
const CUTOFF = 0.95;

export function resample(
  pcm: Int16Array,
  fromRate: number,
  toRate: number,
  method: ResampleMethod = 'sinc',
): Int16Array {
  if (!(fromRate > 0) || !(toRate > 0))
    throw new RangeError(`bad sample rates ${fromRate} → ${toRate}`);
  if (fromRate === toRate) return pcm.slice();
  const outLen = Math.floor((pcm.length * toRate) / fromRate);
  const out = new Int16Array(outLen);
  const ratio = fromRate / toRate;
  if (method === 'linear') {
    for (let i = 0; i < outLen; i++) {
      const t = i * ratio;
      const k = Math.floor(t);
      const frac = t - k;
      const a = pcm[k] ?? 0;
      const b = pcm[k + 1] ?? a;
      out[i] = clamp(a + (b - a) * frac);
    }
    return out;
  }
  // Cutoff in cycles per input sample; the kernel widens when decimating.
  const fc = (0.5 * CUTOFF * Math.min(fromRate, toRate)) / fromRate;
  const half = ZERO_CROSSINGS / (2 * fc);
  for (let i = 0; i < outLen; i++) {
    const t = i * ratio;
    const lo = Math.max(0, Math.ceil(t - half));
    const hi = Math.min(pcm.length - 1, Math.floor(t + half));
    let acc = 0;
    let norm = 0;
    for (let k = lo; k <= hi; k++) {
      const x = k - t;
      const w = kernel(x, fc, half);
      acc += pcm[k]! * w;
      norm += w;
    }
    out[i] = norm === 0 ? 0 : clamp(acc / norm);
  }
  return out;
}

/** Blackman-windowed sinc low-pass at `fc` cycles/sample, support |x| < half. */
function kernel(x: number, fc: number, half: number): number {
  const arg = 2 * fc * x;
  const sinc = arg === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
  const n = (x + half) / (2 * half); // 0..1 across the window
  const w = 0.42 - 0.5 * Math.cos(2 * Math.PI * n) + 0.08 * Math.cos(4 * Math.PI * n);
  return sinc * w;
}

function clamp(v: number): number {
  const r = Math.round(v);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}
