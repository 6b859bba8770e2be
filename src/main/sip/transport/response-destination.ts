/**
 * Where a server transport sends a response: RFC 3261 §18.2.2 with RFC 3581 §4 (rport).
 * Pure: whether a connection is still open is asked through `isOpen`.
 */
import { type SipResponse } from '../syntax/message.ts';
import { topVia } from '../syntax/accessors.ts';
import type { Destination, Flow, TransportProto } from './types.ts';

const VIA_TRANSPORTS: Readonly<Record<string, TransportProto>> = { UDP: 'udp', TCP: 'tcp', TLS: 'tls' };

/** RFC 3261 §19.1.2: 5060 for UDP/TCP, 5061 for TLS. */
export function defaultPort(proto: TransportProto): number {
  return proto === 'tls' ? 5061 : 5060;
}

export function computeResponseDestination(
  res: SipResponse,
  flow: Flow | undefined,
  isOpen: (connId: number) => boolean,
): Destination {
  const via = topVia(res);
  const proto = VIA_TRANSPORTS[via.transport] ?? flow?.proto;
  if (proto === undefined) throw new Error(`cannot send a response over Via transport ${via.transport}`);
  const local = flow?.local;
  const received = via.params['received'] ?? undefined;
  const port = via.port ?? defaultPort(proto);
  if (proto !== 'udp') {
    // RFC 3261 §18.2.2: reliable transport — the connection the request came on, if still open;
    // otherwise open one to `received` (or sent-by host) at the sent-by port.
    if (flow && flow.proto === proto && flow.connId !== undefined && isOpen(flow.connId)) {
      return { proto, remote: { ...flow.remote }, connId: flow.connId };
    }
    return { proto, remote: { address: received || via.host, port } };
  }
  // Unreliable: maddr first (RFC 3261 §18.2.2), then RFC 3581 §4 rport, then received, then sent-by.
  const maddr = via.params['maddr'];
  if (maddr) return { proto, remote: { address: maddr, port }, ...(local ? { local } : {}) };
  const rport = via.params['rport'];
  if (rport && /^\d{1,5}$/.test(rport)) {
    return { proto, remote: { address: received || via.host, port: Number(rport) }, ...(local ? { local } : {}) };
  }
  return { proto, remote: { address: received || via.host, port }, ...(local ? { local } : {}) };
}
