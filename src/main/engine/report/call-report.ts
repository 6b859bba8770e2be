/**
 * The one CallReport builder (docs/report-schema.md): every call — placed by the CLI's `call`,
 * answered by the built-in agent (`listen`, the GUI's listener) or placed from the GUI's dialer —
 * ends in a report made here, from its SIP session and media.
 */
import type { CallReport } from '../../../shared/model/report.ts';
import type { InviteSession } from '../../sip/ua/invite-session.ts';
import { InviteClient } from '../../sip/ua/invite-client.ts';
import type { InviteServer } from '../../sip/ua/invite-server.ts';
import { endpointText } from './report-helpers.ts';
import { inboundIdentity } from './inbound-identity.ts';
import { authFailureOf, decisiveResponse, inboundOutcome, outboundOutcome } from '../call/outcome.ts';
import type { CallMedia } from '../media/call-media.ts';
import { retryAfterOf } from '../routing/retry-after.ts';
import { withDiagnosis, type DiagnosisInput } from '../diagnose/trace-messages.ts';

export interface ReportInput {
  session: InviteSession;
  media: CallMedia | undefined;
  startedAt: Date;
  timeline: NonNullable<CallReport['timeline']>;
  events: NonNullable<CallReport['events']>;
  messages: { sent: number; received: number };
  defaultTransport: 'udp' | 'tcp' | 'tls';
  /** What the diagnosis reads besides the report: the call's trace, what the test expected. */
  diagnosis?: DiagnosisInput;
}

export function buildReport(i: ReportInput): CallReport {
  const s = i.session;
  const client = s instanceof InviteClient ? s : undefined;
  // The verdict is the outcome: every report leaves here with its diagnosis (docs/diagnosis.md).
  return withDiagnosis(client ? outboundReport(client, i) : inboundReport(s as InviteServer, i), i.diagnosis);
}

function outboundReport(call: InviteClient, i: ReportInput): CallReport {
  const end = call.end ?? { by: 'error' as const, reason: 'ended' };
  const answered = call.answeredAt !== undefined;
  const final = decisiveResponse(call, answered);
  const endedAt = call.endedAt ?? performanceNow(call);
  return {
    command: 'call',
    outcome: call.end ? outboundOutcome(call, answered) : 'failed',
    finalStatus: answered ? 200 : (final?.status ?? end.status ?? null),
    reason: answered ? `${final?.status ?? 200} ${final?.reason ?? 'OK'}; ${end.reason}` : end.reason,
    callId: call.callId,
    setupMs: answered ? Math.round(call.answeredAt! - call.startedAt) : final ? Math.round(endedAt - call.startedAt) : null,
    durationMs: answered ? Math.round(endedAt - call.answeredAt!) : null,
    transport: call.flow?.proto ?? call.dest?.proto ?? i.defaultTransport,
    local: call.flow ? endpointText(call.flow.local) : null,
    remote: call.flow ? endpointText(call.flow.remote) : call.dest ? endpointText(call.dest.remote) : null,
    startedAt: i.startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    endedBy: end.by,
    authFailure: authFailureOf(end.reason, end.status),
    timeline: withMediaMarks(i.timeline, i.media, call.startedAt),
    events: i.events,
    messages: i.messages,
    attempts: call.tried.list, // RFC 3263 §4.3: every target tried
    ...(i.media ? { media: i.media.report() } : {}),
    // RFC 3261 §21.5.4: a 503's Retry-After, so an outbound route can hold the target down.
    ...(!answered && retryAfterOf(final) !== undefined ? { retryAfterSec: retryAfterOf(final) } : {}),
  };
}

function inboundReport(call: InviteServer, i: ReportInput): CallReport {
  const end = call.end ?? { by: 'error' as const, reason: 'ended' };
  const answered = call.answeredAt !== undefined;
  const endedAt = call.endedAt ?? performanceNow(call);
  return {
    command: 'listen',
    outcome: inboundOutcome(end.status, answered),
    finalStatus: answered ? 200 : (end.status ?? null),
    reason: end.reason,
    callId: call.callId,
    setupMs: answered ? Math.round(call.answeredAt! - call.startedAt) : null,
    durationMs: answered ? Math.round(endedAt - call.answeredAt!) : null,
    transport: call.flow?.proto ?? i.defaultTransport,
    local: call.flow ? endpointText(call.flow.local) : null,
    remote: call.flow ? endpointText(call.flow.remote) : null,
    startedAt: i.startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    endedBy: end.by,
    events: i.events,
    messages: i.messages,
    inbound: inboundIdentity(call.request),
    ...(i.media ? { media: i.media.report() } : {}),
  };
}

/** First RTP, first speech and the reply gap, in ms since the INVITE (the caller's timeline). */
function withMediaMarks(t: NonNullable<CallReport['timeline']>, media: CallMedia | undefined, t0: number): NonNullable<CallReport['timeline']> {
  if (!media) return t;
  const marks = media.timelineMarks();
  const since = (at: number | null): number | null => (at === null ? null : Math.round(at - t0));
  return { ...t, firstRtpMs: since(marks.firstRtpAt), firstSpeechMs: since(marks.firstSpeechAt), replyGapMs: marks.replyGapMs };
}

function performanceNow(s: InviteSession): number {
  return s.ua.opts.clock.now();
}
