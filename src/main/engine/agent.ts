/**
 * The built-in agent behind `trunkscope listen`: answers incoming INVITEs per the answer mode and
 * keeps one CallReport per call.
 */
import type { CallReport } from '../../shared/model/report.ts';
import { InviteServer } from '../sip/ua/invite-server.ts';
import type { MediaHandler } from '../sip/ua/media-handler.ts';
import type { SessionTimerConfig } from '../sip/ua/session-timer.ts';
import { trackEvents } from './call-runner.ts';
import { endpointText } from './report-helpers.ts';
import { inboundOutcome } from './outcome.ts';
import type { SipStack } from './sip-stack.ts';
import { CallMedia } from './media/call-media.ts';
import { listenForInfoDigits } from './media/dtmf-driver.ts';

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
}

export class Agent {
  readonly calls: CallReport[] = [];
  readonly requests: Array<{ method: string; status: number; from: string }> = [];
  private readonly live = new Set<InviteServer>();
  private readonly stack: SipStack;
  private readonly o: AgentOptions;
  onCall?: (report: CallReport) => void;

  constructor(stack: SipStack, o: AgentOptions) {
    this.stack = stack;
    this.o = o;
    stack.ua.on('invite', (req, tx, flow) => {
      Promise.resolve()
        .then(() => o.mediaFor(flow.local.address))
        .then(
          (media) => this.onInvite(new InviteServer(stack.ua, media, req, tx, flow, o.sessionTimer), media),
          (err: Error) => stack.ua.reply(tx, 503, `Service Unavailable (media: ${err.message.slice(0, 80)})`),
        );
    });
    stack.ua.on('request', (req, status, flow) => this.requests.push({ method: req.method, status, from: endpointText(flow.remote) }));
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
    call.once('ended', (end) => {
      this.live.delete(call);
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
      };
      this.calls.push(report);
      this.onCall?.(report);
      void callMedia?.close();
    });
    const mode = this.o.answer;
    if (mode.kind === 'reject') return call.reject(mode.status);
    if (mode.kind === 'busy') return call.reject(486);
    call.ring();
    if (mode.kind === 'ring') return;
    const answer = (): void => {
      if (call.state === 'terminated') return;
      if (!call.answer()) return;
      if (this.o.maxCallSec) clock.setTimer(this.o.maxCallSec * 1000, () => void call.hangup('agent max call time'));
    };
    if (this.o.answerDelayMs) clock.setTimer(this.o.answerDelayMs, answer);
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
  }
}
