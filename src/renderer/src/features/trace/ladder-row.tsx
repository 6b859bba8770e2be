/** One ladder row: time, the columns' lifelines, and an arrow (a message) or a band (an RTP stream). */
import type { RtpStreamSummary, TraceEntry } from '../../../../shared/api/contract.ts';
import { tid } from '../../app/testids.ts';
import { clockTime, num } from '../../lib/format.ts';
import type { LadderArrow } from './ladder-layout.ts';

export const ROW_HEIGHT = 30;

const x = (col: number, n: number) => ((col + 0.5) / Math.max(1, n)) * 100;

function Lifelines({ n }: { n: number }) {
  return (
    <>
      {Array.from({ length: n }, (_, i) => (
        <span key={i} className="lifeline" style={{ left: `${x(i, n)}%` }} />
      ))}
    </>
  );
}

interface MsgProps {
  entry: TraceEntry;
  arrow: LadderArrow;
  ncols: number;
  selected: boolean;
  top: number;
  onSelect: (id: number) => void;
}

export function MessageRow({ entry, arrow, ncols, selected, top, onSelect }: MsgProps) {
  const a = x(arrow.from, ncols);
  const b = x(arrow.to, ncols);
  const self = arrow.from === arrow.to;
  const left = Math.min(a, b);
  const width = self ? 4 : Math.abs(b - a);
  return (
    <div
      role="option"
      aria-selected={selected}
      tabIndex={selected ? 0 : -1}
      className={`ladder-row ${arrow.tone}${selected ? ' selected' : ''}${arrow.retransmission ? ' retrans' : ''}`}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      data-testid={tid.traceRow}
      data-id={entry.id}
      data-method={entry.status === undefined ? (entry.method ?? '') : ''}
      data-status={entry.status ?? ''}
      data-call-id={entry.callId ?? ''}
      data-retransmission={entry.retransmission ? 'true' : 'false'}
      onClick={() => onSelect(entry.id)}
      title={entry.firstLine}
    >
      <span className="ladder-time">{clockTime(entry.at)}</span>
      <span className="ladder-area">
        <Lifelines n={ncols} />
        <span
          className={`arrow ${b >= a ? 'right' : 'left'}${self ? ' self' : ''}`}
          style={{ left: `${left}%`, width: `${width}%` }}
        >
          <span className="arrow-label">
            {arrow.retransmission && (
              <span className="retrans-mark" title="retransmission">
                ⟳{' '}
              </span>
            )}
            {entry.error && (
              <span className="error-mark" title={entry.error}>
                ⚠{' '}
              </span>
            )}
            {arrow.label}
          </span>
        </span>
      </span>
    </div>
  );
}

interface BandProps {
  stream: RtpStreamSummary;
  from: number;
  to: number;
  ncols: number;
  top: number;
}

export function StreamRow({ stream: r, from, to, ncols, top }: BandProps) {
  const a = x(from, ncols);
  const b = x(to, ncols);
  const left = Math.min(a, b);
  const lossPct = r.packets + r.lost > 0 ? (100 * r.lost) / (r.packets + r.lost) : 0;
  const span = r.endAt
    ? `${clockTime(r.startAt)} → ${clockTime(r.endAt)}`
    : `since ${clockTime(r.startAt)}`;
  const detail = `RTP ${r.dir} ${r.from} → ${r.to} · ${r.packets} packets · lost ${r.lost} · jitter ${num(r.jitterMs, 1)} ms · ${span}`;
  return (
    <div
      className="ladder-row rtp"
      title={detail}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      data-testid={tid.traceStream}
      data-dir={r.dir}
    >
      <span className="ladder-time">{clockTime(r.startAt)}</span>
      <span className="ladder-area">
        <Lifelines n={ncols} />
        <span
          className={`band ${r.dir}`}
          style={{ left: `${left}%`, width: `${Math.max(2, Math.abs(b - a))}%` }}
        >
          <span className="band-label">
            {b >= a ? '→' : '←'} RTP {r.dir} · {r.packets} pkts · lost {num(lossPct, 1)} % · jitter{' '}
            {num(r.jitterMs, 1)} ms
            {r.endAt ? ` · ${Math.round((r.endAt - r.startAt) / 1000)} s` : ''}
          </span>
        </span>
      </span>
    </div>
  );
}
