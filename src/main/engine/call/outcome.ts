/**
 * How a call ended, in the report's words (docs/report-schema.md): one classification shared by
 * the CLI's runs, the built-in agent and the GUI's engine service.
 */
import type { CallReport, Outcome } from '../../../shared/model/report.ts';
import type { InviteClient } from '../../sip/ua/invite-client.ts';
import type { SipResponse } from '../../sip/syntax/message.ts';
import type { RequestOutcome } from '../../sip/ua/request-client.ts';

const AUTH_KINDS = ['wrong-credentials', 'forbidden', 'realm-mismatch', 'no-credentials'] as const;

/** Classify why a call failed to authenticate or reach the peer (issue: failures classified). */
export function authFailureOf(reason: string, status: number | undefined): CallReport['authFailure'] {
  const kind = AUTH_KINDS.find((k) => reason.includes(`: ${k} (`));
  if (kind) return kind;
  if (status === 403) return 'forbidden';
  if (/connection-refused/.test(reason)) return undefined; // refused: not an authentication failure
  if (/transport error|cannot resolve/.test(reason)) return 'unreachable';
  return undefined;
}

/**
 * The response that decided a call we placed: its 2xx when answered, else the last final one (a
 * 401/407 answered with credentials is not the end: the 403 or 486 after it is), else the last.
 */
export function decisiveResponse(call: InviteClient, answered: boolean): SipResponse | undefined {
  const finals = call.responses.filter((r) => r.status >= 200);
  return (answered ? finals.find((r) => r.status < 300) : finals.at(-1)) ?? call.responses.at(-1);
}

/** A call we placed. */
export function outboundOutcome(call: InviteClient, answered: boolean): Outcome {
  if (answered) return 'answered';
  const end = call.end!;
  const s = end.status;
  const auth = authFailureOf(end.reason, s);
  if (auth && auth !== 'forbidden' && auth !== 'unreachable') return 'auth-failed';
  if (s === 486 || s === 600) return 'busy';
  if (s === 487) return end.by === 'local' ? 'no-answer' : 'cancelled';
  if (s === 408 && end.by === 'error') return call.responses.length === 0 && !call.flow ? 'timeout' : 'no-answer';
  if (s !== undefined && s >= 300) return 'rejected';
  if (/transport error|cannot resolve/.test(end.reason)) return 'unreachable';
  return 'failed';
}

/** A call we received. */
export function inboundOutcome(status: number | undefined, answered: boolean): Outcome {
  if (answered) return 'answered';
  if (status === 487) return 'cancelled';
  if (status === 486) return 'busy';
  return 'rejected';
}

/** A non-INVITE request's 2xx (OPTIONS, REGISTER). */
export function requestOk(o: RequestOutcome): boolean {
  const s = o.response?.status;
  return s !== undefined && s >= 200 && s < 300;
}

/** How an OPTIONS or REGISTER went, in the report's words. */
export function requestOutcome(o: RequestOutcome, success: Outcome = 'registered'): Outcome {
  if (requestOk(o)) return success;
  if (o.error === 'timeout') return 'timeout';
  if (o.error === 'transport' || o.error === 'resolve') return 'unreachable';
  if (o.authFailure && o.authFailure !== 'unreachable' && o.authFailure !== 'no-response') return 'auth-failed';
  return 'failed';
}

export function requestReason(o: RequestOutcome): string {
  const res = o.response;
  const base = res ? `${res.status} ${res.reason}` : (o.errorText ?? o.error ?? 'no response');
  return o.authFailure && !requestOk(o) ? `${base} (${o.authFailure})` : base;
}
