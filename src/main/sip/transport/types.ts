/**
 * The transport port: what the transaction and UA layers see of the network. Only the adapters
 * in this folder touch node:dgram / node:net / node:tls (DESIGN.md).
 */
import type { SipMessage } from '../syntax/message.ts';

export type TransportProto = 'udp' | 'tcp' | 'tls';

import type { Endpoint } from '../../../shared/model/endpoint.ts';

export type { Endpoint };

/** Where a message came from or went to, and over which connection. */
export interface Flow {
  proto: TransportProto;
  local: Endpoint;
  remote: Endpoint;
  /** Connection id for TCP/TLS (responses go back over the same connection, RFC 3261 §18.2.2). */
  connId?: number;
}

/** Where to send: a resolved target; connId pins an existing connection. */
export interface Destination {
  proto: TransportProto;
  remote: Endpoint;
  connId?: number;
  /** UDP: send from the socket bound here if there is one (RFC 3581 §4: reply from where the request came). */
  local?: Endpoint;
  /** TLS: the name the server certificate must match (RFC 5922 §7.2), also sent as SNI. */
  servername?: string;
}

export function isReliable(proto: TransportProto): boolean {
  return proto !== 'udp';
}

/** One sent or received message (or a malformed datagram / stream error) for the trace. */
export interface TraceRecord {
  dir: 'in' | 'out';
  /** Wall-clock ms since epoch. */
  at: number;
  proto: TransportProto;
  local: Endpoint;
  remote: Endpoint;
  raw: Buffer;
  /**
   * The message's Call-ID (from the parsed message, else a bounded scan of the bytes), cut to
   * MAX_CALL_ID_KEY characters so it is safe as a table key.
   */
  callId?: string;
  /** Set when the bytes could not be parsed or the stream was cut; the message was not delivered. */
  error?: string;
}

/** What the transaction layer needs from the network. */
export interface MessageSender {
  /**
   * Serialize and send. Resolves with the flow actually used (for TCP/TLS, the connection).
   * Rejects on a transport error (connection refused, TLS failure, ICMP unreachable where visible).
   */
  send(msg: SipMessage, dest: Destination): Promise<Flow>;
  /**
   * Send bytes already serialized. When present, server transactions keep their last response
   * as bytes only (what a retransmission needs, RFC 3261 §17.2.1/§17.2.2) instead of the message.
   */
  sendRaw?(data: Buffer, dest: Destination): Promise<Flow>;
}
