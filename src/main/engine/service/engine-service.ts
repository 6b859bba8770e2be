/**
 * The engine as the GUI sees it: every command of the contract (dispatch validates the arguments
 * with the contract's schemas, then runs the handler; a failure is `{ ok: false, error }`, never
 * a crash) and every event of its EventMap (subscribe with `on` / `onAny`). The Electron IPC
 * handlers and the web shell's WebSocket both call `dispatch` through a ClientSession, so what
 * the browser tests exercise is what the window runs.
 */
import type { z } from 'zod';
import {
  commands,
  isCommandName,
  parseArgs,
  type AppSnapshot,
  type CommandName,
  type CommandResult,
  type EventMap,
  type EventName,
  type ListenerState,
} from '../../../shared/api/contract.ts';
import type { TimerConfig } from '../../sip/transaction/timers.ts';
import { CallBook } from '../call/call-book.ts';
import { EventBus, type AnyListener } from './event-bus.ts';
import { Listener } from '../call/listener.ts';
import { prepareOutbound } from '../call/outbound.ts';
import { TraceHub } from '../trace/trace-hub.ts';
import { exportFile } from '../trace/trace-export.ts';
import { webhookHandlers } from './webhook-handlers.ts';
import { profileHandlers } from './profile-handlers.ts';
import { routingCheck, routingTest } from './routing-service.ts';
import { routingStoreHandlers } from './routing-store-handlers.ts';
import { captureHandlers } from './capture-handlers.ts';
import { CaptureKeeper } from './capture-keeper.ts';
import { bundleHandlers } from './bundle-handlers.ts';

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
type Handlers = {
  [K in CommandName]: (args: Args<K>, client: string) => Promise<CommandResult<K>>;
};

export class EngineService {
  private readonly bus = new EventBus();
  private readonly o: EngineServiceOptions & {
    bindAddress: string;
    rtpPorts: { min: number; max: number };
    version: string;
  };
  private readonly calls: CallBook;
  private readonly trace: TraceHub;
  private readonly listener: Listener;
  /** Captures opened in the GUI, kept for bundle.make. */
  private readonly captures = new CaptureKeeper();
  private readonly ticker: ReturnType<typeof setInterval>;
  private closed = false;

  constructor(opts: EngineServiceOptions = {}) {
    this.o = {
      bindAddress: '0.0.0.0',
      rtpPorts: { min: 10_000, max: 60_000 },
      version: APP_VERSION,
      ...opts,
    };
    this.calls = new CallBook(this.bus, {
      keepEnded: opts.keepEndedCalls ?? 100,
      lingerMs: opts.lingerMs ?? 4000,
    });
    this.trace = new TraceHub({
      limit: opts.traceLimit ?? 200_000,
      flushMs: opts.traceFlushMs ?? 100,
      emit: (b) => this.bus.emit('trace.entries', b),
    });
    this.listener = new Listener({
      portRange: this.o.rtpPorts,
      timers: opts.timers,
      userAgent: opts.userAgent,
      onStack: (s) => this.trace.attach(s),
      onCall: (c) => this.calls.addIncoming(c),
    });
    this.ticker = setInterval(() => this.calls.tick(), opts.statsIntervalMs ?? 1000);
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
    if (!isCommandName(name)) {
      return { ok: false, error: `unknown command ${JSON.stringify(String(name).slice(0, 64))}` };
    }
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
    this.calls.dropClient(client);
  }

  private readonly handlers: Handlers = {
    ...webhookHandlers(),
    ...profileHandlers(this.bus),
    ...captureHandlers(this.captures),
    ...bundleHandlers(() => ({ calls: this.calls, trace: this.trace, captures: this.captures })),
    'app.snapshot': async () => this.snapshot(),
    'routing.check': async (a) => routingCheck(a.text),
    'routing.test': async (a) => routingTest(a),
    ...routingStoreHandlers(undefined, () => this.listener.reloadRouting()),
    'call.place': async (a) => {
      const out = await prepareOutbound(a, {
        bindAddress: this.o.bindAddress,
        portRange: this.o.rtpPorts,
        timers: this.o.timers,
        userAgent: this.o.userAgent,
      });
      this.trace.attach(out.stack);
      const call = this.calls.addOutbound(out, a.dtmf);
      out.session
        .start()
        .catch((err: Error) => this.error(`call ${call.callId}: ${err.message}`, 'call.place'));
      return { callId: call.callId };
    },
    'call.hangup': async (a) => {
      this.calls
        .get(a.callId)
        .hangup()
        .catch((err: Error) => this.error(`hangup ${a.callId}: ${err.message}`, 'call.hangup'));
      return { ok: true as const };
    },
    'call.hold': async (a) => ({ ok: await this.calls.get(a.callId).hold(a.on) }),
    'call.dtmf': async (a) => {
      await this.calls.get(a.callId).dtmf(a.digits);
      return { ok: true as const };
    },
    'call.accept': async (a) => ({ ok: this.calls.get(a.callId).accept() }),
    'call.reject': async (a) => ({ ok: this.calls.get(a.callId).reject(a.status) }),
    'call.report': async (a) => {
      const call = this.calls.get(a.callId);
      return {
        report: call.report ?? null,
        media: call.report?.media ?? call.media?.report() ?? null,
      };
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
      const callId = this.calls.sipId(a.callId);
      const filter = { callId, method: a.method, status: a.status, text: a.text };
      return {
        ...this.trace.store.query(filter, a.offset, a.limit),
        streams: this.calls.streams(callId),
      };
    },
    'trace.export': async (a) => {
      this.trace.flush();
      const callId = this.calls.sipId(a.callId);
      const calls = this.calls.withSipId(callId);
      const input = {
        entries: this.trace.store.select(callId),
        summaries: this.calls.streams(callId),
        packets: function* () {
          for (const c of calls) yield* [...c.sent.records(), ...c.received.records()];
        },
        redact: a.redact,
        callId,
      };
      return exportFile(input, a.format);
    },
    'audio.frame': async (a) => {
      const call = this.calls.get(a.callId);
      if (!call.mic)
        throw new Error(
          `call ${a.callId} does not send the microphone (its source is not "microphone")`,
        );
      const bytes = Buffer.from(a.pcm, 'base64');
      if (bytes.length % 2 !== 0)
        throw new Error('pcm: 16-bit samples expected (an even number of bytes)');
      const pcm = new Int16Array(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
      );
      if (call.live) call.mic.push(pcm, a.sampleRate);
      return { ok: true as const };
    },
    'audio.listen': async (a, client) => {
      this.calls.listenAudio(a.callId, client, a.on);
      return { ok: true as const };
    },
  };

  private error(message: string, command: CommandName): void {
    this.bus.emit('engine.error', { message, command });
  }

  private snapshot(): AppSnapshot {
    return {
      version: this.o.version,
      calls: this.calls.all().map((c) => c.snapshot()),
      listener: this.listener.state,
      traceCount: this.trace.store.count,
    };
  }

  private async stopListener(): Promise<ListenerState> {
    const ua = this.listener.stack?.ua;
    await this.calls.end(
      this.calls.all().filter((c) => c.direction === 'inbound' && c.session.ua === ua),
    );
    return this.listener.stop();
  }

  /** Hang up every call, stop the listener, close every stack. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.ticker);
    await this.calls.close();
    await this.listener.stop();
    this.trace.close();
  }
}
