import { describe, expect, it } from 'vitest';
import {
  decodeTelephoneEvent,
  encodeTelephoneEvent,
  planDtmfPackets,
} from '../../../../src/main/media/dtmf/rfc4733.ts';
import { digitToEvent, eventToDigit } from '../../../../src/main/media/dtmf/digits.ts';

describe('telephone-event payload (RFC 4733 §2.3)', () => {
  it('encodes the PROTOCOL-NOTES vectors', () => {
    expect(
      encodeTelephoneEvent({ event: 5, end: false, volume: 10, duration: 160 }).toString('hex'),
    ).toBe('050a00a0');
    expect(
      encodeTelephoneEvent({ event: 11, end: true, volume: 10, duration: 800 }).toString('hex'),
    ).toBe('0b8a0320');
  });

  it('decodes, ignoring the R bit, and rejects short payloads', () => {
    expect(decodeTelephoneEvent(Buffer.from('0bca0320', 'hex'))).toEqual({
      ok: true,
      value: { event: 11, end: true, volume: 10, duration: 800 },
    });
    const r = decodeTelephoneEvent(Buffer.from('0b8a03', 'hex'));
    expect(r.ok ? 'ok' : r.reason).toBe('too-short');
  });

  it('refuses out-of-range fields', () => {
    expect(() => encodeTelephoneEvent({ event: 1, end: false, volume: 64, duration: 0 })).toThrow(
      RangeError,
    );
    expect(() =>
      encodeTelephoneEvent({ event: 1, end: false, volume: 0, duration: 0x10000 }),
    ).toThrow(RangeError);
  });

  it('maps digits to event codes (§3.2)', () => {
    expect(['0', '9', '*', '#', 'A', 'd'].map(digitToEvent)).toEqual([0, 9, 10, 11, 12, 15]);
    expect(digitToEvent('x')).toBeUndefined();
    expect(eventToDigit(16)).toBeUndefined();
  });
});

describe('planDtmfPackets (RFC 4733 §2.5.1)', () => {
  it('plans a 100 ms "5" at 20 ms exactly as PROTOCOL-NOTES §8', () => {
    const plan = planDtmfPackets({ digit: '5', durationMs: 100 });
    expect(plan.map((p) => encodeTelephoneEvent(p.payload).toString('hex'))).toEqual([
      '050a00a0',
      '050a0140',
      '050a01e0',
      '050a0280',
      '058a0320',
      '058a0320',
      '058a0320',
    ]);
    expect(plan.map((p) => p.marker)).toEqual([true, false, false, false, false, false, false]);
    expect(plan.every((p) => p.timestampOffset === 0)).toBe(true);
    expect(plan.map((p) => p.atMs)).toEqual([20, 40, 60, 80, 100, 120, 140]);
  });

  it('follows ptime and clock rate (30 ms at 48 kHz)', () => {
    const plan = planDtmfPackets({
      digit: '#',
      durationMs: 90,
      ptimeMs: 30,
      clockRate: 48000,
      volume: 7,
    });
    expect(plan.map((p) => [p.payload.duration, p.payload.end])).toEqual([
      [1440, false],
      [2880, false],
      [4320, true],
      [4320, true],
      [4320, true],
    ]);
    expect(plan[0]!.payload).toMatchObject({ event: 11, volume: 7 });
  });

  it('sends only end packets, the first marked, for a digit shorter than one ptime', () => {
    const plan = planDtmfPackets({ digit: '1', durationMs: 10, endRepeats: 3 });
    expect(plan.map((p) => [p.marker, p.payload.end, p.payload.duration])).toEqual([
      [true, true, 80],
      [false, true, 80],
      [false, true, 80],
    ]);
  });

  it('splits events longer than 0xFFFF units into segments (§2.5.1.3)', () => {
    const plan = planDtmfPackets({ digit: '0', durationMs: 10_000 }); // 80 000 units
    const offsets = [...new Set(plan.map((p) => p.timestampOffset))];
    expect(offsets).toEqual([0, 0xffff]);
    expect(Math.max(...plan.map((p) => p.payload.duration))).toBe(0xffff);
    const ends = plan.filter((p) => p.payload.end);
    expect(ends).toHaveLength(3);
    expect(ends[0]!.payload.duration + ends[0]!.timestampOffset).toBe(80_000);
    expect(plan.filter((p) => p.marker)).toHaveLength(1);
    // Durations within a segment never decrease.
    for (let i = 1; i < plan.length; i++) {
      if (plan[i]!.timestampOffset === plan[i - 1]!.timestampOffset) {
        expect(plan[i]!.payload.duration).toBeGreaterThanOrEqual(plan[i - 1]!.payload.duration);
      }
    }
  });

  it('rejects non-digits and non-positive durations', () => {
    expect(() => planDtmfPackets({ digit: 'x' as '1', durationMs: 100 })).toThrow(RangeError);
    expect(() => planDtmfPackets({ digit: '1', durationMs: 0 })).toThrow(RangeError);
  });
});
