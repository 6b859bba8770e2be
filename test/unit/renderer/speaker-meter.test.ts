// @vitest-environment happy-dom
/** The GUI's speaker meter falls to silence when a call ends (issue 10 item 10). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../../src/renderer/src/app/store.ts';
import { AudioBridge } from '../../../src/renderer/src/features/audio/audio-bridge.ts';
import { floatToPcm16, pcm16ToBase64 } from '../../../src/renderer/src/features/audio/pcm.ts';
import { fakeApi } from './fake-api.ts';

/** Just enough of Web Audio for play(): buffers and sources that do nothing. */
class FakeAudioContext {
  currentTime = 0;
  state = 'running';
  destination = {};
  createBuffer(_ch: number, n: number, rate: number) {
    const data = new Float32Array(n);
    return { duration: n / rate, getChannelData: () => data };
  }
  createBufferSource() {
    return { buffer: null, connect() {}, start() {} };
  }
  resume() {
    return Promise.resolve();
  }
  close() {
    return Promise.resolve();
  }
}

const loudFrame = (): { callId: string; sampleRate: number; pcm: string } => {
  const f = new Float32Array(320).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 16000));
  return { callId: 'c1', sampleRate: 16000, pcm: pcm16ToBase64(floatToPcm16(f)) };
};

describe('speaker meter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('AudioContext', FakeAudioContext);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('shows the received level, then silence as soon as no call is connected', () => {
    const store = createAppStore();
    const bridge = new AudioBridge(fakeApi('open'), store);
    bridge.play(loudFrame());
    expect(store.getState().outLevelDb).toBeGreaterThan(-20);
    bridge.callsChanged(new Set(['c1']));
    expect(store.getState().outLevelDb).toBeGreaterThan(-20); // still connected
    bridge.callsChanged(new Set());
    expect(store.getState().outLevelDb).toBeNull();
    bridge.dispose();
  });

  it('falls to silence when frames stop coming, even before the call is reported ended', () => {
    const store = createAppStore();
    const bridge = new AudioBridge(fakeApi('open'), store);
    bridge.play(loudFrame());
    expect(store.getState().outLevelDb).not.toBeNull();
    vi.advanceTimersByTime(300);
    expect(store.getState().outLevelDb).not.toBeNull();
    vi.advanceTimersByTime(200);
    expect(store.getState().outLevelDb).toBeNull();
    bridge.dispose();
  });
});
