/**
 * diagnoseCall: the troubleshooting verdict of one call report (issue 11, docs/diagnosis.md). One
 * pure function, called wherever a report is built (live calls, the agent's calls, captures), so
 * every report carries the same verdict for the same facts.
 */
import type { CallReport } from '../../../shared/model/report.ts';
import type { Cause, Diagnosis } from '../../../shared/model/diagnosis.ts';
import type { DiagnoseContext } from './context.ts';
import { authCauses, endingCauses, reachabilityCauses, statusCauses } from './signaling-rules.ts';
import { mediaCauses, mediaTimeoutCauses } from './media-rules.ts';

export type { DiagnoseContext, DiagnoseMessage } from './context.ts';

export function diagnoseCall(report: CallReport, ctx: DiagnoseContext = {}): Diagnosis {
  const causes: Cause[] = [];
  const add = (list: Cause[]): void => {
    // One cause per code: the first rule to find it gives the evidence.
    for (const c of list) if (!causes.some((x) => x.code === c.code)) causes.push(c);
  };
  if (report.outcome !== 'answered' && report.outcome !== 'registered' && report.outcome !== 'ok') add(reachabilityCauses(report, ctx));
  add(authCauses(report, ctx));
  add(mediaCauses(report, ctx));
  add(statusCauses(report, ctx, causes));
  add(endingCauses(report, ctx));
  add(mediaTimeoutCauses(report, ctx));
  // Errors first, then warnings; in each, the order the rules found them.
  causes.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const verdict = causes.some((c) => c.severity === 'error') ? 'failed' : causes.length > 0 ? 'degraded' : 'ok';
  return { verdict, causes };
}
