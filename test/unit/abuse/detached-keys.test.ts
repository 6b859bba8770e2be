/**
 * Issue 15 item 1, found again by the standing abuse suite: a Call-ID key cut from a big datagram
 * must not keep the datagram alive. V8 keeps a slice of 13+ characters as a view on its parent,
 * so 3000 stray responses with 60 KB Call-IDs still held ~180 MB of heap through 256-character
 * keys (the listener's RSS went 134 → 804 MB over five rounds). Measured after a forced GC.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { callIdKey, scanCallId } from '../../../src/main/sip/syntax/header-scan.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function retainedBytes(make: (i: number) => string | undefined): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const keys: Array<string | undefined> = [];
  for (let i = 0; i < 1000; i++) keys.push(make(i));
  gc();
  const after = process.memoryUsage().heapUsed;
  expect(keys.every((k) => k !== undefined && k.length <= 256)).toBe(true);
  return after - before;
}

describe('Call-ID keys are copies, not views on the datagram', () => {
  it('callIdKey of a 60 KB value keeps ~256 bytes, not 60 KB', () => {
    const pad = 'x'.repeat(60_000);
    // 1000 × 60 KB = 60 MB if the parents stayed alive.
    expect(retainedBytes((i) => callIdKey(`${i}-${pad}`.slice(0)))).toBeLessThan(8 * 1024 * 1024);
  });

  it('a short Call-ID cut from a big message text is a copy too', () => {
    const body = 'y'.repeat(60_000);
    expect(retainedBytes((i) => callIdKey(`i: abcdefghijklmnop-${i}\r\n${body}`.slice(3, 23)))).toBeLessThan(8 * 1024 * 1024);
  });

  it('scanCallId of a 60 KB datagram keeps only the key', () => {
    const pad = 'z'.repeat(60_000);
    expect(retainedBytes((i) => scanCallId(Buffer.from(`SIP/2.0 200 OK\r\nCall-ID: ${i}-${pad}\r\n\r\n`, 'latin1')))).toBeLessThan(8 * 1024 * 1024);
  });

  it('keeps the value itself', () => {
    expect(callIdKey('a84b4c76e66710@pc33.atlanta.com')).toBe('a84b4c76e66710@pc33.atlanta.com');
    expect(callIdKey('short')).toBe('short');
    expect(callIdKey('é'.repeat(300))).toBe('é'.repeat(256));
  });
});
