/**
 * The one built-in agent (UAS): `trunkscope listen` and the GUI's listener both answer incoming
 * INVITEs through it, per the answer mode. It keeps one CallReport per call — all of them up to
 * 2 × keepCalls, then the first and the last keepCalls with every call still counted by outcome
 * and reason (a load run must not grow without bound).
 */
import type { CallReport, CallSummary } from '../../../shared/model/report.ts';
import type { TimerHandle } from '../../../shared/clock.ts';
import { InviteServer } from '../../sip/ua/invite-server.ts';
import type { MediaHandler } from '../../sip/ua/media-handler.ts';
import type { SessionTimerConfig } from '../../sip/ua/session-timer.ts';
import { endpointText } from '../report/report-helpers.ts';
import type { SipStack } from '../stack/sip-stack.ts';
import { CallMedia } from '../media/call-media.ts';
import { CallTracker } from './call-tracker.ts';
import { answerGuarded, startGuarded } from './answer-guard.ts';
import { RequestLog, type RequestEntry } from './request-log.ts';
import type { InboundGuard } from './inbound-guard.ts';
import type { InboundRouter } from '../routing/inbound-router.ts';

/** `manual` rings and waits for a decision from outside (the GUI's Accept / Reject). */
export type AnswerMode =
  | { kind: 'echo' }
  | { kind: 'reject'; status: number }
  | { kind: 'ring' }
  | { kind: 'busy' }
  | { kind: 'manual' };

/** Parse `echo`, `reject:CODE`, `ring`, `busy`; undefined when invalid. */
export function parseAnswerMode(text: string): AnswerMode | undefined {
  if (text === 'echo' || text === 'ring' || text === 'busy') return { kind: text };
  const m = /^reject:(\d{3})$/.exec(text);
  if (m) {
    const status = Number(m[1]);
    if (status >= 300 && status <= 699) return { kind: 'reject', status };
  }
  return undefined;
}

/** One incoming call as the agent hands it to whoever watches (the GUI's call book). */
export interface InboundCall {
  session: InviteServer;
  media: CallMedia | undefined;
  tracker: CallTracker;
}

export interface AgentOptions {
  answer: AnswerMode;
  /** Delay between 180 and 200 in the echo mode, ms. */
  answerDelayMs?: number;
  sessionTimer?: SessionTimerConfig;
  /** Media for one incoming call (opened before we answer); may reject (no free RTP port). */
  mediaFor: (flowLocalAddress: string) => Promise<MediaHandler> | MediaHandler;
  /** Hang up answered calls after this many seconds (0: wait for the caller's BYE). */
  maxCallSec?: number;
  /** Full reports kept for the first and for the last this many calls (default 1000; 0: all). */
  keepCalls?: number;
  /** 100 Trying at once, before media is set up (RFC 3261 §17.2.1; the GUI's listener does). */
  tryingFirst?: boolean;
  /** A new incoming call, before the answer mode acts on it (so no event is missed). */
  onIncoming?: (call: InboundCall) => void;
  /** The test wants silence from callers (--expect-silence): no silent-audio cause. */
  expectSilence?: boolean;
  /** IP allow list and inbound digest, consulted before answering (inbound-guard.ts). */
  guard?: InboundGuard;
  /** listen --routes: the routing file's rules and agents answer instead of `answer`. */
  routes?: InboundRouter;
}

/** Media for calls refused without an answer (busy, reject): never asked for SDP. */
const NO_MEDIA: MediaHandler = {
  offer: () => '',
  answer: () => ({ ok: false, status: 488, reason: 'Not Acceptable Here' }),
};

/** Distinct reasons counted one by one in the summary; the rest are counted together. */
const MAX_REASONS = 50;

export class Agent {
  /** Out-of-dialog requests: first and last keepCalls kept, all counted (request-log.ts). */
  readonly requestLog: RequestLog;
  get requests(): RequestEntry[] {
    return this.requestLog.entries();
  }
  private readonly first: CallReport[] = [];
  /** The last keepCalls reports after the first keepCalls, as a ring starting at `ringAt`. */
  private readonly ring: CallReport[] = [];
  private ringAt = 0;
  private readonly keep: number;
  private readonly summary: CallSummary = { total: 0, omitted: 0, byOutcome: {}, byReason: {} };
  private readonly live = new Set<InviteServer>();
  /** Media of ended calls still closing (a recording being written); stop() waits for them. */
  private readonly closing = new Set<Promise<void>>();
  private readonly stack: SipStack;
  private readonly o: AgentOptions;
  onCall?: (report: CallReport) => void;

