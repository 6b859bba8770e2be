/**
 * Causes found in the signaling (docs/diagnosis.md): reachability, authentication, the final
 * status, session timers and how the call ended. Pure functions of the report and its context.
 */
import type { CallReport } from '../../../shared/model/report.ts';
import type { Cause, Evidence } from '../../../shared/model/diagnosis.ts';
import { bodyOf, cause, findMessage, headerOf, sdpCodecs, type DiagnoseContext } from './context.ts';

/** Evidence naming the decisive final response, when the messages hold it. */
function finalEvidence(r: CallReport, ctx: DiagnoseContext): Evidence[] {
  const f = r.finalStatus !== null ? findMessage(ctx, (m) => m.dir === 'in' && m.status === r.finalStatus, true) : undefined;
  if (f) return [{ ref: f.ref, text: f.m.firstLine }];
  return [{ ref: 'finalStatus', text: r.finalStatus !== null ? `final status ${r.finalStatus}: ${r.reason}` : r.reason }];
}

/** A challenge (401/407) arrived before the final response. */
function wasChallenged(r: CallReport, ctx: DiagnoseContext): boolean {
  if (findMessage(ctx, (m) => m.dir === 'in' && (m.status === 401 || m.status === 407))) return true;
  return /: (forbidden|wrong-credentials|realm-mismatch|no-credentials) \(/.test(r.reason);
}

/** Reachability: DNS, refused connections, TLS, nothing answering (RFC 3261 §17.1.1.2 Timer B). */
export function reachabilityCauses(r: CallReport, ctx: DiagnoseContext): Cause[] {
  const why = r.reason;
  const ev: Evidence[] = [{ ref: 'reason', text: why }];
  if (/cannot resolve|ENOTFOUND|EAI_AGAIN|NXDOMAIN/i.test(why)) return [cause('dns-failure', 'error', 'the target host name could not be resolved', ev)];
  if (/ECONNREFUSED|connection .* refused|port unreachable/i.test(why)) return [cause('connection-refused', 'error', `the connection to ${r.remote ?? 'the peer'} was refused`, ev)];
  if (/TLS|certificate|CERT_|SSL|handshake/i.test(why) && (r.transport === 'tls' || /TLS/.test(why))) return [cause('tls-failure', 'error', 'the TLS connection could not be set up', ev)];
  const received = ctx.messages ? ctx.messages.some((m) => m.dir === 'in') : r.messages.received > 0;
  const silent = r.outcome === 'timeout' || r.authFailure === 'no-response' || /no final response|no response to/.test(why) || (r.finalStatus === 408 && !received);
  if (silent && !received) {
    const sent = ctx.messages?.filter((m) => m.dir === 'out').length ?? r.messages.sent;
    return [cause('no-response', 'error', `no response from ${r.remote ?? 'the peer'}: ${sent} message(s) sent, none answered`, ev)];
  }
  if (/transport error/.test(why)) return [cause('connection-refused', 'error', `the transport to ${r.remote ?? 'the peer'} failed`, ev)];
  return [];
}

/** Authentication: RFC 3261 §22 digest outcomes, IP allow lists, and the Date header (§20.17). */
export function authCauses(r: CallReport, ctx: DiagnoseContext): Cause[] {
  const out: Cause[] = [];
  const ev = finalEvidence(r, ctx);
  const challenged = wasChallenged(r, ctx);
  if (r.authFailure === 'wrong-credentials' || r.authFailure === 'no-credentials') {
    const none = r.authFailure === 'no-credentials';
    out.push(cause('wrong-credentials', 'error', none ? 'the server asked for credentials and none were given' : 'the server rejected our credentials', ev,
      none ? 'The trunk uses digest authentication: give --user and --password (or switch the trunk to IP authentication).' : undefined));
  } else if (r.authFailure === 'realm-mismatch') {
    const ch = findMessage(ctx, (m) => m.dir === 'in' && (m.status === 401 || m.status === 407));
    const realm = /realm="([^"]*)"/.exec(headerOf(ch?.m.raw, 'WWW-Authenticate') ?? headerOf(ch?.m.raw, 'Proxy-Authenticate') ?? '')?.[1];
    out.push(cause('realm-mismatch', 'error', `the server challenged with ${realm ? `realm "${realm}"` : 'another realm'} than configured`, ch ? [{ ref: ch.ref, text: ch.m.firstLine }, ...ev] : ev));
  } else if (r.finalStatus === 403) {
    const phrase = /^SIP\/2\.0 403 (.*)$/.exec(findMessage(ctx, (m) => m.dir === 'in' && m.status === 403, true)?.m.firstLine ?? '')?.[1] ?? r.reason;
    const aclText = /\b(ip|acl|address|allow|whitelist|not (allowed|authori[sz]ed) from|source)\b/i.test(phrase);
    if (!challenged || aclText)
      out.push(cause('forbidden-ip', 'error', `403 Forbidden ${challenged ? 'naming the source address' : 'without a digest challenge'}: the trunk does not accept calls from this IP address`, ev));
    else out.push(cause('forbidden', 'error', '403 Forbidden after authentication: the account may not place this call', ev));
  }
  const skew = clockSkew(ctx);
  if (skew) out.push(cause('clock-skew', out.length > 0 ? 'error' : 'warning', `the peer's clock differs from ours by ${Math.round(skew.seconds)} s`, [{ ref: skew.ref, text: `Date: ${skew.date}` }]));
  return out;
}

