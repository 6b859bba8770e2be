/**
 * Thresholds that turn a load report into a pass or a fail (exit code 1 when one is breached),
 * and the report as JUnit XML: one test case per failure cause, one per threshold.
 */
import type { LoadReport } from '../../../shared/model/load-report.ts';

export interface LoadThresholds {
  /** Highest share of failed calls allowed, in percent. */
  maxFailPct?: number;
  /** Lowest answer-seizure ratio allowed, 0..1 (or percent above 1). */
  minAsr?: number;
  /** Highest setup-time p95 allowed, ms. */
  maxSetupP95?: number;
}

export function checkThresholds(r: LoadReport, t: LoadThresholds): NonNullable<LoadReport['thresholds']> {
  const out: NonNullable<LoadReport['thresholds']> = [];
  if (t.maxFailPct !== undefined) {
    const value = r.attempted ? Math.round((r.failed / r.attempted) * 10_000) / 100 : 0;
    out.push({ name: 'max-fail-pct', limit: t.maxFailPct, value, ok: value <= t.maxFailPct });
  }
  if (t.minAsr !== undefined) {
    const limit = t.minAsr > 1 ? t.minAsr / 100 : t.minAsr;
    out.push({ name: 'min-asr', limit, value: r.asr, ok: r.asr >= limit });
  }
  if (t.maxSetupP95 !== undefined) {
    // No answered call has no setup time: that breaches the threshold rather than passing it.
    const value = r.setupMs.p95 ?? Infinity;
    out.push({ name: 'max-setup-p95', limit: t.maxSetupP95, value: Number.isFinite(value) ? value : -1, ok: value <= t.maxSetupP95 });
  }
  return out;
}

function esc(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** JUnit: one case for the run's calls per cause (failed unless the cause is "answered"), one per threshold. */
export function loadJunitXml(r: LoadReport, target: string, startedAt: string): string {
  const cases: Array<{ xml: string; failed: boolean }> = [];
  const time = (r.elapsedSec ?? 0).toFixed(3);
  for (const [cause, n] of Object.entries(r.byCause)) {
    const failed = cause !== 'answered';
    const examples = r.calls.filter((c) => c.outcome !== 'answered' && (cause === c.outcome || JSON.stringify(c).includes(`"${cause}"`))).slice(0, 3);
    const detail = [`${n} of ${r.attempted} calls`, ...examples.map((c) => `${c.callId ?? '-'}: ${c.finalStatus ?? 'none'} ${c.reason}`)].join('\n');
    const body = failed ? `<failure message="${esc(`${n} call(s): ${cause}`)}" type="${esc(cause)}">${esc(detail)}</failure>` : `<system-out>${esc(detail)}</system-out>`;
    cases.push({ xml: `    <testcase classname="trunkscope.load.cause" name="${esc(cause)}" time="${time}">\n      ${body}\n    </testcase>`, failed });
  }
  for (const t of r.thresholds ?? []) {
    const text = `${t.name}: ${t.value} (limit ${t.limit})`;
    const body = t.ok ? `<system-out>${esc(text)}</system-out>` : `<failure message="${esc(text)}" type="threshold">${esc(text)}</failure>`;
    cases.push({ xml: `    <testcase classname="trunkscope.load.threshold" name="${esc(t.name)}" time="${time}">\n      ${body}\n    </testcase>`, failed: !t.ok });
  }
  const failures = cases.filter((c) => c.failed).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${cases.length}" failures="${failures}">`,
    `  <testsuite name="trunkscope load ${esc(target)}" tests="${cases.length}" failures="${failures}" timestamp="${startedAt}">`,
    ...cases.map((c) => c.xml),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
