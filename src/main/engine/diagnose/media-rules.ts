/**
 * Causes found in the media (docs/diagnosis.md): RTP each way, audio presence (issue 17), NAT and
 * SDP addresses, SRTP, quality and local drops, DTMF, early media. Pure functions of the report.
 */
import type { CallReport, MediaReport, OneWayAudio } from '../../../shared/model/report.ts';
import type { Cause, Evidence } from '../../../shared/model/diagnosis.ts';
import { atRef, cause, findMessage, headerOf, type DiagnoseContext } from './context.ts';

/** Loss and jitter limits of the checklist: loss < 1 %, jitter < 30 ms. */
export const QUALITY_LIMITS = { lossPercent: 1, jitterMs: 30 };

/** Bytes of IPv4 + UDP + RTP headers per packet, for the bandwidth figure (RFC 3550 §5.1). */
const HEADER_BYTES = 20 + 8 + 12;

type Finding = { verdict: string; direction: string | null; sinceMs?: number; evidence: string[] };

function findings(owa: OneWayAudio | null | undefined): Finding[] {
  if (!owa || owa.verdict === 'ok') return [];
  return [{ verdict: owa.verdict, direction: owa.direction, sinceMs: owa.sinceMs, evidence: owa.evidence }, ...owa.others];
}

/** Both directions' counts in one line, and RTCP's view. */
function packetEvidence(m: MediaReport): Evidence[] {
  const ev: Evidence[] = [
    { ref: 'media.sent', text: `sent ${m.sent.packets} packets to ${m.sent.remoteAddress ?? m.sdpRemote ?? '?'} (SDP named ${m.sdpRemote ?? 'none'})` },
    { ref: 'media.received', text: `received ${m.received.packets} packets from ${m.received.remoteAddress ?? 'nobody'}` },
  ];
  const p = m.peerReport;
  if (p) ev.push({ ref: atRef(p.atMs), text: `the peer's RTCP: ${p.packetsReceived ?? '?'} of our packets received, ${p.fractionLostPercent} % lost` });
  return ev;
}

export function mediaCauses(r: CallReport, ctx: DiagnoseContext): Cause[] {
  const m = r.media;
  if (!m) return [];
  const out: Cause[] = [];
  const answered = r.outcome === 'answered';
  const f = findings(m.oneWayAudio);
  const has = (v: string): Finding | undefined => f.find((x) => x.verdict === v);
  const fe = (x: Finding): Evidence[] => x.evidence.map((text) => ({ ref: atRef(x.sinceMs), text }));

  const srtp = has('srtp-mismatch');
  if (srtp) out.push(cause('srtp-mismatch', 'error', `SRTP does not match (${m.srtp.policy} here, ${m.srtp.active ? 'active' : 'not active'})`, fe(srtp)));
  else if (m.error && /SRTP|crypto/i.test(m.error)) out.push(cause('srtp-mismatch', 'error', m.error, [{ ref: 'media.error', text: m.error }]));
  if (m.error && /codec/i.test(m.error) && !out.length) out.push(cause('no-common-codec', 'error', m.error, [{ ref: 'media.error', text: m.error }]));

  if (answered && !srtp) {
    const noIn = has('no-inbound-rtp');
    const noOut = has('no-outbound-rtp');
    if (m.received.packets === 0 && m.sent.packets === 0 && (noIn || noOut))
      out.push(cause('no-media', 'error', 'no RTP flowed in either direction', [...packetEvidence(m), ...fe((noIn ?? noOut)!)]));
    else {
      const oneWay = noIn ?? noOut ?? has('inbound-stopped') ?? has('outbound-stopped');
      if (oneWay) {
        const inbound = oneWay.direction === 'inbound' || oneWay.verdict.startsWith('inbound') || oneWay.verdict === 'no-inbound-rtp';
        const what = oneWay.verdict.endsWith('stopped') ? 'stopped mid-call' : 'never arrived';
        out.push(cause('one-way-audio', 'error', `${inbound ? "the peer's audio" : 'our audio'} ${what} (${inbound ? 'inbound' : 'outbound'}: ${oneWay.verdict})`, [...fe(oneWay), ...packetEvidence(m)]));
      }
    }
    out.push(...audioCauses(m, ctx));
  }

  const priv = has('private-sdp-address');
  if (priv) {
    const hurt = m.received.packets === 0 || out.some((c) => c.code === 'one-way-audio' || c.code === 'no-media');
    out.push(cause('private-media-address', hurt ? 'error' : 'warning', `the peer's SDP names a private media address (${m.sdpRemote ?? '?'})`, fe(priv)));
  }
  const nat = has('nat-mismatch');
  if (nat) out.push(cause('nat-mismatch', 'warning', `RTP comes from ${m.received.remoteAddress ?? '?'}, not the SDP's ${m.sdpRemote ?? '?'}${m.symmetricRtp ? ' (latched: symmetric RTP on)' : ''}`, fe(nat)));

  if (answered) out.push(...qualityCauses(r, m, ctx));
  out.push(...dtmfCauses(r, m, ctx));
  if (!answered && m.received.packets > 0 && r.timeline?.ringingMs != null)
    out.push(cause('early-media-only', 'warning', `early media only: ${m.received.packets} RTP packets before the call ended unanswered`, [{ ref: 'media.received', text: `${m.received.packets} packets from ${m.received.remoteAddress ?? '?'}` }]));
  return out;
}

