/**
 * One G.722 sub-band's ADPCM state and the parts shared by encoder and decoder (ITU-T G.722
 * §3.5–3.6 and §4): the log scale factor adaptation (LOGSCL/SCALEL for the lower band,
 * LOGSCH/SCALEH for the higher band) and block 4, the adaptive pole-zero predictor (RECONS,
 * PARREC, UPPOL2, UPPOL1, UPZERO, DELAYA, FILTEP, FILTEZ, PREDIC), in the standard's 16-bit
 * fixed-point arithmetic so the bitstream interoperates with other implementations.
 */
import { ILB, RH2, RL42, WH, WL } from './g722-tables.ts';

/** Saturate to a signed 16-bit word (the standard's LIMIT on every intermediate). */
export function sat16(v: number): number {
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

/** Clamp a reconstructed sub-band signal to the 15-bit range (blocks 6L/6H, LIMIT). */
export function limit15(v: number): number {
  return v > 16383 ? 16383 : v < -16384 ? -16384 : v;
}

/** Sign of a 16-bit word the way the standard tests it: -1 for negative, 0 otherwise. */
function sgn(v: number): number {
  return v < 0 ? -1 : 0;
}

export class G722Band {
  /** Quantizer scale factor (DETL / DETH). */
  det: number;
  /** Log scale factor (NBL / NBH). */
  private nb = 0;
  /** Signal estimate S = SP + SZ, the prediction of the next sub-band sample. */
  s = 0;
  private sp = 0;
  private sz = 0;
  /** Quantized differences d(n-k), k = 0..6, and partial reconstructions p(n-k), k = 0..2. */
  private readonly d = new Int32Array(7);
  private readonly p = new Int32Array(3);
  /** Reconstructed signal r(n-k), k = 0..2. */
  private readonly r = new Int32Array(3);
  /** Pole (a1, a2) and zero (b1..b6) predictor coefficients; index 0 unused. */
  private readonly a = new Int32Array(3);
  private readonly b = new Int32Array(7);
  private readonly bp = new Int32Array(7);
  private readonly isLower: boolean;

  constructor(band: 'lower' | 'higher') {
    this.isLower = band === 'lower';
    // Reset state (§3.7): DETL = 32, DETH = 8, everything else 0.
    this.det = this.isLower ? 32 : 8;
  }

  /** Blocks 3L/3H: adapt the log scale factor from the transmitted code, then DET from it. */
  adaptScale(code: number): void {
    let nb: number;
    let wd2: number;
    if (this.isLower) {
      // LOGSCL: NBL = NBL·127/128 + WL[RL42[code4]], limited to [0, 18432].
      nb = ((this.nb * 127) >> 7) + WL[RL42[code]!]!;
      nb = nb < 0 ? 0 : nb > 18432 ? 18432 : nb;
      wd2 = 8 - (nb >> 11);
    } else {
      // LOGSCH: NBH = NBH·127/128 + WH[RH2[code2]], limited to [0, 22528].
      nb = ((this.nb * 127) >> 7) + WH[RH2[code]!]!;
      nb = nb < 0 ? 0 : nb > 22528 ? 22528 : nb;
      wd2 = 10 - (nb >> 11);
    }
    this.nb = nb;
    // SCALEL / SCALEH: DET = 2^(NB/2048) via the ILB table, then ×4.
    const mant = ILB[(nb >> 6) & 31]!;
    const wd3 = wd2 < 0 ? mant << -wd2 : mant >> wd2;
    this.det = wd3 << 2;
  }

  /** Block 4: update the predictor with the quantized difference `dq` and compute the next S. */
  predict(dq: number): void {
    const { d, p, r, a, b, bp } = this;
    // RECONS and PARREC.
    d[0] = dq;
    r[0] = sat16(this.s + dq);
    p[0] = sat16(this.sz + dq);
    // UPPOL2: second pole coefficient.
    const sg0 = sgn(p[0]);
    const sg1 = sgn(p[1]!);
    const sg2 = sgn(p[2]!);
    const wa1 = sat16(a[1]! << 2);
    let wa2 = sg0 === sg1 ? -wa1 : wa1;
    if (wa2 > 32767) wa2 = 32767;
    let apl2 = (wa2 >> 7) + (sg0 === sg2 ? 128 : -128) + ((a[2]! * 32512) >> 15);
    apl2 = apl2 > 12288 ? 12288 : apl2 < -12288 ? -12288 : apl2;
    // UPPOL1: first pole coefficient, limited by 1 - 2^-4 - a2 for stability.
    let apl1 = sat16((sg0 === sg1 ? 192 : -192) + ((a[1]! * 32640) >> 15));
    const lim = sat16(15360 - apl2);
    apl1 = apl1 > lim ? lim : apl1 < -lim ? -lim : apl1;
    // UPZERO: sign-sign update of the six zero coefficients.
    const step = dq === 0 ? 0 : 128;
    const sgd = sgn(dq);
    for (let i = 1; i < 7; i++) {
      const wd = sgn(d[i]!) === sgd ? step : -step;
      bp[i] = sat16(wd + ((b[i]! * 32640) >> 15));
    }
    // DELAYA: shift the delay lines, take the new coefficients.
    for (let i = 6; i > 0; i--) {
      d[i] = d[i - 1]!;
      b[i] = bp[i]!;
    }
    r[2] = r[1]!;
    r[1] = r[0]!;
    p[2] = p[1]!;
    p[1] = p[0]!;
    a[1] = apl1;
    a[2] = apl2;
    // FILTEP: pole section.
    const wp1 = (a[1] * sat16(r[1] + r[1])) >> 15;
    const wp2 = (a[2] * sat16(r[2] + r[2])) >> 15;
    this.sp = sat16(wp1 + wp2);
    // FILTEZ: zero section.
    let sz = 0;
    for (let i = 6; i > 0; i--) sz += (b[i]! * sat16(d[i]! + d[i]!)) >> 15;
    this.sz = sat16(sz);
    // PREDIC.
    this.s = sat16(this.sp + this.sz);
  }
}
