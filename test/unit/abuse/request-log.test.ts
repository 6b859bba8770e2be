import { describe, expect, it } from 'vitest';
import { RequestLog } from '../../../src/main/engine/call/request-log.ts';

describe('listen request log (issue 15 item 6)', () => {
  it('keeps the first and last N of 100 000 OPTIONS and counts them all', () => {
    const log = new RequestLog(1000);
    for (let i = 0; i < 100_000; i++) log.add({ method: 'OPTIONS', status: 200, from: `127.0.0.1:${i}` });
    const e = log.entries();
    expect(e.length).toBe(2000);
    expect(e[0]!.from).toBe('127.0.0.1:0');
    expect(e.at(-1)!.from).toBe('127.0.0.1:99999');
    expect(e[1000]!.from).toBe('127.0.0.1:99000');
    expect(log.counts()).toEqual({ total: 100_000, omitted: 98_000, byMethod: { OPTIONS: 100_000 } });
  });
  it('counts invented methods past 32 under (other)', () => {
    const log = new RequestLog(10);
    for (let i = 0; i < 100; i++) log.add({ method: `X${i}`, status: 405, from: 'a' });
    const c = log.counts();
    expect(Object.keys(c.byMethod).length).toBe(33);
    expect(c.byMethod['(other)']).toBe(68);
  });
  it('keep 0 keeps all', () => {
    const log = new RequestLog(0);
    for (let i = 0; i < 5000; i++) log.add({ method: 'OPTIONS', status: 200, from: 'a' });
    expect(log.entries().length).toBe(5000);
  });
});
