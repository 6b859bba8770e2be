/**
 * `trunkscope diagnose FILE` as text: per call, what a support engineer would write back — the
 * outcome, the verdict and its causes with the frames that prove them, the ladder, the streams.
 */
import { formatDiagnosis } from '../diagnose/format.ts';
import { formatStream } from './format-analysis.ts';
import type { CapturedCall, DiagnoseCaptureResult } from './diagnose-capture.ts';

export function formatCapturedCall(c: CapturedCall, index: number): string[] {
  const r = c.report;
  const d = r.diagnosis;
  const out = [
    `Call ${index + 1}: Call-ID ${c.callId}`,
    `  ${r.local ?? '?'} → ${r.remote ?? '?'} over ${r.transport.toUpperCase()}: ${r.outcome} (final status ${r.finalStatus ?? 'none'}; ${r.reason})`,
  ];
  if (d) {
    out.push(
      d.verdict === 'ok'
        ? '  In short: the call looks fine — signaling completed and audio flowed both ways.'
        : `  In short: ${d.causes.filter((x) => x.severity === 'error').map((x) => x.summary).join('; ') || d.causes.map((x) => x.summary).join('; ')}.`,
    );
  }
  out.push(...formatDiagnosis(r).map((l) => `  ${l}`));
  out.push('  Ladder (caller on the left):');
  const t0 = c.ladder[0]?.at ?? 0;
  c.ladder.forEach((e, i) => {
    const t = ((e.at - t0) / 1000).toFixed(3).padStart(8);
    out.push(`  ${t}  frame ${String(c.frames[i]).padEnd(6)} ${e.dir === 'out' ? '──►' : '◄──'} ${e.firstLine}`);
  });
  c.streams.forEach((s, i) => out.push(...formatStream(s, i).map((l) => `  ${l}`)));
  return out;
}

export function formatCapture(file: string, r: Extract<DiagnoseCaptureResult, { ok: true }>): string {
  const lines = [`${file}: ${r.format}, ${r.decode.frames} frames, ${r.calls.length} call${r.calls.length === 1 ? '' : 's'}`];
  r.calls.forEach((c, i) => lines.push('', ...formatCapturedCall(c, i)));
  if (r.otherStreams.length > 0) {
    lines.push('', `RTP streams tied to no call's SDP: ${r.otherStreams.length}`);
    r.otherStreams.forEach((s, i) => lines.push(...formatStream(s, i)));
  }
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return `${lines.join('\n')}\n`;
}
