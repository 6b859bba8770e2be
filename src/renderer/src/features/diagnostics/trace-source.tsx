/** The trace view's source: the live trace or an opened capture; and opening one right here. */
import { useApp } from '../../app/context.ts';
import { dtid } from './diag-testids.ts';

export function TraceSource() {
  const source = useApp((s) => s.traceSource);
  const captures = useApp((s) => s.captures);
  const setSource = useApp((s) => s.setTraceSource);
  if (captures.length === 0) return null;
  return (
    <label className="field narrow">
      <span className="field-label">Source</span>
      <select data-testid={dtid.traceSource} value={source} onChange={(e) => setSource(e.target.value)}>
        <option value="">live trace</option>
        {captures.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}
