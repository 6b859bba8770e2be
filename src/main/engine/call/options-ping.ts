/** An OPTIONS ping (RFC 3261 §11) with its round-trip time, as a report: `trunkscope options`. */
import type { CallReport } from '../../../shared/model/report.ts';
import { createRequest, Headers } from '../../sip/syntax/message.ts';
import { newCallId, newTag } from '../../sip/ua/message-factory.ts';
import { sendNonInvite } from '../../sip/ua/request-client.ts';
import { endpointText } from '../report/report-helpers.ts';
import type { SipStack } from '../stack/sip-stack.ts';
import { requestOutcome, requestReason } from './outcome.ts';

export interface OptionsPing {
  target: string;
  from?: string;
  proxy?: string;
  headers?: Array<[string, string]>;
}

export async function pingOptions(stack: SipStack, o: OptionsPing): Promise<CallReport> {
  const started = new Date();
  const callId = newCallId('trunkscope');
  const tag = newTag();
  const from = o.from ?? 'sip:trunkscope@trunkscope.invalid';
  const out = await sendNonInvite(stack.ua, {
    build: (cseq) => {
      const h = new Headers();
      if (o.proxy) h.append('Route', `<${o.proxy};lr>`);
      h.append('From', `<${from}>;tag=${tag}`).append('To', `<${o.target}>`).append('Call-ID', callId);
      h.append('CSeq', `${cseq} OPTIONS`).append('Accept', 'application/sdp');
      for (const [n, v] of o.headers ?? []) h.append(n, v);
      return createRequest('OPTIONS', o.target, h);
    },
    firstCSeq: 1,
    nextHop: o.proxy ?? o.target,
  });
  const s = out.response?.status;
  return {
    command: 'options',
    outcome: requestOutcome(out, 'ok'),
    finalStatus: s ?? null,
    reason: requestReason(out),
    callId,
    setupMs: out.rttMs !== undefined ? Math.round(out.rttMs) : null,
    durationMs: null,
    rttMs: out.rttMs !== undefined && out.response ? Math.round(out.rttMs * 100) / 100 : undefined,
    transport: out.flow?.proto ?? out.destination?.proto ?? stack.ua.opts.defaultProto,
    local: out.flow ? endpointText(out.flow.local) : null,
    remote: out.flow ? endpointText(out.flow.remote) : out.destination ? endpointText(out.destination.remote) : null,
    startedAt: started.toISOString(),
    endedAt: new Date().toISOString(),
    attempts: out.tried, // RFC 3263 §4.3: every target tried
    messages: stack.messageCount(callId, true),
  };
}
