/**
 * The engine as the GUI sees it: every command of the contract (dispatch validates the arguments
 * with the contract's schemas, then runs the handler; a failure is `{ ok: false, error }`, never
 * a crash) and every event of its EventMap (subscribe with `on` / `onAny`). The Electron IPC
 * handlers and the web shell's WebSocket both call `dispatch` through a ClientSession, so what
 * the browser tests exercise is what the window runs.
 */
import type { z } from 'zod';
import { commands, isCommandName, parseArgs, type AppSnapshot, type CommandName, type CommandResult, type EventMap, type EventName, type RtpStreamSummary } from '../../../shared/api/contract.ts';
import type { TimerConfig } from '../../sip/transaction/timers.ts';
import type { SipStack } from '../sip-stack.ts';
import { EventBus, type AnyListener } from './event-bus.ts';
import { LiveCall, type LiveCallHooks } from './live-call.ts';
import { Listener, type IncomingCall } from './listener.ts';
import { prepareOutbound } from './outbound.ts';
import { TraceHub } from './trace-hub.ts';
import { exportPcap, exportText } from './trace-export.ts';

export const APP_VERSION = '0.1.0';

export interface EngineServiceOptions {
  /** Address outgoing calls bind SIP and RTP to, default 0.0.0.0 (tests: 127.0.0.1). */
  bindAddress?: string;
  rtpPorts?: { min: number; max: number };
  timers?: Partial<TimerConfig>;
  userAgent?: string;
  /** Trace entries kept, default 200 000. */
  traceLimit?: number;
  /** Calls kept after they ended (with their report and RTP ring), default 100. */
  keepEndedCalls?: number;
  statsIntervalMs?: number;
  traceFlushMs?: number;
  /** How long an outgoing call's stack stays open after the call (late retransmissions), ms. */
  lingerMs?: number;
  version?: string;
}

export type DispatchResult = { ok: true; result: unknown } | { ok: false; error: string };
type Args<K extends CommandName> = z.output<(typeof commands)[K]['args']>;
type Handlers = { [K in CommandName]: (args: Args<K>, client: string) => Promise<CommandResult<K>> };

export class EngineService {
  private readonly bus = new EventBus();
  private readonly o: Required<Omit<EngineServiceOptions, 'timers' | 'userAgent'>> & EngineServiceOptions;
  private readonly calls = new Map<string, LiveCall>();
  private readonly stacks = new Set<SipStack>();
  private readonly audioSubs = new Map<string, Set<string>>();
  private readonly trace: TraceHub;
  private readonly listener: Listener;
  private readonly ticker: ReturnType<typeof setInterval>;
  private closed = false;

