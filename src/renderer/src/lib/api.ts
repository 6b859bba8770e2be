/**
 * The renderer's one door to the engine. In Electron the preload exposes the contract as
 * `window.trunkscope`; in a browser we speak the same contract over the web shell's WebSocket.
 * The rest of the renderer never knows which.
 */
import type { TrunkscopeApi } from '../../../shared/api/contract.ts';
import { createWsClient, wsUrlFor, type ConnectedApi, type ConnStatus } from './ws-client.ts';
import { stripToken } from './strip-token.ts';

export type { ConnectedApi, ConnStatus };

declare global {
  interface Window {
    trunkscope?: TrunkscopeApi;
  }
}

/** Wrap a bridge that is always connected (Electron IPC) in the ConnectedApi shape. */
export function fromBridge(bridge: TrunkscopeApi): ConnectedApi {
  return {
    invoke: (name, args) => bridge.invoke(name, args),
    on: (event, listener) => bridge.on(event, listener),
    status: () => 'open',
    onStatus: () => () => undefined,
    close: () => undefined,
  };
}

export function connect(): ConnectedApi {
  if (typeof window !== 'undefined' && window.trunkscope) return fromBridge(window.trunkscope);
  const client = createWsClient(wsUrlFor(window.location));
  stripToken(window.location, window.history); // the cookie carries it from now on
  return client;
}
