/** Wire the AudioBridge to the contract (received frames) and the store (which calls use the mic). */
import { useEffect } from 'react';
import type { TrunkscopeApi } from '../../../../shared/api/contract.ts';
import type { AppStore } from '../../app/store.ts';
import { AudioBridge } from './audio-bridge.ts';

export function useAudioBridge(api: TrunkscopeApi, store: AppStore): void {
  useEffect(() => {
    const bridge = new AudioBridge(api, store);
    const offFrame = api.on('audio.frame', (ev) => bridge.play(ev));
    // The engine sends a call's received audio only to pages that ask (`audio.listen`): ask for
    // every connected call, stop for ended ones, and ask again after a reconnect.
    const listening = new Set<string>();
    const syncListening = (s: ReturnType<AppStore['getState']>): void => {
      const want = new Set(
        Object.values(s.calls)
          .filter((c) => c.state === 'connected')
          .map((c) => c.callId),
      );
      bridge.callsChanged(want);
      for (const id of want) {
        if (listening.has(id)) continue;
        listening.add(id);
        api.invoke('audio.listen', { callId: id, on: true }).catch(() => listening.delete(id));
      }
      for (const id of [...listening]) {
        if (want.has(id)) continue;
        listening.delete(id);
        api.invoke('audio.listen', { callId: id, on: false }).catch(() => undefined);
      }
    };
    const unsub = store.subscribe((s, prev) => {
      if (s.conn !== prev.conn && s.conn === 'open') listening.clear();
      if (s.calls !== prev.calls || s.conn !== prev.conn) syncListening(s);
      if (s.calls !== prev.calls || s.micCalls !== prev.micCalls || s.inputId !== prev.inputId)
        void bridge.sync();
      if (s.outputId !== prev.outputId) void bridge.applySink();
    });
    syncListening(store.getState());
    void bridge.refreshDevices();
    const md = globalThis.navigator?.mediaDevices;
    const onChange = () => void bridge.refreshDevices();
    md?.addEventListener?.('devicechange', onChange);
    return () => {
      offFrame();
      unsub();
      md?.removeEventListener?.('devicechange', onChange);
      bridge.dispose();
    };
  }, [api, store]);
}
