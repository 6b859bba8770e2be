/**
 * An incoming call (UAS side of INVITE, RFC 3261 §13.3): ringing, early media (183 with SDP),
 * reliable provisionals when the caller requires 100rel (RFC 3262 §3), the 2xx retransmitted
 * until ACK, CANCEL → 487 (§9.2), 422 for a too-small session interval (RFC 4028 §8.1).
 */
import { Dialog } from '../dialog/dialog.ts';
import { cseqOf, tagOf } from '../syntax/accessors.ts';
import type { SipRequest, SipResponse } from '../syntax/message.ts';
import type { ServerTransaction } from '../transaction/transaction-layer.ts';
import type { Flow } from '../transport/types.ts';
import { InviteSession } from './invite-session.ts';
import type { MediaHandler } from './media-handler.ts';
import { newTag, responseTo } from './message-factory.ts';
import { Retransmitter } from './retransmit-2xx.ts';
import { DEFAULT_SESSION_TIMER, uasNegotiate, type SessionTimerConfig } from './session-timer.ts';
import { ALLOW, SUPPORTED, cancelListeners, type UserAgent } from './user-agent.ts';

export class InviteServer extends InviteSession {
  readonly request: SipRequest;
  readonly tx: ServerTransaction;
  readonly localTag = newTag();
  readonly callId: string;
  private finalSent = false;
  private rseq = Math.floor(Math.random() * 1000) + 1;
  private reliable: { rseq: number; r: Retransmitter } | undefined;
  /** RSeq values of reliable provisionals not yet PRACKed (a PRACK may follow our 2xx). */
  private readonly unacked = new Set<number>();
  private checked = false;
  /** Headers to add to every response (e.g. the listener's custom headers). */
  extraHeaders: Array<[string, string]> = [];

  get role(): 'uas' {
    return 'uas';
  }

  constructor(ua: UserAgent, media: MediaHandler, req: SipRequest, tx: ServerTransaction, flow: Flow, sessionCfg?: SessionTimerConfig) {
    super(ua, media, sessionCfg ?? DEFAULT_SESSION_TIMER);
    this.request = req;
    this.tx = tx;
    this.flow = flow;
    this.callId = req.headers.get('call-id')!;
    this.state = 'proceeding';
    this.peerAllow = req.headers.getAll('allow').map((m) => m.toUpperCase());
    cancelListeners.set(tx, () => this.onCancel());
    ua.register(this.callId, this.localTag, this);
  }

  /** RFC 3262 §3: the caller requires reliable provisionals. */
  get reliableRequired(): boolean {
    return this.request.headers.getAll('require').some((t) => t.toLowerCase() === '100rel');
  }

  /**
   * Checks made before the first response: a session interval below our Min-SE gets 422 at once
   * (RFC 4028 §8.1), not after ringing. Returns false when the INVITE was rejected.
   */
  private preflight(): boolean {
    if (this.finalSent) return false;
    if (this.checked) return true;
    this.checked = true;
    if (!uasNegotiate(this.request, this.sessionCfg).ok) {
      this.reject(422, undefined, [['Min-SE', String(this.sessionCfg.minSE)]]);
      return false;
    }
    return true;
  }

  /** Send 180 Ringing. */
  ring(): void {
    if (!this.preflight()) return;
    this.provisional(180);
    this.setState('ringing');
  }

  /** Send 183 Session Progress with our SDP answer (early media). */
  progress(): boolean {
    if (!this.preflight()) return false;
    const res = this.build(183);
    if (!this.attachSdp(res)) return false;
    this.sendProvisional(res);
    this.setState('early');
    return true;
  }

  /** Answer with 200 and SDP; the call is connected when the ACK arrives. */
  answer(): boolean {
    if (!this.preflight()) return false;
    const nego = uasNegotiate(this.request, this.sessionCfg);
    if (!nego.ok) {
      // RFC 4028 §8.1: the interval is below our minimum.
      this.reject(422, undefined, [['Min-SE', String(this.sessionCfg.minSE)]]);
      return false;
    }
    const res = this.build(200);
    if (!this.attachSdp(res)) return false;
    res.headers.append('Allow', ALLOW).append('Supported', SUPPORTED.join(', '));
    if (nego.se) {
      res.headers.append('Session-Expires', `${nego.se.interval};refresher=${nego.se.refresher}`);
      if (nego.se.refresher === 'uac') res.headers.append('Require', 'timer');
      this.timer.start(nego.se, nego.se.refresher === 'uas');
    }
    this.finalSent = true;
    this.stopReliable();
    this.ensureDialog('confirmed');
    this.answeredAt = this.ua.opts.clock.now();
    this.sendAnswer2xx(this.tx, res, this.flow!);
    return true;
  }

