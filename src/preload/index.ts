/**
 * The window's only bridge to the engine: `window.trunkscope = { invoke, on }` (the contract's
 * TrunkscopeApi). ipcRenderer itself is never exposed; the main process validates every payload
 * with the contract's schemas (ClientSession), so this file only forwards.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type {
  CommandName,
  EventMap,
  EventName,
  ServerMessage,
  TrunkscopeApi,
} from '../shared/api/contract.ts';

const INVOKE_CHANNEL = 'trunkscope:invoke';
const EVENT_CHANNEL = 'trunkscope:event';

const EVENTS = [
  'call.state',
  'call.stats',
  'trace.entries',
  'trace.streams',
  'listener.state',
  'audio.frame',
  'engine.error',
  'profiles.testStep',
] as const;
// Every event of the contract is listed (a new one fails to compile here until it is added).
const allListed: Exclude<EventName, (typeof EVENTS)[number]> extends never ? true : false = true;
void allListed;

const listeners = new Map<string, Set<(payload: unknown) => void>>();
ipcRenderer.on(EVENT_CHANNEL, (_e, msg: ServerMessage) => {
  if (!msg || typeof msg !== 'object' || !('event' in msg)) return;
  for (const l of listeners.get(msg.event) ?? []) {
    try {
      l(msg.payload);
    } catch (err) {
      console.error(err);
    }
  }
});

let nextId = 1;

const api: TrunkscopeApi = {
  async invoke(name, args) {
    if (typeof name !== 'string') throw new TypeError('command name must be a string');
    const reply = (await ipcRenderer.invoke(INVOKE_CHANNEL, {
      id: nextId++,
      command: name as CommandName,
      args,
    })) as ServerMessage;
    if ('ok' in reply && reply.ok) return reply.result as never;
    throw new Error('error' in reply ? reply.error : 'no answer from the engine');
  },
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) {
    if (!(EVENTS as readonly string[]).includes(event))
      throw new Error(`unknown event "${String(event)}"`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => void set.delete(l);
  },
};

contextBridge.exposeInMainWorld('trunkscope', api);
