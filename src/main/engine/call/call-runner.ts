/**
 * Places one call, keeps it up for the requested time, hangs up and turns what happened into a
 * CallReport. The CLI's `call` and the GUI's dialer both run calls through this.
 */
import type { CallReport } from '../../../shared/model/report.ts';
import { InviteClient, type CallOptions } from '../../sip/ua/invite-client.ts';
import type { InviteSession } from '../../sip/ua/invite-session.ts';
import type { MediaHandler } from '../../sip/ua/media-handler.ts';
import type { SipStack } from '../stack/sip-stack.ts';
import { endpointText } from '../report/report-helpers.ts';
import { authFailureOf, decisiveResponse, outboundOutcome } from './outcome.ts';
import { CallMedia } from '../media/call-media.ts';
import { listenForInfoDigits, sendDigits } from '../media/dtmf-driver.ts';
import { retryAfterOf } from '../routing/retry-after.ts';

export interface RunCallOptions extends CallOptions {
  /** Seconds to stay connected before BYE. */
  durationSec: number;
  /** DTMF digits to send once connected, by the media's method, after dtmfAtSec. */
  sendDtmf?: string;
  dtmfAtSec?: number;
  /** Hold (sendonly re-INVITE) at this many seconds into the call, resume after holdForSec. */
  holdAtSec?: number;
  holdForSec?: number;
}

export async function runCall(stack: SipStack, media: MediaHandler, o: RunCallOptions): Promise<CallReport> {
  const clock = stack.ua.opts.clock;
  const started = new Date();
  const call = new InviteClient(stack.ua, media, o);
  const callMedia = media instanceof CallMedia ? media : undefined;
  if (callMedia) listenForInfoDigits(call, callMedia);
  const events = trackEvents(call, clock.now());
  const timeline = { provisionalMs: null as number | null, ringingMs: null as number | null, answerMs: null as number | null };
  call.on('provisional', (res) => {
    const at = Math.round(clock.now() - call.startedAt);
    timeline.provisionalMs ??= at;
    if (res.status === 180 || res.status === 183) timeline.ringingMs ??= at;
  });
  const ended = new Promise<void>((resolve) => call.once('ended', () => resolve()));
  call.once('connected', () => {
    timeline.answerMs = Math.round(clock.now() - call.startedAt);
    callMedia?.markAnswered();
    if (callMedia && o.sendDtmf) {
      // A digit that cannot be sent is recorded in media.error (CallMedia); the call goes on.
      clock.setTimer((o.dtmfAtSec ?? 1) * 1000, () => void sendDigits(call, callMedia, o.sendDtmf!).catch(() => undefined));
    }
    if (o.holdAtSec !== undefined) {
      clock.setTimer(o.holdAtSec * 1000, () => {
        void call.hold(true).then(() => clock.setTimer((o.holdForSec ?? 1) * 1000, () => void call.hold(false)));
      });
    }
    clock.setTimer(o.durationSec * 1000, () => void call.hangup('duration reached'));
  });
  await call.start();
  await ended;
  if (callMedia) {
    const marks = callMedia.timelineMarks();
    const since = (at: number | null): number | null => (at === null ? null : Math.round(at - call.startedAt));
    Object.assign(timeline, { firstRtpMs: since(marks.firstRtpAt), firstSpeechMs: since(marks.firstSpeechAt), replyGapMs: marks.replyGapMs });
  }
  const end = call.end!;
  const answered = call.answeredAt !== undefined;
  const final = decisiveResponse(call, answered);
  return {
    command: 'call',
    outcome: outboundOutcome(call, answered),
    finalStatus: answered ? 200 : (final?.status ?? end.status ?? null),
    reason: answered ? `${final?.status ?? 200} ${final?.reason ?? 'OK'}; ${end.reason}` : end.reason,
    callId: call.callId,
    setupMs: answered ? Math.round(call.answeredAt! - call.startedAt) : final ? Math.round(call.endedAt! - call.startedAt) : null,
    durationMs: answered ? Math.round(call.endedAt! - call.answeredAt!) : null,
    transport: call.flow?.proto ?? call.dest?.proto ?? stack.ua.opts.defaultProto,
    local: call.flow ? endpointText(call.flow.local) : null,
    remote: call.flow ? endpointText(call.flow.remote) : call.dest ? endpointText(call.dest.remote) : null,
    startedAt: started.toISOString(),
    endedAt: new Date().toISOString(),
    endedBy: end.by,
    authFailure: authFailureOf(end.reason, end.status),
    timeline,
    events,
    messages: stack.messageCount(call.callId, true),
    ...(callMedia ? { media: callMedia.report() } : {}),
    ...(!answered && retryAfterOf(final) !== undefined ? { retryAfterSec: retryAfterOf(final) } : {}),
  };
}

/** Session events worth a line in the report (hold, refreshes, state changes). */
export function trackEvents(s: InviteSession, t0: number): NonNullable<CallReport['events']> {
  const out: NonNullable<CallReport['events']> = [];
  const at = (): number => Math.round(s.ua.opts.clock.now() - t0);
  s.on('state', (st) => out.push({ atMs: at(), event: `state:${st}` }));
  s.on('refreshed', (method, by) => out.push({ atMs: at(), event: 'refresh', detail: `${method} by ${by}` }));
  s.on('hold', (dir, by) => out.push({ atMs: at(), event: 'hold', detail: `${dir} by ${by}` }));
  s.on('redirected', (status, to) => out.push({ atMs: at(), event: 'redirect', detail: `${status} → ${to}` }));
  s.on('info', (req) => out.push({ atMs: at(), event: 'info', detail: req.body.toString().trim() }));
  s.on('ended', (e) => out.push({ atMs: at(), event: 'ended', detail: e.reason }));
  return out;
}
