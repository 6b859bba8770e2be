// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { CallSnapshot } from '../../../src/shared/api/contract.ts';
import { snap, tick } from './fixtures.ts';
import {
  ENDED_MAX,
  SERIES_MAX,
  initialCalls,
  reduceCallState,
  reduceDismiss,
  reduceResync,
  reduceStats,
} from '../../../src/renderer/src/features/calls/calls-slice.ts';
import { stateText } from '../../../src/renderer/src/features/calls/call-state.ts';

describe('calls slice', () => {
  it('adds new calls first and updates known ones in place', () => {
    let s = reduceCallState(initialCalls, snap('a'));
    s = reduceCallState(s, snap('b'));
    s = reduceCallState(s, snap('a', { state: 'ringing' }));
    expect(s.callOrder).toEqual(['b', 'a']);
    expect(s.calls.a?.state).toBe('ringing');
  });

  it('ignores malformed snapshots', () => {
    const s = reduceCallState(initialCalls, { nope: 1 } as unknown as CallSnapshot);
    expect(s).toBe(initialCalls);
  });

  it('keeps at most ENDED_MAX ended calls, dropping the oldest with their series', () => {
    let s = initialCalls;
    for (let i = 0; i < ENDED_MAX + 3; i++) {
      s = reduceCallState(s, snap(`c${i}`, { startedAt: i }));
      s = reduceStats(s, tick(`c${i}`, 1000));
      s = reduceCallState(s, snap(`c${i}`, { state: 'terminated', finalStatus: 200 }));
    }
    s = reduceCallState(s, snap('live', { state: 'connected' }));
    expect(s.callOrder).toHaveLength(ENDED_MAX + 1);
    expect(s.calls.c0).toBeUndefined();
    expect(s.series.c0).toBeUndefined();
    expect(s.calls[`c${ENDED_MAX + 2}`]).toBeDefined();
    expect(s.calls.live).toBeDefined();
  });

  it('appends stats ticks to a bounded per-call series and keeps the last tick', () => {
    let s = reduceCallState(initialCalls, snap('a', { state: 'connected' }));
    for (let i = 1; i <= SERIES_MAX + 50; i++) s = reduceStats(s, tick('a', i * 1000, i));
    const series = s.series.a!;
    expect(series.t).toHaveLength(SERIES_MAX);
    expect(series.t[series.t.length - 1]).toBe(SERIES_MAX + 50);
    expect(series.jitterSent[0]).toBe(51);
    expect(series.jitterRecv[0]).toBe(102);
    expect(s.lastStats.a?.atMs).toBe((SERIES_MAX + 50) * 1000);
  });

  it('drops an out-of-order tick from the series', () => {
    let s = reduceStats(initialCalls, tick('a', 2000));
    s = reduceStats(s, tick('a', 1000));
    expect(s.series.a?.t).toEqual([2]);
  });

  it('resync replaces the calls with the engine list, keeping series of calls still present', () => {
    let s = reduceCallState(initialCalls, snap('a'));
    s = reduceStats(s, tick('a', 1000));
    s = reduceCallState(s, snap('gone'));
    s = reduceStats(s, tick('gone', 1000));
    s = reduceResync(s, [
      snap('a', { state: 'connected', startedAt: 5 }),
      snap('new', { startedAt: 9 }),
    ]);
    expect(s.callOrder).toEqual(['new', 'a']);
    expect(s.series.a).toBeDefined();
    expect(s.series.gone).toBeUndefined();
    expect(reduceDismiss(s, 'a').callOrder).toEqual(['new']);
  });

  it('reads states as the card shows them', () => {
    expect(stateText(snap('a', { state: 'proceeding' }))).toBe('trying');
    expect(stateText(snap('a', { state: 'early' }))).toBe('early media');
    expect(stateText(snap('a', { state: 'connected', onHold: true }))).toBe('on hold');
    expect(
      stateText(snap('a', { state: 'terminated', finalStatus: 486, reason: 'Busy Here' })),
    ).toBe('ended 486 Busy Here');
  });
});

describe('error list', () => {
  it('does not repeat the command name the engine put in front of the message', async () => {
    const { createAppStore } = await import('../../../src/renderer/src/app/store.ts');
    const store = createAppStore();
    store.getState().pushError('listener.start: port 5060 is in use', 'listener.start');
    store.getState().pushError('listener.stop failed', 'listener.start');
    expect(store.getState().errors.map((e) => [e.command, e.message])).toEqual([
      ['listener.start', 'port 5060 is in use'],
      ['listener.start', 'listener.stop failed'],
    ]);
  });
});
