/**
 * A registration run (RFC 3261 §10): REGISTER with digest, stay registered (refreshing) while
 * `stay` runs, then un-REGISTER — as a report: `trunkscope register`.
 */
import type { CallReport } from '../../../shared/model/report.ts';
import { Registration, type RegistrationOptions } from '../../sip/ua/registration.ts';
import { endpointText } from '../report/report-helpers.ts';
import type { SipStack } from '../stack/sip-stack.ts';
import { requestOk, requestOutcome, requestReason } from './outcome.ts';

export async function runRegistration(stack: SipStack, o: RegistrationOptions, stay: () => Promise<void>): Promise<CallReport> {
  const started = new Date();
  const reg = new Registration(stack.ua, o);
  try {
    const first = await reg.register();
    const ok = requestOk(first);
    const registeredAt = Date.now();
    let unregisterStatus: number | null = null;
    if (ok) {
      await stay();
      unregisterStatus = (await reg.unregister()).response?.status ?? null;
    }
    return {
      command: 'register',
      outcome: requestOutcome(first),
      finalStatus: first.response?.status ?? null,
      reason: requestReason(first),
      callId: reg.callId,
      setupMs: first.rttMs !== undefined ? Math.round(first.rttMs) : null,
      durationMs: ok ? Date.now() - registeredAt : null,
      transport: first.flow?.proto ?? first.destination?.proto ?? stack.ua.opts.defaultProto,
      local: first.flow ? endpointText(first.flow.local) : null,
      remote: first.flow ? endpointText(first.flow.remote) : first.destination ? endpointText(first.destination.remote) : null,
      startedAt: started.toISOString(),
      endedAt: new Date().toISOString(),
      authFailure: ok ? undefined : first.authFailure,
      registration: { expires: reg.grantedExpires ?? null, refreshes: reg.refreshes, unregisterStatus },
      attempts: first.tried, // RFC 3263 §4.3: every target tried
    messages: stack.messageCount(reg.callId, true),
    };
  } finally {
    reg.stop();
  }
}
