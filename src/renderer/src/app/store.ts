/**
 * The one zustand store: feature slices fed by contract events (see bind-events.ts). Created per
 * app instance (and per test) and handed down through StoreContext.
 */
import type { DialerFields } from '../../../shared/api/profile-commands.ts';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  CallSnapshot,
  ListenerState,
  RtpStreamSummary,
  StatsTick,
  TraceEntry,
} from '../../../shared/api/contract.ts';
import type { ConnStatus } from '../lib/ws-client.ts';
import {
  initialCalls,
  reduceCallState,
  reduceDismiss,
  reduceResync,
  reduceStats,
  type CallsState,
} from '../features/calls/calls-slice.ts';
import { TraceData, emptyFilter, type TraceFilter } from '../features/trace/trace-data.ts';
import { addRecent, loadRecent } from '../features/dialer/recent.ts';
import { applyTheme, loadTheme, saveTheme, type Theme } from '../features/settings/theme.ts';
import type { CaptureImport } from '../../../shared/api/capture-contract.ts';
import {
  addCapture,
  initialCaptures,
  removeCapture,
  toImported,
  type CapturesState,
} from '../features/diagnostics/captures-slice.ts';

export type View = 'calls' | 'trace' | 'listener' | 'audio' | 'webhooks' | 'trunks' | 'routing' | 'diagnostics';

export interface AppError {
  id: number;
  message: string;
  command?: string;
  at: number;
}

export interface AudioDevice {
  deviceId: string;
  label: string;
}

export interface AppState extends CallsState, CapturesState {
  conn: ConnStatus;
  view: View;
  // trace
  trace: TraceData;
  traceVersion: number;
  traceFilter: TraceFilter;
  selectedTraceId: number | null;
  streams: Record<string, RtpStreamSummary[]>;
  // listener
  listener: ListenerState | null;
  // dialer
  recent: string[];
  // settings
  theme: Theme;
  // audio
  inputs: AudioDevice[];
  outputs: AudioDevice[];
  inputId: string;
  outputId: string;
  inLevelDb: number | null;
  outLevelDb: number | null;
  micCalls: Record<string, true>;
  audioError: string | null;
  // errors
  errors: AppError[];
  /** A trunk profile chosen with "use for call" in the Trunks view: the dialer takes its fields. */
  trunkForCall: { name: string; fields: DialerFields } | null;
  setTrunkForCall(t: { name: string; fields: DialerFields } | null): void;

  setConn(s: ConnStatus): void;
  setView(v: View): void;
  applyCallState(s: CallSnapshot): void;
  applyStats(t: StatsTick): void;
  resyncCalls(list: CallSnapshot[]): void;
  dismissCall(callId: string): void;
  appendTrace(batch: TraceEntry[]): void;
  clearTrace(): void;
  setTraceFilter(f: Partial<TraceFilter>): void;
  selectTrace(id: number | null): void;
  setStreams(list: RtpStreamSummary[]): void;
  showCallLadder(callId: string): void;
  setListener(l: ListenerState): void;
  rememberTarget(t: string): void;
  toggleTheme(): void;
  setDevices(inputs: AudioDevice[], outputs: AudioDevice[]): void;
  setInput(id: string): void;
  setOutput(id: string): void;
  setLevels(l: { inLevelDb?: number | null; outLevelDb?: number | null }): void;
  markMicCall(callId: string): void;
  setAudioError(e: string | null): void;
  pushError(message: string, command?: string): void;
  dismissError(id: number): void;
  // captures and diagnostics (features/diagnostics)
  /** Keep an opened capture; returns its trace source id. */
  addCapture(imp: CaptureImport): string;
  removeCapture(id: string): void;
  /** Show the live trace ("") or a capture's in the trace view (filters and selection reset). */
  setTraceSource(source: string): void;
  /** The trace view on one call of a source, optionally with a message selected and scrolled to. */
  openInTrace(source: string, callId: string, selectId?: number | null): void;
  setDiagCause(code: string): void;
}

export type AppStore = StoreApi<AppState>;

const ERRORS_MAX = 5;
let errorSeq = 1;
let captureSeq = 1;

