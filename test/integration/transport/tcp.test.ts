import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createResponse, Headers } from '../../../src/main/sip/syntax/message.ts';
import { TransportLayer } from '../../../src/main/sip/transport/transport-layer.ts';
import type { Endpoint } from '../../../src/main/sip/transport/types.ts';
import { delay, next, options, settledHandles, traces, wire } from './helpers.ts';

const layers: TransportLayer[] = [];
const sockets: Socket[] = [];
async function start(address = '127.0.0.1', limits?: { maxHeaderBytes?: number; maxBodyBytes?: number; idleTimeoutMs?: number }) {
  const l = await TransportLayer.start({ listen: [{ proto: 'tcp', address, port: 0 }], ...(limits ? { limits } : {}) });
  layers.push(l);
  return l;
}
function rawClient(to: Endpoint): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: to.address, port: to.port }, () => resolve(s));
    s.setNoDelay(true);
    s.on('error', reject);
    sockets.push(s);
  });
}
function closed(s: Socket, ms = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (s.destroyed) return resolve();
    const t = setTimeout(() => reject(new Error('socket not closed in time')), ms);
    s.once('close', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(layers.splice(0).map((l) => l.close()));
});

describe.each([
  ['IPv4', '127.0.0.1'],
  ['IPv6', '::1'],
])('TCP over %s', (_n, loop) => {
  it('reuses one connection both ways (RFC 3261 §18)', async () => {
    const a = await start(loop);
    const b = await start(loop);
    const bEp = b.listeners[0]!.local;
    const host = loop.includes(':') ? `[${loop}]` : loop;
    const aPort = a.listeners[0]!.local.port;

    const got = next(b, 'message');
    const f1 = await a.send(options(`SIP/2.0/TCP ${host}:${aPort};branch=z9hG4bKt1`), { proto: 'tcp', remote: bEp });
    expect(f1.connId).toBeDefined();
    expect(f1.remote).toEqual(bEp);
    const [req, inFlow] = await got;
    expect(inFlow.proto).toBe('tcp');
    expect(inFlow.remote.port).toBe(f1.local.port);
    // Via says a's listening port; the connection's source port differs, so received is not needed
    // (same host) and the response must use the connection.
    const res = createResponse(200, 'OK', new Headers([['Via', req.headers.getAll('via')[0]!], ['Content-Length', '0']]));
    const dest = b.responseDestination(res, inFlow);
    expect(dest.connId).toBe(inFlow.connId);
    const back = next(a, 'message');
    const rf = await b.send(res, dest);
    expect(rf.connId).toBe(inFlow.connId);
    const [, backFlow] = await back;
    expect(backFlow.connId).toBe(f1.connId);

    // A second request reuses the connection, by endpoint and by connId.
    const f2 = await a.send(options(`SIP/2.0/TCP ${host}:${aPort};branch=z9hG4bKt2`), { proto: 'tcp', remote: bEp });
    expect(f2.connId).toBe(f1.connId);
    const f3 = await a.send(options(`SIP/2.0/TCP ${host}:${aPort};branch=z9hG4bKt3`), { proto: 'tcp', remote: { address: '192.0.2.1', port: 1 }, connId: f1.connId! });
    expect(f3.connId).toBe(f1.connId);
    // b can send a new request to a over the inbound connection.
    const toA = next(a, 'message');
    const f4 = await b.send(options(`SIP/2.0/TCP ${host}:${bEp.port};branch=z9hG4bKt4`), { proto: 'tcp', remote: inFlow.remote, connId: inFlow.connId! });
    expect(f4.connId).toBe(inFlow.connId);
    await toA;
    expect(a.connections()).toHaveLength(1);
    expect(b.connections()).toHaveLength(1);
    expect(b.connections()[0]!.direction).toBe('inbound');

    // Once the connection is gone, the response goes to received/sent-by (RFC 3261 §18.2.2).
    const gone = next(b, 'connection-closed');
    a.closeConnection(f1.connId!);
    await gone;
    expect(b.responseDestination(res, inFlow)).toEqual({ proto: 'tcp', remote: { address: loop, port: aPort } });
  });

  it('opens one connection for concurrent sends to the same endpoint', async () => {
    const a = await start(loop);
    const b = await start(loop);
    const bEp = b.listeners[0]!.local;
    const flows = await Promise.all([1, 2, 3].map((i) => a.send(options(`SIP/2.0/TCP x.invalid;branch=z9hG4bKc${i}`), { proto: 'tcp', remote: bEp })));
    expect(new Set(flows.map((f) => f.connId)).size).toBe(1);
  });
});

