/** Wire the AudioBridge to the contract (received frames) and the store (which calls use the mic). */
import { useEffect } from 'react';
import type { TrunkscopeApi } from '../../../../shared/api/contract.ts';
import type { AppStore } from '../../app/store.ts';
import { AudioBridge } from './audio-bridge.ts';

export function useAudioBridge(api: TrunkscopeApi, store: AppStore): void {
  useEffect(() => {
    const bridge = new AudioBridge(api, store);
    const offFrame = api.on('audio.frame', (ev) => bridge.play(ev));
    const unsub = store.subscribe((s, prev) => {
      if (s.calls !== prev.calls || s.micCalls !== prev.micCalls || s.inputId !== prev.inputId)
        void bridge.sync();
      if (s.outputId !== prev.outputId) void bridge.applySink();
    });
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
