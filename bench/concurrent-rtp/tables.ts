/** Markdown tables of the concurrent-rtp results (printed by run.ts, pasted into bench/README.md). */
import type { JitterResult } from './jitter.ts';
import type { SetupName, StepResult } from './measure.ts';

const f = (x: number | null | undefined, d = 2) =>
  x === null || x === undefined || Number.isNaN(x) ? '–' : x.toFixed(d);
const lossCell = (x: number | null | undefined) =>
  x === null || x === undefined || Number.isNaN(x) ? '–' : x < 0.001 && x >= 0 ? '0' : x.toFixed(3);

export const LOSS_LIMIT_PCT = 0.1;

export function ok(r: StepResult): boolean {
  return (
    r.callsUp >= r.calls &&
    r.lossFwdPct < LOSS_LIMIT_PCT &&
    (r.lossRetPct === null || Number.isNaN(r.lossRetPct) || r.lossRetPct < LOSS_LIMIT_PCT) &&
    (r.roundTripLossPct === null || r.roundTripLossPct < LOSS_LIMIT_PCT)
  );
}

export function stepTable(rows: StepResult[]): string {
  return [
    '| calls | loss → % | loss ← % | round trip % | responder CPU % (wait ms/s) | generator CPU % (wait ms/s) | neighbours CPU % | J p50 / p99 ms (returning) | gen skipped | < 0.1 % | notes |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.calls}${r.callsUp < r.calls ? ` (${r.callsUp} up)` : ''} | ${lossCell(r.lossFwdPct)} | ${lossCell(r.lossRetPct)} | ${lossCell(r.roundTripLossPct)} | ` +
        `${f(r.responderCpuPct, 0)} (${f(r.responderWaitMsPerS, 0)}) | ${f(r.generatorCpuPct, 0)} (${f(r.generatorWaitMsPerS, 0)}) | ${f(r.othersPct, 0)} | ` +
        `${f(r.jitterP50Ms)} / ${f(r.jitterP99Ms)} | ${r.genSkippedFrames ?? '–'} | ${ok(r) ? 'yes' : 'no'} | ${r.notes.join('; ')} |`,
    ),
  ].join('\n');
}

/** Highest N with < 0.1 % loss per setup, and ours / SIPp's own. */
export function capacity(steps: StepResult[]): string {
  const best = (s: SetupName): number => {
    let n = 0;
    for (const r of steps.filter((x) => x.setup === s).sort((a, b) => a.calls - b.calls)) {
      if (ok(r)) n = r.calls;
      else break;
    }
    return n;
  };
  const a = best('agent');
  const a2 = best('echo-sessions');
  const b = best('sipp-echo');
  const c = best('sipp-own');
  const ratio = (x: number) => (c > 0 ? `${(x / c).toFixed(2)}×` : '–');
  return [
    '| setup | highest N with < 0.1 % loss (each way and round trip) | / SIPp own |',
    '|---|---|---|',
    `| a. generator ↔ trunkscope listen (echo agent) | ${a || '< lowest step'} | ${ratio(a)} |`,
    `| a2. generator ↔ bare echo RtpSessions | ${a2 || '< lowest step'} | ${ratio(a2)} |`,
    `| b. generator ↔ sipp -rtp_echo | ${b || '< lowest step'} | ${ratio(b)} |`,
    `| c. sipp rtp_stream ↔ sipp -rtp_echo | ${c || '< lowest step'} | 1× |`,
  ].join('\n');
}

export function jitterTable(rows: JitterResult[]): string {
  return [
    '| sender | streams | J p50 ms | J p99 ms | J max ms | largest gap p99 ms | loss % | sender CPU % | receiver CPU % | sender clock skipped frames | sender loop delay p99 ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.sender} | ${r.streams} | ${f(r.jitterP50Ms, 3)} | ${f(r.jitterP99Ms, 3)} | ${f(r.jitterMaxMs, 3)} | ${f(r.maxGapP99Ms, 1)} | ${lossCell(r.lossPct)} | ` +
        `${f(r.senderCpuPct, 0)} | ${f(r.receiverCpuPct, 0)} | ${r.genSkippedFrames ?? '–'} | ${f(r.genLoopDelayP99Ms, 1)} |`,
    ),
  ].join('\n');
}