  constructor(stack: SipStack, o: AgentOptions) {
    this.stack = stack;
    this.o = o;
    this.keep = o.keepCalls ?? 1000;
    this.requestLog = new RequestLog(this.keep);
    stack.ua.on('invite', (req, tx, flow) => {
      if (o.guard && !o.guard.admit(stack.ua, req, tx, flow)) return;
      if (o.tryingFirst) stack.ua.reply(tx, 100);
      const reject = (err: Error): void =>
        stack.ua.reply(tx, 503, `Service Unavailable (media: ${err.message.slice(0, 80)})`);
      const start = (media: MediaHandler): void =>
        this.onInvite(new InviteServer(stack.ua, media, req, tx, flow, o.sessionTimer), media);
      const refuses = o.answer.kind === 'busy' || o.answer.kind === 'reject';
      let media: Promise<MediaHandler> | MediaHandler;
      try {
        media = refuses ? NO_MEDIA : o.mediaFor(flow.local.address);
      } catch (err) {
        return reject(err instanceof Error ? err : new Error(String(err)));
      }
      // Signaling-only media is there at once: no promise hop per call.
      const reply500 = (st: number, r: string, x: Array<[string, string]>): void => stack.ua.reply(tx, st, r, x);
      if (media instanceof Promise) media.then((m) => startGuarded(start, m, reply500), reject);
      else startGuarded(start, media, reply500);
    });
    stack.ua.on('request', (req, status, flow) => this.requestLog.add({ method: req.method, status, from: endpointText(flow.remote) }));
  }

  /** Full reports kept: every call, or the first and the last keepCalls in order. */
  get calls(): CallReport[] {
    return [...this.first, ...this.ring.slice(this.ringAt), ...this.ring.slice(0, this.ringAt)];
  }

  /** Every call counted by outcome and reason, and how many full reports were left out. */
  callSummary(): CallSummary {
    return { ...this.summary, byOutcome: { ...this.summary.byOutcome }, byReason: { ...this.summary.byReason } };
  }

  private record(report: CallReport): void {
    const s = this.summary;
    s.total++;
    s.byOutcome[report.outcome] = (s.byOutcome[report.outcome] ?? 0) + 1;
    const reason = report.reason in s.byReason || Object.keys(s.byReason).length < MAX_REASONS ? report.reason : '(other)';
    s.byReason[reason] = (s.byReason[reason] ?? 0) + 1;
    if (this.keep <= 0 || this.first.length < this.keep) this.first.push(report);
    else if (this.ring.length < this.keep) this.ring.push(report);
    else {
      this.ring[this.ringAt] = report;
      this.ringAt = (this.ringAt + 1) % this.keep;
      s.omitted++;
    }
  }

  private onInvite(call: InviteServer, media: MediaHandler): void {
    const clock = this.stack.ua.opts.clock;
    const callMedia = media instanceof CallMedia ? media : undefined;
    const tracker = new CallTracker({
      session: call,
      media: callMedia,
      defaultTransport: call.flow?.proto ?? 'udp',
      messages: () => this.stack.messageCount(call.callId, true),
      diagnosis: () => ({ trace: this.stack.traceFor(call.callId), expectSilence: this.o.expectSilence }),
    });
    this.live.add(call);
    this.o.onIncoming?.({ session: call, media: callMedia, tracker });
    /** The answer-delay and max-call timers: cancelled when the call ends, so none holds it. */
    const timers: TimerHandle[] = [];
    const routed = this.o.routes?.prepare(call, callMedia);
    call.once('ended', (end) => {
      this.live.delete(call);
      for (const t of timers) t.cancel();
      const report = tracker.report();
      if (routed) report.route = routed.finish(end);
      this.record(report);
      this.onCall?.(report);
      if (callMedia) {
        const closed = callMedia.close().then(() => {
          // The report went out already; a recording that could not be written is added to it.
          if (callMedia.recordingError && report.media) report.media.recordingError = callMedia.recordingError;
          this.closing.delete(closed);
        });
        this.closing.add(closed);
      }
    });
    if (routed) return routed.run();
    const mode = this.o.answer;
    if (mode.kind === 'reject') return call.reject(mode.status);
    if (mode.kind === 'busy') return call.reject(486);
    call.ring();
    if (mode.kind === 'ring' || mode.kind === 'manual') return;
    const answer = (): void => {
      if (call.state === 'terminated') return;
      if (!answerGuarded(call, () => call.answer())) return;
      if (this.o.maxCallSec) timers.push(clock.setTimer(this.o.maxCallSec * 1000, () => void call.hangup('agent max call time')));
    };
    if (this.o.answerDelayMs) timers.push(clock.setTimer(this.o.answerDelayMs, answer));
    else answer();
  }

  /** End every live call (BYE for connected ones, 480 for ringing ones) before shutting down. */
  async stop(): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const call of [...this.live]) {
      // A call the peer already hung up may still be draining its media (RFC 3550 packets in
      // flight): its report comes when it ends, and it must be in the run's report.
      waits.push(endedWithin(call, STOP_WAIT_MS));
      if (call.state === 'connected') waits.push(call.hangup('agent stopping'));
      else if (call.state !== 'terminated') call.reject(480, 'Temporarily Unavailable (agent stopping)');
    }
    await Promise.all(waits);
    await Promise.all([...this.closing]);
  }
}

/** How long stop() waits for a call that is ending already (media drain) before it goes on. */
const STOP_WAIT_MS = 2000;

function endedWithin(call: InviteServer, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    call.once('ended', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
