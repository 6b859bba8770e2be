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
import { AttemptLog, DEFAULT_TARGET_TIMEOUT_MS, type TargetAttempt } from './target-attempts.ts';

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
  /** Every RFC 3263 target the request went to, in order, with what became of it. */
  tried: TargetAttempt[];
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

type Sent = { kind: 'final'; res: SipResponse; flow: Flow } | { kind: 'timeout'; silentMs?: number } | { kind: 'transport'; err: Error };

export async function sendNonInvite(ua: UserAgent, plan: RequestPlan): Promise<RequestOutcome> {
  let dests: Destination[];
  let cseq = plan.firstCSeq;
  let request = plan.build(cseq);
  try {
    dests = await ua.opts.resolve(plan.nextHop, plan.defaultProto ?? ua.opts.defaultProto);
  } catch (err) {
    return { request, error: 'resolve', errorText: (err as Error).message, authFailure: 'unreachable', attempts: 0, tried: [] };
  }
  let attempts = 0;
  const log = new AttemptLog(ua.opts.clock);
  const tried = log.list;
  let last: RequestOutcome = { request, error: 'resolve', errorText: 'no destination', attempts, tried };
  for (let i = 0; i < dests.length; i++) {
    const dest = dests[i]!;
    log.start(dest);
    // RFC 3263 §4.3: with another target left, a silent one is given up after the per-target time.
    const silentMs = i + 1 < dests.length ? (ua.opts.targetTimeoutMs ?? DEFAULT_TARGET_TIMEOUT_MS) : undefined;
    for (;;) {
      attempts++;
      const started = ua.opts.clock.now();
      const sent = await once(ua, request, dest, plan, silentMs);
      const rttMs = ua.opts.clock.now() - started;
      if (sent.kind === 'timeout') {
        const why = sent.silentMs !== undefined ? `no response within the ${sent.silentMs / 1000} s target timeout` : 'no response';
        log.close(why);
        last = { request, destination: dest, error: 'timeout', errorText: `${why} from ${dest.proto}:${dest.remote.address}:${dest.remote.port}`, authFailure: 'no-response', attempts, tried };
        break;
      }
      if (sent.kind === 'transport') {
        // A refused connection (TCP RST, ICMP port unreachable) is not an authentication failure.
        const refused = isConnectionRefused(sent.err);
        log.close(transportErrorText(sent.err));
        last = { request, destination: dest, error: 'transport', errorText: transportErrorText(sent.err), ...(refused ? {} : { authFailure: 'unreachable' as const }), attempts, tried };
        break;
      }
      const { res, flow } = sent;
      log.final(res.status, res.reason);
      last = { request, response: res, flow, destination: dest, rttMs, attempts, tried };
      if (res.status === 503 && i + 1 < dests.length) break; // RFC 3263 §4.3
      if ((res.status === 401 || res.status === 407) && plan.auth) {
        const verdict = plan.auth.onChallenge(res, request);
        if (verdict.kind === 'fail') return closed(log, { ...last, authFailure: verdict.failure });
        request = plan.build(++cseq);
        plan.auth.authorize(request);
        continue;
      }
      if (res.status === 401 || res.status === 407) return closed(log, { ...last, authFailure: 'no-credentials' });
      if (res.status === 403) return closed(log, { ...last, authFailure: 'forbidden' });
      return closed(log, last);
    }
    log.close();
    if (i + 1 < dests.length) request = plan.build(++cseq);
  }
  log.close();
  return last;
}

function closed(log: AttemptLog, o: RequestOutcome): RequestOutcome {
  log.close();
  return o;
}

function once(ua: UserAgent, req: SipRequest, dest: Destination, plan: RequestPlan, silentMs?: number): Promise<Sent> {
  return new Promise((resolve) => {
    let timer: { cancel(): void } | undefined;
    const done = (s: Sent): void => {
      timer?.cancel();
      resolve(s);
    };
    const tx = ua.sendRequest(
      req,
      dest,
      {
        onResponse(res, flow) {
          timer?.cancel();
          if (res.status < 200) plan.onProvisional?.(res);
          else done({ kind: 'final', res, flow });
        },
        onTimeout: () => done({ kind: 'timeout' }),
        onTransportError: (err) => done({ kind: 'transport', err }),
      },
      plan.contactUser,
    );
    if (silentMs !== undefined) {
      timer = ua.opts.clock.setTimer(silentMs, () => {
        tx.terminate();
        resolve({ kind: 'timeout', silentMs });
      });
    }
  });
}