describe('TCP framing against a raw peer', () => {
  it('delivers pipelined messages from one write, in order, with exact bytes', async () => {
    const b = await start();
    const tr = traces(b);
    const got: string[] = [];
    b.on('message', (m) => got.push(m.headers.get('call-id')!));
    const s = await rawClient(b.listeners[0]!.local);
    const m = [wire('p1', 'hello'), wire('p2'), wire('p3', 'é')];
    s.write(m.join(''));
    for (let i = 0; i < 50 && got.length < 3; i++) await delay(20);
    expect(got).toEqual(['p1', 'p2', 'p3']);
    expect(tr.filter((t) => t.dir === 'in').map((t) => t.raw.toString())).toEqual(m);
  });

  it('delivers a message written byte by byte', async () => {
    const b = await start();
    const got = next(b, 'message');
    const s = await rawClient(b.listeners[0]!.local);
    const bytes = Buffer.from('\r\n' + wire('bytewise', 'body!'));
    for (let i = 0; i < bytes.length; i++) {
      await new Promise<void>((r) => s.write(bytes.subarray(i, i + 1), () => r()));
      if (i % 64 === 0) await delay(1);
    }
    const [msg, flow] = await got;
    expect(msg.headers.get('call-id')).toBe('bytewise');
    expect(msg.body.toString()).toBe('body!');
    // The Via named 127.0.0.1:5999 but the connection came from another port: same host, so no received.
    expect(msg.headers.getAll('via')[0]).not.toContain('received');
    expect(flow.connId).toBeDefined();
  });

  it('answers a CRLFCRLF ping with a CRLF pong (RFC 5626 §4.4.1)', async () => {
    const b = await start();
    const s = await rawClient(b.listeners[0]!.local);
    const pong = new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no pong')), 3000);
      s.once('data', (d: Buffer) => {
        clearTimeout(t);
        resolve(d.toString());
      });
    });
    const ka = next(b, 'keepalive');
    s.write('\r\n\r\n');
    expect(await pong).toBe('\r\n');
    expect((await ka)[0].kind).toBe('ping');
  });

  it('cuts off an endless header with the reason in the trace, and keeps serving', async () => {
    const b = await start('127.0.0.1', { maxHeaderBytes: 8192 });
    const tr = traces(b);
    const s = await rawClient(b.listeners[0]!.local);
    s.on('error', () => undefined);
    const done = closed(s);
    s.write('OPTIONS sip:b@example.com SIP/2.0\r\n');
    let sent = 0;
    while (!s.destroyed && sent < 1_000_000) {
      s.write('X-Endless: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n');
      sent += 60;
      if (sent % 6000 === 0) await delay(1);
    }
    await done;
    const cut = tr.find((t) => t.error !== undefined);
    expect(cut?.error).toMatch(/header section exceeds 8192 bytes/);
    expect(cut!.raw.toString()).toMatch(/^OPTIONS sip:b@example.com/);
    expect(b.connections()).toHaveLength(0);
    await expectStillServing(b);
  });

  it('cuts off a 10 MB Content-Length at once (default limits)', async () => {
    const b = await start();
    const tr = traces(b);
    const bad = next(b, 'malformed');
    const s = await rawClient(b.listeners[0]!.local);
    s.on('error', () => undefined);
    const done = closed(s);
    s.write(wire('huge').replace('Content-Length: 0', 'Content-Length: 10485760'));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    for (let sent = 0; sent < 10 * 1024 * 1024 && !s.destroyed; sent += chunk.length) {
      s.write(chunk);
      await delay(1);
    }
    await done;
    const [info] = await bad;
    expect(info.reason).toMatch(/Content-Length 10485760 exceeds limit of 1048576/);
    expect(tr.some((t) => t.error?.includes('exceeds limit'))).toBe(true);
    await expectStillServing(b);
  });

  it('closes a stream without Content-Length', async () => {
    const b = await start();
    const s = await rawClient(b.listeners[0]!.local);
    s.on('error', () => undefined);
    const done = closed(s);
    const bad = next(b, 'malformed');
    s.write(wire('nolen').replace('Content-Length: 0\r\n', ''));
    await done;
    expect((await bad)[0].reason).toMatch(/missing Content-Length/);
  });

  it('reports a parse error inside a well-framed message without closing the connection', async () => {
    const b = await start();
    const s = await rawClient(b.listeners[0]!.local);
    const bad = next(b, 'malformed');
    s.write('garbage line\r\nContent-Length: 0\r\n\r\n');
    await bad;
    const ok = next(b, 'message');
    s.write(wire('after-bad'));
    expect((await ok)[0].headers.get('call-id')).toBe('after-bad');
    expect(s.destroyed).toBe(false);
  });

  it('closes idle connections after idleTimeoutMs', async () => {
    const b = await start('127.0.0.1', { idleTimeoutMs: 200 });
    const s = await rawClient(b.listeners[0]!.local);
    const gone = next(b, 'connection-closed');
    const [info] = await gone;
    expect(info.reason).toMatch(/idle/);
    await closed(s);
  });
});

