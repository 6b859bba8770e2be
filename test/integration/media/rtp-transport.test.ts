/**
 * RTP port pool and sockets on 127.0.0.1: even RTP ports with RTCP on +1, skipping ports that
 * are taken (EADDRINUSE), release on close, and socket errors counted instead of thrown.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  PortPool,
  parsePortRange,
  type PortRange,
} from '../../../src/main/media/transport/port-pool.ts';
import { MediaSocket, RtpSocketPair } from '../../../src/main/media/transport/rtp-socket.ts';

const LOOP = '127.0.0.1';
const closers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c.close()));
});

const noop = () => undefined;

async function bind(port: number): Promise<MediaSocket> {
  const s = await MediaSocket.bind(LOOP, port, noop);
  closers.push(s);
  return s;
}

/** A block of `n` consecutive free UDP ports starting at an even port in 10000–19999. */
async function freeBlock(n: number): Promise<PortRange> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const min = 10000 + 2 * Math.floor(Math.random() * 4900);
    const held: MediaSocket[] = [];
    try {
      for (let p = min; p < min + n; p++) held.push(await MediaSocket.bind(LOOP, p, noop));
      return { min, max: min + n - 1 };
    } catch {
      // taken, try another block
    } finally {
      await Promise.all(held.map((s) => s.close()));
    }
  }
  throw new Error('no free port block');
}

async function openPair(pool: PortPool, rtcpMux: boolean): Promise<RtpSocketPair> {
  const p = await RtpSocketPair.open({
    bindAddress: LOOP,
    rtcpMux,
    pool,
    onRtp: noop,
    onRtcp: noop,
  });
  closers.push(p);
  return p;
}

describe('RTP port pool', () => {
  it('binds an even RTP port and RTCP on the next, skipping pairs the OS says are in use', async () => {
    const range = await freeBlock(6);
    const pool = new PortPool(range, () => 0);
    await bind(range.min + 1); // someone holds the RTCP port of the first pair
    const p = await openPair(pool, false);
    expect([p.rtpPort, p.rtcpPort]).toEqual([range.min + 2, range.min + 3]);
    expect(pool.inUse).toBe(2);
    // rtcp-mux needs only the even port: the next free even one.
    const m = await openPair(pool, true);
    expect([m.rtpPort, m.rtcpPort]).toEqual([range.min + 4, range.min + 4]);
    expect(pool.inUse).toBe(3);
    await p.close();
    await m.close();
    expect(pool.inUse).toBe(0);
    // Released ports can be allocated again.
    const again = await openPair(pool, true);
    expect(again.rtpPort % 2).toBe(0);
  });

  it('hands out distinct ports to concurrent sessions and fails clearly when the range is full', async () => {
    const range = await freeBlock(8);
    const pool = new PortPool(range);
    const pairs = await Promise.all([0, 1, 2, 3].map(() => openPair(pool, false)));
    const ports = pairs.flatMap((p) => [p.rtpPort, p.rtcpPort]).sort((x, y) => x - y);
    expect(ports).toEqual(Array.from({ length: 8 }, (_, i) => range.min + i));
    await expect(openPair(pool, false)).rejects.toThrow(/no free RTP\/RTCP port pair/);
  });

  it('starts at the first even port of an odd range and parses "A-B"', async () => {
    expect(parsePortRange('10001-10010')).toEqual({ min: 10001, max: 10010 });
    expect(() => parsePortRange('10-5-3')).toThrow(RangeError);
    expect(() => parsePortRange('0-100')).toThrow(RangeError);
    expect(() => new PortPool({ min: 10001, max: 10001 })).toThrow(/no even port/);
    const range = await freeBlock(4);
    const pool = new PortPool({ min: range.min - 1, max: range.max }, () => 0);
    const p = await openPair(pool, false);
    expect(p.rtpPort).toBe(range.min);
  });

  it('rethrows errors other than EADDRINUSE (a bind address we do not own)', async () => {
    const pool = new PortPool({ min: 10000, max: 10100 });
    await expect(
      RtpSocketPair.open({
        bindAddress: '192.0.2.1',
        rtcpMux: true,
        pool,
        onRtp: noop,
        onRtcp: noop,
      }),
    ).rejects.toThrow(/EADDRNOTAVAIL/);
    await expect(
      RtpSocketPair.open({
        bindAddress: 'localhost',
        rtcpMux: true,
        pool,
        onRtp: noop,
        onRtcp: noop,
      }),
    ).rejects.toThrow(/not an IP address/);
    expect(pool.inUse).toBe(0);
  });
});

describe('MediaSocket', () => {
  it('delivers datagrams with the sender address and counts send errors without throwing', async () => {
    const got: Array<[string, string, number]> = [];
    const rx = await MediaSocket.bind(LOOP, 0, (buf, from) =>
      got.push([buf.toString(), from.address, from.port]),
    );
    closers.push(rx);
    const tx = await bind(0);
    tx.send(Buffer.from('hello'), { address: LOOP, port: rx.port });
    const start = Date.now();
    while (got.length === 0 && Date.now() - start < 2000)
      await new Promise((r) => setTimeout(r, 5));
    expect(got).toEqual([['hello', LOOP, tx.port]]);

    let callbacks = 0;
    tx.send(Buffer.from('x'), { address: LOOP, port: 0 }, () => callbacks++); // bad port: sync throw
    tx.send(Buffer.from('x'), { address: '::1', port: rx.port }, () => callbacks++); // wrong family
    await new Promise((r) => setTimeout(r, 50));
    expect(tx.counters.sendErrors).toBe(2);
    expect(callbacks).toBe(2);
    await tx.close();
    tx.send(Buffer.from('x'), { address: LOOP, port: rx.port });
    expect(tx.counters.sendErrors).toBe(3);
  });

  it('binds IPv6 dual-stack on :: and reports IPv4 peers without the ::ffff: prefix', async () => {
    const got: string[] = [];
    const rx = await MediaSocket.bind('::', 0, (_b, from) => got.push(from.address));
    closers.push(rx);
    const tx = await bind(0);
    tx.send(Buffer.from('v4'), { address: LOOP, port: rx.port });
    const start = Date.now();
    while (got.length === 0 && Date.now() - start < 2000)
      await new Promise((r) => setTimeout(r, 5));
    expect(got).toEqual([LOOP]);
    // And sends to an IPv4 peer from the IPv6 socket.
    const back: string[] = [];
    const rx4 = await MediaSocket.bind(LOOP, 0, (b) => back.push(b.toString()));
    closers.push(rx4);
    rx.send(Buffer.from('mapped'), { address: LOOP, port: rx4.port });
    const t2 = Date.now();
    while (back.length === 0 && Date.now() - t2 < 2000) await new Promise((r) => setTimeout(r, 5));
    expect(back).toEqual(['mapped']);
  });
});
