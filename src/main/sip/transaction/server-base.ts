/**
 * What INVITE and non-INVITE server transactions share: the request, sending responses, and
 * letting go of everything but the matching key and the last response once the final response
 * is out (RFC 3261 §17.2.1/§17.2.2 Completed and Confirmed, RFC 6026 §7.1 Accepted only absorb
 * or answer retransmissions from then on).
 */
import type { SipRequest, SipResponse } from '../syntax/message.ts';
import { tagOf } from '../syntax/accessors.ts';
import { serializeMessage } from '../syntax/serializer.ts';
import type { Destination, Flow } from '../transport/types.ts';
import { TransactionBase, type TxContext } from './transaction-base.ts';
import type { ServerTransaction, TxState } from './types.ts';

export interface ServerTxContext extends TxContext {
  /** RFC 3261 §18.2.2, provided by the transport. */
  responseDestination(res: SipResponse, flow: Flow): Destination;
}

/** One shared string per common method: the method outlives the request for 32 s. */
const METHODS = new Map(
  ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'UPDATE', 'INFO', 'MESSAGE', 'NOTIFY', 'SUBSCRIBE', 'REFER'].map((m) => [m, m]),
);

export abstract class ServerTransactionBase extends TransactionBase implements ServerTransaction {
  readonly flow: Flow;
  /** The request's method, kept after the request itself is released. */
  readonly method: string;
  /** The §17.2.3 key the layer files it under; undefined for RFC 2543 requests (matched by request). */
  readonly key: string | undefined;
  onTimeout?: () => void;
  onTransportError?: (err: Error) => void;
  onTerminated?: () => void;
  /** The To tag of the final response sent, for RFC 2543 ACK matching (§17.2.3). */
  responseToTag: string | undefined;
  /**
   * The last response sent, resent when the request is retransmitted: its bytes when the sender
   * takes bytes (nothing of the request or the call stays reachable through it), else the message.
   */
  protected last: { msg: SipResponse | Buffer; dest: Destination } | undefined;
  private req: SipRequest | undefined;

  protected constructor(
    ctx: ServerTxContext,
    request: SipRequest,
    flow: Flow,
    initial: TxState,
    key: string | undefined,
  ) {
    super(ctx, initial);
    this.req = request;
    this.method = METHODS.get(request.method) ?? request.method;
    this.flow = flow;
    this.key = key;
  }

  /** The request that created the transaction; undefined once released (see release()). */
  get request(): SipRequest | undefined {
    return this.req;
  }

  abstract respond(res: SipResponse): void;

  /** A request matched this transaction after it was created (retransmission, or ACK). */
  abstract receiveRequest(req: SipRequest, flow: Flow): void;

  /**
   * The TU is done with the transaction (its call ended): drop its callbacks, so the
   * transaction no longer reaches the call during Timer L/H/I/J, and the request if the final
   * response is out. Retransmission handling is unchanged.
   */
  detach(): void {
    this.onTimeout = undefined;
    this.onTransportError = undefined;
    this.onTerminated = undefined;
    if (this.state !== 'Trying' && this.state !== 'Proceeding') this.release();
  }

  /**
   * Entering Completed, Confirmed or Accepted: from here the transaction only needs its key and
   * its last response (RFC 3261 §17.2.1, §17.2.2; RFC 6026 §7.1). RFC 2543 transactions keep
   * the request, which is what they are matched by (§17.2.3).
   */
  protected release(): void {
    if (this.key !== undefined) this.req = undefined;
  }

  /** Send a new response and remember it for retransmission. */
  protected sendResponse(res: SipResponse, retransmission = false): void {
    let dest: Destination;
    try {
      dest = (this.ctx as ServerTxContext).responseDestination(res, this.flow);
    } catch (err) {
      this.onTransportError?.(err instanceof Error ? err : new Error(String(err)));
      this.terminate();
      return;
    }
    if (res.status >= 200 && this.key === undefined) this.responseToTag = tagOf(res.headers.get('to'));
    // Serialized once here: the bytes are both what goes out now and what a retransmission resends.
    const msg = this.ctx.sender.sendRaw ? serializeMessage(res) : res;
    this.last = { msg, dest };
    this.transmit(msg, dest, retransmission);
  }

  /** Send the last response again (request retransmission, timer G). */
  protected resendLast(): void {
    if (this.last) this.transmit(this.last.msg, this.last.dest, true);
  }

  protected notifyTransportError(err: Error): void {
    this.onTransportError?.(err);
  }

  protected notifyTerminated(): void {
    this.onTerminated?.();
  }
}
