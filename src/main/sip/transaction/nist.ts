/** Non-INVITE server transaction (RFC 3261 §17.2.2): Trying → Proceeding → Completed → Terminated. */
import type { SipRequest, SipResponse } from '../syntax/message.ts';
import type { Flow } from '../transport/types.ts';
import { ServerTransactionBase, type ServerTxContext } from './server-base.ts';

export class NonInviteServerTransaction extends ServerTransactionBase {
  constructor(ctx: ServerTxContext, request: SipRequest, flow: Flow, key: string | undefined) {
    super(ctx, request, flow, 'Trying', key);
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
    // From here only the key and the last response matter: the request is released.
    this.state = 'Completed';
    this.release();
    if (this.ctx.timers.J <= 0) this.terminate();
    else this.startQueued('J', this.ctx.timers.J);
  }

  /** Timer J (§17.2.2): Completed → Terminated. */
  protected override onQueuedTimer(kind: string): void {
    if (kind === 'J') this.terminate();
  }

  receiveRequest(_req: SipRequest, _flow: Flow): void {
    // §17.2.2: Trying discards retransmissions; Proceeding and Completed resend the last response.
    if (this.state === 'Proceeding' || this.state === 'Completed') this.resendLast();
  }
}
