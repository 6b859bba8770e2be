import { describe, expect, it } from 'vitest';
import { createResponse, Headers } from '../../../../src/main/sip/syntax/message.ts';
import { computeResponseDestination } from '../../../../src/main/sip/transport/response-destination.ts';
import type { Flow } from '../../../../src/main/sip/transport/types.ts';

function res(via: string) {
  return createResponse(200, 'OK', new Headers([['Via', via]]));
}
const udpFlow: Flow = { proto: 'udp', local: { address: '192.0.2.10', port: 5060 }, remote: { address: '198.51.100.1', port: 40000 } };
const tcpFlow: Flow = { proto: 'tcp', local: { address: '192.0.2.10', port: 5060 }, remote: { address: '198.51.100.1', port: 40001 }, connId: 7 };
const open = () => true;
const closed = () => false;

describe('computeResponseDestination (RFC 3261 §18.2.2, RFC 3581 §4)', () => {
  it('reliable: the same connection while it is open', () => {
    const d = computeResponseDestination(res('SIP/2.0/TCP 10.0.0.1:5070;branch=z9hG4bK1;received=198.51.100.1'), tcpFlow, open);
    expect(d).toEqual({ proto: 'tcp', remote: { address: '198.51.100.1', port: 40001 }, connId: 7 });
  });

  it('reliable: received and sent-by port once the connection is gone, default port otherwise', () => {
    expect(computeResponseDestination(res('SIP/2.0/TCP 10.0.0.1:5070;branch=z9hG4bK1;received=198.51.100.1'), tcpFlow, closed)).toEqual({
      proto: 'tcp',
      remote: { address: '198.51.100.1', port: 5070 },
    });
    expect(computeResponseDestination(res('SIP/2.0/TLS pbx.example.com;branch=z9hG4bK1'), undefined, closed)).toEqual({
      proto: 'tls',
      remote: { address: 'pbx.example.com', port: 5061 },
    });
  });

  it('unreliable: maddr wins', () => {
    const d = computeResponseDestination(res('SIP/2.0/UDP 10.0.0.1:5070;maddr=239.1.1.1;received=198.51.100.1;rport=4000;branch=z9hG4bK1'), udpFlow, open);
    expect(d.remote).toEqual({ address: '239.1.1.1', port: 5070 });
  });

  it('unreliable: received + rport, sent from where the request came', () => {
    const d = computeResponseDestination(res('SIP/2.0/UDP 10.0.0.1:5070;rport=40000;received=198.51.100.1;branch=z9hG4bK1'), udpFlow, open);
    expect(d).toEqual({ proto: 'udp', remote: { address: '198.51.100.1', port: 40000 }, local: udpFlow.local });
  });

  it('unreliable: received + sent-by port, default 5060', () => {
    expect(computeResponseDestination(res('SIP/2.0/UDP 10.0.0.1:5070;received=198.51.100.1;branch=z9hG4bK1'), udpFlow, open).remote).toEqual({
      address: '198.51.100.1',
      port: 5070,
    });
    expect(computeResponseDestination(res('SIP/2.0/UDP 10.0.0.1;received=198.51.100.1;branch=z9hG4bK1'), udpFlow, open).remote).toEqual({
      address: '198.51.100.1',
      port: 5060,
    });
  });

  it('unreliable: sent-by when nothing else is there; IPv6 without brackets', () => {
    expect(computeResponseDestination(res('SIP/2.0/UDP [2001:db8::5]:5080;branch=z9hG4bK1'), undefined, open)).toEqual({
      proto: 'udp',
      remote: { address: '2001:db8::5', port: 5080 },
    });
  });

  it('an empty rport (not stamped) is ignored', () => {
    const d = computeResponseDestination(res('SIP/2.0/UDP 10.0.0.1:5070;rport;branch=z9hG4bK1'), udpFlow, open);
    expect(d.remote).toEqual({ address: '10.0.0.1', port: 5070 });
  });
});
