import { describe, expect, it } from 'vitest';
import { resolveTimers } from '../../../../src/main/sip/transaction/timers.ts';
import { generateBranch, isRfc3261Branch } from '../../../../src/main/sip/transaction/branch.ts';

describe('transaction timers (RFC 3261 Table 4, RFC 6026 §8.11)', () => {
  it('defaults: T1 500 ms, T2 4 s, T4 5 s and the derived timers over UDP', () => {
    expect(resolveTimers()).toEqual({
      T1: 500,
      T2: 4000,
      T4: 5000,
      A: 500,
      B: 32_000,
      D: 32_000,
      E: 500,
      F: 32_000,
      G: 500,
      H: 32_000,
      I: 5000,
      J: 32_000,
      K: 5000,
      L: 32_000,
      M: 32_000,
      trying: 200,
    });
  });

  it('reliable transports zero D, I, J and K only', () => {
    const t = resolveTimers({}, true);
    expect([t.D, t.I, t.J, t.K]).toEqual([0, 0, 0, 0]);
    expect([t.B, t.F, t.H, t.L, t.M]).toEqual([32_000, 32_000, 32_000, 32_000, 32_000]);
  });

  it('derives from configured T1/T2/T4; D never drops below 32 s unless set', () => {
    const t = resolveTimers({ T1: 100, T2: 1000, T4: 2000 });
    expect([t.A, t.B, t.E, t.F, t.G, t.H, t.J, t.L, t.M]).toEqual([
      100, 6400, 100, 6400, 100, 6400, 6400, 6400, 6400,
    ]);
    expect([t.I, t.K, t.T2, t.D]).toEqual([2000, 2000, 1000, 32_000]);
    expect(resolveTimers({ T1: 1000 }).D).toBe(64_000);
    expect(resolveTimers({ D: 5 }).D).toBe(5);
  });

  it('rejects bad values with an error naming the field', () => {
    expect(() => resolveTimers({ T1: 0 })).toThrow(/timers\.T1/);
    expect(() => resolveTimers({ T4: Number.NaN })).toThrow(/timers\.T4/);
    expect(() => resolveTimers({ T1: 5000, T2: 4000 })).toThrow(/timers\.T2/);
    expect(() => resolveTimers({ D: -1 })).toThrow(/timers\.D/);
  });
});

describe('branch (RFC 3261 §8.1.1.7)', () => {
  it('starts with the magic cookie and is unique', () => {
    const all = new Set(Array.from({ length: 1000 }, generateBranch));
    expect(all.size).toBe(1000);
    for (const b of all) expect(b).toMatch(/^z9hG4bK[0-9a-f]{20}$/);
    expect(isRfc3261Branch('z9hG4bK')).toBe(false);
    expect(isRfc3261Branch('Z9HG4BKabc')).toBe(false);
    expect(isRfc3261Branch(undefined)).toBe(false);
    expect(isRfc3261Branch('z9hG4bKabc')).toBe(true);
  });
});
