/**
 * The built-in agent behind `trunkscope listen`: answers incoming INVITEs per the answer mode and
 * keeps one CallReport per call — all of them up to 2 × keepCalls, then the first and the last
 * keepCalls with every call still counted by outcome and reason (a load run must not grow
 * without bound).
 */
import type { CallReport, CallSummary } from '../../../shared/model/report.ts';
import type { TimerHandle } from '../../../shared/clock.ts';
import { InviteServer } from '../../sip/ua/invite-server.ts';
import type { MediaHandler } from '../../sip/ua/media-handler.ts';
import type { SessionTimerConfig } from '../../sip/ua/session-timer.ts';
import { trackEvents } from './call-runner.ts';
import { endpointText } from '../report/report-helpers.ts';
import { inboundOutcome } from './outcome.ts';
import type { SipStack } from '../stack/sip-stack.ts';
import { CallMedia } from '../media/call-media.ts';
import { listenForInfoDigits } from '../media/dtmf-driver.ts';
import type { InboundRouter } from '../routing/inbound-router.ts';

export type AnswerMode = { kind: 'echo' } | { kind: 'reject'; status: number } | { kind: 'ring' } | { kind: 'busy' };

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
  /** listen --routes: the routing file's rules and agents answer instead of `answer`. */
  routes?: InboundRouter;
}

/** Distinct reasons counted one by one in the summary; the rest are counted together. */
const MAX_REASONS = 50;

export class Agent {
  readonly requests: Array<{ method: string; status: number; from: string }> = [];
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
    stack.ua.on('invite', (req, tx, flow) => {
      const reject = (err: Error): void =>
        stack.ua.reply(tx, 503, `Service Unavailable (media: ${err.message.slice(0, 80)})`);
      const start = (media: MediaHandler): void =>
        this.onInvite(new InviteServer(stack.ua, media, req, tx, flow, o.sessionTimer), media);
      let media: Promise<MediaHandler> | MediaHandler;
      try {
        media = o.mediaFor(flow.local.address);
      } catch (err) {
        return reject(err instanceof Error ? err : new Error(String(err)));
      }
      // Signaling-only media is there at once: no promise hop per call.
      if (media instanceof Promise) media.then(start, reject);
      else start(media);
    });
    stack.ua.on('request', (req, status, flow) => this.requests.push({ method: req.method, status, from: endpointText(flow.remote) }));
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
    if (callMedia) {
      listenForInfoDigits(call, callMedia);
      call.once('connected', () => callMedia.markAnswered());
    }
    const started = new Date();
    const events = trackEvents(call, call.startedAt);
    this.live.add(call);
    /** The answer-delay and max-call timers: cancelled when the call ends, so none holds it. */
    const timers: TimerHandle[] = [];
    const routed = this.o.routes?.prepare(call, callMedia);
    call.once('ended', (end) => {
      this.live.delete(call);
      for (const t of timers) t.cancel();
      const answered = call.answeredAt !== undefined;
      const report: CallReport = {
        command: 'listen',
        outcome: inboundOutcome(end.status, answered),
        finalStatus: answered ? 200 : (end.status ?? null),
        reason: end.reason,
        callId: call.callId,
        setupMs: answered ? Math.round(call.answeredAt! - call.startedAt) : null,
        durationMs: answered ? Math.round(call.endedAt! - call.answeredAt!) : null,
        transport: call.flow!.proto,
        local: endpointText(call.flow!.local),
        remote: endpointText(call.flow!.remote),
        startedAt: started.toISOString(),
        endedAt: new Date().toISOString(),
        endedBy: end.by,
        events,
        messages: this.stack.messageCount(call.callId, true),
        ...(callMedia ? { media: callMedia.report() } : {}),
        ...(routed ? { route: routed.finish(end) } : {}),
      };
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
    if (mode.kind === 'ring') return;
    const answer = (): void => {
      if (call.state === 'terminated') return;
      if (!call.answer()) return;
      if (this.o.maxCallSec) timers.push(clock.setTimer(this.o.maxCallSec * 1000, () => void call.hangup('agent max call time')));
    };
    if (this.o.answerDelayMs) timers.push(clock.setTimer(this.o.answerDelayMs, answer));
    else answer();
  }

  /** End every live call (BYE for connected ones, 480 for ringing ones) before shutting down. */
  async stop(): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const call of [...this.live]) {
      if (call.state === 'connected') waits.push(call.hangup('agent stopping'));
      else call.reject(480, 'Temporarily Unavailable (agent stopping)');
    }
    await Promise.all(waits);
    await Promise.all([...this.closing]);
  }
}