/** Issue 17: silent or comfort-noise-only audio fails; audio that could not be decoded is unverified. */
function audioCauses(m: MediaReport, ctx: DiagnoseContext): Cause[] {
  const a = m.received.audio;
  if (m.received.packets === 0) return [];
  const level = a ? `peak ${a.peakDbfs} dBFS, mean ${a.meanDbfs} dBFS; ${a.activeMs} ms active, ${a.silentMs} ms silent, ${a.cnMs} ms comfort noise` : '';
  const codec = `${m.codec ?? '?'} (PT ${m.payloadType ?? '?'})`;
  const cnOnly = a !== undefined && a.activeMs === 0 && a.silentMs === 0 && a.cnMs > 0 && a.undecodable === 0;
  if (!cnOnly && (m.oneWayAudio?.verdict === 'audio-unverified' || (a && !a.decoded))) {
    const why = a?.reason ?? m.oneWayAudio?.evidence.join('; ') ?? 'not decoded';
    return [cause('audio-unverified', 'warning', `the received audio was not checked: ${why}`, [{ ref: 'media.received.audio', text: `${m.received.packets} packets of ${codec}; ${a?.undecodable ?? m.received.packets} undecodable` }])];
  }
  if (ctx.expectSilence) return [];
  const silentVerdict = findings(m.oneWayAudio).find((x) => x.verdict === 'silent-inbound');
  const silentFrames = a !== undefined && a.activeMs === 0 && a.silentMs + a.cnMs > 0;
  if (!silentVerdict && !silentFrames) return [];
  const ev: Evidence[] = [
    { ref: 'media.received', text: `${m.received.packets} packets, ${m.received.bytes} bytes of ${codec} from ${m.received.remoteAddress ?? '?'}` },
    ...(a ? [{ ref: 'media.received.audio', text: level }] : []),
    ...(silentVerdict ? silentVerdict.evidence.map((text) => ({ ref: atRef(silentVerdict.sinceMs), text })) : []),
    ...(m.recording ? [{ ref: 'media.recording', text: `recording: ${m.recording}` }] : []),
  ];
  return [cause('silent-audio', 'error', cnOnly ? 'the peer sent only comfort noise (RFC 3389), no audio' : 'RTP arrives but the peer\'s audio is silent', ev)];
}

function qualityCauses(r: CallReport, m: MediaReport, ctx: DiagnoseContext): Cause[] {
  const out: Cause[] = [];
  const rx = m.received;
  const peer = m.peerReport;
  const bad: string[] = [];
  if (rx.packets > 0 && rx.lostPercent > QUALITY_LIMITS.lossPercent) bad.push(`received loss ${rx.lostPercent} % (${rx.lost} of ${rx.expected})`);
  if (rx.packets > 0 && rx.jitterMeanMs > QUALITY_LIMITS.jitterMs) bad.push(`received jitter ${rx.jitterMeanMs} ms mean, ${rx.jitterMaxMs} ms max`);
  if (peer && peer.fractionLostPercent > QUALITY_LIMITS.lossPercent) bad.push(`the peer reports ${peer.fractionLostPercent} % of our packets lost`);
  if (peer?.jitterMs != null && peer.jitterMs > QUALITY_LIMITS.jitterMs) bad.push(`the peer reports ${peer.jitterMs} ms jitter on our stream`);
  if (bad.length > 0) {
    const sec = (r.durationMs ?? 0) / 1000;
    const pps = sec > 0 ? rx.packets / sec : 0;
    const kbps = sec > 0 ? Math.round(((rx.bytes + rx.packets * HEADER_BYTES) * 8) / sec / 100) / 10 : null;
    const bw = kbps !== null ? `bandwidth ${kbps} kbps per direction (${Math.round(pps)} packets/s, IP/UDP/RTP headers included)` : 'bandwidth unknown';
    out.push(cause('poor-quality', 'warning', `${bad.join('; ')} (limits: loss < 1 %, jitter < 30 ms)`, [...bad.map((text) => ({ ref: 'media.received', text })), { ref: 'media', text: `${m.codec ?? '?'}: ${bw}; MOS ${m.mos ?? '-'}` }]));
  }
  const drops = ctx.localDrops ?? rx.localDrops;
  if (drops !== undefined && drops > 0)
    out.push(cause('local-drops', 'warning', `this host dropped ${drops} packet(s) the network delivered`, [{ ref: '/proc/net/udp', text: `the RTP socket's drop counter rose by ${drops} during the call` }]));
  return out;
}

