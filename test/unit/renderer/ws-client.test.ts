// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWsClient, wsUrlFor } from '../../../src/renderer/src/lib/ws-client.ts';
import { bindEvents } from '../../../src/renderer/src/app/bind-events.ts';
import { createAppStore } from '../../../src/renderer/src/app/store.ts';
import type { ClientMessage } from '../../../src/shared/api/contract.ts';
import { entry, snap } from './fixtures.ts';

/** A WebSocket stand-in the test drives by hand. */
class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: ClientMessage[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  readonly url: string;
  constructor(url: string) {
    this.url = url;
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as ClientMessage);
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
  reply(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

const last = () => FakeSocket.all[FakeSocket.all.length - 1]!;
const make = (opts = {}) =>
  createWsClient('ws://h/ws?token=t', {
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    baseDelayMs: 100,
    maxDelayMs: 800,
    timeoutMs: 1000,
    ...opts,
  });

describe('WebSocket client', () => {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('builds the URL with the page token', () => {
    expect(wsUrlFor({ protocol: 'http:', host: '127.0.0.1:8080', search: '?token=a b' })).toBe(
      'ws://127.0.0.1:8080/ws?token=a%20b',
    );
    expect(wsUrlFor({ protocol: 'https:', host: 'x', search: '' })).toBe('wss://x/ws?token=');
  });

  it('matches replies to requests by id and delivers events', async () => {
    const c = make();
    expect(c.status()).toBe('connecting');
    last().open();
    expect(c.status()).toBe('open');
    const got: unknown[] = [];
    c.on('listener.state', (p) => got.push(p));
    const a = c.invoke('call.hangup', { callId: 'x' });
    const b = c.invoke('call.accept', { callId: 'y' });
    const [m1, m2] = last().sent;
    expect(m1).toMatchObject({ command: 'call.hangup', args: { callId: 'x' } });
    last().reply({ id: m2!.id, ok: false, error: 'no such call' });
    last().reply({ id: m1!.id, ok: true, result: { ok: true } });
    last().reply({ event: 'listener.state', payload: { running: true } });
    last().onmessage?.({ data: 'not json' });
    await expect(a).resolves.toEqual({ ok: true });
    await expect(b).rejects.toThrow('no such call');
    expect(got).toEqual([{ running: true }]);
  });

  it('reads "connecting" until the engine first answers, however many attempts fail', () => {
    const c = make();
    last().drop();
    vi.advanceTimersByTime(100);
    last().drop();
    expect(FakeSocket.all).toHaveLength(2);
    expect(c.status()).toBe('connecting');
    vi.advanceTimersByTime(200);
    last().open();
    expect(c.status()).toBe('open');
    c.close();
  });

  it('times out requests the engine never answers, and refuses while disconnected', async () => {
    const c = make();
    await expect(c.invoke('app.snapshot', {})).rejects.toThrow(/not connected/);
    last().open();
    const p = c.invoke('app.snapshot', {});
    vi.advanceTimersByTime(1001);
    await expect(p).rejects.toThrow(/no answer from the engine in 1000 ms/);
  });

  it('reconnects with growing backoff and fails pending requests when the socket drops', async () => {
    const c = make();
    const statuses: string[] = [];
    c.onStatus((s) => statuses.push(s));
    last().open();
    const p = c.invoke('app.snapshot', {});
    last().drop();
    await expect(p).rejects.toThrow('connection lost');
    expect(c.status()).toBe('reconnecting');
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(FakeSocket.all).toHaveLength(2);
    last().drop(); // refused again: next wait is 200 ms
    vi.advanceTimersByTime(150);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(50);
    expect(FakeSocket.all).toHaveLength(3);
    last().open();
    expect(statuses).toEqual(['open', 'reconnecting', 'open']);
    c.close();
    expect(c.status()).toBe('closed');
  });

  it('resynchronises the store from app.snapshot and the missed trace after a reconnect', async () => {
    const c = make();
    const store = createAppStore();
    const unbind = bindEvents(c, store);
    store.getState().applyCallState(snap('stale', { state: 'connected' }));
    store.getState().appendTrace([entry(1)]);
    last().open();
    expect(store.getState().conn).toBe('open');
    const snapReq = last().sent.find((m) => m.command === 'app.snapshot')!;
    last().reply({
      id: snapReq.id,
      ok: true,
      result: {
        version: '1',
        calls: [snap('live', { state: 'connected' })],
        listener: { running: true, transports: ['udp'], answer: 'echo' },
        traceCount: 3,
      },
    });
    await vi.waitFor(() => expect(last().sent.some((m) => m.command === 'trace.query')).toBe(true));
    const q = last().sent.find((m) => m.command === 'trace.query')!;
    expect(q.args).toEqual({ offset: 1, limit: 100_000 });
    last().reply({
      id: q.id,
      ok: true,
      result: { total: 3, entries: [entry(2), entry(3)], streams: [] },
    });
    await vi.waitFor(() => expect(store.getState().trace.size).toBe(3));
    expect(store.getState().callOrder).toEqual(['live']);
    expect(store.getState().listener?.running).toBe(true);

    // Events feed the store; trace batches are coalesced.
    last().reply({
      event: 'call.state',
      payload: snap('live', { state: 'terminated', finalStatus: 200 }),
    });
    last().reply({ event: 'trace.entries', payload: [entry(4)] });
    last().reply({ event: 'trace.entries', payload: [entry(5)] });
    last().reply({
      event: 'engine.error',
      payload: { message: 'port 5060 in use', command: 'listener.start' },
    });
    expect(store.getState().calls.live?.state).toBe('terminated');
    expect(store.getState().errors[0]?.message).toBe('port 5060 in use');
    const v = store.getState().traceVersion;
    vi.advanceTimersByTime(60);
    expect(store.getState().trace.size).toBe(5);
    expect(store.getState().traceVersion).toBe(v + 1);

    last().drop();
    expect(store.getState().conn).toBe('reconnecting');
    vi.advanceTimersByTime(100);
    last().open();
    expect(last().sent.map((m) => m.command)).toContain('app.snapshot');
    unbind();
    c.close();
  });
});
