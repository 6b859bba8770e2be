/**
 * The exit code of `call` follows the diagnosis (issue 11): 1 when the verdict is `failed`
 * (answered calls included), and with `--fail-on degraded` when it is `degraded` too; otherwise
 * the outcome decides as before (0 answered, 1 any other outcome).
 */
import type { CallReport } from '../../../shared/model/report.ts';

export type FailOn = 'failed' | 'degraded';

/** `--fail-on failed|degraded`; undefined when the text is neither. */
export function parseFailOn(text: string | undefined): FailOn | undefined {
  if (text === undefined) return 'failed';
  return text === 'failed' || text === 'degraded' ? text : undefined;
}

/** 0 when the call counts as passed, else 1. `ok` adds the shell's own conditions (a recording written). */
export function exitCodeFor(report: CallReport, failOn: FailOn = 'failed', ok = true): 0 | 1 {
  if (!ok || report.outcome !== 'answered') return 1;
  const v = report.diagnosis?.verdict ?? 'ok';
  if (v === 'failed') return 1;
  if (v === 'degraded' && failOn === 'degraded') return 1;
  return 0;
}