/** A response's Date header (RFC 3261 §20.17) more than 60 s from the time we received it. */
function clockSkew(ctx: DiagnoseContext): { seconds: number; ref: string; date: string } | undefined {
  for (const [i, m] of (ctx.messages ?? []).entries()) {
    if (m.dir !== 'in' || m.at === undefined) continue;
    const date = headerOf(m.raw, 'Date');
    const t = date ? Date.parse(date) : NaN;
    if (Number.isFinite(t) && Math.abs(t - m.at) > 60_000) return { seconds: Math.abs(t - m.at) / 1000, ref: m.frame !== undefined ? `frame ${m.frame}` : `msg ${i + 1}`, date: date! };
  }
  return undefined;
}

/** The final status of a call that was not answered (RFC 3261 §21). */
export function statusCauses(r: CallReport, ctx: DiagnoseContext, already: Cause[]): Cause[] {
  if (r.outcome === 'answered' || r.outcome === 'registered' || r.outcome === 'ok') return [];
  const s = r.finalStatus;
  const ev = finalEvidence(r, ctx);
  if (s === 404 || s === 484 || s === 604) return [cause('number-not-found', 'error', `${s}: the number or address is not known to the peer`, ev)];
  if (s === 486 || s === 600 || r.outcome === 'busy') return [cause('busy', 'error', `${s ?? 486}: the callee is busy`, ev)];
  if (s === 503) {
    const f = ctx.failover;
    const text = f ? `${f.targets} target(s) known, ${f.tried} tried${f.tried < f.targets ? '; the others were not tried' : ''}` : 'no failover target was known (one address)';
    return [cause('service-unavailable', 'error', `503 Service Unavailable; ${text}`, [...ev, { ref: 'failover', text }])];
  }
  if (s === 488 || s === 415 || s === 606) return codecOrSrtp(r, ctx, ev);
  if (r.outcome === 'cancelled') return [cause('cancelled', 'error', 'the caller cancelled before the call was answered', ev)];
  if (r.outcome === 'no-answer' || s === 480 || s === 487)
    return [cause('no-answer', 'error', r.timeline?.ringingMs != null ? `rang for the whole answer timeout without an answer` : `no answer (${s ?? 'no final response'})`, ev)];
  if (already.length > 0) return [];
  if (s !== null && s >= 300) return [cause('rejected', 'error', `the peer rejected the call: ${r.reason}`, ev)];
  return [cause('rejected', 'error', `the call failed: ${r.reason}`, ev)];
}

/** 488 Not Acceptable Here: SRTP on one side only, or no codec in common (RFC 3264 §6). */
function codecOrSrtp(r: CallReport, ctx: DiagnoseContext, ev: Evidence[]): Cause[] {
  const invite = findMessage(ctx, (m) => m.method === 'INVITE' && bodyOf(m.raw).includes('m=audio'));
  const offer = ctx.offerSdp ?? bodyOf(invite?.m.raw);
  const answerMsg = findMessage(ctx, (m) => m.dir !== invite?.m.dir && m.status !== undefined && bodyOf(m.raw).includes('m=audio'));
  const answer = ctx.answerSdp ?? bodyOf(answerMsg?.m.raw);
  const offerCrypto = /^a=crypto:|RTP\/SAVP/m.test(offer);
  const srtpInReason = /SRTP|crypto|SAVP|encrypt/i.test(r.reason) || /SRTP|crypto/i.test(r.media?.error ?? '');
  if (srtpInReason || (offer && offerCrypto && /RTP\/SAVP/.test(offer))) {
    return [cause('srtp-mismatch', 'error', `${r.finalStatus}: the offer ${offerCrypto ? 'required SRTP' : 'had no SRTP'} and the peer would not take it`, ev)];
  }
  const ours = sdpCodecs(offer).filter((c) => c !== 'telephone-event' && c !== 'CN');
  const theirs = sdpCodecs(answer).filter((c) => c !== 'telephone-event' && c !== 'CN');
  const lists = `offered ${ours.length ? ours.join(', ') : '(unknown)'}; the peer accepts ${theirs.length ? theirs.join(', ') : '(it did not say)'}`;
  return [cause('no-common-codec', 'error', `${r.finalStatus}: no codec in common — ${lists}`, [...ev, ...(invite ? [{ ref: invite.ref, text: `offer: ${ours.join(', ')}` }] : [])])];
}

/** How an answered call ended: RFC 4028 session expiry and remote hangups. */
export function endingCauses(r: CallReport, ctx: DiagnoseContext): Cause[] {
  if (r.outcome !== 'answered') return [];
  const why = r.reason;
  const refreshes = (r.events ?? []).filter((e) => e.event === 'refresh');
  const refreshText = refreshes.length > 0 ? `${refreshes.length} refresh(es) before: ${refreshes.map((e) => e.detail).join(', ')}` : 'no refresh happened';
  const ev: Evidence[] = [{ ref: 'reason', text: why }, { ref: 'events', text: refreshText }];
  if (/session expired \(RFC 4028\)/.test(why))
    return [cause('session-timer-expiry', 'error', `the session expired (RFC 4028): the peer did not refresh it in time; ${refreshText}`, ev)];
  if (/session refresh .*failed|re-INVITE got (408|481)/.test(why))
    return [cause('session-timer-expiry', 'error', `our session refresh was refused or unanswered, so the session ended; ${refreshText}`, ev)];
  const bye = findMessage(ctx, (m) => m.dir === 'in' && m.method === 'BYE');
  const reasonHdr = headerOf(bye?.m.raw, 'Reason') ?? '';
  if (/session.?timer|session.?expire/i.test(`${reasonHdr} ${why}`))
    return [cause('session-timer-expiry', 'error', `the peer ended the call at its session-timer expiry; ${refreshText}`, [...(bye ? [{ ref: bye.ref, text: `BYE Reason: ${reasonHdr}` }] : []), ...ev])];
  return [];
}