function dtmfCauses(r: CallReport, m: MediaReport, ctx: DiagnoseContext): Cause[] {
  const out: Cause[] = [];
  const wanted = (ctx.expectDtmf ?? '').replace(/[^0-9*#A-D]/gi, '');
  const sent = m.dtmf.sent.length;
  const dtmfError = m.error && /DTMF/i.test(m.error) ? m.error : undefined;
  const infoRefused = findMessage(ctx, (x) => x.dir === 'in' && x.status !== undefined && x.status >= 400 && /\bINFO\b/.test(headerOf(x.raw, 'CSeq') ?? ''));
  let mismatch: string | undefined;
  if (m.dtmfMethod === 'rfc2833' && wanted && m.telephoneEventPt === null) mismatch = 'RFC 4733 DTMF asked for, but telephone-event was not negotiated in the SDP';
  else if (m.dtmfMethod === 'inband' && wanted && m.codec && !/^(PCMU|PCMA|G722)$/i.test(m.codec)) mismatch = `in-band DTMF over ${m.codec}, a codec that does not carry tones faithfully`;
  else if (m.dtmfMethod === 'info' && infoRefused) mismatch = `the peer refused SIP INFO: ${infoRefused.m.firstLine}`;
  else if (dtmfError && /telephone-event|cannot be sent with/.test(dtmfError)) mismatch = dtmfError;
  const unknown = Object.keys(m.received.unknownPayloadTypes ?? {}).filter((pt) => Number(pt) >= 96);
  if (!mismatch && unknown.length > 0 && m.received.unknownPayloadTypes)
    mismatch = `the peer sends payload type ${unknown.join(', ')} the SDP did not negotiate (telephone-event on ${m.telephoneEventPt ?? 'no'} PT)`;
  // An error when the digits asked for did not get through (not sent, or INFO refused); else a risk.
  const lost = wanted !== '' && (sent < wanted.length || infoRefused !== undefined);
  if (mismatch) out.push(cause('dtmf-method-mismatch', lost ? 'error' : 'warning', mismatch, [{ ref: infoRefused?.ref ?? 'media.dtmf', text: mismatch }]));
  if (wanted && r.outcome === 'answered' && sent < wanted.length)
    out.push(cause('dtmf-not-sent', 'error', `${sent} of ${wanted.length} DTMF digit(s) sent (${wanted}) by ${m.dtmfMethod}`, [{ ref: 'media.dtmf.sent', text: `sent: ${m.dtmf.sent.map((d) => d.digit).join('') || 'none'}${dtmfError ? `; ${dtmfError}` : ''}` }]));
  return out;
}

/** The far end hung up after our RTP stopped reaching it (media timeout on its side). */
export function mediaTimeoutCauses(r: CallReport, ctx: DiagnoseContext): Cause[] {
  const m = r.media;
  if (r.outcome !== 'answered' || r.endedBy !== 'remote' || !m) return [];
  const bye = findMessage(ctx, (x) => x.dir === 'in' && x.method === 'BYE');
  const reasonHdr = headerOf(bye?.m.raw, 'Reason') ?? '';
  const byeSays = /rtp.?timeout|media.?timeout|no rtp|rtp inactivity/i.test(`${reasonHdr} ${r.reason}`);
  const stopped = findings(m.oneWayAudio).find((x) => x.verdict === 'outbound-stopped' || x.verdict === 'no-outbound-rtp');
  if (!byeSays && !stopped) return [];
  const endMs = r.durationMs ?? undefined;
  const after = stopped?.sinceMs !== undefined && endMs !== undefined ? ` ${((endMs - stopped.sinceMs) / 1000).toFixed(1)} s after our RTP stopped reaching it` : '';
  return [cause('media-timeout', 'error', `the far end hung up${after}`, [
    ...(bye ? [{ ref: bye.ref, text: `${bye.m.firstLine}${reasonHdr ? `; Reason: ${reasonHdr}` : ''}` }] : [{ ref: 'reason', text: r.reason }]),
    ...(stopped ? stopped.evidence.map((text) => ({ ref: atRef(stopped.sinceMs), text })) : []),
  ])];
}
