/** The full selected message, highlighted: start line, header names, SDP body. */
import { useMemo } from 'react';
import { useApp } from '../../app/context.ts';
import { tid } from '../../app/testids.ts';
import { clockTime } from '../../lib/format.ts';
import { highlightLines } from './highlight.ts';
import { activeTrace } from '../diagnostics/captures-slice.ts';

export function MessagePane() {
  const id = useApp((s) => s.selectedTraceId);
  const trace = useApp(activeTrace);
  useApp((s) => s.traceVersion);
  const entry = id === null ? undefined : trace.get(id);
  const lines = useMemo(() => (entry ? highlightLines(entry.raw) : []), [entry]);
  if (!entry)
    return <aside className="message-pane empty">Select a message to see it in full.</aside>;
  return (
    <aside className="message-pane" data-testid={tid.traceMessage} aria-label="SIP message">
      <div className="message-meta">
        {clockTime(entry.at)} · {entry.dir === 'out' ? 'sent' : 'received'} over{' '}
        {entry.proto.toUpperCase()} ·{' '}
        {entry.dir === 'out'
          ? `${entry.local} → ${entry.remote}`
          : `${entry.remote} → ${entry.local}`}
        {entry.retransmission && <span className="tag retrans">retransmission</span>}
      </div>
      {entry.error && (
        <div className="banner warn" role="alert">
          {entry.error}
        </div>
      )}
      <pre className="message">
        {lines.map((l, i) => {
          switch (l.kind) {
            case 'start':
              return (
                <div key={i} className="hl-start">
                  {l.text}
                </div>
              );
            case 'header':
              return (
                <div key={i}>
                  <span className="hl-name">{l.name}</span>:{l.value}
                </div>
              );
            case 'sdp':
              return (
                <div key={i}>
                  <span className="hl-sdp-key">{l.key}</span>=
                  <span className="hl-sdp">{l.value}</span>
                </div>
              );
            case 'blank':
              return <div key={i}>&nbsp;</div>;
            default:
              return <div key={i}>{l.text}</div>;
          }
        })}
      </pre>
    </aside>
  );
}
