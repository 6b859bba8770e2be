/** A fake TrunkscopeApi for renderer tests: records invocations, lets tests emit events. */
import type { CommandName, EventMap, EventName } from '../../../src/shared/api/contract.ts';
import type { ConnectedApi, ConnStatus } from '../../../src/renderer/src/lib/ws-client.ts';

export interface FakeApi extends ConnectedApi {
  calls: Array<{ name: CommandName; args: unknown }>;
  results: Partial<Record<CommandName, unknown | ((args: unknown) => unknown)>>;
  emit<E extends EventName>(event: E, payload: EventMap[E]): void;
  setStatus(s: ConnStatus): void;
}

export function fakeApi(initial: ConnStatus = 'open'): FakeApi {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const statusListeners = new Set<(s: ConnStatus) => void>();
  let status = initial;
  const api: FakeApi = {
    calls: [],
    results: {},
    invoke(name, args) {
      api.calls.push({ name, args });
      const r = api.results[name];
      if (r instanceof Error) return Promise.reject(r);
      return Promise.resolve(
        (typeof r === 'function'
          ? (r as (a: unknown) => unknown)(args)
          : (r ?? { ok: true })) as never,
      );
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    status: () => status,
    onStatus(l) {
      statusListeners.add(l);
      return () => statusListeners.delete(l);
    },
    setStatus(s) {
      status = s;
      for (const l of statusListeners) l(s);
    },
    close() {},
  };
  return api;
}
