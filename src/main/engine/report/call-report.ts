/**
 * The CallReport of a GUI call (docs/report-schema.md), the same shape the CLI's `call` and
 * `listen` produce, built when the call ends.
 */
import type { CallReport } from '../../../shared/model/report.ts';
import type { InviteSession } from '../../sip/ua/invite-session.ts';
import { InviteClient } from '../../sip/ua/invite-client.ts';
import { endpointText } from './report-helpers.ts';
import { authFailureOf, decisiveResponse, inboundOutcome, outboundOutcome } from '../call/outcome.ts';
import type { CallMedia } from '../media/call-media.ts';
import { withDiagnosis } from '../diagnose/trace-messages.ts';

export interface ReportInput {
  session: InviteSession;
  callId: string;
  media: CallMedia | undefined;
  startedAt: Date;
  timeline: NonNullable<CallReport['timeline']>;
  events: NonNullable<CallReport['events']>;
  messages: { sent: number; received: number };
  defaultTransport: 'udp' | 'tcp' | 'tls';
}

export function buildReport(i: ReportInput): CallReport {
  const s = i.session;
  const end = s.end ?? { by: 'error' as const, reason: 'ended' };
  const answered = s.answeredAt !== undefined;
  const client = s instanceof InviteClient ? s : undefined;
  const final = client ? decisiveResponse(client, answered) : undefined;
  const remote = s.flow
    ? endpointText(s.flow.remote)
    : client?.dest
      ? endpointText(client.dest.remote)
      : null;
  const report: CallReport = {
    command: client ? 'call' : 'listen',
    outcome: client ? outboundOutcome(client, answered) : inboundOutcome(end.status, answered),
    finalStatus: answered ? 200 : (final?.status ?? end.status ?? null),
    reason: answered && final ? `${final.status} ${final.reason}; ${end.reason}` : end.reason,
    callId: i.callId,
    setupMs: answered
      ? Math.round(s.answeredAt! - s.startedAt)
      : s.endedAt !== undefined
        ? Math.round(s.endedAt - s.startedAt)
        : null,
    durationMs: answered && s.endedAt !== undefined ? Math.round(s.endedAt - s.answeredAt!) : null,
    transport: s.flow?.proto ?? client?.dest?.proto ?? i.defaultTransport,
    local: s.flow ? endpointText(s.flow.local) : null,
    remote,
    startedAt: i.startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    endedBy: end.by,
    events: i.events,
    messages: i.messages,
  };
  if (client) report.timeline = i.timeline;
  const auth = authFailureOf(end.reason, end.status);
  if (client && auth) report.authFailure = auth;
  if (i.media) report.media = i.media.report();
  return withDiagnosis(report);
}
