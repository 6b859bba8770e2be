/**
 * Calls: snapshots by Call-ID (newest first) and, per call, a bounded series of stats ticks for
 * the charts. The reducers are pure functions so they can be tested without React.
 */
import type { CallSnapshot, StatsTick } from '../../../../shared/api/contract.ts';

/** Points kept per series (one tick a second: five minutes of history). */
export const SERIES_MAX = 300;
/** Ended calls kept on screen. */
export const ENDED_MAX = 20;

export interface StatsSeries {
  /** Seconds since answer. */
  t: number[];
  jitterSent: number[];
  jitterRecv: number[];
  lossSent: number[];
  lossRecv: number[];
  levelSent: (number | null)[];
  levelRecv: (number | null)[];
}

export interface CallsState {
  calls: Record<string, CallSnapshot>;
  /** Call-IDs, newest first. */
  callOrder: string[];
  series: Record<string, StatsSeries>;
  lastStats: Record<string, StatsTick>;
}

export const initialCalls: CallsState = { calls: {}, callOrder: [], series: {}, lastStats: {} };

export function isLive(c: CallSnapshot): boolean {
  return c.state !== 'terminated';
}

export function reduceCallState(s: CallsState, snap: CallSnapshot): CallsState {
  if (!snap || typeof snap.callId !== 'string') return s;
  const known = snap.callId in s.calls;
  let callOrder = known ? s.callOrder : [snap.callId, ...s.callOrder];
  const calls = { ...s.calls, [snap.callId]: snap };
  let { series, lastStats } = s;
  // Keep the number of ended calls bounded: drop the oldest ended ones.
  const ended = callOrder.filter((id) => calls[id] && !isLive(calls[id]));
  if (ended.length > ENDED_MAX) {
    const drop = new Set(ended.slice(ENDED_MAX));
    callOrder = callOrder.filter((id) => !drop.has(id));
    series = { ...series };
    lastStats = { ...lastStats };
    for (const id of drop) {
      delete calls[id];
      delete series[id];
      delete lastStats[id];
    }
  }
  return { calls, callOrder, series, lastStats };
}

function push<T>(arr: T[], v: T): T[] {
  const next = arr.length >= SERIES_MAX ? arr.slice(arr.length - SERIES_MAX + 1) : arr.slice();
  next.push(v);
  return next;
}

export function emptySeries(): StatsSeries {
  return {
    t: [],
    jitterSent: [],
    jitterRecv: [],
    lossSent: [],
    lossRecv: [],
    levelSent: [],
    levelRecv: [],
  };
}

export function reduceStats(s: CallsState, tick: StatsTick): CallsState {
  if (!tick || typeof tick.callId !== 'string' || !tick.sent || !tick.received) return s;
  const prev = s.series[tick.callId] ?? emptySeries();
  const last = prev.t[prev.t.length - 1];
  const t = tick.atMs / 1000;
  // Ticks arrive in order; one out of order (a resend after reconnect) is dropped.
  if (last !== undefined && t <= last)
    return { ...s, lastStats: { ...s.lastStats, [tick.callId]: tick } };
  const next: StatsSeries = {
    t: push(prev.t, t),
    jitterSent: push(prev.jitterSent, tick.sent.jitterMs),
    jitterRecv: push(prev.jitterRecv, tick.received.jitterMs),
    lossSent: push(prev.lossSent, tick.sent.lostPercent),
    lossRecv: push(prev.lossRecv, tick.received.lostPercent),
    levelSent: push(prev.levelSent, tick.sent.levelDb),
    levelRecv: push(prev.levelRecv, tick.received.levelDb),
  };
  return {
    ...s,
    series: { ...s.series, [tick.callId]: next },
    lastStats: { ...s.lastStats, [tick.callId]: tick },
  };
}

/** After a (re)connect: the engine's list is the truth; charts of calls still known are kept. */
export function reduceResync(s: CallsState, list: CallSnapshot[]): CallsState {
  const calls: Record<string, CallSnapshot> = {};
  const sorted = [...list].sort((a, b) => b.startedAt - a.startedAt);
  for (const c of sorted) calls[c.callId] = c;
  const keep = <T>(rec: Record<string, T>): Record<string, T> =>
    Object.fromEntries(Object.entries(rec).filter(([id]) => id in calls));
  return {
    calls,
    callOrder: sorted.map((c) => c.callId),
    series: keep(s.series),
    lastStats: keep(s.lastStats),
  };
}

export function reduceDismiss(s: CallsState, callId: string): CallsState {
  if (!(callId in s.calls)) return s;
  const calls = { ...s.calls };
  const series = { ...s.series };
  const lastStats = { ...s.lastStats };
  delete calls[callId];
  delete series[callId];
  delete lastStats[callId];
  return { calls, callOrder: s.callOrder.filter((id) => id !== callId), series, lastStats };
}
