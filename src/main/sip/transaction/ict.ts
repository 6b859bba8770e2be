/**
 * INVITE client transaction (RFC 3261 §17.1.1, updated by RFC 6026 §8.4):
 * Calling → Proceeding → Completed (non-2xx, ACK sent here) or Accepted (2xx) → Terminated.
 */
import { createRequest, Headers, type SipRequest, type SipResponse } from '../syntax/message.ts';
import { cseqOf } from '../syntax/accessors.ts';
import type { Destination, Flow } from '../transport/types.ts';
import { ClientTransactionBase } from './client-base.ts';
import type { TxContext } from './transaction-base.ts';
import type { ClientTxUser } from './types.ts';

/**
 * The ACK for a non-2xx final response (RFC 3261 §17.1.1.3): same Request-URI, Call-ID and
 * From as the INVITE, the response's To (with its tag), the INVITE's CSeq number with method
 * ACK, one Via equal to the INVITE's top Via, and the INVITE's Route headers.
 */
export function buildNon2xxAck(invite: SipRequest, res: SipResponse): SipRequest {
  const h = new Headers();
  const via = invite.headers.getAll('via')[0];
  if (via !== undefined) h.append('Via', via);
  // RFC 3261 §17.1.1.3: "If the INVITE request ... contained Route header fields, the ACK
  // MUST contain those header fields" — kept in order, as written.
  for (const f of invite.headers.fields) if (f.key === 'route') h.append(f.name, f.value);
  h.append('Max-Forwards', '70'); // RFC 3261 §8.1.1.6
  const from = invite.headers.get('from');
  if (from !== undefined) h.append('From', from);
  const to = res.headers.get('to') ?? invite.headers.get('to');
  if (to !== undefined) h.append('To', to);
  const callId = invite.headers.get('call-id');
  if (callId !== undefined) h.append('Call-ID', callId);
  h.append('CSeq', `${cseqOf(invite).seq} ACK`);
  return createRequest('ACK', invite.uri, h);
}

export class InviteClientTransaction extends ClientTransactionBase {
  private intervalA: number;
  private ack: SipRequest | undefined;

  constructor(ctx: TxContext, request: SipRequest, destination: Destination, user: ClientTxUser) {
    super(ctx, 'Calling', request, destination, user);
    this.intervalA = ctx.timers.A;
  }

  /** RFC 3261 §17.1.1.2: send the INVITE, start A (unreliable transports only) and B. */
  start(): void {
    this.transmit(this.request, this.destination, false);
    if (!this.ctx.reliable) this.startTimer('A', this.intervalA, this.fireA);
    this.startTimeout('B', this.ctx.timers.B);
  }

  /** Timer A: retransmit and double the interval, without cap (§17.1.1.2). */
  private readonly fireA = (): void => {
    if (this.state !== 'Calling') return;
    this.transmit(this.request, this.destination, true);
    this.intervalA *= 2;
    this.startTimer('A', this.intervalA, this.fireA);
  };

  receiveResponse(res: SipResponse, flow: Flow): void {
    const s = res.status;
    switch (this.state) {
      case 'Calling':
      case 'Proceeding':
        this.stopTimer('A');
        this.stopTimer('B'); // B runs in Calling only (§17.1.1.2, Figure 5)
        if (s < 200) {
          this.state = 'Proceeding';
          this.user.onResponse(res, flow);
        } else if (s < 300) {
          // RFC 6026 §8.4: 2xx → Accepted; the TU, not the transaction, sends the ACK.
          this.state = 'Accepted';
          this.startTimer('M', this.ctx.timers.M, () => this.terminate());
          this.user.onResponse(res, flow);
        } else {
          // §17.1.1.2: 300-699 → Completed; ACK generated here, response passed up.
          this.state = 'Completed';
          this.ack = buildNon2xxAck(this.request, res);
          this.transmit(this.ack, this.destination, false);
          this.user.onResponse(res, flow);
          this.terminateAfter('D', this.ctx.timers.D);
        }
        return;
      case 'Completed':
        // §17.1.1.2: a retransmitted final response is answered with the ACK again, not passed up.
        if (s >= 300 && this.ack) this.transmit(this.ack, this.destination, true);
        return;
      case 'Accepted':
        // RFC 6026 §8.4: every 2xx (retransmitted or from another fork) goes to the TU.
        if (s >= 200 && s < 300) this.user.onResponse(res, flow);
        return;
      default:
        return;
    }
  }
}
