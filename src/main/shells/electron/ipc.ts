/**
 * The contract over Electron IPC: one channel for requests (`trunkscope:invoke`, answered with
 * the ServerMessage) and one for events (`trunkscope:event`). Each window gets a ClientSession,
 * the same class the web shell uses per WebSocket, so every payload is validated with the
 * contract's schemas before it reaches the engine. Requests from any frame other than our own
 * app page are refused.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { ClientSession, type EngineService } from '../../engine/index.ts';

export const INVOKE_CHANNEL = 'trunkscope:invoke';
export const EVENT_CHANNEL = 'trunkscope:event';

export function registerIpc(service: EngineService, trusted: (url: string) => boolean): () => void {
  const sessions = new Map<number, ClientSession>();
  const sessionFor = (wc: WebContents): ClientSession => {
    let s = sessions.get(wc.id);
    if (s) return s;
    s = new ClientSession(service, (msg) => {
      if (!wc.isDestroyed()) wc.send(EVENT_CHANNEL, msg);
    });
    sessions.set(wc.id, s);
    const drop = (): void => {
      wc.off('did-start-navigation', onNavigate);
      sessions.get(wc.id)?.close();
      sessions.delete(wc.id);
    };
    // A reload is a new renderer: its subscriptions start over (its first request resyncs).
    const onNavigate = (d: { isMainFrame: boolean; isSameDocument: boolean }): void => {
      if (d.isMainFrame && !d.isSameDocument) drop();
    };
    wc.on('did-start-navigation', onNavigate);
    wc.once('destroyed', drop);
    return s;
  };
  ipcMain.handle(INVOKE_CHANNEL, async (e: IpcMainInvokeEvent, msg: unknown) => {
    const url = e.senderFrame?.url ?? '';
    if (!trusted(url) || e.senderFrame?.parent)
      return { id: -1, ok: false, error: 'request from an untrusted frame refused' };
    return sessionFor(e.sender).handle(msg);
  });
  return () => {
    ipcMain.removeHandler(INVOKE_CHANNEL);
    for (const s of sessions.values()) s.close();
    sessions.clear();
  };
}
