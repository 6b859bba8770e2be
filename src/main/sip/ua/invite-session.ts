/**
 * What both ends of an INVITE dialog share once it exists: in-dialog requests in both
 * directions (BYE, re-INVITE for hold/resume, UPDATE, INFO, OPTIONS), 2xx/ACK handling and
 * RFC 4028 session timers. InviteClient and InviteServer add the setup phase.
 */
import { EventEmitter } from 'node:events';
import type { Dialog } from '../dialog/dialog.ts';
import type { ServerTransaction } from '../transaction/transaction-layer.ts';
import { cseqOf } from '../syntax/accessors.ts';
import type { SipRequest, SipResponse } from '../syntax/message.ts';
import type { Flow } from '../transport/types.ts';
import { responseTo } from './message-factory.ts';
import type { Direction, MediaHandler } from './media-handler.ts';
import { Retransmitter } from './retransmit-2xx.ts';
import { sendNonInvite, type RequestOutcome } from './request-client.ts';
import { readSessionExpires, SessionTimer, supportsTimer, type SessionTimerConfig } from './session-timer.ts';
import { ALLOW, SUPPORTED, notifyOrMessageAnswer, type DialogOwner, type UserAgent } from './user-agent.ts';
import type { Authenticator } from './authenticator.ts';
import { sendReinvite } from './reinvite.ts';

/** Upper bound on the media drain at the end of a call (the handler usually ends it sooner). */
const DRAIN_LIMIT_MS = 1000;

export type CallState = 'calling' | 'proceeding' | 'ringing' | 'early' | 'connected' | 'terminated';

export interface CallEnd {
  by: 'local' | 'remote' | 'error';
  /** Final status of the INVITE when the call never connected, or of what ended it. */
  status?: number;
  reason: string;
}

export interface SessionEvents {
  state: [state: CallState];
  provisional: [res: SipResponse];
  connected: [];
  ended: [end: CallEnd];
  info: [req: SipRequest];
  /** A session refresh or re-INVITE/UPDATE happened (ours or the peer's). */
  refreshed: [method: string, by: 'local' | 'remote'];
  hold: [direction: Direction, by: 'local' | 'remote'];
  /** A 3xx was followed to a new target (RFC 3261 §8.1.3.4). */
  redirected: [status: number, to: string];
}

export abstract class InviteSession extends EventEmitter<SessionEvents> implements DialogOwner {
  readonly ua: UserAgent;
  readonly media: MediaHandler;
  readonly sessionCfg: SessionTimerConfig;
  dialog: Dialog | undefined;
  state: CallState = 'calling';
  flow: Flow | undefined;
  end: CallEnd | undefined;
  startedAt: number;
  answeredAt: number | undefined;
  endedAt: number | undefined;
  /**
   * When we sent our BYE: from then on the session is over for us (RFC 3261 §15.1.1), whatever
   * the BYE's response; no more requests in the dialog, and the call's end is dated here.
   */
  byeSentAt: number | undefined;
  /** When the peer's BYE arrived (the call's end is dated here, before the media drain). */
  byeReceivedAt: number | undefined;
  auth: Authenticator | undefined;
  localDirection: Direction = 'sendrecv';
  readonly timer: SessionTimer;
  /** 2xx responses we are retransmitting until their ACK, by CSeq number (§13.3.1.4). */
  protected readonly pending2xx = new Map<number, Retransmitter>();
  private reinviting = false;

  constructor(ua: UserAgent, media: MediaHandler, sessionCfg: SessionTimerConfig) {
    super();
    this.ua = ua;
    this.media = media;
    this.sessionCfg = sessionCfg;
    this.startedAt = ua.opts.clock.now();
    this.timer = new SessionTimer(
      ua.opts.clock,
      () => void this.refresh(),
      () => void this.hangup('session expired (RFC 4028)'),
    );
  }

  abstract get role(): 'uac' | 'uas';

  protected setState(s: CallState): void {
    if (this.state === s) return;
    this.state = s;
    this.emit('state', s);
  }

