/**
 * `diagnoseCapture(buf)`: every call in a customer's pcap/pcapng (issue 11) — its SIP ladder (the
 * trace entries the GUI shows), outcome and final status, its RTP streams with Wireshark's figures
 * (analyzeCapture), audio presence decoded from the RTP, and the same diagnosis as a live call
 * with evidence pointing at frame numbers. Damaged captures give a partial result with warnings.
 */
import type { TraceEntry } from '../../../shared/api/contract.ts';
import type { CallReport, Diagnosis } from '../../../shared/model/report.ts';
import { readCapture } from '../../media/pcap/capture.ts';
import { transportSegments, type SegmentSummary } from '../../media/pcap/ip-packets.ts';
import type { CaptureErrorReason } from '../../media/pcap/types.ts';
import { TraceStore } from '../trace/trace-store.ts';
import type { TraceRecord } from '../../sip/transport/types.ts';
import { readTraceFields } from '../trace/trace-parse.ts';
import { diagnoseCall } from '../diagnose/diagnose-call.ts';
import type { DiagnoseContext } from '../diagnose/context.ts';
import { analyzeCapture, type AnalyzedStream } from './analyze-capture.ts';
import { captureAudio } from './capture-audio.ts';
import { captureReport, header, sdpMedia, type CapturedStream, type ParsedSip } from './capture-report.ts';
import { sipMessagesOf } from './sip-capture.ts';

export interface CapturedCall {
  callId: string;
  /** The ladder, as the GUI's trace view holds it ("out" = sent by the caller). */
  ladder: TraceEntry[];
  /** Frame number of each ladder entry, in the same order. */
  frames: number[];
  report: CallReport;
  streams: AnalyzedStream[];
}

export type DiagnoseCaptureResult =
  | { ok: true; format: 'pcap' | 'pcapng'; decode: SegmentSummary; calls: CapturedCall[]; otherStreams: AnalyzedStream[]; warnings: string[]; startEpochMs?: number }
  | { ok: false; reason: CaptureErrorReason; message: string };

const key = (a: string, p: number): string => `${a}|${p}`;

/** What each call was diagnosed from, for rediagnose (kept as long as the call object lives). */
const contexts = new WeakMap<CapturedCall, DiagnoseContext>();

/**
 * The call's diagnosis again, its SIP messages cited by `frames` (one per ladder entry) instead of
 * the capture's frame numbers — a support bundle's pcap numbers its frames anew (capture-bundle.ts).
 * undefined for a call this module did not diagnose.
 */
export function rediagnose(c: CapturedCall, frames: readonly number[]): Diagnosis | undefined {
  const ctx = contexts.get(c);
  if (!ctx) return undefined;
  return diagnoseCall(c.report, { ...ctx, messages: (ctx.messages ?? []).map((m, i) => ({ ...m, frame: frames[i] ?? m.frame })) });
}

