/**
 * G.722 quadrature mirror filters (ITU-T G.722 §3.2 transmit QMF, §4.4 receive QMF): a 24-tap
 * filter pair that splits 16 kHz audio into a lower (0–4 kHz) and a higher (4–8 kHz) sub-band at
 * 8 kHz each, and joins them back.
 */
import { QMF_H } from './g722-tables.ts';

const TAPS = 24;

/** Σ h(2i)·x(j−2i) and Σ h(2i+1)·x(j−2i−1) over a 24-sample line whose newest sample is last. */
function filterPair(x: Int32Array): [number, number] {
  let even = 0;
  let odd = 0;
  for (let k = 0; k < TAPS; k += 2) {
    // x[TAPS-1-k] is x(j−k); the filter is symmetric so h(k) = h(23−k).
    even += x[TAPS - 1 - k]! * QMF_H[k]!;
    odd += x[TAPS - 2 - k]! * QMF_H[k + 1]!;
  }
  return [even, odd];
}

/** Transmit QMF: two 16 kHz samples in, one lower and one higher sub-band sample out. */
export class QmfAnalysis {
  private readonly x = new Int32Array(TAPS);

  split(first: number, second: number): [xl: number, xh: number] {
    this.x.copyWithin(0, 2);
    this.x[TAPS - 2] = first;
    this.x[TAPS - 1] = second;
    const [xa, xb] = filterPair(this.x);
    // Coefficients carry 2^13 and the sum doubles: >> 14 returns to the 16-bit input scale.
    return [(xa + xb) >> 14, (xa - xb) >> 14];
  }
}

/** Receive QMF: one reconstructed lower and higher sub-band sample in, two 16 kHz samples out. */
export class QmfSynthesis {
  private readonly x = new Int32Array(TAPS);

  join(rl: number, rh: number): [first: number, second: number] {
    this.x.copyWithin(0, 2);
    this.x[TAPS - 2] = rl + rh;
    this.x[TAPS - 1] = rl - rh;
    const [xa, xb] = filterPair(this.x);
    return [clamp16(xa >> 11), clamp16(xb >> 11)];
  }
}

function clamp16(v: number): number {
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}
