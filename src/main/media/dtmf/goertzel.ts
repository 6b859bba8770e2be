/**
 * Goertzel single-bin DFT (G. Goertzel, 1958): the squared magnitude of the DFT of a block at one
 * frequency, which need not be an integer bin. Used for DTMF (Q.24) detection and level checks.
 */

/** |X(f)|² of `samples[start .. start+length)`. A sine of amplitude A at f gives ≈ (A·N/2)². */
export function goertzelPower(
  samples: ArrayLike<number>,
  start: number,
  length: number,
  frequency: number,
  sampleRate: number,
): number {
  return goertzelPowerWith(samples, start, length, goertzelCoeff(frequency, sampleRate));
}

/** The Goertzel recurrence coefficient 2·cos(2πf/fs), to compute once per frequency. */
export function goertzelCoeff(frequency: number, sampleRate: number): number {
  return 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
}

/** `goertzelPower` with a precomputed coefficient (`goertzelCoeff`). */
export function goertzelPowerWith(
  samples: ArrayLike<number>,
  start: number,
  length: number,
  coeff: number,
): number {
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < start + length; i++) {
    const s0 = samples[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/** Amplitude estimate of a sine at `frequency` from its Goertzel power over `length` samples. */
export function goertzelAmplitude(power: number, length: number): number {
  return (2 * Math.sqrt(Math.max(0, power))) / length;
}

/**
 * Upper bound of the amplitude a sine at `source` Hz of amplitude 1 shows in a Goertzel bin at
 * `bin` Hz over `length` samples (rectangular window): |K(f−g)| + |K(f+g)| with the Dirichlet
 * kernel K(Δ) = sin(πΔN/fs) / (N·sin(πΔ/fs)), K(0) = 1.
 */
export function leakageBound(
  source: number,
  bin: number,
  length: number,
  sampleRate: number,
): number {
  const k = (delta: number) => {
    const x = (Math.PI * delta) / sampleRate;
    const den = length * Math.sin(x);
    return Math.abs(den) < 1e-12 ? 1 : Math.abs(Math.sin(x * length) / den);
  };
  return k(source - bin) + k(source + bin);
}
