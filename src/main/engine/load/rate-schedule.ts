/**
 * When the k-th call of a load run starts. The rate climbs linearly from 0 to `rate` calls per
 * second over `rampSec`, then stays: calls started by time t are N(t) = rate·t²/(2·ramp) during
 * the ramp and rate·(t − ramp/2) after it, so call k starts where N(t) = k.
 */
export function startTimeOf(k: number, rate: number, rampSec: number): number {
  if (k <= 0) return 0;
  if (rampSec <= 0) return k / rate;
  const rampCalls = (rate * rampSec) / 2;
  if (k <= rampCalls) return Math.sqrt((2 * rampSec * k) / rate);
  return k / rate + rampSec / 2;
}

/** The rate (calls/s) aimed at, t seconds into the run. */
export function rateAt(t: number, rate: number, rampSec: number): number {
  if (rampSec <= 0 || t >= rampSec) return rate;
  return (rate * Math.max(0, t)) / rampSec;
}

/** A call duration: fixed seconds, or uniform between min and max ("30-90"). */
export interface DurationSpec {
  min: number;
  max: number;
}

export class DurationSpecError extends Error {
  override name = 'DurationSpecError';
}

/** "5", "2.5" or "30-90" (seconds). */
export function parseDurationSpec(text: string, limit = 86_400): DurationSpec {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?))?\s*$/.exec(text);
  if (!m) throw new DurationSpecError(`expected seconds (5) or a range (30-90), got "${text}"`);
  const min = Number(m[1]);
  const max = m[2] !== undefined ? Number(m[2]) : min;
  if (max < min) throw new DurationSpecError(`range "${text}": the maximum is below the minimum`);
  if (max > limit) throw new DurationSpecError(`"${text}": at most ${limit} s`);
  return { min, max };
}


/** Draw one duration (ms resolution) from the spec. */
export function drawDuration(spec: DurationSpec, random: () => number): number {
  if (spec.max === spec.min) return spec.min;
  return Math.round((spec.min + (spec.max - spec.min) * random()) * 1000) / 1000;
}