  /** Reject with a final non-2xx (486 busy, 603 decline, 488 ...). */
  reject(status: number, reason?: string, extra: Array<[string, string]> = []): void {
    if (this.finalSent) return;
    this.finalSent = true;
    this.stopReliable();
    const res = this.build(status, reason);
    for (const [n, v] of extra) res.headers.append(n, v);
    this.tx.respond(res);
    this.finish({ by: 'local', status, reason: `${status} ${res.reason}` });
  }

  private build(status: number, reason?: string): SipResponse {
    const res = responseTo(this.request, status, reason, this.localTag);
    if (status > 100 && status < 300) res.headers.append('Contact', this.ua.contactFor(this.flow!));
    res.headers.append('Server', this.ua.userAgentHeader);
    for (const [n, v] of this.extraHeaders) res.headers.append(n, v);
    return res;
  }

  /** Answer the INVITE's offer, or offer ourselves when it came without SDP (late offer). */
  private attachSdp(res: SipResponse): boolean {
    const body = this.request.body;
    let sdp: string;
    if (body.length > 0) {
      const ans = this.media.answer(body.toString());
      if (!ans.ok) {
        this.reject(ans.status, ans.reason, ans.warning !== undefined ? [['Warning', ans.warning]] : []);
        return false;
      }
      sdp = ans.sdp;
    } else sdp = this.media.offer('sendrecv');
    res.headers.append('Content-Type', 'application/sdp');
    res.body = Buffer.from(sdp);
    return true;
  }

  private provisional(status: number): void {
    this.sendProvisional(this.build(status));
  }

  private sendProvisional(res: SipResponse): void {
    if (this.finalSent) return;
    this.ensureDialog('early');
    if (this.reliableRequired && !this.reliable) {
      const rseq = this.rseq++;
      res.headers.append('Require', '100rel').append('RSeq', String(rseq));
      this.tx.respond(res);
      const r = new Retransmitter({
        res,
        flow: this.flow!,
        transport: this.ua.opts.transport,
        clock: this.ua.opts.clock,
        timers: this.ua.timers,
        onGiveUp: () => this.reject(504, 'No PRACK'),
      });
      this.reliable = { rseq, r };
      this.unacked.add(rseq);
      r.start();
      return;
    }
    this.tx.respond(res);
  }

  private stopReliable(): void {
    this.reliable?.r.stop();
    this.reliable = undefined;
  }

  private ensureDialog(state: 'early' | 'confirmed'): void {
    if (!this.dialog) this.dialog = Dialog.fromUasRequest(this.request, this.localTag, state);
    else this.dialog.state = state;
  }

  /** RFC 3261 §9.2: the CANCEL was answered 200 by the core; the INVITE gets 487. */
  private onCancel(): void {
    if (this.finalSent) return;
    this.finalSent = true;
    this.stopReliable();
    this.tx.respond(this.build(487));
    this.finish({ by: 'remote', status: 487, reason: 'cancelled by caller (CANCEL)' });
  }

  override handleRequest(req: SipRequest, tx: ServerTransaction, flow: Flow): void {
    if (tagOf(req.headers.get('from')) !== this.dialog?.remoteTag) return this.ua.reply(tx, 481);
    if (req.method === 'PRACK') return this.onPrack(req, tx);
    if (req.method === 'BYE' && !this.finalSent) {
      // RFC 3261 §15.1.2: BYE in an early dialog; the INVITE gets 487.
      this.ua.reply(tx, 200);
      this.onCancel();
      return;
    }
    super.handleRequest(req, tx, flow);
  }

  /** RFC 3262 §3: PRACK matching the outstanding RSeq stops its retransmission. */
  private onPrack(req: SipRequest, tx: ServerTransaction): void {
    const rack = (req.headers.get('rack') ?? '').trim().split(/\s+/);
    const rseq = Number(rack[0]);
    if (!this.unacked.has(rseq) || Number(rack[1]) !== cseqOf(this.request).seq) return this.ua.reply(tx, 481);
    this.unacked.delete(rseq);
    if (this.reliable?.rseq === rseq) this.stopReliable();
    this.ua.reply(tx, 200);
  }

  /**
   * Let go of the INVITE transaction's links back to us when the call ends: the transaction lives
   * on for Timer L (64·T1, RFC 6026 §7.1) or H/I (RFC 3261 §17.2.1) and must not keep the whole
   * call reachable that long. A reliable provisional still being retransmitted stops (RFC 3262 §3).
   */
  protected override finish(end: Parameters<InviteSession['finish']>[0]): void {
    cancelListeners.delete(this.tx);
    this.tx.detach();
    this.stopReliable();
    super.finish(end);
  }

  protected override onAck(ack: SipRequest): void {
    if (this.state !== 'connected' && cseqOf(ack).seq === cseqOf(this.request).seq) this.connect();
  }
}
