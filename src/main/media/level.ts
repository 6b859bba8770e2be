/**
 * Signal levels in dBm0 for 16-bit linear PCM (ITU-T G.711 §§ Tables 5/6, G.100).
 *
 * A sine wave at 0 dBm0 has its peak 3.17 dB below the G.711 µ-law full-scale sine (the
 * "digital milliwatt" of G.711 Table 5 decodes to RMS ≈ 16 016, peak ≈ 22 650). We use the µ-law
 * convention for both laws (A-law's is 3.14 dB; the 0.03 dB difference is below our tolerance).
 */

/** Peak amplitude of a 0 dBm0 sine in 16-bit linear units. */
export const DBM0_PEAK = 32768 * 10 ** (-3.17 / 20);

/** Peak amplitude of a sine at `dbm0`. */
export function dbm0ToPeak(dbm0: number): number {
  return DBM0_PEAK * 10 ** (dbm0 / 20);
}

/** dBm0 of a sine with the given peak amplitude. */
export function peakToDbm0(peak: number): number {
  return 20 * Math.log10(peak / DBM0_PEAK);
}

/**
 * RMS level of a signal in dBm0 (a sine at L dBm0 measures L). `-Infinity` for silence.
 */
export function rmsDbm0(samples: ArrayLike<number>, start = 0, end = samples.length): number {
  if (end <= start) return -Infinity;
  let sum = 0;
  for (let i = start; i < end; i++) sum += samples[i]! * samples[i]!;
  const rms = Math.sqrt(sum / (end - start));
  return 20 * Math.log10((rms * Math.SQRT2) / DBM0_PEAK);
}