describe('TCP connect failures', () => {
  it('rejects with "refused" when nobody listens', async () => {
    const tmp = await TransportLayer.start({ listen: [{ proto: 'tcp', address: '127.0.0.1', port: 0 }] });
    const port = tmp.listeners[0]!.local.port;
    await tmp.close();
    const a = await start();
    await expect(a.send(options('SIP/2.0/TCP x.invalid;branch=z9hG4bKr'), { proto: 'tcp', remote: { address: '127.0.0.1', port } })).rejects.toThrow(
      /refused/,
    );
    expect(a.connections()).toHaveLength(0);
  });

  it('rejects with "timed out" when the handshake never completes', async () => {
    // A TCP server that accepts and stays silent: the TLS handshake cannot finish.
    const silent = createServer(() => undefined);
    const held: Socket[] = [];
    silent.on('connection', (c) => held.push(c));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    try {
      const a = await TransportLayer.start({ listen: [{ proto: 'udp', address: '127.0.0.1', port: 0 }], connectTimeoutMs: 300 });
      layers.push(a);
      const t0 = Date.now();
      await expect(a.send(options('SIP/2.0/TLS x.invalid;branch=z9hG4bKto'), { proto: 'tls', remote: { address: '127.0.0.1', port } })).rejects.toThrow(
        /timed out after 300 ms/,
      );
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      for (const c of held) c.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('aborts a pending connect on close() instead of waiting for the timeout', async () => {
    const silent = createServer(() => undefined);
    const held: Socket[] = [];
    silent.on('connection', (c) => held.push(c));
    await new Promise<void>((r) => silent.listen(0, '::1', () => r()));
    const port = (silent.address() as { port: number }).port;
    try {
      const a = await TransportLayer.start({ listen: [{ proto: 'udp', address: '::1', port: 0 }] });
      const sending = a.send(options('SIP/2.0/TLS x.invalid;branch=z9hG4bKab'), { proto: 'tls', remote: { address: '::1', port } });
      const outcome = sending.then(
        () => 'sent',
        (e: Error) => e.message,
      );
      await delay(100);
      const t0 = Date.now();
      await a.close();
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(await outcome).toMatch(/closed before it was established/);
    } finally {
      for (const c of held) c.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('leaves no sockets or servers behind after close', async () => {
    const kinds = ['TCPSocketWrap', 'TCPServerWrap'];
    const count = () => process.getActiveResourcesInfo().filter((r) => kinds.includes(r)).length;
    const before = await settledHandles(kinds);
    const a = await TransportLayer.start({ listen: [{ proto: 'tcp', address: '127.0.0.1', port: 0 }] });
    const b = await TransportLayer.start({ listen: [{ proto: 'tcp', address: '127.0.0.1', port: 0 }] });
    await a.send(options('SIP/2.0/TCP x.invalid;branch=z9hG4bKz'), { proto: 'tcp', remote: b.listeners[0]!.local });
    expect(count()).toBe(before + 4);
    await a.close();
    await b.close();
    expect(await settledHandles(kinds)).toBe(before);
  });
});

async function expectStillServing(b: TransportLayer): Promise<void> {
  const c = await start();
  const ok = next(b, 'message');
  await c.send(options('SIP/2.0/TCP x.invalid;branch=z9hG4bKalive'), { proto: 'tcp', remote: b.listeners[0]!.local });
  await ok;
}
