import { describe, expect, it } from 'vitest';
import { TargetIterator } from '../../../../src/main/sip/dns/target-iterator.ts';
import type { SipTarget } from '../../../../src/main/sip/dns/types.ts';

const t = (address: string): SipTarget => ({
  proto: 'udp',
  address,
  port: 5060,
  host: address,
  family: 4,
  source: 'literal',
});

describe('TargetIterator (RFC 3263 §4.3)', () => {
  it('fails over on timeout, transport error and 503 only', () => {
    expect(TargetIterator.shouldFailover('timeout')).toBe(true);
    expect(TargetIterator.shouldFailover('transport-error')).toBe(true);
    expect(TargetIterator.shouldFailover(503)).toBe(true);
    for (const s of [200, 401, 403, 404, 480, 500, 502, 504, 603])
      expect(TargetIterator.shouldFailover(s)).toBe(false);
  });

  it('walks the list and records the outcomes', () => {
    const it = new TargetIterator([t('192.0.2.1'), t('192.0.2.2'), t('192.0.2.3')]);
    expect(it.current()?.address).toBe('192.0.2.1');
    expect(it.report('timeout')?.address).toBe('192.0.2.2');
    expect(it.report(503)?.address).toBe('192.0.2.3');
    expect(it.remaining()).toBe(1);
    expect(it.report(200)).toBeUndefined();
    expect(it.current()?.address).toBe('192.0.2.3'); // stays on the target that answered
    expect(it.history().map((h) => h.outcome)).toEqual(['timeout', 503, 200]);
  });

  it('ends after the last target', () => {
    const it = new TargetIterator([t('192.0.2.1')]);
    expect(it.report('transport-error')).toBeUndefined();
    expect(it.current()).toBeUndefined();
    expect(it.remaining()).toBe(0);
    expect(it.advance()).toBeUndefined();
  });
});
