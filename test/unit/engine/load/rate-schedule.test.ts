/** Load rate schedule: starts at the asked rate, the ramp's integral, call-duration ranges. */
import { describe, expect, it } from 'vitest';
import { drawDuration, parseDurationSpec, rateAt, startTimeOf } from '../../../../src/main/engine/load/rate-schedule.ts';
import { seededRandom } from '../../../../src/shared/seeded-random.ts';

describe('startTimeOf', () => {
  it('spaces calls 1/rate apart without a ramp, fractional rates included', () => {
    expect([0, 1, 2, 3].map((k) => startTimeOf(k, 10, 0))).toEqual([0, 0.1, 0.2, 0.3]);
    expect(startTimeOf(3, 0.5, 0)).toBe(6);
  });

  it('with a ramp: the calls started by t follow the ramp integral, then the full rate', () => {
    // rate 10 over 4 s: 20 calls during the ramp, the 20th at t = 4.
    expect(startTimeOf(20, 10, 4)).toBeCloseTo(4, 9);
    expect(startTimeOf(5, 10, 4)).toBeCloseTo(2, 9); // 10·t²/8 = 5 → t = 2
    expect(startTimeOf(30, 10, 4)).toBeCloseTo(5, 9);
    for (let k = 1; k < 60; k++) expect(startTimeOf(k, 10, 4)).toBeGreaterThan(startTimeOf(k - 1, 10, 4));
    expect(rateAt(1, 10, 4)).toBe(2.5);
    expect(rateAt(9, 10, 4)).toBe(10);
  });
});

describe('call-duration spec', () => {
  it('parses fixed seconds and ranges, refuses nonsense', () => {
    expect(parseDurationSpec('5')).toEqual({ min: 5, max: 5 });
    expect(parseDurationSpec('30-90')).toEqual({ min: 30, max: 90 });
    expect(() => parseDurationSpec('90-30')).toThrow(/below the minimum/);
    expect(() => parseDurationSpec('-3')).toThrow(/expected seconds/);
    expect(() => parseDurationSpec('abc')).toThrow(/expected seconds/);
  });

  it('draws within the range, the same sequence for the same seed', () => {
    const spec = { min: 30, max: 90 };
    const a = Array.from({ length: 50 }, ((r) => () => drawDuration(spec, r))(seededRandom(7)));
    const b = Array.from({ length: 50 }, ((r) => () => drawDuration(spec, r))(seededRandom(7)));
    const c = Array.from({ length: 50 }, ((r) => () => drawDuration(spec, r))(seededRandom(8)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const d of a) expect(d >= 30 && d <= 90).toBe(true);
    expect(new Set(a).size).toBeGreaterThan(40);
  });
});
