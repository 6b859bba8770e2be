/**
 * RFC 3263 §4.1: when the URI names no transport and the user gave no --transport, NAPTR (then
 * SRV for UDP, TCP and TLS) decides the transport. The stack then needs all three transports
 * ready; this says when that is: a host name with no port (a numeric host or a port means UDP,
 * §4.1/§4.2, and the resolver never asks NAPTR).
 */
import type { TransportProto } from '../../engine/index.ts';

export function implicitTransports(transportOption: string | undefined, nextHop: string): TransportProto[] | undefined {
  if (transportOption !== undefined) return undefined; // --transport restricts the choice
  if (/^sips:/i.test(nextHop) || /;\s*transport=/i.test(nextHop) || /;\s*maddr=/i.test(nextHop)) return undefined;
  const hostPort = nextHop.replace(/^sips?:/i, '').replace(/^[^@]*@/, '').split(/[;?>]/)[0]!;
  if (hostPort.startsWith('[')) return undefined; // IPv6 literal
  const m = /^([^:]+)(:\d+)?$/.exec(hostPort);
  if (!m || m[2] !== undefined) return undefined;
  const host = m[1]!.toLowerCase();
  if (host === 'localhost' || /^[\d.]+$/.test(host)) return undefined;
  return ['udp', 'tcp', 'tls'];
}