  constructor(opts: EngineServiceOptions = {}) {
    this.o = {
      bindAddress: '0.0.0.0',
      rtpPorts: { min: 10_000, max: 60_000 },
      traceLimit: 200_000,
      keepEndedCalls: 100,
      statsIntervalMs: 1000,
      traceFlushMs: 100,
      lingerMs: 4000,
      version: APP_VERSION,
      ...opts,
    };
    this.trace = new TraceHub({ limit: this.o.traceLimit, flushMs: this.o.traceFlushMs, emit: (b) => this.bus.emit('trace.entries', b) });
    this.listener = new Listener({
      portRange: this.o.rtpPorts,
      timers: this.o.timers,
      userAgent: this.o.userAgent,
      onStack: (s) => this.trace.attach(s),
      onCall: (c) => this.incoming(c),
    });
    this.ticker = setInterval(() => this.tick(), this.o.statsIntervalMs);
    this.ticker.unref?.();
  }

  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    return this.bus.on(event, listener);
  }

  onAny(listener: AnyListener): () => void {
    return this.bus.onAny(listener);
  }

  /** Validate and run one command. `client` names the connection (audio subscriptions). */
  async dispatch(name: unknown, rawArgs: unknown, client = 'local'): Promise<DispatchResult> {
    if (!isCommandName(name)) return { ok: false, error: `unknown command ${JSON.stringify(String(name).slice(0, 64))}` };
    if (this.closed) return { ok: false, error: `${name}: the engine is shutting down` };
    let args: unknown;
    try {
      args = parseArgs(name, rawArgs);
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
    try {
      const handler = this.handlers[name] as (a: unknown, c: string) => Promise<unknown>;
      return { ok: true, result: await handler(args, client) };
    } catch (err) {
      return { ok: false, error: `${name}: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  /** A connection went away: drop its audio subscriptions. */
  dropClient(client: string): void {
    for (const [callId, set] of this.audioSubs) {
      if (!set.delete(client)) continue;
      const call = this.calls.get(callId);
      if (call) call.audioListeners = set.size;
    }
  }

  private readonly handlers: Handlers = {
    'app.snapshot': async () => this.snapshot(),
    'call.place': async (a) => {
      const out = await prepareOutbound(a, { bindAddress: this.o.bindAddress, portRange: this.o.rtpPorts, timers: this.o.timers, userAgent: this.o.userAgent });
      this.stacks.add(out.stack);
      this.trace.attach(out.stack);
      const callId = out.session.callId;
      const call = new LiveCall({
        session: out.session,
        media: out.media,
        mic: out.mic,
        peer: out.plan.target,
        transport: out.plan.transport,
        dtmf: a.dtmf,
        messages: () => out.stack.messageCount(callId, true),
        hooks: this.hooks(() => this.closeLater(out.stack)),
      });
      this.track(call);
      out.session.start().catch((err: Error) => this.bus.emit('engine.error', { message: `call ${callId}: ${err.message}`, command: 'call.place' }));
      return { callId };
    },
    'call.hangup': async (a) => {
      this.call(a.callId)
        .hangup()
        .catch((err: Error) => this.bus.emit('engine.error', { message: `hangup ${a.callId}: ${err.message}`, command: 'call.hangup' }));
      return { ok: true as const };
    },
    'call.hold': async (a) => ({ ok: await this.call(a.callId).hold(a.on) }),
    'call.dtmf': async (a) => {
      await this.call(a.callId).dtmf(a.digits);
      return { ok: true as const };
    },
    'call.accept': async (a) => ({ ok: this.call(a.callId).accept() }),
    'call.reject': async (a) => ({ ok: this.call(a.callId).reject(a.status) }),
    'call.report': async (a) => {
      const call = this.call(a.callId);
      return { report: call.report ?? null, media: call.report?.media ?? call.media?.report() ?? null };
    },
    'listener.start': async (a) => {
      if (this.listener.state.running) await this.stopListener();
      const state = await this.listener.start(a);
      this.bus.emit('listener.state', state);
      if (state.error) throw new Error(`cannot listen on ${a.address}:${a.port}: ${state.error}`);
      return state;
    },
    'listener.stop': async () => {
      const state = await this.stopListener();
      this.bus.emit('listener.state', state);
      return state;
    },
    'trace.query': async (a) => {
      const r = this.trace.store.query({ callId: this.sipId(a.callId), method: a.method, status: a.status, text: a.text }, a.offset, a.limit);
      return { ...r, streams: this.streams(this.sipId(a.callId)) };
    },
    'trace.export': async (a) => {
      this.trace.flush();
      const callId = this.sipId(a.callId);
      const calls = [...this.calls.values()].filter((c) => callId === undefined || c.sipCallId === callId);
      const input = {
        entries: this.trace.store.select(callId),
        summaries: this.streams(callId),
        packets: function* () {
          for (const c of calls) yield* [...c.sent.records(), ...c.received.records()];
        },
        redact: a.redact,
        callId,
      };
      const pcap = a.format === 'pcap';
      const data = pcap ? exportPcap(input) : Buffer.from(exportText(input), 'utf8');
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
      const which = callId && !a.redact ? `-${callId.replace(/[^A-Za-z0-9]/g, '').slice(0, 12)}` : '';
      return {
        filename: `trunkscope-trace${which}${a.redact ? '-redacted' : ''}-${stamp}.${pcap ? 'pcap' : 'txt'}`,
        mime: pcap ? 'application/vnd.tcpdump.pcap' : 'text/plain; charset=utf-8',
        base64: data.toString('base64'),
      };
    },
    'audio.frame': async (a) => {
      const call = this.call(a.callId);
      if (!call.mic) throw new Error(`call ${a.callId} does not send the microphone (its source is not "microphone")`);
      const bytes = Buffer.from(a.pcm, 'base64');
      if (bytes.length % 2 !== 0) throw new Error('pcm: 16-bit samples expected (an even number of bytes)');
      if (call.live) call.mic.push(new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)), a.sampleRate);
      return { ok: true as const };
    },
    'audio.listen': async (a, client) => {
      const call = this.call(a.callId);
      let set = this.audioSubs.get(a.callId);
      if (!set) this.audioSubs.set(a.callId, (set = new Set()));
      if (a.on) set.add(client);
      else set.delete(client);
      call.audioListeners = set.size;
      return { ok: true as const };
    },
  };

  private call(callId: string): LiveCall {
    const c = this.calls.get(callId);
    if (!c) throw new Error(`no call with Call-ID ${JSON.stringify(callId.slice(0, 80))}`);
    return c;
  }

  private hooks(onEnded?: () => void): LiveCallHooks {
    return {
      changed: (c) => this.bus.emit('call.state', c.snapshot()),
      ended: (c) => {
        this.audioSubs.delete(c.callId);
        this.bus.emit('call.state', c.snapshot());
        const s = [c.sent.summary(), c.received.summary()].filter((x) => x !== undefined);
        if (s.length > 0) this.bus.emit('trace.streams', s);
        onEnded?.();
        this.prune();
      },
      audio: (c, f) => {
        const pcm = Buffer.from(f.pcm.buffer, f.pcm.byteOffset, f.pcm.byteLength).toString('base64');
        this.bus.emit('audio.frame', { callId: c.callId, sampleRate: f.sampleRate, pcm });
      },
    };
  }

  private track(call: LiveCall): void {
    this.calls.set(call.callId, call);
    this.bus.emit('call.state', call.snapshot());
  }

  private incoming(c: IncomingCall): void {
    const from = c.session.request.headers.get('from') ?? '';
    // A call to our own listener: the outgoing leg already holds this Call-ID.
    const sipId = c.session.callId;
    const call = new LiveCall({
      session: c.session,
      id: this.calls.get(sipId)?.live ? `${sipId}#inbound` : sipId,
      media: c.media,
      mic: c.mic,
      peer: /<([^>]*)>/.exec(from)?.[1] ?? from.split(';')[0]!.trim(),
      transport: c.session.flow?.proto ?? 'udp',
      dtmf: 'rfc2833',
      awaitingDecision: c.awaitingDecision,
      messages: () => c.stack.messageCount(c.session.callId, true),
      hooks: this.hooks(),
    });
    this.track(call);
  }

  private snapshot(): AppSnapshot {
    return {
      version: this.o.version,
      calls: [...this.calls.values()].map((c) => c.snapshot()),
      listener: this.listener.state,
      traceCount: this.trace.store.count,
    };
  }

  /** A call handle (or a SIP Call-ID) as the SIP Call-ID the trace is filed under. */
  private sipId(handle: string | undefined): string | undefined {
    if (handle === undefined) return undefined;
    return this.calls.get(handle)?.sipCallId ?? handle;
  }

  /** RTP streams of the calls with this SIP Call-ID (or of all calls). */
  private streams(sipCallId?: string): RtpStreamSummary[] {
    const calls = [...this.calls.values()].filter((c) => sipCallId === undefined || c.sipCallId === sipCallId);
    return calls.flatMap((c) => [c.sent.summary(), c.received.summary()]).filter((s) => s !== undefined);
  }

  private tick(): void {
    const changed: RtpStreamSummary[] = [];
    for (const c of this.calls.values()) {
      if (c.session.state !== 'connected') continue;
      this.bus.emit('call.stats', c.tick());
      for (const s of [c.sent.summary(), c.received.summary()]) if (s) changed.push(s);
    }
    if (changed.length > 0) this.bus.emit('trace.streams', changed);
  }

  /** Keep at most `keepEndedCalls` ended calls. */
  private prune(): void {
    const ended = [...this.calls.values()].filter((c) => !c.live);
    for (const c of ended.slice(0, Math.max(0, ended.length - this.o.keepEndedCalls))) this.calls.delete(c.callId);
  }

  private closeLater(stack: SipStack): void {
    const t = setTimeout(() => void this.closeStack(stack), this.o.lingerMs);
    t.unref?.();
  }

  private async closeStack(stack: SipStack): Promise<void> {
    if (!this.stacks.delete(stack)) return;
    await stack.close().catch(() => undefined);
  }

  private async stopListener(): Promise<AppSnapshot['listener']> {
    const stack = this.listener.stack;
    const mine = [...this.calls.values()].filter((c) => c.live && c.direction === 'inbound' && c.session.ua === stack?.ua);
    await endAll(mine);
    return this.listener.stop();
  }

  /** Hang up every call, stop the listener, close every stack. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.ticker);
    await endAll([...this.calls.values()].filter((c) => c.live));
    await this.listener.stop();
    await Promise.all([...this.stacks].map((s) => this.closeStack(s)));
    this.trace.close();
  }
}

/** End calls and wait (bounded) for them to finish. */
async function endAll(calls: LiveCall[], maxMs = 3000): Promise<void> {
  const done = calls.map((c) => new Promise<void>((resolve) => (c.live ? c.session.once('ended', () => resolve()) : resolve())));
  for (const c of calls) void c.hangup().catch(() => undefined);
  await Promise.race([Promise.all(done), new Promise((r) => setTimeout(r, maxMs).unref?.())]);
}
