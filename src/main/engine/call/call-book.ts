/**
 * The engine service's calls: live ones and the last ended ones (with their reports and RTP
 * rings), by handle. Emits their snapshots, stats ticks, stream summaries and audio frames, keeps
 * who listens to which call's audio, and closes each outgoing call's stack once it is over.
 */
import type { CallSnapshot, RtpStreamSummary } from '../../../shared/api/contract.ts';
import type { SipStack } from '../stack/sip-stack.ts';
import type { EventBus } from '../service/event-bus.ts';
import { LiveCall, type LiveCallHooks } from './live-call.ts';
import type { IncomingCall } from './listener.ts';
import type { OutboundCall } from './outbound.ts';

export class CallBook {
  private readonly calls = new Map<string, LiveCall>();
  private readonly stacks = new Set<SipStack>();
  private readonly audioSubs = new Map<string, Set<string>>();
  private readonly bus: EventBus;
  private readonly keepEnded: number;
  private readonly lingerMs: number;

  constructor(bus: EventBus, o: { keepEnded: number; lingerMs: number }) {
    this.bus = bus;
    this.keepEnded = o.keepEnded;
    this.lingerMs = o.lingerMs;
  }

  /** The call with this handle, or an error naming it. */
  get(handle: string): LiveCall {
    const c = this.calls.get(handle);
    if (!c) throw new Error(`no call with Call-ID ${JSON.stringify(handle.slice(0, 80))}`);
    return c;
  }

  all(): LiveCall[] {
    return [...this.calls.values()];
  }

  addOutbound(out: OutboundCall, dtmf: CallSnapshot['dtmfMethod']): LiveCall {
    this.stacks.add(out.stack);
    return this.track(
      new LiveCall({
        session: out.session,
        media: out.media,
        mic: out.mic,
        peer: out.plan.target,
        transport: out.plan.transport,
        dtmf,
        tracker: out.tracker,
        hooks: this.hooks(() => this.closeLater(out.stack)),
      }),
    );
  }

  addIncoming(c: IncomingCall): LiveCall {
    const from = c.session.request.headers.get('from') ?? '';
    const sipId = c.session.callId;
    return this.track(
      new LiveCall({
        session: c.session,
        // A call to our own listener: the outgoing leg already holds this Call-ID.
        id: this.calls.get(sipId)?.live ? `${sipId}#inbound` : sipId,
        media: c.media,
        mic: c.mic,
        peer: /<([^>]*)>/.exec(from)?.[1] ?? from.split(';')[0]!.trim(),
        transport: c.session.flow?.proto ?? 'udp',
        dtmf: 'rfc2833',
        awaitingDecision: c.awaitingDecision,
        tracker: c.tracker,
        hooks: this.hooks(),
      }),
    );
  }

  /** `client` starts or stops hearing a call (audio.listen). */
  listenAudio(handle: string, client: string, on: boolean): void {
    const call = this.get(handle);
    let set = this.audioSubs.get(handle);
    if (!set) this.audioSubs.set(handle, (set = new Set()));
    if (on) set.add(client);
    else set.delete(client);
    call.audioListeners = set.size;
  }

  dropClient(client: string): void {
    for (const [handle, set] of this.audioSubs) {
      if (!set.delete(client)) continue;
      const call = this.calls.get(handle);
      if (call) call.audioListeners = set.size;
    }
  }

  /** A call handle (or a SIP Call-ID) as the SIP Call-ID the trace is filed under. */
  sipId(handle: string | undefined): string | undefined {
    if (handle === undefined) return undefined;
    return this.calls.get(handle)?.sipCallId ?? handle;
  }

  /** Calls with this SIP Call-ID (both legs of a call to ourselves), or all. */
  withSipId(sipCallId: string | undefined): LiveCall[] {
    return this.all().filter((c) => sipCallId === undefined || c.sipCallId === sipCallId);
  }

  streams(sipCallId?: string): RtpStreamSummary[] {
    return this.withSipId(sipCallId)
      .flatMap((c) => [c.sent.summary(), c.received.summary()])
      .filter((s) => s !== undefined);
  }

  /** One stats tick per connected call, and their streams' summaries. */
  tick(): void {
    const changed: RtpStreamSummary[] = [];
    for (const c of this.calls.values()) {
      if (c.session.state !== 'connected') continue;
      this.bus.emit('call.stats', c.tick());
      for (const s of [c.sent.summary(), c.received.summary()]) if (s) changed.push(s);
    }
    if (changed.length > 0) this.bus.emit('trace.streams', changed);
  }

  /** End calls and wait (bounded) for them to finish. */
  async end(calls: LiveCall[], maxMs = 3000): Promise<void> {
    const live = calls.filter((c) => c.live);
    const done = live.map(
      (c) => new Promise<void>((resolve) => c.session.once('ended', () => resolve())),
    );
    for (const c of live) void c.hangup().catch(() => undefined);
    await Promise.race([Promise.all(done), new Promise((r) => setTimeout(r, maxMs).unref?.())]);
  }

  async close(): Promise<void> {
    await this.end(this.all());
    await Promise.all([...this.stacks].map((s) => this.closeStack(s)));
  }

  private track(call: LiveCall): LiveCall {
    this.calls.set(call.callId, call);
    this.bus.emit('call.state', call.snapshot());
    return call;
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
        const pcm = Buffer.from(f.pcm.buffer, f.pcm.byteOffset, f.pcm.byteLength).toString(
          'base64',
        );
        this.bus.emit('audio.frame', { callId: c.callId, sampleRate: f.sampleRate, pcm });
      },
    };
  }

  /** Keep at most `keepEnded` ended calls. */
  private prune(): void {
    const ended = this.all().filter((c) => !c.live);
    for (const c of ended.slice(0, Math.max(0, ended.length - this.keepEnded))) {
      this.calls.delete(c.callId);
      c.sent.dropPayloads();
      c.received.dropPayloads();
    }
  }

  private closeLater(stack: SipStack): void {
    const t = setTimeout(() => void this.closeStack(stack), this.lingerMs);
    t.unref?.();
  }

  private async closeStack(stack: SipStack): Promise<void> {
    if (!this.stacks.delete(stack)) return;
    await stack.close().catch(() => undefined);
  }
}
