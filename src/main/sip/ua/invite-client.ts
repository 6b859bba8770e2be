/**
 * An outgoing call (UAC side of INVITE, RFC 3261 §13.2): provisional responses and early
 * dialogs, reliable provisionals with PRACK (RFC 3262 §4), ACK for every 2xx (§13.2.2.4),
 * CANCEL (§9.1), digest retry (§22.2), 422 retry (RFC 4028 §7.4) and target failover (RFC 3263).
 */
import { Dialog } from '../dialog/dialog.ts';
import { cseqOf, tagOf } from '../syntax/accessors.ts';
import { createRequest, Headers, type SipRequest, type SipResponse } from '../syntax/message.ts';
import type { ClientTransaction } from '../transaction/transaction-layer.ts';
import type { Destination, Flow } from '../transport/types.ts';
import { Authenticator } from './authenticator.ts';
import { InviteSession } from './invite-session.ts';
import type { MediaHandler } from './media-handler.ts';
import { newCallId, newTag } from './message-factory.ts';
import { readMinSE, readSessionExpires, DEFAULT_SESSION_TIMER, type SessionTimerConfig } from './session-timer.ts';
import type { Credentials, CustomHeaders } from './types.ts';
import { ALLOW, type UserAgent } from './user-agent.ts';
import { sendPrack } from './prack.ts';
import { finalReason } from './final-reason.ts';
import { redirectTargets } from './redirect.ts';
import { transportErrorText } from './transport-error.ts';
import { AttemptLog, DEFAULT_TARGET_TIMEOUT_MS } from './target-attempts.ts';

export interface CallOptions {
  target: string;
  /** From URI (IP-auth mode sets its host); defaults to sip:trunkscope@<local address>. */
  from?: string;
  displayName?: string;
  /** Outbound proxy URI: requests go there with a pre-loaded Route (RFC 3261 §8.1.2). */
  proxy?: string;
  headers?: CustomHeaders;
  credentials?: Credentials;
  /** Seconds to wait for a final answer before CANCEL. */
  timeoutSec?: number;
  sessionTimer?: SessionTimerConfig;
  /** Send the INVITE without SDP (offer comes in the 2xx, answer in the ACK). */
  lateOffer?: boolean;
  /** Follow up to this many 3xx redirects (RFC 3261 §8.1.3.4); 0 or absent: report them. */
  maxRedirects?: number;
}

export class InviteClient extends InviteSession {
  readonly opts: CallOptions;
  readonly callId: string;
  readonly localTag = newTag();
  private cseq = 1;
  private invite: SipRequest | undefined;
  private tx: ClientTransaction | undefined;
  /** Where the INVITE went (the current RFC 3263 target). */
  dest: Destination | undefined;
  private cancelWanted = false;
  /** Moves the INVITE to the next RFC 3263 target, while one is left. */
  private failover: (() => void) | undefined;
  private cancelled = false;
  private answerTimer: { cancel(): void } | undefined;
  private readonly earlyDialogs = new Map<string, Dialog>();
  private readonly pracked = new Set<string>();
  private last422 = 0;
  /** Status and reason of each final response, for the report. */
  responses: SipResponse[] = [];
  /** The Request-URI of the INVITE: the target, or where a followed redirect pointed. */
  requestUri: string;
  /** Redirects followed so far: [status, new target]. */
  readonly redirects: Array<{ status: number; to: string }> = [];
  /** Every RFC 3263 target the INVITE went to, in order (for the report). */
  readonly tried: AttemptLog;

  get role(): 'uac' {
    return 'uac';
  }

  constructor(ua: UserAgent, media: MediaHandler, opts: CallOptions) {
    super(ua, media, opts.sessionTimer ?? DEFAULT_SESSION_TIMER);
    this.opts = opts;
    this.requestUri = opts.target;
    this.callId = newCallId(ua.opts.advertisedAddress ?? 'trunkscope');
    this.tried = new AttemptLog(ua.opts.clock);
    if (opts.credentials) this.auth = new Authenticator(opts.credentials);
  }

  /** Resolve the next hop and send the INVITE; the session's events tell the rest. */
  async start(): Promise<void> {
    if (this.opts.timeoutSec !== undefined) {
      this.answerTimer = this.ua.opts.clock.setTimer(this.opts.timeoutSec * 1000, () => this.onAnswerTimeout());
    }
    await this.sendTo(this.requestUri);
  }

