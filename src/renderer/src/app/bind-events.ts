/**
 * Feed the store from the contract's events, and resynchronise from `app.snapshot` (plus the
 * trace entries we missed) whenever the connection opens — first connect and every reconnect.
 */
import type { TraceEntry } from '../../../shared/api/contract.ts';
import type { ConnectedApi } from '../lib/ws-client.ts';
import type { AppStore } from './store.ts';

/** Trace events are coalesced and applied at most this often (a burst is one render). */
const TRACE_FLUSH_MS = 50;

export function bindEvents(api: ConnectedApi, store: AppStore): () => void {
  const st = () => store.getState();
  let buffer: TraceEntry[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  const flush = (): void => {
    flushTimer = null;
    const batch = buffer;
    buffer = [];
    st().appendTrace(batch);
  };

  const offs = [
    api.on('call.state', (s) => st().applyCallState(s)),
    api.on('call.stats', (t) => st().applyStats(t)),
    api.on('trace.entries', (list) => {
      if (!Array.isArray(list)) return;
      for (const e of list) buffer.push(e);
      flushTimer ??= setTimeout(flush, TRACE_FLUSH_MS);
    }),
    api.on('trace.streams', (list) => st().setStreams(list)),
    api.on('listener.state', (l) => st().setListener(l)),
    api.on('engine.error', (e) => st().pushError(e?.message ?? 'engine error', e?.command)),
    api.onStatus((s) => {
      st().setConn(s);
      if (s === 'open') void resync(api, store);
    }),
  ];
  st().setConn(api.status());
  if (api.status() === 'open') void resync(api, store);
  return () => {
    for (const off of offs) off();
    if (flushTimer) clearTimeout(flushTimer);
  };
}

export async function resync(api: ConnectedApi, store: AppStore): Promise<void> {
  const st = () => store.getState();
  try {
    const snap = await api.invoke('app.snapshot', {});
    st().resyncCalls(snap.calls ?? []);
    if (snap.listener) st().setListener(snap.listener);
    const have = st().trace.size;
    if (snap.traceCount < have) st().clearTrace(); // the engine restarted: its trace is new
    if (snap.traceCount > st().trace.size) {
      // Catch up on what we missed; if that is more than one query holds, keep the newest
      // (a gap in the middle would mislead, so start over from there).
      const LIMIT = 100_000;
      if (snap.traceCount - st().trace.size > LIMIT) st().clearTrace();
      const offset = Math.max(st().trace.size, snap.traceCount - LIMIT);
      const r = await api.invoke('trace.query', { offset, limit: LIMIT });
      st().appendTrace(r.entries ?? []);
      if (r.streams?.length) st().setStreams(r.streams);
    }
  } catch (e) {
    st().pushError(
      `could not resynchronise: ${e instanceof Error ? e.message : String(e)}`,
      'app.snapshot',
    );
  }
}
