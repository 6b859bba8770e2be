/**
 * ITU-T G.722 (SB-ADPCM) constants: quantizer decision levels, inverse-quantizer outputs, scale
 * factor adaptation tables and the QMF coefficients. Values are the standard's tables (numbers,
 * not code); the comments name the table each comes from.
 */

/** QMF coefficients h0..h23 (transmit and receive QMF), scaled by 2^13; symmetric (h[i] = h[23-i]). */
export const QMF_H: readonly number[] = [
  3, -11, -11, 53, 12, -156, 32, 362, -210, -805, 951, 3876, 3876, 951, -805, -210, 362, 32, -156,
  12, 53, -11, -11, 3,
];

/**
 * Lower sub-band 6-bit quantizer: decision levels q6(mil), mil = 0..30, normalised by 2^12
 * (block 1L, QUANTL). Level 30 is a sentinel; the search stops at 29.
 */
export const Q6: readonly number[] = [
  0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023,
  1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919,
];

/** 6-bit codes for interval mil of a negative (ILN) and positive (ILP) difference (QUANTL). */
export const ILN: readonly number[] = [
  0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10,
  9, 8, 7, 6, 5, 4,
];
export const ILP: readonly number[] = [
  0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38,
  37, 36, 35, 34, 33, 32,
];

/** 4-bit inverse quantizer outputs QQ4 scaled by 2^15, indexed by the 4-bit code (block 2L, INVQAL). */
export const QM4: readonly number[] = [
  0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200,
  0,
];

/** 6-bit inverse quantizer (64 kbit/s mode) outputs, by the 6-bit code (block 5L, INVQBL). */
export const QM6: readonly number[] = [
  -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232,
  -9360, -8576, -7856, -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776, -2400,
  -2032, -1688, -1360, -1040, -728, 24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232,
  9360, 8576, 7856, 7192, 6576, 6000, 5456, 4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688,
  1360, 1040, 728, 432, 136, -432, -136,
];

/** 4-bit code → magnitude index for the lower-band log scale factor (RIL → IL4, block 3L LOGSCL). */
export const RL42: readonly number[] = [0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0];
/** Lower-band log scale factor multipliers W_L (LOGSCL). */
export const WL: readonly number[] = [-60, -30, 58, 172, 334, 538, 1198, 3042];

/** Higher sub-band: 2-bit codes of a negative/positive difference (block 1H QUANTH), inverse quantizer
 * outputs (block 2H INVQAH). */
export const IHN: readonly number[] = [0, 1, 0];
export const IHP: readonly number[] = [0, 3, 2];
export const QM2: readonly number[] = [-7408, -1616, 7408, 1616];
/** Higher-band code → magnitude index and log scale factor multipliers W_H (block 3H LOGSCH). */
export const RH2: readonly number[] = [2, 1, 2, 1];
export const WH: readonly number[] = [0, -214, 798];
/** Decision level of the 2-bit quantizer (QUANTH), normalised by 2^12. */
export const Q2 = 564;

/** Inverse log-base-2 table ILB (blocks 3L SCALEL / 3H SCALEH): 2^(i/32) scaled by 2^11, i = 0..31. */
export const ILB: readonly number[] = [
  2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
  2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
];
