/**
 * The Diagnostics view (issue 11 item 4): every call — live ones as they end, and every call of
 * the captures opened here (file picker or drag-and-drop) — with its verdict and causes, filtered
 * by cause code; evidence links select the message in the ladder.
 */
import { useMemo } from 'react';
import { useApp, useAppStore } from '../../app/context.ts';
import { CauseList, VerdictBadge } from './cause-list.tsx';
import { CaptureDrop } from './capture-drop.tsx';
import { dtid } from './diag-testids.ts';
import { causeCodes, diagnosticRows, rowMatches } from './diagnostic-rows.ts';
import { useEvidence } from './use-evidence.ts';
import { useOpenCapture } from './use-open-capture.ts';
import { SaveBundleButton } from './save-bundle.tsx';

export function DiagnosticsView() {
  const store = useAppStore();
  const calls = useApp((s) => s.calls);
  const callOrder = useApp((s) => s.callOrder);
  const captures = useApp((s) => s.captures);
  const cause = useApp((s) => s.diagCause);
  const setCause = useApp((s) => s.setDiagCause);
  const openInTrace = useApp((s) => s.openInTrace);
  const removeCapture = useApp((s) => s.removeCapture);
  const [openState, open] = useOpenCapture();
  const follow = useEvidence();
  const rows = useMemo(() => diagnosticRows({ ...store.getState(), calls, callOrder, captures }), [store, calls, callOrder, captures]);
  const codes = causeCodes(rows);
  const shown = rows.filter((r) => rowMatches(r, cause));
  return (
    <CaptureDrop onFile={(f) => void open(f)} testId={dtid.drop} className="diagnostics-view">
      <section aria-label="Diagnostics">
        <div className="diag-toolbar">
          <label className="btn">
            Open capture…
            <input
              type="file"
              accept=".pcap,.pcapng,.cap,.dmp,application/vnd.tcpdump.pcap"
              data-testid={dtid.file}
              className="visually-hidden"
              disabled={openState.busy}
              onChange={(e) => {
                const f = e.target.files?.[0];
                e.target.value = '';
                if (f) void open(f);
              }}
            />
          </label>
          <span className="muted">or drop a pcap / pcapng anywhere here</span>
          <label className="field narrow">
            <span className="field-label">Cause</span>
            <select data-testid={dtid.filterCause} value={cause} onChange={(e) => setCause(e.target.value)}>
              <option value="">every call</option>
              {[...new Set([...codes, ...(cause ? [cause] : [])])].map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <span data-testid={dtid.count}>
            {shown.length} / {rows.length} call(s)
          </span>
        </div>
        <p className="diag-status" data-testid={dtid.status} role="status">
          {openState.status}
        </p>
        {captures.length > 0 && (
          <ul className="diag-captures">
            {captures.map((c) => (
              <li key={c.id}>
                <strong>{c.name}</strong> · {c.format} · {c.bytes} bytes · {c.calls.length} call(s)
                {c.warnings.length > 0 && <span className="muted"> · {c.warnings.join('; ')}</span>}{' '}
                {c.engineId && <SaveBundleButton args={{ capture: c.engineId }} testId={dtid.captureBundle} />}{' '}
                <button type="button" className="btn small" onClick={() => removeCapture(c.id)}>
                  Close
                </button>
              </li>
            ))}
          </ul>
        )}
        {rows.length === 0 && <p className="empty">No calls yet: place one, or open a customer&apos;s capture.</p>}
        {shown.map((r) => (
          <article key={r.key} className="diag-call" data-testid={dtid.call} data-key={r.key} data-call-id={r.callId} data-source={r.source} data-verdict={r.diagnosis?.verdict ?? 'in progress'}>
            <header className="diag-call-head">
              <VerdictBadge diagnosis={r.diagnosis} />
              <span className="diag-source">{r.sourceLabel}</span>
              <code>{r.callId}</code>
              <span>
                {r.outcome}
                {r.finalStatus !== null ? ` (${r.finalStatus})` : ''} · {r.peer}
              </span>
              <button type="button" className="btn small" data-testid={dtid.ladder} onClick={() => openInTrace(r.source, r.sipCallId)}>
                Ladder
              </button>
              {r.source === '' && r.diagnosis && <SaveBundleButton args={{ callId: r.callId }} testId={dtid.bundle} />}
              {r.engineCapture && <SaveBundleButton args={{ capture: r.engineCapture, callId: r.callId }} testId={dtid.bundle} />}
            </header>
            {r.diagnosis ? <CauseList diagnosis={r.diagnosis} highlight={cause} onEvidence={(ref) => follow(r, ref)} /> : <p className="muted">The verdict comes when the call ends.</p>}
          </article>
        ))}
      </section>
    </CaptureDrop>
  );
}