  protected connect(): void {
    this.answeredAt ??= this.ua.opts.clock.now();
    this.setState('connected');
    this.emit('connected');
  }

  /** Mark the session ended once; releases timers and the dialog registration. */
  protected finish(end: CallEnd): void {
    if (this.state === 'terminated') return;
    this.end = end;
    this.endedAt = this.byeSentAt ?? this.byeReceivedAt ?? this.ua.opts.clock.now();
    this.timer.stop();
    for (const r of this.pending2xx.values()) r.stop();
    this.pending2xx.clear();
    if (this.dialog) this.ua.unregister(this.dialog.callId, this.dialog.localTag);
    this.setState('terminated');
    this.emit('ended', end);
  }

  /** End a connected call with BYE (RFC 3261 §15.1.1); resolves when it is answered or times out. */
  async hangup(reason = 'local hangup'): Promise<void> {
    if (this.state === 'terminated' || this.dialog?.state !== 'confirmed' || this.byeSentAt !== undefined || this.byeReceivedAt !== undefined) return;
    this.byeSentAt = this.ua.opts.clock.now();
    const outcome = await this.inDialog('BYE');
    const status = outcome.response?.status;
    await this.drainMedia();
    this.finish({ by: 'local', status, reason: status ? `${reason} (BYE ${status})` : `${reason} (BYE ${outcome.error})` });
  }

  /**
   * RTP the peer sent before the session ended may still be in flight (delay on the media path
   * can exceed the signalling's): let the media handler take it in, at most DRAIN_LIMIT_MS.
   */
  private async drainMedia(): Promise<void> {
    if (!this.media.drain) return;
    let timer: { cancel(): void } | undefined;
    const limit = new Promise<void>((r) => (timer = this.ua.opts.clock.setTimer(DRAIN_LIMIT_MS, r)));
    try {
      await Promise.race([this.media.drain().catch(() => undefined), limit]);
    } finally {
      timer?.cancel();
    }
  }

  /** Put the call on hold or resume it by re-INVITE (RFC 3264 §8.4). */
  async hold(on: boolean): Promise<boolean> {
    const ok = await this.reinvite(on ? 'sendonly' : 'sendrecv');
    if (ok) this.emit('hold', on ? 'sendonly' : 'sendrecv', 'local');
    return ok;
  }

  async reinvite(direction: Direction = this.localDirection): Promise<boolean> {
    if (!this.dialog || this.state !== 'connected' || this.reinviting || this.byeSentAt !== undefined) return false;
    this.reinviting = true;
    try {
      const res = await sendReinvite(this, direction);
      if (res && res.status >= 200 && res.status < 300) {
        this.localDirection = direction;
        this.onRefreshResponse(res);
        this.emit('refreshed', 'INVITE', 'local');
        return true;
      }
      if (res && (res.status === 408 || res.status === 481)) this.finish({ by: 'error', status: res.status, reason: `re-INVITE got ${res.status}` });
      return false;
    } finally {
      this.reinviting = false;
    }
  }

  /** Send a non-INVITE request in the dialog (BYE, INFO, UPDATE, OPTIONS, MESSAGE, ...). */
  async inDialog(method: string, opts: { body?: string; contentType?: string; headers?: Array<[string, string]> } = {}): Promise<RequestOutcome> {
    const dialog = this.dialog!;
    const build = (cseq: number): SipRequest => {
      const req = dialog.createRequest(method, { cseq });
      for (const [n, v] of opts.headers ?? []) req.headers.append(n, v);
      if (opts.body !== undefined) {
        req.headers.append('Content-Type', opts.contentType ?? 'application/sdp');
        req.body = Buffer.from(opts.body);
      }
      return req;
    };
    const first = ++dialog.localSeq;
    const outcome = await sendNonInvite(this.ua, {
      build,
      firstCSeq: first,
      nextHop: dialog.nextHopUri(),
      auth: this.auth,
      defaultProto: this.flow?.proto,
    });
    dialog.localSeq = Math.max(dialog.localSeq, cseqOf(outcome.request).seq);
    return outcome;
  }