export function diagnoseCapture(buf: Uint8Array, opts: { callId?: string } = {}): DiagnoseCaptureResult {
  const cap = readCapture(buf);
  if (!cap.ok) return cap;
  const { segments, summary } = transportSegments(cap);
  const { messages, warnings: sipWarnings } = sipMessagesOf(segments);
  const analysis = analyzeCapture(buf);
  const streams = analysis.ok ? analysis.streams : [];
  const warnings = [...cap.warnings, ...sipWarnings];
  for (const [why, n] of Object.entries(summary.skipped)) warnings.push(`${n} frame(s) skipped: ${why}`);
  const lastFrameMs = segments.at(-1)?.timeMs ?? 0;

  const byCall = new Map<string, ParsedSip[]>();
  const callers = new Map<string, string>();
  for (const m of messages) {
    const f = readTraceFields(m.raw);
    if (!f.callId) {
      warnings.push(`frame ${m.frame}: a SIP message without Call-ID skipped`);
      continue;
    }
    const text = m.raw.toString('latin1');
    const firstLine = text.split(/\r?\n/)[0] ?? '';
    const isResponse = /^SIP\/2\.0 /.test(firstLine);
    const method = isResponse ? undefined : firstLine.split(' ')[0];
    // The caller: whoever sent the call's first request (normally the INVITE).
    if (!callers.has(f.callId) && !isResponse) callers.set(f.callId, key(m.src, m.srcPort));
    const caller = callers.get(f.callId);
    const fromCaller = caller === undefined ? false : caller === key(m.src, m.srcPort);
    const list = byCall.get(f.callId) ?? [];
    list.push({ ...m, text, firstLine, ...(method ? { method } : {}), ...(f.status !== undefined ? { status: f.status } : {}), ...(f.cseq ? { cseqMethod: f.cseq.split(' ')[1]?.toUpperCase() } : {}), fromCaller });
    byCall.set(f.callId, list);
  }

  const used = new Set<AnalyzedStream>();
  const calls: CapturedCall[] = [];
  for (const [callId, msgs] of byCall) {
    if (opts.callId !== undefined && callId !== opts.callId) continue;
    const callerSdp = msgs.map((m) => (m.fromCaller ? sdpMedia(m.text) : undefined)).find(Boolean);
    const calleeSdp = msgs.map((m) => (!m.fromCaller ? sdpMedia(m.text) : undefined)).find(Boolean);
    const toward = (e: { address: string; port: number } | undefined): AnalyzedStream | undefined =>
      e ? streams.filter((s) => s.dstAddress === e.address && s.dstPort === e.port && !used.has(s)).sort((a, b) => b.packets - a.packets)[0] : undefined;
    const rxS = toward(callerSdp);
    const txS = toward(calleeSdp);
    const mine = streams.filter((s) => !used.has(s) && ((callerSdp && s.dstAddress === callerSdp.address && s.dstPort === callerSdp.port) || (calleeSdp && s.dstAddress === calleeSdp.address && s.dstPort === calleeSdp.port)));
    for (const s of mine) used.add(s);
    const te = telephoneEventPt(msgs);
    const withAudio = (s: AnalyzedStream | undefined): CapturedStream | undefined =>
      s ? { stream: s, audio: captureAudio(segments, { srcAddress: s.srcAddress, srcPort: s.srcPort, dstAddress: s.dstAddress, dstPort: s.dstPort, ssrc: s.ssrc, codec: s.codec }, te) } : undefined;
    const report = captureReport(callId, msgs, withAudio(rxS), withAudio(txS), lastFrameMs);
    if (report.media && te !== undefined) report.media.telephoneEventPt = te;
    const offer = msgs.find((m) => m.method === 'INVITE' && sdpMedia(m.text));
    const answer = msgs.find((m) => !m.fromCaller && m.status !== undefined && sdpMedia(m.text));
    const ctx: DiagnoseContext = {
      capture: true,
      messages: msgs.map((m) => ({ dir: m.fromCaller ? 'out' : 'in', ...(m.epochMs !== null ? { at: m.epochMs } : {}), firstLine: m.firstLine, raw: m.text, frame: m.frame, ...(m.method ? { method: m.method } : {}), ...(m.status !== undefined ? { status: m.status } : {}) })),
      ...(offer ? { offerSdp: body(offer.text) } : {}),
      ...(answer ? { answerSdp: body(answer.text) } : {}),
    };
    report.diagnosis = diagnoseCall(report, ctx);
    const store = new TraceStore();
    const ladder = msgs.map((m) => store.add(traceRecord(m)));
    const call: CapturedCall = { callId, ladder, frames: msgs.map((m) => m.frame), report, streams: mine };
    contexts.set(call, ctx);
    calls.push(call);
  }
  if (opts.callId !== undefined && calls.length === 0) warnings.push(`no call with Call-ID ${opts.callId} in the capture (${byCall.size} call(s) found)`);
  if (messages.length === 0) warnings.push('no SIP messages found (UDP or TCP)');
  // Epoch of the capture's first frame: streams' startMs/endMs are relative to it.
  const s0 = segments[0];
  const startEpochMs = s0 && s0.epochMs !== null ? s0.epochMs - s0.timeMs : undefined;
  return { ok: true, format: cap.format, decode: summary, calls, otherStreams: streams.filter((s) => !used.has(s)), warnings, ...(startEpochMs !== undefined ? { startEpochMs } : {}) };
}

function body(text: string): string {
  return text.split(/\r?\n\r?\n/).slice(1).join('\r\n\r\n');
}

/** RFC 4733: the telephone-event payload type named in any SDP of the call. */
function telephoneEventPt(msgs: ParsedSip[]): number | undefined {
  for (const m of msgs) {
    const pt = /^a=rtpmap:(\d+) telephone-event\//im.exec(m.text)?.[1];
    if (pt) return Number(pt);
  }
  return undefined;
}

function traceRecord(m: ParsedSip): TraceRecord {
  const caller = { address: m.fromCaller ? m.src : m.dst, port: m.fromCaller ? m.srcPort : m.dstPort };
  const peer = { address: m.fromCaller ? m.dst : m.src, port: m.fromCaller ? m.dstPort : m.srcPort };
  return { dir: m.fromCaller ? 'out' : 'in', at: m.epochMs ?? m.timeMs, proto: m.proto, local: caller, remote: peer, raw: m.raw };
}

export { header };
