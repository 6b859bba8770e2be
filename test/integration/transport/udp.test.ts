import { afterEach, describe, expect, it } from 'vitest';
import { createResponse, Headers, isRequest } from '../../../src/main/sip/syntax/message.ts';
import { serializeMessage } from '../../../src/main/sip/syntax/serializer.ts';
import { topVia } from '../../../src/main/sip/syntax/accessors.ts';
import { TransportLayer } from '../../../src/main/sip/transport/transport-layer.ts';
import { next, options, settledHandles, traces } from './helpers.ts';

const layers: TransportLayer[] = [];
async function start(address: string, proto: 'udp' | 'tcp' = 'udp'): Promise<TransportLayer> {
  const l = await TransportLayer.start({ listen: [{ proto, address, port: 0 }] });
  layers.push(l);
  return l;
}
afterEach(async () => {
  await Promise.all(layers.splice(0).map((l) => l.close()));
});

describe.each([
  ['IPv4', '127.0.0.1'],
  ['IPv6', '::1'],
])('UDP over %s', (_name, loop) => {
  it('sends from the listening port, stamps received/rport, and routes the response back', async () => {
    const a = await start(loop);
    const b = await start(loop);
    const aPort = a.listeners[0]!.local.port;
    const bPort = b.listeners[0]!.local.port;
    expect(aPort).toBeGreaterThan(0);
    expect(a.localEndpoint('udp', loop)).toEqual({ address: loop, port: aPort });
    const bTrace = traces(b);

    const host = loop.includes(':') ? `[${loop}]` : loop;
    const req = options(`SIP/2.0/UDP ${host}:${aPort};rport;branch=z9hG4bKudp1`);
    const got = next(b, 'message');
    const flowOut = await a.send(req, { proto: 'udp', remote: { address: loop, port: bPort } });
    expect(flowOut).toEqual({ proto: 'udp', local: { address: loop, port: aPort }, remote: { address: loop, port: bPort } });
    const [msg, flow] = await got;
    expect(flow.remote).toEqual({ address: loop, port: aPort }); // source port = A's listening port
    expect(flow.local.port).toBe(bPort);
    const via = topVia(msg);
    expect(via.params['rport']).toBe(String(aPort));
    expect(via.params['received']).toBe(loop);
    // The trace holds the exact bytes; raw is untouched by the stamping.
    expect(bTrace.at(-1)!.dir).toBe('in');
    expect(bTrace.at(-1)!.raw.equals(serializeMessage(req))).toBe(true);
    expect(msg.raw?.includes('rport;branch')).toBe(true);

    // The response goes where RFC 3581 says: received + rport.
    const res = createResponse(200, 'OK', new Headers([['Via', msg.headers.getAll('via')[0]!]]));
    res.headers.append('Content-Length', '0');
    const dest = b.responseDestination(res, flow);
    expect(dest.remote).toEqual({ address: loop, port: aPort });
    const back = next(a, 'message');
    await b.send(res, dest);
    const [r, rflow] = await back;
    expect(isRequest(r)).toBe(false);
    expect(rflow.remote).toEqual({ address: loop, port: bPort });
  });

  it('adds received (no rport) when sent-by differs from the source address', async () => {
    const a = await start(loop);
    const b = await start(loop);
    const got = next(b, 'message');
    await a.send(options('SIP/2.0/UDP pbx.example.com:5060;branch=z9hG4bKudp2'), {
      proto: 'udp',
      remote: b.listeners[0]!.local,
    });
    const [msg] = await got;
    expect(msg.headers.getAll('via')[0]).toBe(`SIP/2.0/UDP pbx.example.com:5060;branch=z9hG4bKudp2;received=${loop}`);
  });

  it('reports a malformed datagram and keeps working', async () => {
    const a = await start(loop);
    const b = await start(loop);
    const bTrace = traces(b);
    const bad = next(b, 'malformed');
    await a.sendRaw(Buffer.from('this is not SIP\r\n\r\n'), { proto: 'udp', remote: b.listeners[0]!.local });
    const [info] = await bad;
    expect(info.raw.toString()).toBe('this is not SIP\r\n\r\n');
    expect(info.reason.length).toBeGreaterThan(0);
    expect(info.flow.remote.port).toBe(a.listeners[0]!.local.port);
    const errTrace = bTrace.find((t) => t.error !== undefined);
    expect(errTrace?.raw.toString()).toBe('this is not SIP\r\n\r\n');
    // Still alive: a good message right after.
    const ok = next(b, 'message');
    await a.send(options('SIP/2.0/UDP x.invalid;branch=z9hG4bKudp3'), { proto: 'udp', remote: b.listeners[0]!.local });
    const [msg] = await ok;
    expect(msg.headers.get('cseq')).toMatch(/OPTIONS$/);
  });
});

describe('UDP extras', () => {
  it('treats a CRLF datagram as a keep-alive, not as malformed', async () => {
    const a = await start('127.0.0.1');
    const b = await start('127.0.0.1');
    let malformed = 0;
    b.on('malformed', () => malformed++);
    const ka = next(b, 'keepalive');
    await a.sendRaw(Buffer.from('\r\n\r\n'), { proto: 'udp', remote: b.listeners[0]!.local });
    const [info] = await ka;
    expect(info.kind).toBe('ping');
    expect(malformed).toBe(0);
  });

  it('uses an ephemeral UDP socket when there is no UDP listener, and receives the reply on it', async () => {
    const a = await start('127.0.0.1', 'tcp');
    const b = await start('127.0.0.1');
    const got = next(b, 'message');
    const flow = await a.send(options('SIP/2.0/UDP 127.0.0.1;rport;branch=z9hG4bKeph'), { proto: 'udp', remote: b.listeners[0]!.local });
    const [msg, inFlow] = await got;
    expect(inFlow.remote.port).toBe(flow.local.port);
    expect(flow.local.port).toBeGreaterThan(0);
    const res = createResponse(200, 'OK', new Headers([['Via', msg.headers.getAll('via')[0]!], ['Content-Length', '0']]));
    const back = next(a, 'message');
    await b.send(res, b.responseDestination(res, inFlow));
    const [r] = await back;
    expect(r.type).toBe('response');
  });

  it('picks a concrete address for a wildcard listener and rejects an unknown transport', async () => {
    const w = await start('0.0.0.0');
    const port = w.listeners[0]!.local.port;
    expect(w.listeners[0]!.local.address).toBe('0.0.0.0');
    expect(w.localEndpoint('udp', '127.0.0.1')).toEqual({ address: '127.0.0.1', port });
    expect(() => w.localEndpoint('tls', '127.0.0.1')).toThrow(/no tls listener/);
  });

  it('rejects sends after close and leaves no sockets behind', async () => {
    const before = await settledHandles(['UDPWrap']);
    const a = await TransportLayer.start({ listen: [{ proto: 'udp', address: '127.0.0.1', port: 0 }, { proto: 'udp', address: '::1', port: 0 }] });
    expect(process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap').length).toBe(before + 2);
    await a.close();
    expect(await settledHandles(['UDPWrap'])).toBe(before);
    await expect(a.send(options('SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKc'), { proto: 'udp', remote: { address: '127.0.0.1', port: 9 } })).rejects.toThrow(/closed/);
  });
});