export function createAppStore(): AppStore {
  const theme = loadTheme();
  applyTheme(theme);
  return createStore<AppState>()((set, get) => ({
    ...initialCalls,
    conn: 'connecting',
    view: 'calls',
    trace: new TraceData(),
    traceVersion: 0,
    traceFilter: emptyFilter,
    selectedTraceId: null,
    streams: {},
    listener: null,
    recent: loadRecent(),
    theme,
    inputs: [],
    outputs: [],
    inputId: '',
    outputId: '',
    inLevelDb: null,
    outLevelDb: null,
    micCalls: {},
    audioError: null,
    errors: [],
    trunkForCall: null,
    ...initialCaptures,
    setTrunkForCall: (trunkForCall) => set(trunkForCall ? { trunkForCall, view: 'calls' } : { trunkForCall }),

    setConn: (conn) => set({ conn }),
    setView: (view) => set({ view }),
    applyCallState: (snap) => set((s) => reduceCallState(s, snap)),
    applyStats: (tick) => set((s) => reduceStats(s, tick)),
    resyncCalls: (list) => set((s) => reduceResync(s, list)),
    dismissCall: (id) => set((s) => reduceDismiss(s, id)),
    appendTrace: (batch) => {
      if (!Array.isArray(batch) || batch.length === 0) return;
      if (get().trace.append(batch) > 0) set((s) => ({ traceVersion: s.traceVersion + 1 }));
    },
    clearTrace: () => {
      get().trace.clear();
      set((s) => ({ traceVersion: s.traceVersion + 1, selectedTraceId: null }));
    },
    setTraceFilter: (f) => set((s) => ({ traceFilter: { ...s.traceFilter, ...f } })),
    selectTrace: (selectedTraceId) => set({ selectedTraceId }),
    setStreams: (list) =>
      set((s) => {
        if (!Array.isArray(list)) return s;
        const streams = { ...s.streams };
        const byCall = new Map<string, RtpStreamSummary[]>();
        for (const r of list) byCall.set(r.callId, [...(byCall.get(r.callId) ?? []), r]);
        for (const [callId, rs] of byCall) {
          // A stream is identified by call, direction and addresses; newer summaries replace older.
          const merged = new Map((streams[callId] ?? []).map((r) => [streamKey(r), r]));
          for (const r of rs) merged.set(streamKey(r), r);
          streams[callId] = [...merged.values()];
        }
        return { streams };
      }),
    showCallLadder: (callId) =>
      set({
        traceFilter: { ...emptyFilter, callId: sipCallId(get().trace, callId) },
        traceSource: '',
        view: 'trace',
        selectedTraceId: null,
      }),
    setListener: (listener) => set({ listener }),
    rememberTarget: (t) => set((s) => ({ recent: addRecent(s.recent, t) })),
    toggleTheme: () =>
      set((s) => {
        const theme: Theme = s.theme === 'dark' ? 'light' : 'dark';
        saveTheme(theme);
        applyTheme(theme);
        return { theme };
      }),
    setDevices: (inputs, outputs) => set({ inputs, outputs }),
    setInput: (inputId) => set({ inputId }),
    setOutput: (outputId) => set({ outputId }),
    setLevels: (l) => set(l),
    markMicCall: (callId) => set((s) => ({ micCalls: { ...s.micCalls, [callId]: true } })),
    setAudioError: (audioError) => set({ audioError }),
    pushError: (message, command) =>
      set((s) => ({
        errors: [
          ...s.errors,
          { id: errorSeq++, message: withoutCommand(String(message), command), command, at: Date.now() },
        ].slice(-ERRORS_MAX),
      })),
    dismissError: (id) => set((s) => ({ errors: s.errors.filter((e) => e.id !== id) })),
    addCapture: (imp) => {
      const id = `cap-${captureSeq++}`;
      set((s) => addCapture(s, toImported(imp, id)));
      return id;
    },
    removeCapture: (id) => set((s) => removeCapture(s, id)),
    setTraceSource: (traceSource) =>
      set({ traceSource, traceFilter: emptyFilter, selectedTraceId: null }),
    openInTrace: (traceSource, callId, selectId = null) =>
      set((s) => ({
        traceSource,
        traceFilter: { ...emptyFilter, callId },
        selectedTraceId: selectId,
        view: 'trace',
        traceReveal: selectId !== null ? s.traceReveal + 1 : s.traceReveal,
      })),
    setDiagCause: (diagCause) => set({ diagCause }),
  }));
}

/** The list shows the command beside the message: drop a "command: " prefix the engine added. */
function withoutCommand(message: string, command: string | undefined): string {
  return command && message.startsWith(`${command}: `) ? message.slice(command.length + 2) : message;
}

/**
 * The SIP Call-ID of a call for the trace filter. A snapshot's callId can carry a suffix after
 * "#" (the engine's inbound leg of a loopback call: "<Call-ID>#inbound"); the trace is keyed by
 * the Call-ID on the wire.
 */
export function sipCallId(trace: TraceData, callId: string): string {
  if (trace.hasCall(callId) || !callId.includes('#')) return callId;
  return callId.slice(0, callId.lastIndexOf('#'));
}

function streamKey(r: RtpStreamSummary): string {
  return `${r.dir}|${r.from}|${r.to}|${r.startAt}`;
}
