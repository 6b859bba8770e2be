/** What INVITE and non-INVITE client transactions share: the request, its destination, the TU. */
import type { SipRequest, SipResponse } from '../syntax/message.ts';
import type { Destination, Flow } from '../transport/types.ts';
import { TransactionBase, type TxContext } from './transaction-base.ts';
import type { ClientTransaction, ClientTxUser, TxState } from './types.ts';

export abstract class ClientTransactionBase extends TransactionBase implements ClientTransaction {
  readonly request: SipRequest;
  destination: Destination;
  flow: Flow | undefined;
  protected readonly user: ClientTxUser;

  protected constructor(
    ctx: TxContext,
    initial: TxState,
    request: SipRequest,
    destination: Destination,
    user: ClientTxUser,
  ) {
    super(ctx, initial);
    this.request = request;
    this.destination = destination;
    this.user = user;
  }

  /** Send the request and start the timers. */
  abstract start(): void;

  /** A response matched this transaction (§17.1.3). */
  abstract receiveResponse(res: SipResponse, flow: Flow): void;

  /** Timer B / F (§17.1.1.2, §17.1.2.2): no final response in time. */
  protected startTimeout(name: string, ms: number): void {
    this.startTimer(name, ms, () => {
      this.user.onTimeout();
      this.terminate();
    });
  }

  protected override onSent(flow: Flow): void {
    if (this.flow !== undefined) return;
    this.flow = flow;
    // §17.1.1.3, §18.1.1: later sends (retransmissions, the ACK) reuse the connection chosen.
    if (flow.connId !== undefined) this.destination = { ...this.destination, connId: flow.connId };
  }

  /**
   * The transport learned the destination is unreachable (ICMP, RFC 3261 §18.4): a transaction
   * still waiting for its first response ends with a transport error (§17.1.1.2, §17.1.2.2).
   * Returns whether it did.
   */
  transportFailed(err: Error): boolean {
    if (this.terminated || (this.state !== 'Calling' && this.state !== 'Trying')) return false;
    this.notifyTransportError(err);
    this.terminate();
    return true;
  }

  protected notifyTransportError(err: Error): void {
    this.user.onTransportError(err);
  }

  protected notifyTerminated(): void {
    this.user.onTerminated?.();
  }
}
