/**
 * The Diagnostics view's rows: live calls from the calls slice (their diagnosis arrives with the
 * final report) and every call of every opened capture; and where a cause's evidence points in the
 * ladder ("msg N": the Nth SIP message of the call, "frame N": a capture's frame).
 */
import type { CallSnapshot } from '../../../../shared/api/contract.ts';
import type { Diagnosis } from '../../../../shared/model/report.ts';
import type { TraceData } from '../trace/trace-data.ts';
import type { CapturesState } from './captures-slice.ts';

export interface DiagRow {
  /** Unique per row: "live:<callId>" or "<captureId>:<callId>". */
  key: string;
  /** The trace source: "" live, else the capture's id. */
  source: string;
  sourceLabel: string;
  /** The call's handle (live) or Call-ID (capture). */
  callId: string;
  /** The Call-ID the trace is filtered by. */
  sipCallId: string;
  peer: string;
  outcome: string;
  finalStatus: number | null;
  /** null: the call has not ended, so it has no verdict yet. */
  diagnosis: Diagnosis | null;
  /** Our signaling address ("ip:port") for picking our leg's messages out of the live trace. */
  local: string | null;
  /** Capture calls: the ladder's entry ids and frame numbers, in order. */
  ids?: number[];
  frames?: number[];
  /** Capture calls: the engine's id of the kept file (bundle.make). */
  engineCapture?: string;
}

interface RowsInput extends CapturesState {
  calls: Record<string, CallSnapshot>;
  callOrder: string[];
}

export function diagnosticRows(s: RowsInput): DiagRow[] {
  const rows: DiagRow[] = [];
  for (const id of s.callOrder) {
    const c = s.calls[id];
    if (!c) continue;
    rows.push({
      key: `live:${c.callId}`,
      source: '',
      sourceLabel: `live ${c.direction}`,
      callId: c.callId,
      sipCallId: c.sipCallId ?? c.callId,
      peer: c.peer,
      outcome: c.report?.outcome ?? c.state,
      finalStatus: c.report?.finalStatus ?? c.finalStatus ?? null,
      diagnosis: c.report?.diagnosis ?? null,
      local: c.report?.local ?? null,
    });
  }
  for (const cap of s.captures) {
    for (const c of cap.calls) {
      rows.push({
        key: `${cap.id}:${c.callId}`,
        source: cap.id,
        sourceLabel: cap.name,
        callId: c.callId,
        sipCallId: c.callId,
        peer: c.report.remote ?? '?',
        outcome: c.report.outcome,
        finalStatus: c.report.finalStatus,
        diagnosis: c.diagnosis,
        local: c.report.local,
        ids: c.ladder.map((e) => e.id),
        frames: c.frames,
        ...(cap.engineId ? { engineCapture: cap.engineId } : {}),
      });
    }
  }
  return rows;
}

/** Cause codes present in the rows, sorted. */
export function causeCodes(rows: readonly DiagRow[]): string[] {
  return [...new Set(rows.flatMap((r) => r.diagnosis?.causes.map((c) => c.code) ?? []))].sort();
}

export function rowMatches(r: DiagRow, cause: string): boolean {
  return !cause || !!r.diagnosis?.causes.some((c) => c.code === cause);
}

/** "msg 3" / "frame 17" → [kind, number]; other references point at no message. */
export function messageRef(ref: string): ['msg' | 'frame', number] | null {
  const m = /^(msg|frame) (\d+)$/.exec(ref.trim());
  return m ? [m[1] as 'msg' | 'frame', Number(m[2])] : null;
}

/** The trace entry id an evidence reference names, or null. `live` is the live trace. */
export function evidenceEntry(r: DiagRow, ref: string, live: TraceData): number | null {
  const p = messageRef(ref);
  if (!p) return null;
  const [kind, n] = p;
  if (r.ids && r.frames) {
    const i = kind === 'frame' ? r.frames.indexOf(n) : n - 1;
    return r.ids[i] ?? null;
  }
  if (kind !== 'msg') return null;
  // The diagnosis numbered the call's messages as its own stack saw them (errors left out); a
  // call to our own listener puts both legs in the trace, so keep the entries on our address.
  const all = live.filter({ callId: r.sipCallId, method: '', status: '', text: '' }).map((i) => live.entries[i]!).filter((e) => !e.error);
  const mine = r.local ? all.filter((e) => e.local === r.local) : [];
  const list = mine.length > 0 ? mine : all;
  return list[n - 1]?.id ?? null;
}
