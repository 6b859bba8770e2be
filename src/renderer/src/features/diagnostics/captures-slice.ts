/**
 * Captures opened in the GUI (issue 11 item 4) and where the trace view reads from: the live
 * trace (source "") or one capture's own TraceData, so an imported call shows in the same ladder,
 * message pane and RTP bands as a live one without mixing its ids or Call-IDs into the live trace.
 */
import type { RtpStreamSummary } from '../../../../shared/api/contract.ts';
import type { CaptureCall, CaptureImport } from '../../../../shared/api/capture-contract.ts';
import { TraceData } from '../trace/trace-data.ts';

export interface ImportedCapture {
  /** "cap-1", "cap-2"… (the trace source id). */
  id: string;
  name: string;
  /** The engine's id of the kept file, for bundle.make (absent: the engine keeps none). */
  engineId?: string;
  format: 'pcap' | 'pcapng';
  bytes: number;
  warnings: string[];
  calls: CaptureCall[];
  trace: TraceData;
  streams: Record<string, RtpStreamSummary[]>;
}

export interface CapturesState {
  captures: ImportedCapture[];
  /** "" = the live trace, else an ImportedCapture id. */
  traceSource: string;
  /** The Diagnostics view's cause filter ("" = every call). */
  diagCause: string;
  /** Bumped when a message is selected from outside the ladder (it scrolls to it). */
  traceReveal: number;
}

export const initialCaptures: CapturesState = { captures: [], traceSource: '', diagCause: '', traceReveal: 0 };

/** Captures kept open at once; opening more closes the oldest. */
export const CAPTURES_MAX = 10;

export function toImported(imp: CaptureImport, id: string): ImportedCapture {
  const trace = new TraceData();
  const streams: Record<string, RtpStreamSummary[]> = {};
  let offset = 0;
  // One TraceData per capture: entry ids stay unique across its calls.
  const calls = imp.calls.map((c) => {
    const ladder = c.ladder.map((e) => ({ ...e, id: e.id + offset }));
    offset = Math.max(offset, ...ladder.map((e) => e.id));
    trace.append(ladder);
    streams[c.callId] = c.streams;
    return { ...c, ladder };
  });
  return { id, name: imp.name, ...(imp.captureId ? { engineId: imp.captureId } : {}), format: imp.format, bytes: imp.bytes, warnings: imp.warnings, calls, trace, streams };
}

interface TraceSources extends CapturesState {
  trace: TraceData;
  streams: Record<string, RtpStreamSummary[]>;
}

export function captureOf(s: Pick<CapturesState, 'captures'>, id: string): ImportedCapture | undefined {
  return id ? s.captures.find((c) => c.id === id) : undefined;
}

/** The TraceData the trace view shows now. */
export function activeTrace(s: TraceSources): TraceData {
  return captureOf(s, s.traceSource)?.trace ?? s.trace;
}

/** RTP bands by Call-ID for the trace view's source. */
export function activeStreams(s: TraceSources): Record<string, RtpStreamSummary[]> {
  return captureOf(s, s.traceSource)?.streams ?? s.streams;
}

export function addCapture(s: CapturesState, cap: ImportedCapture): Partial<CapturesState> {
  const captures = [...s.captures, cap].slice(-CAPTURES_MAX);
  const traceSource = captures.some((c) => c.id === s.traceSource) ? s.traceSource : '';
  return { captures, traceSource };
}

export function removeCapture(s: CapturesState, id: string): Partial<CapturesState> {
  return { captures: s.captures.filter((c) => c.id !== id), ...(s.traceSource === id ? { traceSource: '' } : {}) };
}
