/**
 * Issue 15 item 5, with real sockets on loopback: idle and slowloris TCP connections are closed,
 * connections are capped per source and in total (the one idle longest is closed first).
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TransportLayer } from '../../../src/main/sip/transport/transport-layer.ts';
import { defaultMaxConnections } from '../../../src/main/sip/transport/connection-guard.ts';

const layers: TransportLayer[] = [];
const socks: Socket[] = [];
afterEach(async () => {
  for (const s of socks.splice(0)) s.destroy();
  await Promise.all(layers.splice(0).map((l) => l.close()));
});

async function layer(limits: NonNullable<Parameters<typeof TransportLayer.start>[0]['limits']>): Promise<number> {
  const l = await TransportLayer.start({ listen: [{ proto: 'tcp', address: '127.0.0.1', port: 0 }], limits });
  layers.push(l);
  return l.listeners[0]!.local.port;
}

function open(port: number, localAddress = '127.0.0.1'): Promise<Socket & { closedAt?: number }> {
  return new Promise((resolve, reject) => {
    const s: Socket & { closedAt?: number } = connect({ port, host: '127.0.0.1', localAddress });
    socks.push(s);
    s.on('error', () => undefined);
    s.once('close', () => (s.closedAt = Date.now()));
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function closedWithin(s: { closedAt?: number }, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (s.closedAt === undefined && Date.now() < end) await sleep(20);
  return s.closedAt !== undefined;
}
const OPTIONS = 'OPTIONS sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: t1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n';

describe('TCP connection limits', () => {
  it('closes a connection idle past idleTimeoutMs', async () => {
    const port = await layer({ idleTimeoutMs: 400, headerTimeoutMs: 5000 });
    const s = await open(port);
    s.write(OPTIONS);
    const t0 = Date.now();
    expect(await closedWithin(s, 3000)).toBe(true);
    expect(s.closedAt! - t0).toBeGreaterThanOrEqual(300);
  });

  it('closes a slowloris (one byte at a time, never a full header) after headerTimeoutMs though it is never idle', async () => {
    const port = await layer({ idleTimeoutMs: 400, headerTimeoutMs: 800 });
    const s = await open(port);
    const t0 = Date.now();
    let i = 0;
    const drip = setInterval(() => s.writable && s.write(OPTIONS[i++ % 40]!), 100);
    try {
      expect(await closedWithin(s, 4000)).toBe(true);
    } finally {
      clearInterval(drip);
    }
    expect(s.closedAt! - t0).toBeGreaterThanOrEqual(700);
    expect(s.closedAt! - t0).toBeLessThan(2500);
  });

  it('closes a connection that sends nothing within headerTimeoutMs', async () => {
    const port = await layer({ headerTimeoutMs: 300 });
    const s = await open(port);
    expect(await closedWithin(s, 2000)).toBe(true);
  });

  it('refuses connections past the per-source cap', async () => {
    const port = await layer({ maxConnectionsPerSource: 5, headerTimeoutMs: 10_000 });
    const all = await Promise.all(Array.from({ length: 8 }, () => open(port)));
    await sleep(300);
    expect(all.filter((s) => s.closedAt !== undefined).length).toBe(3);
    // Another source still gets in.
    const other = await open(port, '127.0.0.2');
    await sleep(200);
    expect(other.closedAt).toBeUndefined();
  });

  it('past the total cap closes the connection idle longest to make room', async () => {
    const port = await layer({ maxConnections: 4, maxConnectionsPerSource: 10, headerTimeoutMs: 10_000 });
    const [a, b, c, d] = [await open(port), await open(port), await open(port), await open(port)];
    await sleep(100);
    // Activity on all but b.
    for (const s of [a, c, d]) s!.write('\r\n\r\n');
    await sleep(100);
    const e = await open(port, '127.0.0.3');
    expect(await closedWithin(b!, 1000)).toBe(true);
    await sleep(100);
    expect([a, c, d, e].every((s) => s!.closedAt === undefined)).toBe(true);
  });

  it('leaves room under the file limit for media by default', () => {
    expect(defaultMaxConnections(1024)).toBe(768);
    expect(defaultMaxConnections(20_000)).toBe(10_000);
  });
});
