/** Filters: Call-ID, method, status (class or code) and free text. */
import { useApp } from '../../app/context.ts';
import { tid } from '../../app/testids.ts';
import { parseStatusFilter } from './trace-data.ts';
import { activeTrace } from '../diagnostics/captures-slice.ts';

const METHODS = [
  'INVITE',
  'ACK',
  'BYE',
  'CANCEL',
  'REGISTER',
  'OPTIONS',
  'PRACK',
  'UPDATE',
  'INFO',
  'REFER',
  'NOTIFY',
  'SUBSCRIBE',
  'MESSAGE',
];

export function TraceFilters() {
  const f = useApp((s) => s.traceFilter);
  const setF = useApp((s) => s.setTraceFilter);
  useApp((s) => s.traceVersion); // refresh the Call-ID suggestions as calls arrive
  const callIds = useApp(activeTrace).callIds();
  const statusBad = f.status.trim() !== '' && !parseStatusFilter(f.status);
  return (
    <div className="trace-filters" role="search">
      <label className="field">
        <span className="field-label">Call-ID</span>
        <input
          data-testid={tid.traceFilter('callid')}
          value={f.callId}
          list="trace-callids"
          onChange={(e) => setF({ callId: e.target.value })}
          spellCheck={false}
        />
      </label>
      <datalist id="trace-callids">
        {callIds.slice(-200).map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <label className="field narrow">
        <span className="field-label">Method</span>
        <input
          data-testid={tid.traceFilter('method')}
          value={f.method}
          list="trace-methods"
          onChange={(e) => setF({ method: e.target.value })}
        />
      </label>
      <datalist id="trace-methods">
        {METHODS.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>
      <label className={`field narrow${statusBad ? ' invalid' : ''}`}>
        <span className="field-label">Status</span>
        <input
          data-testid={tid.traceFilter('status')}
          value={f.status}
          placeholder="4xx or 486"
          onChange={(e) => setF({ status: e.target.value })}
          aria-invalid={statusBad}
        />
        {statusBad && <span className="field-error">use 1xx–6xx or a code</span>}
      </label>
      <label className="field grow">
        <span className="field-label">Text</span>
        <input
          data-testid={tid.traceFilter('text')}
          value={f.text}
          type="search"
          onChange={(e) => setF({ text: e.target.value })}
        />
      </label>
      {(f.callId || f.method || f.status || f.text) && (
        <button
          type="button"
          className="btn small"
          onClick={() => setF({ callId: '', method: '', status: '', text: '' })}
        >
          Clear filters
        </button>
      )}
    </div>
  );
}
