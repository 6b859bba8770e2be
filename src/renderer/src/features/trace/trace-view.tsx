/** The trace tab: filters and export, the ladder, the selected message. */
import { ErrorBoundary } from '../../components/error-boundary.tsx';
import { ExportButtons } from './export-buttons.tsx';
import { Ladder } from './ladder.tsx';
import { MessagePane } from './message-pane.tsx';
import { TraceFilters } from './trace-filters.tsx';

export function TraceView() {
  return (
    <section className="trace-view" aria-label="SIP trace">
      <div className="trace-toolbar">
        <TraceFilters />
        <ExportButtons />
      </div>
      <div className="trace-body">
        <ErrorBoundary name="Ladder">
          <Ladder />
        </ErrorBoundary>
        <ErrorBoundary name="Message">
          <MessagePane />
        </ErrorBoundary>
      </div>
    </section>
  );
}
