/**
 * A CallReport rebuilt from one call's captured SIP and RTP (`trunkscope diagnose`), seen from the
 * caller's side (the sender of the first INVITE is "us"), so the same diagnosis rules apply to a
 * customer's capture as to a live call.
 */
import type { CallReport, MediaDirection, MediaReport, Outcome } from '../../../shared/model/report.ts';
import type { AudioPresence } from '../../../shared/model/diagnosis.ts';
import { oneWayAudioVerdict } from '../../media/stats/one-way-audio.ts';
import type { CapturedSip } from './sip-capture.ts';
import type { AnalyzedStream } from './analyze-capture.ts';

export interface ParsedSip extends CapturedSip {
  text: string;
  firstLine: string;
  method?: string;
  status?: number;
  cseqMethod?: string;
  fromCaller: boolean;
}

export interface CapturedStream {
  stream: AnalyzedStream;
  audio: AudioPresence;
}

const ep = (a: string, p: number): string => (a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`);
export const header = (text: string, name: string): string | undefined =>
  new RegExp(`^(?:${name})[ \\t]*:[ \\t]*(.*?)[ \\t]*$`, 'im').exec(text.split(/\r?\n\r?\n/)[0] ?? '')?.[1];

/** c= and m=audio of an SDP body, as "address:port". */
export function sdpMedia(text: string): { address: string; port: number } | undefined {
  const body = text.split(/\r?\n\r?\n/).slice(1).join('\n\n');
  const m = /^m=audio (\d+)/m.exec(body);
  const c = /^c=IN IP[46] (\S+)/m.exec(body);
  return m && c ? { address: c[1]!, port: Number(m[1]) } : undefined;
}

/** `remoteAddress` is where packets went (sent: the stream's destination) or came from (received). */
function direction(c: CapturedStream | undefined, way: 'sent' | 'received'): MediaDirection {
  const s = c?.stream;
  const r3 = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    packets: s?.packets ?? 0,
    bytes: s?.bytes ?? 0,
    ssrc: s ? s.ssrcHex : null,
    remoteAddress: s ? (way === 'sent' ? s.dst : s.src) : null,
    expected: s?.expected ?? 0,
    lost: s?.lost ?? 0,
    lostPercent: r3(s?.lostPercent ?? 0),
    duplicates: s?.duplicates ?? 0,
    outOfOrder: s?.outOfOrder ?? 0,
    jitterMeanMs: r3(s?.jitterMeanMs ?? 0),
    jitterMaxMs: r3(s?.jitterMaxMs ?? 0),
    maxDeltaMs: r3(s?.maxDeltaMs ?? 0),
    ...(c ? { audio: c.audio } : {}),
  };
}

export function captureReport(callId: string, msgs: ParsedSip[], rx: CapturedStream | undefined, tx: CapturedStream | undefined, lastFrameMs: number): CallReport {
  const invites = msgs.filter((m) => m.method === 'INVITE' && m.fromCaller);
  const first = invites[0] ?? msgs[0]!;
  const t0 = first.timeMs;
  const inviteResponses = msgs.filter((m) => m.status !== undefined && m.cseqMethod === 'INVITE' && !m.fromCaller);
  const finals = inviteResponses.filter((m) => m.status! >= 200);
  const ok = finals.find((m) => m.status! < 300);
  const last = ok ?? finals.at(-1);
  const prov = inviteResponses.find((m) => m.status! < 200 && m.status! > 100) ?? inviteResponses.find((m) => m.status! < 200);
  const ringing = inviteResponses.find((m) => m.status === 180 || m.status === 183);
  const bye = msgs.find((m) => m.method === 'BYE');
  const cancel = msgs.find((m) => m.method === 'CANCEL' && m.fromCaller);
  const withCredentials = invites.some((m) => /^(?:proxy-)?authorization[ \t]*:/im.test(m.text));
  const phrase = last ? last.firstLine.replace(/^SIP\/2\.0 /, '') : '';
  let outcome: Outcome;
  let reason: string;
  let authFailure: CallReport['authFailure'];
  const s = last?.status;
  if (ok) {
    outcome = 'answered';
    reason = `${phrase}; ${bye ? (bye.fromCaller ? 'BYE by the caller' : 'remote hangup (BYE)') : 'no BYE in the capture'}`;
  } else if (!last) {
    outcome = inviteResponses.length === 0 ? 'timeout' : 'no-answer';
    reason = inviteResponses.length === 0 ? `no response to the INVITE (${invites.length} sent)` : 'no final response to the INVITE';
  } else {
    reason = phrase;
    if (s === 401 || s === 407) {
      outcome = 'auth-failed';
      authFailure = withCredentials ? 'wrong-credentials' : 'no-credentials';
      reason = `${phrase}: ${authFailure} (${withCredentials ? 'challenged again after credentials' : 'challenged, no credentials sent'})`;
    } else if (s === 403) {
      outcome = 'rejected';
      authFailure = 'forbidden';
      if (withCredentials) reason = `${phrase}: forbidden (after credentials)`;
    } else if (s === 486 || s === 600) outcome = 'busy';
    else if (s === 487) outcome = cancel ? 'no-answer' : 'cancelled';
    else if (s === 408 || s === 480) outcome = 'no-answer';
    else outcome = 'rejected';
  }
  const answerAt = ok?.timeMs;
  const endAt = bye?.timeMs ?? lastFrameMs;
  const callerSdp = msgs.find((m) => m.fromCaller && sdpMedia(m.text));
  const calleeSdp = msgs.find((m) => !m.fromCaller && sdpMedia(m.text));
  const report: CallReport = {
    command: 'call',
    outcome,
    finalStatus: s ?? null,
    reason,
    callId,
    setupMs: last ? Math.round(last.timeMs - t0) : null,
    durationMs: answerAt !== undefined ? Math.round(endAt - answerAt) : null,
    transport: first.proto,
    local: ep(first.src, first.srcPort),
    remote: ep(first.dst, first.dstPort),
    startedAt: new Date(first.epochMs ?? 0).toISOString(),
    endedAt: new Date((first.epochMs ?? 0) + (endAt - t0)).toISOString(),
    ...(bye ? { endedBy: bye.fromCaller ? 'local' : 'remote' } : {}),
    ...(authFailure ? { authFailure } : {}),
    timeline: {
      provisionalMs: prov ? Math.round(prov.timeMs - t0) : null,
      ringingMs: ringing ? Math.round(ringing.timeMs - t0) : null,
      answerMs: answerAt !== undefined ? Math.round(answerAt - t0) : null,
    },
    events: bye ? [{ atMs: Math.round(bye.timeMs - t0), event: 'ended', detail: reason }] : [],
    messages: { sent: msgs.filter((m) => m.fromCaller).length, received: msgs.filter((m) => !m.fromCaller).length },
  };
  if (callerSdp || calleeSdp || rx || tx) report.media = media(callerSdp, calleeSdp, rx, tx, answerAt, endAt);
  return report;
}

function media(callerSdp: ParsedSip | undefined, calleeSdp: ParsedSip | undefined, rx: CapturedStream | undefined, tx: CapturedStream | undefined, answerAt: number | undefined, endAt: number): MediaReport {
  const local = callerSdp ? sdpMedia(callerSdp.text) : undefined;
  const remote = calleeSdp ? sdpMedia(calleeSdp.text) : undefined;
  const codec = rx?.stream.codec ?? tx?.stream.codec ?? null;
  const v =
    answerAt !== undefined
      ? oneWayAudioVerdict({
          answeredAtMs: answerAt,
          nowMs: endAt,
          sdpRemote: remote ?? null,
          signalingRemoteAddress: calleeSdp?.src ?? null,
          received: {
            firstPacketMs: rx?.stream.startMs,
            lastPacketMs: rx?.stream.endMs,
            packets: rx?.stream.packets ?? 0,
            fromAddress: rx ? { address: rx.stream.srcAddress, port: rx.stream.srcPort } : null,
            srtpAuthFailures: 0,
          },
          sent: { packets: tx?.stream.packets ?? 0, lastPacketMs: tx?.stream.endMs },
        })
      : undefined;
  const rxDir = direction(rx, 'received');
  return {
    codec,
    payloadType: rx?.stream.payloadType ?? tx?.stream.payloadType ?? null,
    ptime: 20,
    dtmfMethod: 'rfc2833',
    telephoneEventPt: null,
    srtp: { policy: 'off', active: false, suite: null },
    local: local ? ep(local.address, local.port) : null,
    sdpRemote: remote ? ep(remote.address, remote.port) : null,
    symmetricRtp: false,
    sent: direction(tx, 'sent'),
    received: { ...rxDir, malformed: 0, srtpAuthFailures: 0, srtpReplays: 0, ssrcChanges: 0, foreign: 0, foreignRtcp: 0 },
    dtmf: { sent: [], received: [] },
    peerReport: null,
    mos: rx ? rx.stream.mos : null,
    rFactor: rx ? rx.stream.rFactor : null,
    oneWayAudio: v ? { verdict: v.verdict, direction: v.direction, ...(v.sinceMs !== undefined ? { sinceMs: Math.round(v.sinceMs - answerAt!) } : {}), evidence: v.evidence, others: v.others.map((o) => ({ ...o, ...(o.sinceMs !== undefined ? { sinceMs: Math.round(o.sinceMs - answerAt!) } : {}) })) } : null,
    mosBasis: 'network',
  };
}
