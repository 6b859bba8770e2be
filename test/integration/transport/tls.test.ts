import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TransportLayer, type TransportOptions } from '../../../src/main/sip/transport/transport-layer.ts';
import { makePki, type TestPki } from './certs.ts';
import { delay, next, options, traces } from './helpers.ts';

let pki: TestPki;
beforeAll(async () => {
  pki = await makePki();
});

const layers: TransportLayer[] = [];
async function start(opts: Omit<TransportOptions, 'listen'> & { address?: string; proto?: 'tls' | 'udp' }): Promise<TransportLayer> {
  const { address = '127.0.0.1', proto = 'tls', ...rest } = opts;
  const l = await TransportLayer.start({ listen: [{ proto, address, port: 0 }], ...rest });
  layers.push(l);
  return l;
}
afterEach(async () => {
  await Promise.all(layers.splice(0).map((l) => l.close()));
});

const req = (tag: string) => options(`SIP/2.0/TLS client.invalid;branch=z9hG4bK${tag}`);

describe('TLS', () => {
  it('refuses a self-signed server certificate by default', async () => {
    const server = await start({ tls: { cert: pki.selfSigned.cert, key: pki.selfSigned.key } });
    const client = await start({ proto: 'udp' });
    const ctr = traces(client);
    let delivered = 0;
    server.on('message', () => delivered++);
    await expect(client.send(req('d'), { proto: 'tls', remote: server.listeners[0]!.local })).rejects.toThrow(
      /TLS certificate verification failed for 127\.0\.0\.1:\d+: .*\(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    );
    expect(client.connections()).toHaveLength(0);
    expect(ctr.filter((t) => t.dir === 'out')).toHaveLength(0);
    await delay(50);
    expect(delivered).toBe(0);
  });

  it('accepts it with rejectUnauthorized:false', async () => {
    const server = await start({ tls: { cert: pki.selfSigned.cert, key: pki.selfSigned.key } });
    const client = await start({ proto: 'udp', tls: { rejectUnauthorized: false } });
    const got = next(server, 'message');
    const flow = await client.send(req('i'), { proto: 'tls', remote: server.listeners[0]!.local });
    const [msg, inFlow] = await got;
    expect(msg.headers.get('via')).toContain('received=127.0.0.1');
    expect(inFlow.proto).toBe('tls');
    expect(client.connectionInfo(flow.connId!)?.tls?.authorized).toBe(false);
  });

  it('accepts it when the CA is provided, and checks the name', async () => {
    const server = await start({ tls: { cert: pki.server.cert, key: pki.server.key } });
    const client = await start({ proto: 'udp', tls: { ca: pki.ca.cert } });
    const got = next(server, 'message');
    const flow = await client.send(req('ca'), { proto: 'tls', remote: server.listeners[0]!.local });
    await got;
    const info = client.connectionInfo(flow.connId!);
    expect(info?.tls?.authorized).toBe(true);
    expect(info?.tls?.peerSubjectCN).toBe('localhost');
    // The same certificate for a name it does not carry fails verification.
    const other = await start({ proto: 'udp', tls: { ca: pki.ca.cert } });
    await expect(
      other.send(req('name'), { proto: 'tls', remote: server.listeners[0]!.local, servername: 'sip.wrong.example' }),
    ).rejects.toThrow(/verification failed.*ERR_TLS_CERT_ALTNAME_INVALID/);
    // And a self-signed leaf added as the trusted CA is accepted.
    const selfServer = await start({ tls: { cert: pki.selfSigned.cert, key: pki.selfSigned.key } });
    const pinned = await start({ proto: 'udp', tls: { ca: pki.selfSigned.cert } });
    const f = await pinned.send(req('pin'), { proto: 'tls', remote: selfServer.listeners[0]!.local });
    expect(pinned.connectionInfo(f.connId!)?.tls?.authorized).toBe(true);
  });

  it('replies over the inbound TLS connection', async () => {
    const server = await start({ tls: { cert: pki.server.cert, key: pki.server.key } });
    const client = await start({ tls: { ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key } });
    const got = next(server, 'message');
    const flow = await client.send(req('r'), { proto: 'tls', remote: server.listeners[0]!.local });
    const [, inFlow] = await got;
    const back = next(client, 'message');
    await server.send(options('SIP/2.0/TLS server.invalid;branch=z9hG4bKback'), { proto: 'tls', remote: inFlow.remote, connId: inFlow.connId! });
    const [, backFlow] = await back;
    expect(backFlow.connId).toBe(flow.connId);
  });

  it('presents a client certificate to a server that requires one (mutual TLS)', async () => {
    const server = await start({ tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requireClientCert: true } });
    const str = traces(server);
    const sEp = server.listeners[0]!.local;
    let delivered = 0;
    server.on('message', () => delivered++);

    // Without a client certificate the server refuses the handshake and nothing is delivered.
    const anon = await start({ proto: 'udp', tls: { ca: pki.ca.cert } });
    const refused = anon.send(req('anon'), { proto: 'tls', remote: sEp }).then(
      () => 'sent',
      (e: Error) => e.message,
    );
    for (let i = 0; i < 100 && !str.some((t) => t.error !== undefined); i++) await delay(20);
    expect(str.find((t) => t.error !== undefined)?.error).toMatch(/TLS handshake failed/);
    await refused;
    await delay(50);
    expect(delivered).toBe(0);

    // With it, the message arrives and the server sees who the client is.
    const withCert = await start({ proto: 'udp', tls: { ca: pki.ca.cert, clientCert: pki.client.cert, clientKey: pki.client.key } });
    const got = next(server, 'message');
    await withCert.send(req('mtls'), { proto: 'tls', remote: sEp });
    const [, inFlow] = await got;
    const info = server.connectionInfo(inFlow.connId!);
    expect(info?.tls).toMatchObject({ authorized: true, peerSubjectCN: 'trunk-client' });
  });

  it('works over IPv6 ::1', async () => {
    const server = await start({ address: '::1', tls: { cert: pki.server.cert, key: pki.server.key } });
    const client = await start({ address: '::1', tls: { ca: pki.ca.cert, cert: pki.server.cert, key: pki.server.key } });
    const got = next(server, 'message');
    const flow = await client.send(req('v6'), { proto: 'tls', remote: server.listeners[0]!.local });
    expect(flow.remote.address).toBe('::1');
    const [, inFlow] = await got;
    expect(inFlow.remote.address).toBe('::1');
    expect(client.localEndpoint('tls', '::1')).toEqual({ address: '::1', port: client.listeners[0]!.local.port });
  });

  it('refuses to listen on TLS without a certificate', async () => {
    await expect(TransportLayer.start({ listen: [{ proto: 'tls', address: '127.0.0.1', port: 0 }] })).rejects.toThrow(/tls\.cert and tls\.key are required/);
  });
});
