/** The interfaces between the transaction layer and its transaction user (RFC 3261 §17). */
import type { SipRequest, SipResponse } from '../syntax/message.ts';
import type { Destination, Flow } from '../transport/types.ts';

/** RFC 3261 §17 state names, plus Accepted from RFC 6026 §7.1 / §8.4. */
export type TxState =
  'Calling' | 'Trying' | 'Proceeding' | 'Completed' | 'Accepted' | 'Confirmed' | 'Terminated';

/** What a client transaction reports to the TU that started it. */
export interface ClientTxUser {
  /** Provisional and final responses, including 2xx retransmissions and forked 2xx in Accepted. */
  onResponse(res: SipResponse, flow: Flow): void;
  /** Timer B or F fired before a final response (RFC 3261 §17.1.1.2, §17.1.2.2). */
  onTimeout(): void;
  /** The transport rejected a send (§17.1.4); the transaction is then terminated. */
  onTransportError(err: Error): void;
  onTerminated?(): void;
}

export interface ClientTransaction {
  readonly request: SipRequest;
  readonly state: TxState;
  /** Where the request goes; pinned to the connection the transport chose once known. */
  readonly destination: Destination;
  /** The flow the request first went out on, once the transport has reported it. */
  readonly flow: Flow | undefined;
  /** Messages sent again: request retransmissions and repeated ACKs. */
  readonly retransmissions: number;
  /** Stop every timer (no more retransmissions, no B/F timeout); the transaction stays matchable. */
  cancelTimers(): void;
  /** End the transaction now: timers cancelled, removed from the layer, onTerminated called. */
  terminate(): void;
}

export interface ServerTransaction {
  /**
   * The request that created the transaction. Undefined once the final response is out
   * (Completed, Confirmed, Accepted): from then on the transaction only absorbs or answers
   * retransmissions (RFC 3261 §17.2.1, §17.2.2; RFC 6026 §7.1) and keeps just its key and last
   * response. (Requests without an RFC 3261 branch keep it: §17.2.3 matches them by it.)
   */
  readonly request: SipRequest | undefined;
  /** The request's method (kept after the request is released). */
  readonly method: string;
  readonly flow: Flow;
  readonly state: TxState;
  /** Responses sent again: on request retransmission, timer G, or 2xx resent by the TU. */
  readonly retransmissions: number;
  /**
   * Send a complete response built by the TU. The transaction sends it to the transport's
   * responseDestination (RFC 3261 §18.2.2) and retransmits it when the RFC says so.
   */
  respond(res: SipResponse): void;
  /** INVITE server transactions in Accepted: the ACK for our 2xx, if it matched this transaction. */
  onAck?: (ack: SipRequest) => void;
  /** Timer H fired: no ACK for our non-2xx final response (§17.2.1). */
  onTimeout?: () => void;
  /** The transport rejected a response (§17.2.4); the transaction is then terminated. */
  onTransportError?: (err: Error) => void;
  onTerminated?: () => void;
  /**
   * The TU is done with this transaction (e.g. its call ended): callbacks are dropped so the
   * transaction, which lives on for Timer L/H/I/J, no longer keeps the TU reachable. Retransmissions
   * are still absorbed or answered; an ACK for a 2xx still reaches the TU through the layer.
   */
  detach(): void;
}
