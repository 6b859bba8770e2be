import { describe, expect, it } from 'vitest';
import { orderSrv } from '../../../../src/main/sip/dns/srv-order.ts';
import { seededRandom } from '../../../../src/shared/seeded-random.ts';
import type { SrvRecord } from '../../../../src/main/sip/dns/types.ts';

const srv = (name: string, priority: number, weight: number, port = 5060): SrvRecord => ({
  name,
  priority,
  weight,
  port,
});
const constant = (x: number) => () => x;

describe('orderSrv (RFC 2782)', () => {
  it('orders by priority, lowest first, regardless of weight', () => {
    const out = orderSrv([srv('c', 30, 100), srv('a', 10, 1), srv('b', 20, 50)], constant(0.5));
    expect(out.map((r) => r.name)).toEqual(['a', 'b', 'c']);
  });

  it('selects by running weight sum: r in [0, sum] picks the first RR whose running sum >= r', () => {
    // weights 10, 30, 60 → sum 100; pick = floor(random * 101)
    const rs = [srv('w10', 1, 10), srv('w30', 1, 30), srv('w60', 1, 60)];
    expect(orderSrv(rs, constant(0.05))[0]?.name).toBe('w10'); // pick 5 ≤ 10
    expect(orderSrv(rs, constant(0.2))[0]?.name).toBe('w30'); // pick 20 ≤ 40
    expect(orderSrv(rs, constant(0.99))[0]?.name).toBe('w60'); // pick 99 ≤ 100
  });

  it('puts weight-0 RRs first in the list so they win only when r = 0', () => {
    const rs = [srv('heavy', 1, 10), srv('zero', 1, 0)];
    expect(orderSrv(rs, constant(0)).map((r) => r.name)).toEqual(['zero', 'heavy']);
    expect(orderSrv(rs, constant(0.5)).map((r) => r.name)).toEqual(['heavy', 'zero']);
  });

  it('keeps DNS order when all weights are 0', () => {
    const rs = [srv('x', 1, 0), srv('y', 1, 0), srv('z', 1, 0)];
    expect(orderSrv(rs, constant(0.7)).map((r) => r.name)).toEqual(['x', 'y', 'z']);
  });

  it('drops "." targets (service decidedly not available)', () => {
    expect(orderSrv([srv('.', 0, 0), srv('', 0, 0), srv('a', 1, 1)]).map((r) => r.name)).toEqual([
      'a',
    ]);
  });

  it('is deterministic with a seeded random and follows the weights statistically', () => {
    const rs = [srv('ninety', 5, 90), srv('ten', 5, 10)];
    const a = orderSrv(rs, seededRandom(42)).map((r) => r.name);
    const b = orderSrv(rs, seededRandom(42)).map((r) => r.name);
    expect(a).toEqual(b);
    const rnd = seededRandom(7);
    let heavyFirst = 0;
    const runs = 4000;
    for (let i = 0; i < runs; i++) if (orderSrv(rs, rnd)[0]?.name === 'ninety') heavyFirst++;
    // Expected 91/101 ≈ 0.901 (pick in 0..100, "ninety" wins for picks ≤ 90).
    expect(heavyFirst / runs).toBeGreaterThan(0.87);
    expect(heavyFirst / runs).toBeLessThan(0.93);
  });

  it('returns every record exactly once', () => {
    const rs = [srv('a', 1, 5), srv('b', 1, 0), srv('c', 2, 3), srv('d', 1, 7)];
    const out = orderSrv(rs, seededRandom(1));
    expect(out).toHaveLength(4);
    expect(new Set(out.map((r) => r.name))).toEqual(new Set(['a', 'b', 'c', 'd']));
    expect(out[3]?.name).toBe('c');
  });
});
