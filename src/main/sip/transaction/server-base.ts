/** What INVITE and non-INVITE server transactions share: the request, and sending responses. */
import type { SipRequest, SipResponse } from '../syntax/message.ts';
import { tagOf } from '../syntax/accessors.ts';
import type { Destination, Flow } from '../transport/types.ts';
import { TransactionBase, type TxContext } from './transaction-base.ts';
import type { ServerTransaction, TxState } from './types.ts';

export interface ServerTxContext extends TxContext {
  /** RFC 3261 §18.2.2, provided by the transport. */
  responseDestination(res: SipResponse, flow: Flow): Destination;
}

export abstract class ServerTransactionBase extends TransactionBase implements ServerTransaction {
  readonly request: SipRequest;
  readonly flow: Flow;
  onTimeout?: () => void;
  onTransportError?: (err: Error) => void;
  onTerminated?: () => void;
  /** The last response sent, resent when the request is retransmitted. */
  protected last: { res: SipResponse; dest: Destination } | undefined;
  private readonly responseDestination: (res: SipResponse, flow: Flow) => Destination;

  protected constructor(ctx: ServerTxContext, request: SipRequest, flow: Flow, initial: TxState) {
    super(ctx, initial);
    this.request = request;
    this.flow = flow;
    this.responseDestination = ctx.responseDestination;
  }

  /** The To tag of the final response sent, for RFC 2543 ACK matching (§17.2.3). */
  get responseToTag(): string | undefined {
    return this.last && this.last.res.status >= 200
      ? tagOf(this.last.res.headers.get('to'))
      : undefined;
  }

  abstract respond(res: SipResponse): void;

  /** A request matched this transaction after it was created (retransmission, or ACK). */
  abstract receiveRequest(req: SipRequest, flow: Flow): void;

  /** Send a new response and remember it for retransmission. */
  protected sendResponse(res: SipResponse, retransmission = false): void {
    let dest: Destination;
    try {
      dest = this.responseDestination(res, this.flow);
    } catch (err) {
      this.onTransportError?.(err instanceof Error ? err : new Error(String(err)));
      this.terminate();
      return;
    }
    this.last = { res, dest };
    this.transmit(res, dest, retransmission);
  }

  /** Send the last response again (request retransmission, timer G). */
  protected resendLast(): void {
    if (this.last) this.transmit(this.last.res, this.last.dest, true);
  }

  protected notifyTransportError(err: Error): void {
    this.onTransportError?.(err);
  }

  protected notifyTerminated(): void {
    this.onTerminated?.();
  }
}
