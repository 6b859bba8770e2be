/**
 * The live SIP ladder, virtualized (@tanstack/react-virtual): only the visible rows are in the
 * DOM, so 100 000 messages scroll smoothly. Follows new messages while scrolled to the bottom.
 */
import { useDeferredValue, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useApp } from '../../app/context.ts';
import { tid } from '../../app/testids.ts';
import {
  arrowFor,
  columnIndex,
  ladderColumns,
  ladderItems,
  streamColumns,
  type LadderItem,
} from './ladder-layout.ts';
import { MessageRow, ROW_HEIGHT, StreamRow } from './ladder-row.tsx';
import { activeStreams, activeTrace } from '../diagnostics/captures-slice.ts';

export function Ladder() {
  // The live trace or an opened capture's (features/diagnostics).
  const trace = useApp(activeTrace);
  const version = useApp((s) => s.traceVersion);
  const filter = useDeferredValue(useApp((s) => s.traceFilter));
  const selected = useApp((s) => s.selectedTraceId);
  const select = useApp((s) => s.selectTrace);
  const streamsByCall = useApp(activeStreams);
  const reveal = useApp((s) => s.traceReveal);
  const scroller = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);

  // `trace` mutates in place; `version` is what changes.
  const indexes = useMemo(() => trace.filter(filter), [trace, filter, version]);
  const count = indexes.length;
  const columns = useMemo(() => ladderColumns(trace.entries, indexes), [trace, indexes, version]);
  const col = useMemo(() => columnIndex(columns), [columns]);
  const streams = filter.callId ? (streamsByCall[filter.callId.trim()] ?? []) : [];
  const items: LadderItem[] | null = useMemo(
    () => (streams.length ? ladderItems(trace.entries, indexes, streams) : null),
    [streams, trace, indexes, version],
  );
  const rowCount = items ? items.length : count;

  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
    initialRect: { width: 800, height: 600 },
  });

  useEffect(() => {
    if (follow && rowCount > 0) virtualizer.scrollToIndex(rowCount - 1, { align: 'end' });
  }, [follow, rowCount, virtualizer]);

  // A message selected from outside (a diagnosis's evidence): scroll it into view.
  useEffect(() => {
    if (reveal === 0 || selected === null) return;
    const at = indexes.findIndex((i) => trace.entries[i]?.id === selected);
    if (at < 0) return;
    setFollow(false);
    virtualizer.scrollToIndex(
      items ? items.findIndex((it) => it.kind === 'msg' && it.index === indexes[at]) : at,
      { align: 'center' },
    );
    // Only when a reveal is asked for, not on every selection or new message.
  }, [reveal]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 2);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const pos =
      selected === null ? -1 : indexes.findIndex((i) => trace.entries[i]?.id === selected);
    const next = Math.max(0, Math.min(count - 1, pos + (e.key === 'ArrowDown' ? 1 : -1)));
    const entry = trace.entries[indexes[next] ?? -1];
    if (entry) {
      select(entry.id);
      virtualizer.scrollToIndex(
        items ? items.findIndex((it) => it.kind === 'msg' && it.index === indexes[next]) : next,
      );
    }
  };

  const itemAt = (i: number): LadderItem =>
    items ? items[i]! : { kind: 'msg', index: indexes[i]! };

  return (
    <div className="ladder">
      <div className="ladder-head">
        <span className="ladder-time">
          <span data-testid={tid.traceCount}>
            {count} / {trace.size}
          </span>
        </span>
        <span className="ladder-area">
          {columns.map((c, i) => (
            <span
              key={c.address}
              className={`col-head${c.local ? ' local' : ''}`}
              style={{
                left: `${((i + 0.5) / columns.length) * 100}%`,
                maxWidth: `${100 / columns.length}%`,
              }}
              title={`${c.address} (${c.local ? 'this app' : 'peer'})`}
            >
              {c.address}
            </span>
          ))}
        </span>
      </div>
      <div
        ref={scroller}
        className="ladder-scroll"
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        tabIndex={0}
        role="listbox"
        aria-label="SIP messages"
      >
        {rowCount === 0 && (
          <p className="empty">
            {trace.size ? 'No message matches the filters.' : 'No SIP messages yet.'}
          </p>
        )}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const it = itemAt(v.index);
            if (it.kind === 'rtp') {
              const { from, to } = streamColumns(it.stream, columns);
              return (
                <StreamRow
                  key={`rtp-${v.index}`}
                  stream={it.stream}
                  from={from}
                  to={to}
                  ncols={columns.length}
                  top={v.start}
                />
              );
            }
            const entry = trace.entries[it.index];
            if (!entry) return null;
            return (
              <MessageRow
                key={entry.id}
                entry={entry}
                arrow={arrowFor(entry, col)}
                ncols={columns.length}
                selected={entry.id === selected}
                top={v.start}
                onSelect={select}
              />
            );
          })}
        </div>
      </div>
      {!follow && rowCount > 0 && (
        <button type="button" className="btn small follow" onClick={() => setFollow(true)}>
          ↓ Follow new messages
        </button>
      )}
    </div>
  );
}