  /** RFC 4028 §10: refresh by UPDATE when the peer allows it, else by re-INVITE. */
  private async refresh(): Promise<void> {
    if (this.state !== 'connected' || this.byeSentAt !== undefined) return;
    const peerAllowsUpdate = this.peerAllow.includes('UPDATE');
    if (peerAllowsUpdate) {
      const out = await this.inDialog('UPDATE', { headers: this.sessionTimerHeaders(this.timer.current?.interval) });
      const res = out.response;
      if (res && res.status >= 200 && res.status < 300) {
        this.onRefreshResponse(res);
        this.emit('refreshed', 'UPDATE', 'local');
      } else this.finish({ by: 'error', status: res?.status, reason: `session refresh by UPDATE failed (${res?.status ?? out.error})` });
      return;
    }
    const ok = await this.reinvite();
    if (!ok && this.state === 'connected' && this.byeSentAt === undefined) this.finish({ by: 'error', reason: 'session refresh by re-INVITE failed' });
  }

  /** Methods the peer said it allows (from its INVITE or 2xx). */
  peerAllow: string[] = [];

  sessionTimerHeaders(interval?: number): Array<[string, string]> {
    if (this.sessionCfg.sessionExpires === 0) return [['Supported', SUPPORTED.join(', ')]];
    const se = interval ?? this.sessionCfg.sessionExpires;
    return [
      ['Supported', SUPPORTED.join(', ')],
      ['Session-Expires', `${se};refresher=${this.role}`],
      // Min-SE never above the interval we ask for (RFC 4028 §4: Session-Expires >= Min-SE).
      ['Min-SE', String(Math.min(this.sessionCfg.minSE, se))],
    ];
  }

  /** A 2xx to our refresh (re-INVITE or UPDATE) restarts the session timer with its values. */
  protected onRefreshResponse(res: SipResponse): void {
    const se = readSessionExpires(res);
    if (!se) return this.timer.stop();
    const refresher = se.refresher ?? this.role;
    this.timer.start(se, refresher === this.role);
  }

  // ---- requests from the peer inside the dialog (RFC 3261 §12.2.2) ----

  handleRequest(req: SipRequest, tx: ServerTransaction, flow: Flow): void {
    const dialog = this.dialog;
    if (!dialog) return this.ua.reply(tx, 481);
    if (!dialog.acceptRemoteSeq(cseqOf(req).seq, req.method)) return this.ua.reply(tx, 500, 'CSeq Out of Order');
    this.flow = flow;
    switch (req.method) {
      case 'BYE': {
        this.ua.reply(tx, 200);
        if (this.byeReceivedAt !== undefined) return;
        this.byeReceivedAt = this.ua.opts.clock.now();
        // RFC 3326: a BYE may say why (e.g. Reason: Q.850;cause=16 or a platform's own text).
        const why = req.headers.getAll('reason');
        const end = { by: 'remote' as const, reason: `remote hangup (BYE${why.length > 0 ? `; Reason: ${why.join(', ')}` : ''})` };
        if (!this.media.drain) return this.finish(end);
        void this.drainMedia().then(() => this.finish(end));
        return;
      }
      case 'INVITE':
        return this.onReinvite(req, tx, flow);
      case 'UPDATE':
        return this.onUpdate(req, tx);
      case 'INFO':
        this.ua.reply(tx, 200);
        this.emit('info', req);
        return;
      case 'OPTIONS':
        return this.ua.reply(tx, 200, undefined, [['Allow', ALLOW], ['Supported', SUPPORTED.join(', ')]]);
      case 'NOTIFY':
      case 'MESSAGE': {
        const a = notifyOrMessageAnswer(req);
        return this.ua.reply(tx, a.status, a.reason, a.extra);
      }
      default:
        return this.ua.reply(tx, 405, undefined, [['Allow', ALLOW]]);
    }
  }

