/**
 * What diagnoseCall may be told beside the report (docs/diagnosis.md): the call's SIP messages in
 * order (a live trace or a capture's frames), what the user asked for, and facts the report
 * does not carry. Every field is optional; a rule without its facts stays silent.
 */
import type { Cause, CauseCode, Evidence } from '../../../shared/model/diagnosis.ts';
import { CATALOG } from './catalog.ts';

/** One SIP message of the call, as a trace entry or a captured frame holds it. */
export interface DiagnoseMessage {
  dir: 'in' | 'out';
  /** Wall clock, ms since epoch, when sent or received. */
  at?: number;
  method?: string;
  status?: number;
  firstLine: string;
  raw?: string;
  /** The capture's frame number; messages without it are referred to by position ("msg N"). */
  frame?: number;
}

export interface DiagnoseContext {
  messages?: DiagnoseMessage[];
  /** DTMF digits the user asked to send (--send-dtmf), pauses (",") ignored. */
  expectDtmf?: string;
  /** The test wants silence (--expect-silence): silent or comfort-noise-only audio is no cause. */
  expectSilence?: boolean;
  /** SDP offer and answer of the call, when the report's messages are not at hand. */
  offerSdp?: string;
  answerSdp?: string;
  /** Packets this host's socket dropped during the call (Linux /proc/net/udp `drops`). */
  localDrops?: number;
  /** Targets DNS or the route offered, and how many were tried (service-unavailable). */
  failover?: { targets: number; tried: number };
  /** Where the evidence of capture rules points ("frame 12"); else message positions. */
  capture?: boolean;
}

/** A message's reference: its frame number in a capture, else its position in the ladder. */
export function refOf(m: DiagnoseMessage, index: number): string {
  return m.frame !== undefined ? `frame ${m.frame}` : `msg ${index + 1}`;
}

export function cause(code: CauseCode, severity: Cause['severity'], summary: string, evidence: Evidence[], fix?: string): Cause {
  const c = CATALOG[code];
  return { code, severity, checklist: c.checklist, summary, evidence, fix: fix ?? c.fix };
}

/** Seconds since answer as an evidence reference. */
export function atRef(ms: number | undefined): string {
  return ms === undefined ? 'media' : `t+${(ms / 1000).toFixed(1)}s`;
}

/** The first message matching, with its reference. */
export function findMessage(ctx: DiagnoseContext, pred: (m: DiagnoseMessage) => boolean, last = false): { m: DiagnoseMessage; ref: string } | undefined {
  const list = ctx.messages ?? [];
  const order = last ? [...list.keys()].reverse() : [...list.keys()];
  for (const i of order) {
    const m = list[i]!;
    if (pred(m)) return { m, ref: refOf(m, i) };
  }
  return undefined;
}

/** A header's value in a raw message (first occurrence; compact forms not needed here). */
export function headerOf(raw: string | undefined, name: string): string | undefined {
  if (!raw) return undefined;
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const re = new RegExp(`^${name}[ \\t]*:[ \\t]*(.*)$`, 'im');
  return re.exec(head)?.[1]?.trim();
}

/** The body of a raw message. */
export function bodyOf(raw: string | undefined): string {
  if (!raw) return '';
  const i = raw.search(/\r?\n\r?\n/);
  return i < 0 ? '' : raw.slice(i).replace(/^\r?\n\r?\n/, '');
}

/** Codec names an SDP offers for audio (rtpmap names, or the static names RFC 3551 gives). */
export function sdpCodecs(sdp: string | undefined): string[] {
  if (!sdp) return [];
  const m = /^m=audio \d+(?:\/\d+)? \S+((?: \d+)*)/m.exec(sdp);
  if (!m) return [];
  const STATIC: Record<string, string> = { '0': 'PCMU', '3': 'GSM', '4': 'G723', '8': 'PCMA', '9': 'G722', '13': 'CN', '18': 'G729' };
  return m[1]!
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((pt) => new RegExp(`^a=rtpmap:${pt} ([^/\\s]+)`, 'm').exec(sdp)?.[1] ?? STATIC[pt] ?? `PT ${pt}`);
}
