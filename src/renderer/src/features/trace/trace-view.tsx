/**
 * The trace tab: filters and export, the ladder, the selected message — of the live trace or of
 * a capture opened here (drop a pcap on the view) — and the filtered call's diagnosis.
 */
import { ErrorBoundary } from '../../components/error-boundary.tsx';
import { useApp } from '../../app/context.ts';
import { CaptureDrop } from '../diagnostics/capture-drop.tsx';
import { TraceDiagnosis } from '../diagnostics/trace-diagnosis.tsx';
import { TraceSource } from '../diagnostics/trace-source.tsx';
import { useOpenCapture } from '../diagnostics/use-open-capture.ts';
import { ExportButtons } from './export-buttons.tsx';
import { Ladder } from './ladder.tsx';
import { MessagePane } from './message-pane.tsx';
import { TraceFilters } from './trace-filters.tsx';

export function TraceView() {
  const live = useApp((s) => s.traceSource === '');
  const openInTrace = useApp((s) => s.openInTrace);
  const [, open] = useOpenCapture();
  const onFile = async (f: File) => {
    const r = await open(f);
    if (r) openInTrace(r.id, r.imp.calls[0]?.callId ?? '');
  };
  return (
    <CaptureDrop onFile={(f) => void onFile(f)} className="trace-drop">
      <section className="trace-view" aria-label="SIP trace">
        <div className="trace-toolbar">
          <TraceSource />
          <TraceFilters />
          {live && <ExportButtons />}
        </div>
        <ErrorBoundary name="Diagnosis">
          <TraceDiagnosis />
        </ErrorBoundary>
        <div className="trace-body">
          <ErrorBoundary name="Ladder">
            <Ladder />
          </ErrorBoundary>
          <ErrorBoundary name="Message">
            <MessagePane />
          </ErrorBoundary>
        </div>
      </section>
    </CaptureDrop>
  );
}