  /** Resolve the next hop for `uri` (or the outbound proxy) and send the INVITE there. */
  private async sendTo(uri: string): Promise<void> {
    let dests: Destination[];
    try {
      dests = await this.ua.opts.resolve(this.opts.proxy ?? uri, this.ua.opts.defaultProto);
    } catch (err) {
      return this.finish({ by: 'error', reason: `cannot resolve ${uri}: ${(err as Error).message}` });
    }
    if (this.state === 'terminated') return;
    this.tryDestinations(dests, 0);
  }

  private tryDestinations(dests: Destination[], i: number): void {
    const dest = dests[i];
    if (!dest) return;
    this.dest = dest;
    this.tried.start(dest);
    const next = i + 1 < dests.length ? () => this.tryDestinations(dests, i + 1) : undefined;
    this.send(this.buildInvite(), next);
  }

  private buildInvite(): SipRequest {
    const h = new Headers();
    const local = this.dest ? this.ua.localFor(this.dest) : { address: '127.0.0.1', port: 5060 };
    const host = local.address.includes(':') ? `[${local.address}]` : local.address;
    const from = this.opts.from ?? `sip:trunkscope@${host}`;
    const display = this.opts.displayName ? `"${this.opts.displayName}" ` : '';
    if (this.opts.proxy) h.append('Route', `<${this.opts.proxy.replace(/;lr\b/, '')};lr>`);
    h.append('From', `${display}<${from}>;tag=${this.localTag}`);
    h.append('To', `<${this.opts.target}>`);
    h.append('Call-ID', this.callId);
    h.append('CSeq', `${this.cseq} INVITE`);
    h.append('Allow', ALLOW);
    for (const [n, v] of this.sessionTimerHeaders()) h.append(n, v);
    for (const [n, v] of this.opts.headers ?? []) h.append(n, v);
    const req = createRequest('INVITE', this.requestUri, h);
    if (!this.opts.lateOffer) {
      req.headers.append('Content-Type', 'application/sdp');
      req.body = Buffer.from(this.media.offer('sendrecv'));
    }
    return req;
  }

  private send(req: SipRequest, failover?: () => void): void {
    this.invite = req;
    let gotResponse = false;
    this.failover = failover;
    // RFC 3263 §4.3: a target silent for the per-target time is left for the next one.
    const waitMs = this.ua.opts.targetTimeoutMs ?? DEFAULT_TARGET_TIMEOUT_MS;
    const silent = failover
      ? this.ua.opts.clock.setTimer(waitMs, () => {
          if (gotResponse || this.cancelled || this.state !== 'calling') return;
          this.tx?.terminate(); // no provisional yet, so no CANCEL (RFC 3261 §9.1)
          this.tried.close(`no response within the ${waitMs / 1000} s target timeout`);
          failover();
        })
      : undefined;
    const tx = this.ua.sendRequest(req, this.dest!, {
      onResponse: (res, flow) => {
        if (tx !== this.tx) return; // a target we already left
        gotResponse = true;
        silent?.cancel();
        this.onResponse(res, flow);
      },
      onTimeout: () => {
        silent?.cancel();
        if (tx !== this.tx) return;
        this.tried.close(gotResponse ? undefined : 'no response (timer B)');
        if (!gotResponse && failover && !this.cancelled) return failover();
        if (this.state !== 'connected' && this.state !== 'terminated') this.finish({ by: 'error', status: 408, reason: 'no final response to INVITE (timer B)' });
      },
      onTransportError: (err) => {
        silent?.cancel();
        if (tx !== this.tx) return;
        this.tried.close(transportErrorText(err));
        if (failover && !this.cancelled) return failover();
        this.finish({ by: 'error', reason: `transport error: ${transportErrorText(err)}` });
      },
    });
    this.tx = tx;
  }

