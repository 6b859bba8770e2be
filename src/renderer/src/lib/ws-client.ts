/**
 * The contract over the web shell's WebSocket (ClientMessage / ServerMessage in contract.ts):
 * request ids, per-request timeouts, automatic reconnect with backoff, and a status stream so the
 * UI can show the connection and resynchronise after a reconnect.
 */
import type {
  ClientMessage,
  CommandName,
  EventMap,
  EventName,
  ServerMessage,
  TrunkscopeApi,
} from '../../../shared/api/contract.ts';

export type ConnStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ConnectedApi extends TrunkscopeApi {
  status(): ConnStatus;
  /** Called on every status change; 'open' after a reconnect is the cue to resynchronise. */
  onStatus(listener: (status: ConnStatus) => void): () => void;
  close(): void;
}

export interface WsClientOptions {
  timeoutMs?: number;
  /** Backoff: min(maxDelayMs, baseDelayMs * 2^attempt). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  WebSocketImpl?: typeof WebSocket;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

type AnyListener = (payload: unknown) => void;

export function createWsClient(url: string, opts: WsClientOptions = {}): ConnectedApi {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const baseDelay = opts.baseDelayMs ?? 500;
  const maxDelay = opts.maxDelayMs ?? 10_000;
  const WS = opts.WebSocketImpl ?? WebSocket;
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<AnyListener>>();
  const statusListeners = new Set<(s: ConnStatus) => void>();
  let nextId = 1;
  let ws: WebSocket | null = null;
  let status: ConnStatus = 'connecting';
  let attempt = 0;
  let closed = false;
  /** Until the first open, failed attempts still read as 'connecting' (no engine yet, not a loss). */
  let everOpen = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const setStatus = (s: ConnStatus): void => {
    if (s === status) return;
    status = s;
    for (const l of statusListeners) l(s);
  };

  const failAll = (why: string): void => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new Error(why));
      pending.delete(id);
    }
  };

  const onMessage = (data: unknown): void => {
    if (typeof data !== 'string') return;
    let msg: ServerMessage;
    try {
      msg = JSON.parse(data) as ServerMessage;
    } catch {
      return; // a malformed frame never breaks the client
    }
    if ('event' in msg) {
      const set = listeners.get(msg.event);
      if (set) for (const l of [...set]) l(msg.payload);
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(msg.error));
  };

  const open = (): void => {
    if (closed) return;
    let sock: WebSocket;
    try {
      sock = new WS(url);
    } catch {
      scheduleReconnect();
      return;
    }
    ws = sock;
    sock.onopen = () => {
      attempt = 0;
      everOpen = true;
      setStatus('open');
    };
    sock.onmessage = (ev: MessageEvent) => onMessage(ev.data);
    sock.onclose = () => {
      if (ws !== sock) return;
      ws = null;
      failAll('connection lost');
      scheduleReconnect();
    };
    sock.onerror = () => {
      /* onclose follows */
    };
  };

  const scheduleReconnect = (): void => {
    if (closed) return;
    setStatus(everOpen ? 'reconnecting' : 'connecting');
    const delay = Math.min(maxDelay, baseDelay * 2 ** attempt);
    attempt++;
    retryTimer = setTimeout(open, delay);
  };

  open();

  return {
    invoke(name, args) {
      return new Promise((resolve, reject) => {
        if (!ws || ws.readyState !== 1) {
          reject(new Error(`not connected to the engine (${name})`));
          return;
        }
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}: no answer from the engine in ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        const msg: ClientMessage = { id, command: name as CommandName, args };
        ws.send(JSON.stringify(msg));
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as AnyListener);
      return () => set.delete(listener as AnyListener);
    },
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      failAll('closed');
      ws?.close();
      setStatus('closed');
    },
  };
}

/** ws(s)://<host>/ws?token=<token from the page URL>. */
export function wsUrlFor(loc: Pick<Location, 'protocol' | 'host' | 'search'>): string {
  const token = new URLSearchParams(loc.search).get('token') ?? '';
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/ws?token=${encodeURIComponent(token)}`;
}
