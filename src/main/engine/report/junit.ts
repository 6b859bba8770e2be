/**
 * JUnit XML from call reports (DESIGN.md: "the CLI can also write JUnit XML"), so QA pipelines
 * show each call as a test case: failed when the outcome is not what the command counts as
 * success, with the reason and evidence in the failure message.
 */
import type { CallReport, Cause } from '../../../shared/model/report.ts';

const SUCCESS: Readonly<Record<CallReport['command'], string[]>> = {
  call: ['answered'],
  listen: ['answered', 'ok'],
  register: ['registered'],
  options: ['ok'],
};

function esc(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function testcase(r: CallReport, name: string): { xml: string; failed: boolean } {
  const seconds = ((new Date(r.endedAt).getTime() - new Date(r.startedAt).getTime()) / 1000).toFixed(3);
  const ok = SUCCESS[r.command].includes(r.outcome);
  const oneWay = r.media?.oneWayAudio;
  const details = [
    `outcome ${r.outcome}, final status ${r.finalStatus ?? 'none'}, ${r.reason}`,
    ...(oneWay && oneWay.verdict !== 'ok' ? [`one-way audio: ${oneWay.verdict} (${oneWay.direction}) — ${oneWay.evidence.join('; ')}`] : []),
  ].join('\n');
  // Issue 11: one <failure> per error cause of the diagnosis, its evidence in the text.
  const errors = (r.diagnosis?.causes ?? []).filter((c) => c.severity === 'error');
  const failures = [
    ...(ok ? [] : [`<failure message="${esc(`${r.outcome}: ${r.reason}`.slice(0, 500))}" type="${esc(r.outcome)}">${esc(details)}</failure>`]),
    ...errors.map((c) => `<failure message="${esc(`${c.code}: ${c.summary}`.slice(0, 500))}" type="${esc(c.code)}">${esc(causeText(c))}</failure>`),
  ];
  const warnings = (r.diagnosis?.causes ?? []).filter((c) => c.severity === 'warning').map((c) => `warning ${c.code}: ${causeText(c)}`);
  const out = [details, ...(r.diagnosis ? [`verdict ${r.diagnosis.verdict}`] : []), ...warnings].join('\n');
  const body = failures.length === 0 ? `<system-out>${esc(out)}</system-out>` : [...failures, ...(warnings.length > 0 ? [`<system-out>${esc(warnings.join('\n'))}</system-out>`] : [])].join('\n      ');
  return {
    xml: `    <testcase classname="trunkscope.${r.command}" name="${esc(name)}" time="${seconds}">\n      ${body}\n    </testcase>`,
    failed: failures.length > 0,
  };
}

/** A cause as failure text: summary, each evidence line with its reference, the fix. */
function causeText(c: Cause): string {
  return [c.summary, ...c.evidence.map((e) => `[${e.ref}] ${e.text}`), `fix: ${c.fix}`].join('\n');
}

/** One test suite: the run itself, plus each call a listener handled. */
export function junitXml(report: CallReport, target: string): string {
  const cases = [testcase(report, `${report.command} ${target}`)];
  for (const [i, c] of (report.calls ?? []).entries()) cases.push(testcase(c, `call ${i + 1} ${c.callId ?? ''} from ${c.remote ?? '?'}`));
  const failures = cases.filter((c) => c.failed).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${cases.length}" failures="${failures}">`,
    `  <testsuite name="trunkscope ${report.command}" tests="${cases.length}" failures="${failures}" timestamp="${report.startedAt}">`,
    ...cases.map((c) => c.xml),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
