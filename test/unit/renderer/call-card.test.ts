// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createElement } from 'react';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';

// uPlot needs a real canvas; the chart component's data path is what matters here.
const setData = vi.fn();
vi.mock('uplot', () => ({
  default: class {
    setData = setData;
    destroy() {}
  },
}));

import { CallsView } from '../../../src/renderer/src/features/calls/calls-view.tsx';
import { createAppStore } from '../../../src/renderer/src/app/store.ts';
import { ApiContext, StoreContext } from '../../../src/renderer/src/app/context.ts';
import { fakeApi } from './fake-api.ts';
import { snap, tick } from './fixtures.ts';

function setup() {
  const api = fakeApi();
  const store = createAppStore();
  render(
    createElement(
      StoreContext.Provider,
      { value: store },
      createElement(ApiContext.Provider, { value: api }, createElement(CallsView)),
    ),
  );
  return { api, store };
}

describe('call card', () => {
  afterEach(cleanup);

  it('shows the state and invokes hangup, hold/resume and DTMF for its call', async () => {
    const { api, store } = setup();
    act(() =>
      store
        .getState()
        .applyCallState(snap('c1', { state: 'connected', answeredAt: Date.now(), codec: 'PCMU' })),
    );
    const card = screen.getByTestId('call-card');
    expect(card.dataset.callId).toBe('c1');
    expect(within(card).getByTestId('call-state').textContent).toBe('connected');
    fireEvent.click(within(card).getByTestId('call-hold'));
    fireEvent.click(within(card).getByTestId('call-key-5'));
    fireEvent.click(within(card).getByTestId('call-key-hash'));
    fireEvent.click(within(card).getByTestId('call-hangup'));
    await waitFor(() => expect(api.calls).toHaveLength(4));
    expect(api.calls).toEqual([
      { name: 'call.hold', args: { callId: 'c1', on: true } },
      { name: 'call.dtmf', args: { callId: 'c1', digits: '5' } },
      { name: 'call.dtmf', args: { callId: 'c1', digits: '#' } },
      { name: 'call.hangup', args: { callId: 'c1' } },
    ]);
    act(() => store.getState().applyCallState(snap('c1', { state: 'connected', onHold: true })));
    expect(within(card).getByTestId('call-state').textContent).toBe('on hold');
    expect(within(card).getByTestId('call-hold').textContent).toBe('Resume');
  });

  it('sends digit keys as DTMF while focused and hangs up on Esc', async () => {
    const { api, store } = setup();
    act(() => store.getState().applyCallState(snap('c2', { state: 'connected' })));
    const card = screen.getByTestId('call-card');
    fireEvent.keyDown(card, { key: '7' });
    fireEvent.keyDown(card, { key: 'x' });
    fireEvent.keyDown(card, { key: 'Escape' });
    await waitFor(() => expect(api.calls).toHaveLength(2));
    expect(api.calls).toEqual([
      { name: 'call.dtmf', args: { callId: 'c2', digits: '7' } },
      { name: 'call.hangup', args: { callId: 'c2' } },
    ]);
  });

  it('Esc outside a card hangs up the newest live call', async () => {
    const { api, store } = setup();
    act(() => {
      store.getState().applyCallState(snap('old', { state: 'connected', startedAt: 1 }));
      store.getState().applyCallState(snap('new', { state: 'ringing', startedAt: 2 }));
    });
    fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() =>
      expect(api.calls).toEqual([{ name: 'call.hangup', args: { callId: 'new' } }]),
    );
  });

  it('offers accept and reject for an incoming call', async () => {
    const { api, store } = setup();
    act(() =>
      store.getState().applyCallState(snap('in1', { state: 'incoming', direction: 'inbound' })),
    );
    expect(screen.queryByTestId('call-hangup')).toBeNull();
    fireEvent.click(screen.getByTestId('call-accept'));
    fireEvent.click(screen.getByTestId('call-reject'));
    await waitFor(() =>
      expect(api.calls).toEqual([
        { name: 'call.accept', args: { callId: 'in1' } },
        { name: 'call.reject', args: { callId: 'in1' } },
      ]),
    );
  });

  it('shows stats values, the MOS badge and a one-way-audio banner with its evidence', () => {
    const { store } = setup();
    act(() => {
      store.getState().applyCallState(snap('c3', { state: 'connected' }));
      store.getState().applyStats({
        ...tick('c3', 3000, 2.5),
        mos: 3.2,
        oneWayAudio: {
          verdict: 'no-rtp-received',
          direction: 'received',
          evidence: ['0 packets from 10.0.0.2:30000 in 3 s', 'SDP named 10.0.0.2'],
        },
      });
    });
    expect(screen.getByTestId('stat-jitter-sent').textContent).toBe('2.5 ms');
    expect(screen.getByTestId('stat-jitter-recv').textContent).toBe('5.0 ms');
    expect(screen.getByTestId('stat-packets-sent').textContent).toBe('150');
    const mos = screen.getByTestId('call-mos');
    expect(mos.dataset.mos).toBe('3.20');
    expect(mos.className).toContain('mos-poor');
    const banner = screen.getByTestId('call-oneway');
    expect(banner.textContent).toContain('no-rtp-received');
    expect(banner.textContent).toContain('SDP named 10.0.0.2');
    expect(setData).toHaveBeenCalled();
    act(() =>
      store.getState().applyStats({
        ...tick('c3', 4000),
        oneWayAudio: { verdict: 'ok', direction: null, evidence: [] },
      }),
    );
    expect(screen.queryByTestId('call-oneway')).toBeNull();
  });

  it('shows an ended call with its final code and reason, and opens its ladder', () => {
    const { store } = setup();
    act(() =>
      store
        .getState()
        .applyCallState(
          snap('c4', { state: 'terminated', finalStatus: 486, reason: 'Busy Here', endedAt: 5000 }),
        ),
    );
    expect(screen.getByTestId('call-state').textContent).toBe('ended 486 Busy Here');
    expect(screen.queryByTestId('call-hangup')).toBeNull();
    fireEvent.click(screen.getByTestId('call-ladder'));
    expect(store.getState().view).toBe('trace');
    expect(store.getState().traceFilter.callId).toBe('c4');
  });

  it('reports a failed command as a dismissible error, not a crash', async () => {
    const { api, store } = setup();
    api.results['call.hangup'] = new Error('call.hangup: no such call');
    act(() => store.getState().applyCallState(snap('c5', { state: 'ringing' })));
    fireEvent.click(screen.getByTestId('call-hangup'));
    await waitFor(() =>
      // The list shows the command beside the message, so the prefix is not repeated.
      expect(store.getState().errors.map((e) => [e.command, e.message])).toEqual([['call.hangup', 'no such call']]),
    );
  });
});
