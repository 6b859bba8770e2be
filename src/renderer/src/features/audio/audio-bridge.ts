/**
 * Audio for the person at the desk, through the browser audio APIs:
 * - microphone → ScriptProcessor → 16 kHz → 20 ms 16-bit frames → `audio.frame` for each live call
 *   whose source is 'microphone';
 * - received `audio.frame` events → an AudioContext buffer queue per call → the speaker
 *   (setSinkId on the context where supported);
 * - input/output levels into the store (at most ten updates a second).
 */
import type { TrunkscopeApi } from '../../../../shared/api/contract.ts';
import type { AppStore } from '../../app/store.ts';
import {
  FRAME_MS,
  FRAME_RATE,
  Framer,
  Resampler,
  base64ToPcm16,
  floatToPcm16,
  pcm16ToBase64,
  pcm16ToFloat,
  rmsDb,
} from './pcm.ts';

/** Playout delay: received frames are scheduled this far ahead to absorb network jitter. */
const PLAYOUT_S = 0.08;
const LEVEL_EVERY_MS = 100;
/** The speaker meter falls to silence when no received frame has come for this long. */
const OUT_QUIET_MS = 400;

type SinkContext = AudioContext & { setSinkId?: (id: string) => Promise<void> };

export class AudioBridge {
  private mic: {
    ctx: AudioContext;
    stream: MediaStream;
    node: ScriptProcessorNode;
    deviceId: string;
  } | null = null;
  private out: SinkContext | null = null;
  private nextPlay = new Map<string, number>();
  private lastLevel = { in: 0, out: 0 };
  private outQuiet: ReturnType<typeof setTimeout> | undefined;
  private starting = false;

  private readonly api: TrunkscopeApi;
  private readonly store: AppStore;

  constructor(api: TrunkscopeApi, store: AppStore) {
    this.api = api;
    this.store = store;
  }

  /** Calls that should receive microphone audio right now. */
  private micTargets(): string[] {
    const s = this.store.getState();
    return Object.keys(s.micCalls).filter(
      (id) => s.calls[id]?.state === 'connected' && !s.calls[id]?.onHold,
    );
  }

  /** Start or stop the microphone to match the calls that need it (call on every store change). */
  async sync(): Promise<void> {
    const want = this.micTargets().length > 0;
    const deviceId = this.store.getState().inputId;
    if (this.mic && (!want || this.mic.deviceId !== deviceId)) this.stopMic();
    if (want && !this.mic && !this.starting) await this.startMic(deviceId);
  }

