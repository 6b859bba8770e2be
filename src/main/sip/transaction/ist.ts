/**
 * INVITE server transaction (RFC 3261 §17.2.1, updated by RFC 6026 §7.1):
 * Proceeding → Completed (non-2xx) → Confirmed → Terminated, or Proceeding → Accepted (2xx) →
 * Terminated. Retransmitting the 2xx is the TU's job (§13.3.1.4); it does so through respond().
 */
import { createResponse, Headers, type SipRequest, type SipResponse } from '../syntax/message.ts';
import type { Flow } from '../transport/types.ts';
import { ServerTransactionBase, type ServerTxContext } from './server-base.ts';

/** 100 Trying built by the transaction (RFC 3261 §8.2.6.1: Via, From, To, Call-ID, CSeq, Timestamp copied). */
export function buildTrying(req: SipRequest): SipResponse {
  const h = new Headers();
  for (const f of req.headers.fields) {
    if (
      f.key === 'via' ||
      f.key === 'from' ||
      f.key === 'to' ||
      f.key === 'call-id' ||
      f.key === 'cseq' ||
      f.key === 'timestamp'
    ) {
      h.append(f.name, f.value);
    }
  }
  return createResponse(100, 'Trying', h);
}

export class InviteServerTransaction extends ServerTransactionBase {
  onAck?: (ack: SipRequest) => void;
  private intervalG: number;
  /** Where an ACK in Accepted goes when the TU set no onAck (the layer's onRequest, shared). */
  private readonly passAck: (ack: SipRequest, flow: Flow) => void;

  constructor(
    ctx: ServerTxContext,
    request: SipRequest,
    flow: Flow,
    passAck: (ack: SipRequest, flow: Flow) => void,
    key: string | undefined,
  ) {
    super(ctx, request, flow, 'Proceeding', key);
    this.intervalG = ctx.timers.G;
    this.passAck = passAck;
  }

  /**
   * §17.2.1: send 100 Trying unless the TU answers within 200 ms. The layer calls this once the
   * TU has seen the INVITE: a TU that already responded needs no timer at all.
   */
  start(): void {
    if (this.state !== 'Proceeding' || this.last !== undefined) return;
    // respond() stops this timer, so it only fires while the TU has said nothing.
    this.startTimer('trying', this.ctx.timers.trying, () => {
      if (this.request) this.sendResponse(buildTrying(this.request));
    });
  }

  /** RFC 6026 §7.1: the ACK for a 2xx still reaches the TU after it detached (through the layer). */
  override detach(): void {
    this.onAck = undefined;
    super.detach();
  }

  respond(res: SipResponse): void {
    const s = res.status;
    if (this.state === 'Proceeding') {
      this.stopTimer('trying');
      this.sendResponse(res);
      if (this.terminated || s < 200) return;
      if (s < 300) {
        // RFC 6026 §7.1: 2xx → Accepted, timer L.
        this.state = 'Accepted';
        this.release();
        // Accepted absorbs INVITE retransmissions and passes ACKs on: no last response needed
        // (the To tag for RFC 2543 ACK matching was kept when it was sent).
        this.last = undefined;
        this.startQueued('L', this.ctx.timers.L);
      } else {
        // §17.2.1: 300-699 → Completed; G (unreliable only) and H.
        this.state = 'Completed';
        this.release();
        if (!this.ctx.reliable) this.startTimer('G', this.intervalG, () => this.fireG());
        this.startTimer('H', this.ctx.timers.H, () => {
          this.onTimeout?.();
          this.terminate();
        });
      }
    } else if (this.state === 'Accepted' && s >= 200 && s < 300) {
      // RFC 6026 §7.1: 2xx from the TU in Accepted (its §13.3.1.4 retransmissions) is sent.
      this.sendResponse(res, true);
      this.last = undefined;
    }
    // Any other response in any other state is not the TU's to send: dropped.
  }

  /** Timer L (RFC 6026 §7.1): Accepted → Terminated. */
  protected override onQueuedTimer(kind: string): void {
    if (kind === 'L') this.terminate();
  }

  /** Timer G: resend the final response, interval min(2G, T2) (§17.2.1). */
  private fireG(): void {
    if (this.state !== 'Completed') return;
    this.resendLast();
    this.intervalG = Math.min(2 * this.intervalG, this.ctx.timers.T2);
    this.startTimer('G', this.intervalG, () => this.fireG());
  }

  receiveRequest(req: SipRequest, flow: Flow): void {
    if (req.method === 'ACK') {
      if (this.state === 'Completed') {
        // §17.2.1: ACK → Confirmed; G stops, I absorbs further ACKs.
        this.state = 'Confirmed';
        this.stopTimer('G');
        this.stopTimer('H');
        this.terminateAfter('I', this.ctx.timers.I);
      } else if (this.state === 'Accepted') {
        // RFC 6026 §7.1: an ACK matching the transaction in Accepted is passed to the TU.
        if (this.onAck) this.onAck(req);
        else this.passAck(req, flow);
      }
      return; // Confirmed absorbs; an ACK in Proceeding is meaningless.
    }
    // A retransmitted INVITE: Proceeding and Completed resend the last response (§17.2.1);
    // Accepted absorbs it (RFC 6026 §7.1), Confirmed too.
    if (this.state === 'Proceeding' || this.state === 'Completed') this.resendLast();
  }
}
