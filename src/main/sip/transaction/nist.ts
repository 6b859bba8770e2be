/** Non-INVITE server transaction (RFC 3261 §17.2.2): Trying → Proceeding → Completed → Terminated. */
import type { SipRequest, SipResponse } from '../syntax/message.ts';
import type { Flow } from '../transport/types.ts';
import { ServerTransactionBase, type ServerTxContext } from './server-base.ts';

export class NonInviteServerTransaction extends ServerTransactionBase {
  constructor(ctx: ServerTxContext, request: SipRequest, flow: Flow) {
    super(ctx, request, flow, 'Trying');
  }

  respond(res: SipResponse): void {
    if (this.state !== 'Trying' && this.state !== 'Proceeding') return; // Completed: TU responses dropped
    this.sendResponse(res);
    if (this.terminated) return;
    if (res.status < 200) {
      this.state = 'Proceeding';
      return;
    }
    // §17.2.2: final → Completed, timer J (64·T1 unreliable, 0 reliable).
    this.state = 'Completed';
    this.terminateAfter('J', this.ctx.timers.J);
  }

  receiveRequest(_req: SipRequest, _flow: Flow): void {
    // §17.2.2: Trying discards retransmissions; Proceeding and Completed resend the last response.
    if (this.state === 'Proceeding' || this.state === 'Completed') this.resendLast();
  }
}
