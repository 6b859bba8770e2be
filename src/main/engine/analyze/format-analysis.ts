/** Human-readable lines for `trunkscope analyze` (the JSON form is the AnalyzeResult itself). */
import type { AnalyzedStream } from './analyze-capture.ts';

const ms = (v: number | null): string => (v === null ? '—' : `${v.toFixed(3)} ms`);
const s3 = (v: number): string => (v / 1000).toFixed(3);

export function formatStream(s: AnalyzedStream, index: number): string[] {
  const clock = s.clockRate ? `${s.clockRate} Hz` : 'clock unknown';
  const label = s.label ? `  ${s.label}` : '';
  return [
    `RTP stream ${index + 1}: ${s.src} → ${s.dst}  SSRC ${s.ssrcHex}  ${s.codec ?? '?'} (PT ${s.payloadTypes.join(',')}, ${clock})  ${s3(s.startMs)}–${s3(s.endMs)} s  [${s.detectedBy}]${label}`,
    `  packets ${s.packets}  bytes ${s.bytes}  expected ${s.expected}  lost ${s.lost} (${s.lostPercent.toFixed(1)} %)  duplicates ${s.duplicates}  out of order ${s.outOfOrder}  sequence errors ${s.sequenceErrors}`,
    `  jitter mean ${ms(s.jitterMeanMs)}  max ${ms(s.jitterMaxMs)}  max delta ${ms(s.maxDeltaMs)}  mean delta ${ms(s.meanDeltaMs)}`,
    `  MOS ${s.mos.toFixed(2)}  R ${s.rFactor.toFixed(1)}${s.mosAssumed ? '  (assumed codec values, see docs/quality.md)' : ''}${s.problem ? '  problems: sequence/timestamp errors' : ''}`,
  ];
}