  private onResponse(res: SipResponse, flow: Flow): void {
    this.flow = flow;
    if (res.status < 200) return this.onProvisional(res, flow);
    this.tried.final(res.status, res.reason);
    if (res.status < 300) return this.on2xx(res, flow);
    if (res.status === 503 && this.failover && !this.cancelled && this.state !== 'terminated') {
      // RFC 3263 §4.3: a 503 sends the request to the next target.
      this.responses.push(res);
      this.tried.close();
      return this.failover();
    }
    this.answerTimer?.cancel();
    this.responses.push(res);
    if (this.state === 'terminated') return;
    if ((res.status === 401 || res.status === 407) && this.auth && !this.cancelled) {
      const verdict = this.auth.onChallenge(res, this.invite!);
      if (verdict.kind === 'retry') return this.resend((req) => this.auth!.authorize(req));
      return this.finish({ by: 'error', status: res.status, reason: `${res.status} ${res.reason}: ${verdict.failure} (${verdict.detail})` });
    }
    if (res.status === 422 && !this.cancelled) {
      // RFC 4028 §7.4: retry with the Min-SE the UAS asked for (once per escalation).
      const minSE = readMinSE(res);
      if (minSE && minSE > this.last422) {
        this.last422 = minSE;
        const cfg = { sessionExpires: minSE, minSE };
        return this.resend((req) => {
          req.headers.set('Session-Expires', `${cfg.sessionExpires};refresher=uac`).set('Min-SE', String(cfg.minSE));
        });
      }
    }
    if (res.status < 400 && !this.cancelled && this.redirects.length < (this.opts.maxRedirects ?? 0)) {
      // §8.1.3.4: a new INVITE to the target the 3xx names; same Call-ID, From and To, next CSeq.
      const tried = new Set([this.opts.target, ...this.redirects.map((r) => r.to)]);
      const to = redirectTargets(res).find((u) => !tried.has(u));
      if (to) {
        this.redirects.push({ status: res.status, to });
        this.emit('redirected', res.status, to);
        this.requestUri = to;
        this.cseq++;
        this.earlyDialogs.clear();
        void this.sendTo(to);
        return;
      }
    }
    const by = this.cancelled && res.status === 487 ? 'local' : 'remote';
    const note = (this.opts.maxRedirects ?? 0) > 0 ? `not followed: ${this.redirects.length} of ${this.opts.maxRedirects} redirects used, or no new SIP target` : undefined;
    this.finish({ by, status: res.status, reason: finalReason(res, note) });
  }

  /** Same Call-ID and tags, next CSeq, fresh branch (RFC 3261 §8.1.3.5, §22.2). */
  private resend(patch: (req: SipRequest) => void): void {
    this.cseq++;
    const req = this.buildInvite();
    if (this.last422) {
      req.headers.set('Session-Expires', `${this.last422};refresher=uac`).set('Min-SE', String(this.last422));
    }
    patch(req);
    this.send(req);
  }

  private onProvisional(res: SipResponse, flow: Flow): void {
    if (this.state === 'connected' || this.state === 'terminated') return;
    this.emit('provisional', res);
    const toTag = tagOf(res.headers.get('to'));
    if (toTag && res.status > 100 && !this.earlyDialogs.has(toTag)) {
      const d = Dialog.fromUacResponse(this.invite!, res);
      this.earlyDialogs.set(toTag, d);
      this.dialog ??= d;
    }
    this.failover = undefined; // a target that answered is kept (RFC 3263 §4.3 fails over on no response)
    if (res.status === 100) this.setState('proceeding');
    else if (res.status === 180) this.setState('ringing');
    else this.setState(res.body.length > 0 ? 'early' : 'proceeding');
    if (res.body.length > 0) this.media.onAnswer?.(res.body.toString());
    // RFC 3262 §4: a reliable provisional is acknowledged with PRACK, once per RSeq.
    const requires100rel = res.headers.getAll('require').some((t) => t.toLowerCase() === '100rel');
    const rseq = res.headers.get('rseq');
    if (requires100rel && rseq && toTag && res.status > 100) {
      const key = `${toTag}:${rseq.trim()}`;
      if (!this.pracked.has(key)) {
        this.pracked.add(key);
        void sendPrack(this, this.earlyDialogs.get(toTag)!, res, flow);
      }
    }
    if (this.cancelWanted && !this.cancelled) this.sendCancel();
  }

  private on2xx(res: SipResponse, flow: Flow): void {
    this.answerTimer?.cancel();
    const toTag = tagOf(res.headers.get('to')) ?? '';
    if (this.state === 'connected' || this.state === 'terminated') {
      // Retransmission or a forked 2xx: ACK it; a second dialog is then closed (§13.2.2.4).
      const isOurs = this.dialog?.remoteTag === toTag && this.state === 'connected';
      const d = isOurs ? this.dialog! : Dialog.fromUacResponse(this.invite!, res);
      this.ackFor(d, res);
      if (!isOurs) void this.byeExtra(d);
      return;
    }
    this.responses.push(res);
    this.tried.close();
    const d = Dialog.fromUacResponse(this.invite!, res);
    // PRACKs in the early dialog already used CSeq numbers after the INVITE's.
    d.localSeq = Math.max(cseqOf(this.invite!).seq, this.earlyDialogs.get(toTag)?.localSeq ?? 0);
    this.dialog = d;
    this.ua.register(d.callId, d.localTag, this);
    this.ackFor(d, res);
    if (res.body.length > 0 && !this.opts.lateOffer) this.media.onAnswer?.(res.body.toString());
    this.peerAllow = res.headers.getAll('allow').map((m) => m.toUpperCase());
    const se = readSessionExpires(res);
    if (se) this.timer.start(se, (se.refresher ?? 'uac') === 'uac');
    this.flow = flow;
    this.connect();
    if (this.cancelWanted) void this.hangup('cancelled after answer');
  }

