/**
 * Tables keyed by remote input stay bounded (issue 15 item 1): 3000 stray datagrams with 60 KB
 * Call-IDs used to add 180 MB of counter keys to the stack and 463 MB to the GUI's trace store.
 */
import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../../src/shared/bounded-map.ts';
import { TraceStore } from '../../../src/main/engine/trace/trace-store.ts';
import { MAX_CALL_ID_KEY, scanCallId } from '../../../src/main/sip/syntax/header-scan.ts';
import type { TraceRecord } from '../../../src/main/sip/transport/types.ts';

const ep = { address: '127.0.0.1', port: 5060 };
function stray(i: number, idLen: number): Buffer {
  return Buffer.from(`SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK${i}\r\nCall-ID: ${i}-${'x'.repeat(idLen)}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`);
}

describe('BoundedMap', () => {
  it('evicts the least recently used entry past the count bound', () => {
    const m = new BoundedMap<number>({ maxEntries: 3, maxBytes: 1e9, idleMs: 0 });
    m.set('a', 1).set('b', 2).set('c', 3);
    m.get('a');
    m.set('d', 4);
    expect([...m.keys()]).toEqual(['c', 'a', 'd']);
    expect(m.evicted).toBe(1);
  });
  it('evicts past the byte bound, counting key length', () => {
    const m = new BoundedMap<number>({ maxEntries: 1000, maxBytes: 10_000, idleMs: 0, sizeOf: () => 0 });
    for (let i = 0; i < 100; i++) m.set(`${i}${'k'.repeat(1000)}`, i);
    expect(m.bytes).toBeLessThanOrEqual(10_000);
    expect(m.size).toBe(4);
  });
  it('expires entries untouched for idleMs', () => {
    let now = 0;
    const m = new BoundedMap<number>({ maxEntries: 10, maxBytes: 1e9, idleMs: 1000, now: () => now });
    m.set('a', 1);
    now = 500;
    m.set('b', 2);
    now = 1200;
    expect(m.has('a')).toBe(false);
    expect(m.has('b')).toBe(true);
  });
});

describe('Call-ID keys', () => {
  it('are cut to MAX_CALL_ID_KEY characters', () => {
    const id = scanCallId(stray(1, 60_000));
    expect(id?.length).toBe(MAX_CALL_ID_KEY);
  });
});

describe('TraceStore byte bound', () => {
  it('keeps 3000 datagrams of 60 KB within maxBytes', () => {
    const s = new TraceStore({ maxBytes: 32 * 1024 * 1024 });
    for (let i = 0; i < 3000; i++) {
      const raw = stray(i, 60_000);
      const r: TraceRecord = { dir: 'in', at: 1000 + i, proto: 'udp', local: ep, remote: ep, raw };
      s.add(r);
    }
    expect(s.bytes).toBeLessThanOrEqual(32 * 1024 * 1024);
    expect(s.count).toBeLessThan(3000);
    expect(s.count).toBeGreaterThan(100);
    // The newest are the ones kept.
    expect(s.select().at(-1)?.callId?.startsWith('2999-')).toBe(true);
    expect(s.select().at(-1)?.callId?.length).toBe(MAX_CALL_ID_KEY);
  });
  it('bounds the retransmission memory in count', () => {
    const s = new TraceStore({ maxSeen: 1000 });
    for (let i = 0; i < 5000; i++) s.add({ dir: 'in', at: 1000, proto: 'udp', local: ep, remote: ep, raw: stray(i, 10) });
    expect(s.seenCount).toBeLessThanOrEqual(1000);
  });
});
