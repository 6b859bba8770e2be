import { describe, expect, it } from 'vitest';
import {
  DtmfEventReceiver,
  type EventPacketIn,
} from '../../../../src/main/media/dtmf/rfc4733-receiver.ts';
import { encodeTelephoneEvent, planDtmfPackets } from '../../../../src/main/media/dtmf/rfc4733.ts';
import type { DtmfDigit } from '../../../../src/main/media/dtmf/digits.ts';

function packetsFor(
  digit: DtmfDigit,
  timestamp: number,
  startMs: number,
  durationMs = 100,
): EventPacketIn[] {
  return planDtmfPackets({ digit, durationMs }).map((p) => ({
    ssrc: 0x1234,
    timestamp: timestamp + p.timestampOffset,
    marker: p.marker,
    payload: encodeTelephoneEvent(p.payload),
    arrivalMs: startMs + p.atMs,
  }));
}

function run(rx: DtmfEventReceiver, pkts: EventPacketIn[]) {
  return pkts.flatMap((p) => rx.push(p));
}

describe('DtmfEventReceiver', () => {
  it('reports each digit once and its end once, despite three end packets', () => {
    const rx = new DtmfEventReceiver();
    const events = run(rx, [...packetsFor('1', 1000, 0), ...packetsFor('2', 3000, 300)]);
    expect(events.map((e) => `${e.type}:${e.digit}`)).toEqual([
      'digit:1',
      'end:1',
      'digit:2',
      'end:2',
    ]);
    const end = events[1]!;
    expect(end.type === 'end' && [end.duration, end.durationMs, end.endSeen]).toEqual([
      800,
      100,
      true,
    ]);
    expect(rx.counters.duplicates).toBe(4);
  });

  it('still reports the digit when the first (marker) packet is lost', () => {
    const rx = new DtmfEventReceiver();
    const events = run(rx, packetsFor('7', 500, 0).slice(1));
    expect(events.map((e) => `${e.type}:${e.digit}`)).toEqual(['digit:7', 'end:7']);
  });

  it('reports a digit whose only surviving packet is an end packet', () => {
    const rx = new DtmfEventReceiver();
    const events = run(rx, packetsFor('9', 500, 0).slice(-1));
    expect(events.map((e) => e.type)).toEqual(['digit', 'end']);
  });

  it('ends an event whose end packets were lost when the next digit starts', () => {
    const rx = new DtmfEventReceiver();
    const first = packetsFor('3', 100, 0).filter((p) => !(p.payload[1]! & 0x80));
    const events = run(rx, [...first, ...packetsFor('3', 2000, 200)]);
    expect(events.map((e) => `${e.type}:${e.digit}`)).toEqual([
      'digit:3',
      'end:3',
      'digit:3',
      'end:3',
    ]);
    expect(events[1]!.type === 'end' && events[1]!.endSeen).toBe(false);
    expect(events[1]!.type === 'end' && events[1]!.duration).toBe(640);
  });

  it('ends a lone event by timeout in poll()', () => {
    const rx = new DtmfEventReceiver({ endTimeoutMs: 300 });
    const first = packetsFor('#', 100, 0).filter((p) => !(p.payload[1]! & 0x80));
    run(rx, first);
    expect(rx.poll(300)).toEqual([]);
    const ended = rx.poll(400);
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ type: 'end', digit: '#', endSeen: false });
    expect(rx.poll(1000)).toEqual([]);
  });

  it('does not re-report a finished event when a reordered update arrives late', () => {
    const rx = new DtmfEventReceiver();
    const pkts = packetsFor('4', 100, 0);
    const late = pkts[1]!;
    const events = run(rx, [pkts[0]!, ...pkts.slice(2), late]);
    expect(events.filter((e) => e.type === 'digit')).toHaveLength(1);
  });

  it('ignores flash, zero-duration end-only events and malformed payloads', () => {
    const rx = new DtmfEventReceiver();
    const base = { ssrc: 1, marker: true, arrivalMs: 0 };
    expect(
      rx.push({
        ...base,
        timestamp: 1,
        payload: encodeTelephoneEvent({ event: 16, end: false, volume: 10, duration: 160 }),
      }),
    ).toEqual([]);
    expect(
      rx.push({
        ...base,
        timestamp: 2,
        payload: encodeTelephoneEvent({ event: 1, end: true, volume: 10, duration: 0 }),
      }),
    ).toEqual([]);
    expect(rx.push({ ...base, timestamp: 3, payload: Buffer.from([1, 2]) })).toEqual([]);
    expect(rx.counters).toMatchObject({ ignored: 2, malformed: 1 });
  });

  it('keeps events of different SSRCs with the same timestamp apart', () => {
    const rx = new DtmfEventReceiver();
    const a = packetsFor('1', 100, 0);
    const b = packetsFor('2', 100, 0).map((p) => ({ ...p, ssrc: 0x9999 }));
    const events = run(rx, [...a, ...b]);
    expect(events.filter((e) => e.type === 'digit').map((e) => e.digit)).toEqual(['1', '2']);
  });
});
