/**
 * A call's trace records as the messages diagnoseCall reads (method or status, first line, raw
 * text, time), in the order they were sent and received.
 */
import type { TraceRecord } from '../../sip/transport/types.ts';
import type { CallReport } from '../../../shared/model/report.ts';
import type { DiagnoseContext, DiagnoseMessage } from './context.ts';
import { diagnoseCall } from './diagnose-call.ts';

export function messagesFromTrace(records: readonly TraceRecord[]): DiagnoseMessage[] {
  const out: DiagnoseMessage[] = [];
  for (const r of records) {
    if (r.error) continue;
    const raw = r.raw.toString('latin1');
    const firstLine = raw.slice(0, Math.max(0, raw.indexOf('\r\n'))) || raw.split('\n')[0]!;
    const status = /^SIP\/2\.0 (\d{3})\b/.exec(firstLine)?.[1];
    out.push({ dir: r.dir, at: r.at, firstLine, raw, ...(status ? { status: Number(status) } : { method: firstLine.split(' ')[0] }) });
  }
  return out;
}

/** What the builders pass: the call's trace (may be empty: the CLI keeps none without --trace). */
export interface DiagnosisInput extends Omit<DiagnoseContext, 'messages'> {
  trace?: readonly TraceRecord[];
}

/** Set `report.diagnosis` (and return the report): the one line every report builder calls. */
export function withDiagnosis<R extends CallReport>(report: R, input: DiagnosisInput = {}): R {
  const { trace, ...rest } = input;
  try {
    report.diagnosis = diagnoseCall(report, { ...rest, ...(trace && trace.length > 0 ? { messages: messagesFromTrace(trace) } : {}) });
  } catch (err) {
    // A bug in a rule must not lose the call's report: it goes out without a diagnosis, saying why.
    report.reason = `${report.reason} (diagnosis failed: ${(err as Error).message})`;
  }
  return report;
}
