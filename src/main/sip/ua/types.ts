/** What the user agent needs from the layers below, and its configuration. */
import type { Clock } from '../../../shared/clock.ts';
import type { SipMessage, SipResponse } from '../syntax/message.ts';
import type { Destination, Endpoint, Flow, MessageSender, TransportProto } from '../transport/types.ts';
import type { TimerConfig } from '../transaction/timers.ts';

/** The transport as the UA sees it (TransportLayer satisfies this). */
export interface UaTransport extends MessageSender {
  localEndpoint(proto: TransportProto, remoteAddress?: string): Endpoint;
  responseDestination(res: SipResponse, flow: Flow): Destination;
  on(event: 'message', listener: (msg: SipMessage, flow: Flow) => void): unknown;
  /** ICMP unreachable for a hop we sent requests to (UDP; RFC 3261 §18.4), where the transport sees it. */
  onUnreachable?(listener: (info: { proto: TransportProto; remote: Endpoint; error: string }) => void): void;
}

export interface Credentials {
  username: string;
  password: string;
  /** Authorization username when it differs from the From user. */
  authUser?: string;
  /** When set, a challenge for another realm is classified as a realm mismatch. */
  realm?: string;
}

/** Resolves a SIP URI to an ordered list of destinations (RFC 3263), or throws. */
export type UriResolver = (uri: string, defaultProto: TransportProto) => Promise<Destination[]>;

export interface UaOptions {
  transport: UaTransport;
  clock: Clock;
  timers?: Partial<TimerConfig>;
  resolve: UriResolver;
  /** Transport used when a URI names none. */
  defaultProto: TransportProto;
  /** User-Agent / Server header value. */
  userAgent?: string;
  /** User part of our Contact. */
  contactUser?: string;
  /** Address to advertise in Via/Contact instead of the socket's (NAT, 0.0.0.0 binds). */
  advertisedAddress?: string;
  /**
   * ms to wait for a target's first response (any, 100 included) before trying the next one
   * (RFC 3263 §4.3); only when another target is left. Default DEFAULT_TARGET_TIMEOUT_MS.
   */
  targetTimeoutMs?: number;
}

/** Extra headers the user asked for, added to every request of that kind. */
export type CustomHeaders = Array<[string, string]>;

export type AuthFailureKind =
  | 'wrong-credentials'
  | 'forbidden'
  | 'realm-mismatch'
  | 'no-credentials'
  | 'no-response'
  | 'unreachable';
