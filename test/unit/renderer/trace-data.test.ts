// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { TraceEntry } from '../../../src/shared/api/contract.ts';
import {
  TraceData,
  emptyFilter,
  parseStatusFilter,
} from '../../../src/renderer/src/features/trace/trace-data.ts';
import { createAppStore } from '../../../src/renderer/src/app/store.ts';
import { entry } from './fixtures.ts';

const f = (over: Partial<typeof emptyFilter>) => ({ ...emptyFilter, ...over });
const ids = (t: TraceData, idx: number[]) => idx.map((i) => t.entries[i]!.id);

function dialog(t: TraceData): void {
  t.append([
    entry(1, { method: 'INVITE' }),
    entry(2, { status: 100, dir: 'in' }),
    entry(3, { status: 180, dir: 'in' }),
    entry(4, { status: 200, dir: 'in' }),
    entry(5, { method: 'ACK' }),
    entry(6, {
      method: 'OPTIONS',
      callId: 'other',
      raw: 'OPTIONS sip:x SIP/2.0\r\nUser-Agent: FancyPBX\r\n\r\n',
    }),
    entry(7, { status: 486, dir: 'in', callId: 'other', method: 'OPTIONS' }),
  ]);
}

describe('TraceData', () => {
  it('keeps arrival order and ignores duplicate ids', () => {
    const t = new TraceData();
    expect(t.append([entry(2), entry(1), entry(2)])).toBe(2);
    expect(t.entries.map((e) => e.id)).toEqual([2, 1]);
    expect(t.get(1)?.id).toBe(1);
    expect(t.append([{ nonsense: true } as unknown as TraceEntry])).toBe(0);
  });

  it('filters by Call-ID, method (responses by their CSeq method), status class or code, and text', () => {
    const t = new TraceData();
    dialog(t);
    expect(ids(t, t.filter(f({ callId: 'other' })))).toEqual([6, 7]);
    expect(ids(t, t.filter(f({ method: 'invite' })))).toEqual([1, 2, 3, 4]);
    expect(ids(t, t.filter(f({ status: '1xx' })))).toEqual([2, 3]);
    expect(ids(t, t.filter(f({ status: '486' })))).toEqual([7]);
    expect(ids(t, t.filter(f({ text: 'fancypbx' })))).toEqual([6]);
    expect(ids(t, t.filter(f({ callId: 'call-1', status: '2xx' })))).toEqual([4]);
    expect(t.filter(f({ callId: 'nope' }))).toEqual([]);
    expect(t.filter(emptyFilter)).toHaveLength(7);
  });

  it('extends a cached filter result with entries that arrive later', () => {
    const t = new TraceData();
    dialog(t);
    expect(ids(t, t.filter(f({ method: 'ACK' })))).toEqual([5]);
    t.append([entry(8, { method: 'BYE' }), entry(9, { method: 'ACK', id: 9 })]);
    expect(ids(t, t.filter(f({ method: 'ACK' })))).toEqual([5, 9]);
  });

  it('parses status filters', () => {
    expect(parseStatusFilter('4xx')).toEqual({ min: 400, max: 499 });
    expect(parseStatusFilter('603')).toEqual({ min: 603, max: 603 });
    expect(parseStatusFilter('9xx')).toBeNull();
    expect(parseStatusFilter('abc')).toBeNull();
  });

  it('drops the oldest entries beyond its cap and keeps its indexes right', () => {
    const t = new TraceData(100);
    for (let i = 1; i <= 150; i++) t.append([entry(i, { callId: i % 2 ? 'odd' : 'even' })]);
    expect(t.size).toBeLessThanOrEqual(100);
    expect(t.entries[t.size - 1]!.id).toBe(150);
    expect(t.get(1)).toBeUndefined();
    const odd = ids(t, t.filter(f({ callId: 'odd' })));
    expect(odd.every((id) => id % 2 === 1)).toBe(true);
    expect(odd[odd.length - 1]).toBe(149);
  });

  it('filters 100 000 entries by text, method and status well under a second', () => {
    const t = new TraceData();
    const batch: TraceEntry[] = [];
    for (let i = 1; i <= 100_000; i++) {
      const callId = `c${i % 5000}`;
      const e =
        i % 4 === 0
          ? entry(i, { status: i % 8 === 0 ? 200 : 486, dir: 'in', callId })
          : entry(i, {
              method: i % 4 === 1 ? 'INVITE' : 'ACK',
              callId,
              raw: `X sip:u${i}@h SIP/2.0\r\nCall-ID: ${callId}\r\nTo: <sip:+1415555${i}@h>\r\n\r\n`,
            });
      batch.push(e);
    }
    t.append(batch);
    expect(t.size).toBe(100_000);
    const start = performance.now();
    const byText = t.filter(f({ text: '+141555599999' }));
    const byStatus = t.filter(f({ status: '4xx' }));
    const byMethod = t.filter(f({ method: 'ACK' }));
    const byCall = t.filter(f({ callId: 'c42' }));
    const elapsed = performance.now() - start;
    expect(ids(t, byText)).toEqual([99999]);
    expect(byStatus).toHaveLength(12_500);
    expect(byMethod).toHaveLength(50_000); // i % 4 = 2 or 3
    expect(byCall).toHaveLength(20);
    expect(elapsed).toBeLessThan(400); // four filters; about 40 ms on a 2-core CI machine
  });
});

describe('trace in the store', () => {
  it('bumps the version on new entries only, and "ladder for this call" sets the filter and the view', () => {
    const store = createAppStore();
    const s = () => store.getState();
    s().setTraceFilter({ text: 'x' });
    s().appendTrace([entry(1)]);
    expect(s().traceVersion).toBe(1);
    s().appendTrace([entry(1)]);
    expect(s().traceVersion).toBe(1);
    s().showCallLadder('call-1');
    expect(s().view).toBe('trace');
    expect(s().traceFilter).toEqual({ ...emptyFilter, callId: 'call-1' });
    // The inbound leg of a loopback call is "<Call-ID>#inbound" in snapshots; the trace has the Call-ID.
    s().showCallLadder('call-1#inbound');
    expect(s().traceFilter.callId).toBe('call-1');
    s().showCallLadder('unknown#x');
    expect(s().traceFilter.callId).toBe('unknown');
  });

  it('merges RTP stream summaries per call, newer replacing older', () => {
    const store = createAppStore();
    const base = {
      callId: 'a',
      dir: 'sent' as const,
      from: '1.1.1.1:4000',
      to: '2.2.2.2:5000',
      startAt: 5,
      packets: 10,
      lost: 0,
      jitterMs: 1,
    };
    store.getState().setStreams([base, { ...base, dir: 'received', from: base.to, to: base.from }]);
    store.getState().setStreams([{ ...base, packets: 99 }]);
    const list = store.getState().streams.a!;
    expect(list).toHaveLength(2);
    expect(list.find((r) => r.dir === 'sent')?.packets).toBe(99);
  });
});