  /** A re-INVITE from the peer: hold/resume or a session refresh (RFC 3261 §14.2, RFC 4028 §9). */
  private onReinvite(req: SipRequest, tx: ServerTransaction, flow: Flow): void {
    if (this.reinviting) return this.ua.reply(tx, 491); // RFC 3261 §14.2 glare
    this.dialog!.updateRemoteTarget(req);
    const res = responseTo(req, 200);
    if (req.body.length > 0) {
      const answer = this.media.answer(req.body.toString());
      if (!answer.ok) return this.ua.reply(tx, answer.status, answer.reason);
      res.headers.append('Content-Type', 'application/sdp');
      res.body = Buffer.from(answer.sdp);
      // The direction the peer offered: sendonly/inactive is the peer putting us on hold.
      const offered = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(req.body.toString())?.[1] ?? 'sendrecv';
      this.emit('hold', offered as Direction, 'remote');
    } else {
      // Offer in the 2xx, answer in the ACK (RFC 3261 §14.2 late offer).
      res.headers.append('Content-Type', 'application/sdp');
      res.body = Buffer.from(this.media.offer(this.localDirection));
    }
    this.addRefreshHeaders(req, res);
    this.sendAnswer2xx(tx, res, flow);
    this.emit('refreshed', 'INVITE', 'remote');
  }

  private onUpdate(req: SipRequest, tx: ServerTransaction): void {
    const res = responseTo(req, 200);
    if (req.body.length > 0) {
      const answer = this.media.answer(req.body.toString());
      if (!answer.ok) return this.ua.reply(tx, answer.status, answer.reason);
      res.headers.append('Content-Type', 'application/sdp');
      res.body = Buffer.from(answer.sdp);
    }
    this.addRefreshHeaders(req, res);
    res.headers.append('Server', this.ua.userAgentHeader);
    tx.respond(res);
    this.emit('refreshed', 'UPDATE', 'remote');
  }

  /** Echo the session interval in the 2xx to a refresh and restart our timer (RFC 4028 §9). */
  private addRefreshHeaders(req: SipRequest, res: SipResponse): void {
    res.headers.append('Contact', this.ua.contactFor(this.flow!));
    res.headers.append('Allow', ALLOW);
    const se = readSessionExpires(req);
    if (!se || this.sessionCfg.sessionExpires === 0) return;
    const refresher = se.refresher ?? (supportsTimer(req) ? (this.role === 'uac' ? 'uas' : 'uac') : this.role);
    res.headers.append('Session-Expires', `${se.interval};refresher=${refresher}`);
    if (refresher !== this.role) res.headers.append('Require', 'timer');
    // The peer sent this request, so "uac" of this transaction is the peer.
    const weRefresh = refresher === 'uas';
    this.timer.start({ interval: se.interval, refresher }, weRefresh);
  }

  /** Send a 2xx to an INVITE and keep retransmitting it until the ACK (§13.3.1.4). */
  protected sendAnswer2xx(tx: ServerTransaction, res: SipResponse, flow: Flow): void {
    if (!res.headers.has('server')) res.headers.append('Server', this.ua.userAgentHeader);
    tx.respond(res);
    const seq = cseqOf(res).seq;
    const r = new Retransmitter({
      res,
      flow,
      transport: this.ua.opts.transport,
      clock: this.ua.opts.clock,
      timers: this.ua.timers,
      onGiveUp: () => {
        this.pending2xx.delete(seq);
        void this.hangup('no ACK for 2xx within 64*T1 (RFC 3261 §13.3.1.4)');
      },
    });
    this.pending2xx.get(seq)?.stop();
    this.pending2xx.set(seq, r);
    r.start();
  }

  handleAck(ack: SipRequest, _flow: Flow): void {
    const seq = cseqOf(ack).seq;
    this.pending2xx.get(seq)?.stop();
    this.pending2xx.delete(seq);
    if (ack.body.length > 0) this.media.onAnswer?.(ack.body.toString());
    this.onAck(ack);
  }

  /** Hook for the UAS: the ACK of the initial 2xx confirms the call. */
  protected onAck(_ack: SipRequest): void {}

  handleStray2xx(_res: SipResponse, _flow: Flow): void {}
}
