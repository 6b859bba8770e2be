/**
 * The Electron side without Electron's runtime (not downloadable here): `electron` is replaced by
 * a fake that records what the shell registers. Checked: the IPC handler validates every payload
 * through the same ClientSession as the web shell and refuses foreign frames; events reach the
 * window; the preload exposes only { invoke, on } and never ipcRenderer.
 */
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage, TrunkscopeApi } from '../../../src/shared/api/contract.ts';

const fake = vi.hoisted(() => {
  const state = {
    handlers: new Map<string, (e: unknown, msg: unknown) => Promise<unknown>>(),
    exposed: new Map<string, unknown>(),
    rendererListeners: new Map<string, (e: unknown, msg: unknown) => void>(),
    invokeReply: undefined as unknown,
    invoked: [] as unknown[],
  };
  return state;
});

vi.mock('electron', () => ({
  ipcMain: {
    handle: (ch: string, fn: (e: unknown, msg: unknown) => Promise<unknown>) =>
      fake.handlers.set(ch, fn),
    removeHandler: (ch: string) => fake.handlers.delete(ch),
  },
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => fake.exposed.set(key, api) },
  ipcRenderer: {
    on: (ch: string, fn: (e: unknown, msg: unknown) => void) => fake.rendererListeners.set(ch, fn),
    invoke: async (_ch: string, msg: unknown) => {
      fake.invoked.push(msg);
      return fake.invokeReply;
    },
  },
}));

const { EngineService } = await import('../../../src/main/engine/service/engine-service.ts');
const { registerIpc, INVOKE_CHANNEL, EVENT_CHANNEL } =
  await import('../../../src/main/shells/electron/ipc.ts');

const service = new EngineService({ bindAddress: '127.0.0.1' });
const trusted = (url: string): boolean => url.startsWith('app://trunkscope/');
const unregister = registerIpc(service, trusted);
afterAll(async () => {
  unregister();
  await service.close();
});

function fakeWindow(id: number): {
  wc: Record<string, unknown>;
  sent: Array<[string, ServerMessage]>;
} {
  const sent: Array<[string, ServerMessage]> = [];
  const wc = {
    id,
    isDestroyed: () => false,
    send: (ch: string, msg: ServerMessage) => sent.push([ch, msg]),
    on: () => undefined,
    off: () => undefined,
    once: () => undefined,
  };
  return { wc, sent };
}

function invoke(
  msg: unknown,
  url = 'app://trunkscope/index.html',
  sender = fakeWindow(1).wc,
  parent: unknown = null,
): Promise<unknown> {
  const handler = fake.handlers.get(INVOKE_CHANNEL)!;
  return handler({ sender, senderFrame: { url, parent } }, msg);
}

describe('Electron IPC handler', () => {
  it('answers valid requests through the contract', async () => {
    expect(await invoke({ id: 1, command: 'app.snapshot', args: {} })).toMatchObject({
      id: 1,
      ok: true,
      result: { calls: [] },
    });
  });

  it('rejects malformed payloads with a clear error before the engine', async () => {
    expect(await invoke('call.place')).toMatchObject({
      id: -1,
      ok: false,
      error: expect.stringMatching(/^malformed request/),
    });
    expect(await invoke({ id: 2, command: 'shell.exec', args: {} })).toEqual({
      id: 2,
      ok: false,
      error: 'unknown command "shell.exec"',
    });
    expect(await invoke({ id: 3, command: 'call.place', args: { target: 7 } })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^call\.place: target: /),
    });
    expect(
      await invoke({ id: 4, command: 'call.place', args: { target: 'x'.repeat(10_000) } }),
    ).toMatchObject({ ok: false, error: expect.stringMatching(/^call\.place: target: /) });
  });

  it('refuses requests from other pages and from subframes', async () => {
    expect(await invoke({ id: 5, command: 'app.snapshot' }, 'https://evil.example/')).toMatchObject(
      { ok: false, error: 'request from an untrusted frame refused' },
    );
    expect(
      await invoke(
        { id: 6, command: 'app.snapshot' },
        'app://trunkscope/index.html',
        fakeWindow(1).wc,
        {},
      ),
    ).toMatchObject({ ok: false });
  });

  it('sends the engine events to the window', async () => {
    const w = fakeWindow(9);
    await invoke({ id: 7, command: 'listener.stop' }, 'app://trunkscope/index.html', w.wc);
    expect(
      w.sent.some(
        ([ch, m]) => ch === EVENT_CHANNEL && 'event' in m && m.event === 'listener.state',
      ),
    ).toBe(true);
  });
});

describe('preload', () => {
  beforeEach(() => {
    fake.invoked.length = 0;
  });

  it('exposes only invoke and on, forwarding requests and events', async () => {
    await import('../../../src/preload/index.ts');
    const api = fake.exposed.get('trunkscope') as TrunkscopeApi;
    expect([...fake.exposed.keys()]).toEqual(['trunkscope']);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);

    fake.invokeReply = { id: 1, ok: true, result: { callId: 'c1' } };
    expect(await api.invoke('call.place', { target: 'a@b' })).toEqual({ callId: 'c1' });
    expect(fake.invoked[0]).toMatchObject({ command: 'call.place', args: { target: 'a@b' } });
    fake.invokeReply = { id: 2, ok: false, error: 'call.place: target: enter a SIP URI or number' };
    await expect(api.invoke('call.place', { target: '' })).rejects.toThrow(
      'call.place: target: enter a SIP URI or number',
    );

    const got: unknown[] = [];
    const off = api.on('listener.state', (p) => got.push(p));
    const deliver = fake.rendererListeners.get('trunkscope:event')!;
    deliver({}, { event: 'listener.state', payload: { running: true } });
    deliver({}, { event: 'call.state', payload: {} });
    off();
    deliver({}, { event: 'listener.state', payload: { running: false } });
    expect(got).toEqual([{ running: true }]);
    expect(() => api.on('no.such.event' as never, () => undefined)).toThrow(/unknown event/);
  });
});