  private ackFor(d: Dialog, res: SipResponse): void {
    const ack = d.createRequest('ACK', { cseq: cseqOf(res).seq });
    if (this.opts.lateOffer && res.body.length > 0) {
      const answer = this.media.answer(res.body.toString());
      if (answer.ok) {
        ack.headers.append('Content-Type', 'application/sdp');
        ack.body = Buffer.from(answer.sdp);
      }
    }
    for (const f of this.invite!.headers.fields) {
      if (f.key === 'authorization' || f.key === 'proxy-authorization') ack.headers.append(f.name, f.value);
    }
    void this.resolveDest(d).then((dest) => this.ua.sendAck(ack, dest));
  }

  private async byeExtra(d: Dialog): Promise<void> {
    const bye = d.createRequest('BYE');
    const dest = await this.resolveDest(d);
    this.ua.sendRequest(bye, dest, { onResponse() {}, onTimeout() {}, onTransportError() {} });
  }

  private async resolveDest(d: Dialog): Promise<Destination> {
    try {
      const ds = await this.ua.opts.resolve(d.nextHopUri(), this.dest?.proto ?? this.ua.opts.defaultProto);
      if (ds[0]) return ds[0];
    } catch {
      // fall back to where the INVITE went
    }
    return this.dest!;
  }

  /**
   * --timeout expired. With a provisional response there is a transaction to CANCEL. Without one
   * RFC 3261 §9.1 forbids a CANCEL and the INVITE would run on to timer B (64·T1, 32 s): the user
   * asked to wait timeoutSec, so we stop retransmitting and end the call now, saying why.
   */
  private onAnswerTimeout(): void {
    if (this.state !== 'calling' || this.cancelled) return this.cancel('no answer within timeout');
    this.tx?.terminate();
    // A 2xx may still come (the callee answered late): for 64·T1, as long as the callee may
    // retransmit it (§13.3.1.4), it reaches us as a stray 2xx and is ACKed, then BYE'd (on2xx).
    const key = { callId: this.callId, tag: this.localTag };
    this.ua.register(key.callId, key.tag, this);
    this.ua.opts.clock.setTimer(64 * this.ua.timers.T1, () => this.ua.unregister(key.callId, key.tag));
    const sent = this.invite ? 'the INVITE' : 'nothing';
    this.finish({
      by: 'error',
      status: 408,
      reason: `no response to ${sent} within the ${this.opts.timeoutSec} s answer timeout (no provisional response, so no CANCEL: RFC 3261 §9.1)`,
    });
  }

  /** Cancel a call that has not been answered (RFC 3261 §9.1); hangs up one that has. */
  cancel(reason = 'cancelled'): void {
    if (this.state === 'connected') return void this.hangup(reason);
    if (this.state === 'terminated' || this.cancelled) return;
    this.cancelWanted = true;
    // §9.1: CANCEL only after a provisional response has arrived.
    if (this.state !== 'calling') this.sendCancel();
  }

  private sendCancel(): void {
    if (!this.invite || !this.dest || this.cancelled) return;
    this.cancelled = true;
    const inv = this.invite;
    const h = new Headers();
    h.append('Via', inv.headers.getAll('via')[0]!);
    for (const f of inv.headers.fields) {
      if (['route', 'from', 'to', 'call-id', 'max-forwards'].includes(f.key)) h.append(f.name, f.value);
    }
    h.append('CSeq', `${cseqOf(inv).seq} CANCEL`);
    const cancel = createRequest('CANCEL', inv.uri, h);
    this.ua.tl.sendRequest(cancel, this.dest, { onResponse() {}, onTimeout() {}, onTransportError() {} });
  }

  override handleStray2xx(res: SipResponse, flow: Flow): void {
    this.on2xx(res, flow);
  }

  protected override finish(end: Parameters<InviteSession['finish']>[0]): void {
    this.answerTimer?.cancel();
    this.tried.close();
    super.finish(end);
  }
}
