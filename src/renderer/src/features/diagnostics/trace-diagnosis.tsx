/**
 * Under the trace view's filters: the verdict and causes of the call the ladder is filtered to —
 * a live call's (from its final report) or an imported one's — and an imported call's RTP streams
 * with Wireshark's figures. Evidence links select the message in the ladder below.
 */
import { useMemo } from 'react';
import { useApp, useAppStore } from '../../app/context.ts';
import { num } from '../../lib/format.ts';
import { captureOf } from './captures-slice.ts';
import { CauseList, VerdictBadge } from './cause-list.tsx';
import { dtid } from './diag-testids.ts';
import { diagnosticRows } from './diagnostic-rows.ts';
import { useEvidence } from './use-evidence.ts';

export function TraceDiagnosis() {
  const store = useAppStore();
  const callId = useApp((s) => s.traceFilter.callId.trim());
  const source = useApp((s) => s.traceSource);
  const calls = useApp((s) => s.calls);
  const captures = useApp((s) => s.captures);
  const follow = useEvidence();
  const row = useMemo(() => {
    if (!callId) return undefined;
    const rows = diagnosticRows({ ...store.getState(), calls, captures }).filter((r) => r.source === source && r.sipCallId === callId);
    // A loopback call has two legs with one Call-ID: prefer the outbound leg's report.
    return rows.find((r) => r.diagnosis && !r.callId.includes('#')) ?? rows.find((r) => r.diagnosis) ?? rows[0];
  }, [store, callId, source, calls, captures]);
  if (!row) return null;
  const streams = captureOf({ captures }, source)?.calls.find((c) => c.callId === callId)?.streams ?? [];
  return (
    <details className="trace-diagnosis" data-testid={dtid.traceDiagnosis} data-verdict={row.diagnosis?.verdict ?? 'in progress'} open>
      <summary>
        Diagnosis <VerdictBadge diagnosis={row.diagnosis} /> {row.outcome}
        {row.finalStatus !== null ? ` (${row.finalStatus})` : ''} · {row.sourceLabel}
      </summary>
      {row.diagnosis ? <CauseList diagnosis={row.diagnosis} onEvidence={(ref) => follow(row, ref)} /> : <p className="muted">The verdict comes when the call ends.</p>}
      {streams.length > 0 && (
        <table className="capture-streams">
          <thead>
            <tr>
              <th>RTP</th>
              <th>from → to</th>
              <th>SSRC</th>
              <th>codec</th>
              <th>packets</th>
              <th>lost</th>
              <th>jitter mean / max</th>
              <th>max delta</th>
              <th>MOS</th>
            </tr>
          </thead>
          <tbody>
            {streams.map((s, i) => (
              <tr key={i} data-testid={dtid.captureStream} data-dir={s.dir}>
                <td>{s.dir}</td>
                <td>
                  {s.from} → {s.to}
                </td>
                <td>{s.ssrc}</td>
                <td>{s.codec ?? '?'}</td>
                <td>
                  {s.packets} / {s.expected}
                </td>
                <td>
                  {s.lost} ({num(s.lostPercent, 1)} %)
                </td>
                <td>
                  {num(s.jitterMs, 2)} / {num(s.jitterMaxMs, 2)} ms
                </td>
                <td>{num(s.maxDeltaMs, 1)} ms</td>
                <td>{num(s.mos, 2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
