/**
 * JUnit XML from call reports (DESIGN.md: "the CLI can also write JUnit XML"), so QA pipelines
 * show each call as a test case: failed when the outcome is not what the command counts as
 * success, with the reason and evidence in the failure message.
 */
import type { CallReport } from '../../../shared/model/report.ts';

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
  const body = ok
    ? `<system-out>${esc(details)}</system-out>`
    : `<failure message="${esc(`${r.outcome}: ${r.reason}`.slice(0, 500))}" type="${esc(r.outcome)}">${esc(details)}</failure>`;
  return {
    xml: `    <testcase classname="trunkscope.${r.command}" name="${esc(name)}" time="${seconds}">\n      ${body}\n    </testcase>`,
    failed: !ok,
  };
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
