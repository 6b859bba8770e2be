/**
 * The built-in agent as the GUI runs it (listener.start / listener.stop): a SIP stack on the
 * chosen address, port and transports and the one Agent (call/agent.ts) on it, the same that
 * `trunkscope listen` runs. `echo` answers and returns our own audio, `ring` rings until the
 * caller gives up (or the user accepts), `busy` and `reject` refuse, `manual` rings and waits for
 * call.accept / call.reject. A person at the desk answers ring/manual calls: they talk through
 * the microphone.
 */
import type { z } from 'zod';
import type { ListenerState, StartListenerSchema } from '../../../shared/api/contract.ts';
import { LiveSource } from '../../media/source/live.ts';
import type { InviteServer } from '../../sip/ua/invite-server.ts';
import type { TimerConfig } from '../../sip/transaction/timers.ts';
import { endpointText } from '../report/report-helpers.ts';
import { CallMedia } from '../media/call-media.ts';
import { replaceSource } from '../media/media-taps.ts';
import type { SipStack } from '../stack/sip-stack.ts';
import { startStack } from '../stack/stack-factory.ts';
import { Agent, type AnswerMode } from './agent.ts';
import type { CallTracker } from './call-tracker.ts';
import { savedRouter } from '../routing/saved-router.ts';
import { RoutingStore } from '../routing/routing-store.ts';
import type { InboundRouter } from '../routing/inbound-router.ts';
import type { RoutingTable } from '../routing/routing-model.ts';

export type ListenerArgs = z.output<typeof StartListenerSchema>;

export interface IncomingCall {
  session: InviteServer;
  media: CallMedia | undefined;
  mic: LiveSource | undefined;
  stack: SipStack;
  tracker: CallTracker;
  awaitingDecision: boolean;
}

export interface ListenerDeps {
  portRange: { min: number; max: number };
  timers?: Partial<TimerConfig>;
  userAgent?: string;
  /** A stack was started: its trace must be recorded. */
  onStack(stack: SipStack): void;
  /** A new incoming call, before the answer mode acts on it (so no event is missed). */
  onCall(call: IncomingCall): void;
  /** The routing saved by the Routing view (listener.start with useRouting). */
  routing?: () => RoutingTable | null;
}

export class Listener {
  private readonly deps: ListenerDeps;
  stack: SipStack | undefined;
  agent: Agent | undefined;
  router: InboundRouter | undefined;
  state: ListenerState = { running: false, transports: [], answer: 'echo' };
  private args: ListenerArgs | undefined;
  /** The microphone feeding each ring/manual call's media. */
  private readonly mics = new WeakMap<CallMedia, LiveSource>();

  constructor(deps: ListenerDeps) {
    this.deps = deps;
  }

  async start(a: ListenerArgs): Promise<ListenerState> {
    this.args = a;
    let opened: SipStack | undefined;
    try {
      const stack = await startStack({
        transports: a.transports,
        address: a.address,
        port: a.port,
        timers: this.deps.timers,
        userAgent: this.deps.userAgent,
      });
      opened = stack;
      this.stack = stack;
      this.deps.onStack(stack);
      this.router = a.useRouting ? savedRouter(stack, this.deps.routing) : undefined;
      this.agent = new Agent(stack, {
        ...(this.router ? { routes: this.router } : {}),
        answer: answerMode(a),
        tryingFirst: true,
        // The call book keeps the GUI's calls and reports; the agent need not keep them too.
        keepCalls: 1,
        mediaFor: (localAddress) => this.openMedia(a, localAddress),
        onIncoming: (c) =>
          this.deps.onCall({
            ...c,
            mic: c.media ? this.mics.get(c.media) : undefined,
            stack,
            awaitingDecision: a.answer === 'manual',
          }),
      });
      const bound = stack.transport.listeners.map((l) => `${l.proto} ${endpointText(l.local)}`);
      const first = stack.transport.listeners[0]?.local;
      this.state = {
        running: true,
        address: a.address,
        port: first?.port ?? a.port,
        transports: a.transports,
        answer: a.answer,
        bound,
        ...(this.router ? { routeTotals: this.router.totals } : {}),
      };
    } catch (err) {
      // The routing was refused after the stack opened: close it again.
      await opened?.close();
      this.stack = undefined;
      this.state = {
        running: false,
        address: a.address,
        port: a.port,
        transports: a.transports,
        answer: a.answer,
        error: (err as Error).message,
      };
    }
    return this.state;
  }

  /**
   * The routing was saved again: new calls go by it at once, without a restart; calls in
   * progress keep the rules they were routed by (InboundRouter.replace). No-op unless this
   * listener routes by the saved routing. Returns whether the rules were swapped.
   */
  reloadRouting(): boolean {
    if (!this.router || !this.state.running) return false;
    let table: RoutingTable | null;
    try {
      table = (this.deps.routing ?? (() => new RoutingStore().table()))();
    } catch {
      // The saved text no longer loads (a prompt file was removed): keep the rules in use.
      return false;
    }
    if (!table) return false;
    this.router.replace(table);
    return true;
  }

  private async openMedia(a: ListenerArgs, localAddress: string): Promise<CallMedia> {
    const wildcard = localAddress === '0.0.0.0' || localAddress === '::';
    const media = await CallMedia.open({
      codecs: a.codecs,
      dtmf: 'rfc2833',
      srtp: 'offer',
      symmetric: true,
      portRange: this.deps.portRange,
      bindAddress: a.address,
      sdpAddress: wildcard ? '127.0.0.1' : localAddress,
      ptime: 20,
      rtcpMux: false,
      // With routing, each rule's agent sets the source (echo, tone, prompt…).
      source: a.answer === 'echo' && !a.useRouting ? { kind: 'echo' } : { kind: 'silence' },
    });
    if (a.answer !== 'echo' && !a.useRouting) {
      const mic = new LiveSource();
      replaceSource(media, mic);
      this.mics.set(media, mic);
    }
    return media;
  }

  /** End the listener's calls (BYE or 480), then close the stack. */
  async stop(): Promise<ListenerState> {
    const stack = this.stack;
    const agent = this.agent;
    this.stack = undefined;
    this.agent = undefined;
    await agent?.stop();
    await this.router?.drain();
    this.router = undefined;
    await stack?.close();
    this.state = {
      running: false,
      transports: this.args?.transports ?? [],
      answer: this.args?.answer ?? 'echo',
    };
    return this.state;
  }
}

function answerMode(a: ListenerArgs): AnswerMode {
  if (a.answer === 'reject') return { kind: 'reject', status: a.rejectStatus };
  return { kind: a.answer };
}
