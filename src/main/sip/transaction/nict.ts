/** Non-INVITE client transaction (RFC 3261 §17.1.2): Trying → Proceeding → Completed → Terminated. */
import type { SipRequest, SipResponse } from '../syntax/message.ts';
import type { Destination, Flow } from '../transport/types.ts';
import { ClientTransactionBase } from './client-base.ts';
import type { TxContext } from './transaction-base.ts';
import type { ClientTxUser } from './types.ts';

export class NonInviteClientTransaction extends ClientTransactionBase {
  private intervalE: number;

  constructor(ctx: TxContext, request: SipRequest, destination: Destination, user: ClientTxUser) {
    super(ctx, 'Trying', request, destination, user);
    this.intervalE = ctx.timers.E;
  }

  /** RFC 3261 §17.1.2.2: send, start E (unreliable transports only) and F. */
  start(): void {
    this.transmit(this.request, this.destination, false);
    if (!this.ctx.reliable) this.startTimer('E', this.intervalE, this.fireE);
    this.startTimeout('F', this.ctx.timers.F);
  }

  /** Timer E: min(2E, T2) in Trying, T2 once Proceeding (§17.1.2.2). */
  private readonly fireE = (): void => {
    if (this.state !== 'Trying' && this.state !== 'Proceeding') return;
    this.transmit(this.request, this.destination, true);
    const { T2 } = this.ctx.timers;
    this.intervalE = this.state === 'Trying' ? Math.min(2 * this.intervalE, T2) : T2;
    this.startTimer('E', this.intervalE, this.fireE);
  };

  receiveResponse(res: SipResponse, flow: Flow): void {
    if (this.state !== 'Trying' && this.state !== 'Proceeding') return; // Completed absorbs (§17.1.2.2)
    if (res.status < 200) {
      this.state = 'Proceeding';
      this.user.onResponse(res, flow);
      return;
    }
    this.state = 'Completed';
    this.stopTimer('E');
    this.stopTimer('F');
    this.user.onResponse(res, flow);
    this.terminateAfter('K', this.ctx.timers.K);
  }
}
