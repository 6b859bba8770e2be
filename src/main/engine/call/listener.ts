/**
 * The built-in agent as the GUI runs it (listener.start / listener.stop): a SIP stack on the
 * chosen address, port and transports that answers each INVITE by the answer mode. `echo` answers
 * and returns our own audio, `ring` rings until the caller gives up (or the user accepts), `busy`
 * and `reject` refuse, `manual` rings and waits for call.accept / call.reject.
 */
import { answerGuarded, startGuarded } from './answer-guard.ts';
import type { z } from 'zod';
import type { ListenerState, StartListenerSchema } from '../../../shared/api/contract.ts';
import { LiveSource } from '../../media/source/live.ts';
import type { MediaHandler } from '../../sip/ua/media-handler.ts';
import { InviteServer } from '../../sip/ua/invite-server.ts';
import type { TimerConfig } from '../../sip/transaction/timers.ts';
import { endpointText } from '../report/report-helpers.ts';
import { CallMedia } from '../media/call-media.ts';
import type { SipStack } from '../stack/sip-stack.ts';
import { replaceSource } from '../media/media-taps.ts';
import { startStack } from '../stack/stack-factory.ts';

export type ListenerArgs = z.output<typeof StartListenerSchema>;

export interface IncomingCall {
  session: InviteServer;
  media: CallMedia | undefined;
  mic: LiveSource | undefined;
  stack: SipStack;
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
}

/** Media for calls refused without an answer (busy, reject): never asked for SDP. */
const NO_MEDIA: MediaHandler = {
  offer: () => '',
  answer: () => ({ ok: false, status: 488, reason: 'Not Acceptable Here' }),
};

export class Listener {
  private readonly deps: ListenerDeps;
  stack: SipStack | undefined;
  state: ListenerState = { running: false, transports: [], answer: 'echo' };
  private args: ListenerArgs | undefined;

  constructor(deps: ListenerDeps) {
    this.deps = deps;
  }

  async start(a: ListenerArgs): Promise<ListenerState> {
    this.args = a;
    try {
      const stack = await startStack({
        transports: a.transports,
        address: a.address,
        port: a.port,
        timers: this.deps.timers,
        userAgent: this.deps.userAgent,
      });
      this.stack = stack;
      this.deps.onStack(stack);
      stack.ua.on('invite', (req, tx, flow) => {
        // 100 Trying at once, as PBXs and carriers do (RFC 3261 §17.2.1), before media is set up.
        stack.ua.reply(tx, 100);
        void this.onInvite(a, flow.local.address).then(
          (media) =>
            startGuarded((h) => this.answer(stack, a, new InviteServer(stack.ua, h, req, tx, flow), media), media.handler, (st, r, x) => stack.ua.reply(tx, st, r, x)),
          (err: Error) =>
            stack.ua.reply(tx, 503, `Service Unavailable (media: ${err.message.slice(0, 80)})`),
        );
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
      };
    } catch (err) {
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

  private async onInvite(
    a: ListenerArgs,
    localAddress: string,
  ): Promise<{ handler: MediaHandler; media?: CallMedia; mic?: LiveSource }> {
    if (a.answer === 'busy' || a.answer === 'reject') return { handler: NO_MEDIA };
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
      source: a.answer === 'echo' ? { kind: 'echo' } : { kind: 'silence' },
    });
    if (a.answer === 'echo') return { handler: media, media };
    // A person at the desk answers ring/manual calls: they talk through the microphone.
    const mic = new LiveSource();
    replaceSource(media, mic);
    return { handler: media, media, mic };
  }

  private answer(
    stack: SipStack,
    a: ListenerArgs,
    session: InviteServer,
    m: { media?: CallMedia; mic?: LiveSource },
  ): void {
    this.deps.onCall({
      session,
      media: m.media,
      mic: m.mic,
      stack,
      awaitingDecision: a.answer === 'manual',
    });
    switch (a.answer) {
      case 'busy':
        return session.reject(486);
      case 'reject':
        return session.reject(a.rejectStatus);
      case 'echo':
        session.ring();
        answerGuarded(session, () => session.answer());
        return;
      case 'ring':
      case 'manual':
        session.ring();
        return;
    }
  }

  /** Close the stack (the caller ends the listener's calls first). */
  async stop(): Promise<ListenerState> {
    const stack = this.stack;
    this.stack = undefined;
    await stack?.close();
    this.state = {
      running: false,
      transports: this.args?.transports ?? [],
      answer: this.args?.answer ?? 'echo',
    };
    return this.state;
  }
}
