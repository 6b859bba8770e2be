/**
 * Sending one non-INVITE request as a UAC, with everything around the transaction: RFC 3263
 * failover to the next target on timeout, transport error or 503 (§4.3), and digest
 * authentication on 401/407 (RFC 3261 §22.2) with failures classified.
 */
import type { SipRequest, SipResponse } from '../syntax/message.ts';
import type { Destination, Flow, TransportProto } from '../transport/types.ts';
import type { UserAgent } from './user-agent.ts';
import type { AuthFailureKind } from './types.ts';
import { Authenticator } from './authenticator.ts';
import { isConnectionRefused, transportErrorText } from './transport-error.ts';

export interface RequestOutcome {
  /** The last request sent (with its Via, CSeq and any Authorization). */
  request: SipRequest;
  response?: SipResponse;
  flow?: Flow;
  destination?: Destination;
  error?: 'timeout' | 'transport' | 'resolve';
  errorText?: string;
  authFailure?: AuthFailureKind;
  /** From the last request's send to its final response. */
  rttMs?: number;
  attempts: number;
}

export interface RequestPlan {
  /** Build a fresh request for this CSeq (without Via; the UA stamps it). */
  build(cseq: number): SipRequest;
  firstCSeq: number;
  /** URI to resolve for the next hop (outbound proxy, first Route or Request-URI). */
  nextHop: string;
  auth?: Authenticator;
  contactUser?: string;
  /** Transport for a next hop that names none (in-dialog: the dialog's own). */
  defaultProto?: TransportProto;
  /** Called with each provisional response. */
  onProvisional?(res: SipResponse): void;
}

type Sent = { kind: 'final'; res: SipResponse; flow: Flow } | { kind: 'timeout' } | { kind: 'transport'; err: Error };

export async function sendNonInvite(ua: UserAgent, plan: RequestPlan): Promise<RequestOutcome> {
  let dests: Destination[];
  let cseq = plan.firstCSeq;
  let request = plan.build(cseq);
  try {
    dests = await ua.opts.resolve(plan.nextHop, plan.defaultProto ?? ua.opts.defaultProto);
  } catch (err) {
    return { request, error: 'resolve', errorText: (err as Error).message, authFailure: 'unreachable', attempts: 0 };
  }
  let attempts = 0;
  let last: RequestOutcome = { request, error: 'resolve', errorText: 'no destination', attempts };
  for (let i = 0; i < dests.length; i++) {
    const dest = dests[i]!;
    for (;;) {
      attempts++;
      const started = ua.opts.clock.now();
      const sent = await once(ua, request, dest, plan);
      const rttMs = ua.opts.clock.now() - started;
      if (sent.kind === 'timeout') {
        last = { request, destination: dest, error: 'timeout', errorText: `no response from ${dest.proto}:${dest.remote.address}:${dest.remote.port}`, authFailure: 'no-response', attempts };
        break;
      }
      if (sent.kind === 'transport') {
        // A refused connection (TCP RST, ICMP port unreachable) is not an authentication failure.
        const refused = isConnectionRefused(sent.err);
        last = { request, destination: dest, error: 'transport', errorText: transportErrorText(sent.err), ...(refused ? {} : { authFailure: 'unreachable' as const }), attempts };
        break;
      }
      const { res, flow } = sent;
      last = { request, response: res, flow, destination: dest, rttMs, attempts };
      if (res.status === 503 && i + 1 < dests.length) break; // RFC 3263 §4.3
      if ((res.status === 401 || res.status === 407) && plan.auth) {
        const verdict = plan.auth.onChallenge(res, request);
        if (verdict.kind === 'fail') return { ...last, authFailure: verdict.failure };
        request = plan.build(++cseq);
        plan.auth.authorize(request);
        continue;
      }
      if (res.status === 401 || res.status === 407) return { ...last, authFailure: 'no-credentials' };
      if (res.status === 403) return { ...last, authFailure: 'forbidden' };
      return last;
    }
    if (i + 1 < dests.length) request = plan.build(++cseq);
  }
  return last;
}

function once(ua: UserAgent, req: SipRequest, dest: Destination, plan: RequestPlan): Promise<Sent> {
  return new Promise((resolve) => {
    ua.sendRequest(
      req,
      dest,
      {
        onResponse(res, flow) {
          if (res.status < 200) plan.onProvisional?.(res);
          else resolve({ kind: 'final', res, flow });
        },
        onTimeout: () => resolve({ kind: 'timeout' }),
        onTransportError: (err) => resolve({ kind: 'transport', err }),
      },
      plan.contactUser,
    );
  });
}