  private async startMic(deviceId: string): Promise<void> {
    const md = globalThis.navigator?.mediaDevices;
    if (!md?.getUserMedia) {
      this.store.getState().setAudioError('this browser offers no microphone access');
      return;
    }
    this.starting = true;
    try {
      const stream = await md.getUserMedia({
        audio: {
          deviceId: deviceId ? { exact: deviceId } : undefined,
          echoCancellation: true,
          noiseSuppression: true,
        },
      });
      const ctx = new AudioContext();
      const src = ctx.createMediaStreamSource(stream);
      const node = ctx.createScriptProcessor(2048, 1, 1);
      const mute = ctx.createGain();
      mute.gain.value = 0;
      const resampler = new Resampler(ctx.sampleRate, FRAME_RATE);
      const framer = new Framer((FRAME_RATE * FRAME_MS) / 1000);
      node.onaudioprocess = (ev) => {
        framer.push(resampler.process(ev.inputBuffer.getChannelData(0)), (frame) =>
          this.sendFrame(frame),
        );
      };
      src.connect(node);
      node.connect(mute);
      mute.connect(ctx.destination);
      this.mic = { ctx, stream, node, deviceId };
      this.store.getState().setAudioError(null);
      void this.refreshDevices(); // labels become visible once permission is granted
    } catch (e) {
      this.store
        .getState()
        .setAudioError(`microphone: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.starting = false;
    }
  }

  private sendFrame(frame: Float32Array): void {
    this.level('in', frame);
    const pcm = pcm16ToBase64(floatToPcm16(frame));
    for (const callId of this.micTargets()) {
      this.api
        .invoke('audio.frame', { callId, sampleRate: FRAME_RATE, pcm })
        .catch(() => undefined);
    }
  }

  stopMic(): void {
    if (!this.mic) return;
    this.mic.node.onaudioprocess = null;
    for (const t of this.mic.stream.getTracks()) t.stop();
    void this.mic.ctx.close().catch(() => undefined);
    this.mic = null;
    this.store.getState().setLevels({ inLevelDb: null });
  }

  /** A received frame for the speaker. */
  play(ev: { callId: string; sampleRate: number; pcm: string }): void {
    if (typeof AudioContext === 'undefined' || !ev?.pcm) return;
    try {
      const samples = pcm16ToFloat(base64ToPcm16(ev.pcm));
      if (!samples.length) return;
      this.level('out', samples);
      const ctx = this.output();
      const buf = ctx.createBuffer(1, samples.length, ev.sampleRate);
      buf.getChannelData(0).set(samples);
      const node = ctx.createBufferSource();
      node.buffer = buf;
      node.connect(ctx.destination);
      const now = ctx.currentTime;
      let at = this.nextPlay.get(ev.callId) ?? 0;
      // Too late (a gap) or too far ahead (drift): start again at the playout delay.
      if (at < now || at > now + 4 * PLAYOUT_S) at = now + PLAYOUT_S;
      node.start(at);
      this.nextPlay.set(ev.callId, at + buf.duration);
    } catch {
      /* a bad frame is skipped */
    }
  }

  private output(): SinkContext {
    if (!this.out) {
      this.out = new AudioContext() as SinkContext;
      void this.applySink();
    }
    if (this.out.state === 'suspended') void this.out.resume().catch(() => undefined);
    return this.out;
  }

  async applySink(): Promise<void> {
    const id = this.store.getState().outputId;
    if (this.out?.setSinkId && id) {
      try {
        await this.out.setSinkId(id);
      } catch (e) {
        this.store
          .getState()
          .setAudioError(`speaker: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  static sinkSelectable(): boolean {
    return typeof AudioContext !== 'undefined' && 'setSinkId' in AudioContext.prototype;
  }

  async refreshDevices(): Promise<void> {
    const md = globalThis.navigator?.mediaDevices;
    if (!md?.enumerateDevices) return;
    try {
      const list = await md.enumerateDevices();
      const pick = (kind: MediaDeviceKind) =>
        list
          .filter((d) => d.kind === kind)
          .map((d, i) => ({
            deviceId: d.deviceId,
            label: d.label || `${kind === 'audioinput' ? 'Microphone' : 'Speaker'} ${i + 1}`,
          }));
      this.store.getState().setDevices(pick('audioinput'), pick('audiooutput'));
    } catch {
      /* no devices to list */
    }
  }

  /**
   * The calls still connected: ended ones lose their playout queue, and when none is left the
   * speaker meter falls to silence at once instead of showing the last frame's level.
   */
  callsChanged(connected: ReadonlySet<string>): void {
    for (const id of [...this.nextPlay.keys()]) if (!connected.has(id)) this.nextPlay.delete(id);
    if (connected.size === 0) this.silenceOut();
  }

  private silenceOut(): void {
    clearTimeout(this.outQuiet);
    this.outQuiet = undefined;
    this.lastLevel.out = 0;
    if (this.store.getState().outLevelDb !== null) this.store.getState().setLevels({ outLevelDb: null });
  }

  private level(which: 'in' | 'out', f: Float32Array): void {
    if (which === 'out') {
      // No frame for a while (the call ended, or the stream stopped): the meter shows silence.
      clearTimeout(this.outQuiet);
      this.outQuiet = setTimeout(() => this.silenceOut(), OUT_QUIET_MS);
    }
    const now = Date.now();
    if (now - this.lastLevel[which] < LEVEL_EVERY_MS) return;
    this.lastLevel[which] = now;
    this.store
      .getState()
      .setLevels(which === 'in' ? { inLevelDb: rmsDb(f) } : { outLevelDb: rmsDb(f) });
  }

  dispose(): void {
    clearTimeout(this.outQuiet);
    this.stopMic();
    void this.out?.close().catch(() => undefined);
    this.out = null;
  }
}
