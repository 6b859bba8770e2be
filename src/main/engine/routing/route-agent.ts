/**
 * The agents of a routing file acting on one incoming call: answer, ring, reject, play, record,
 * an IVR, and the failover chain (`on: [busy, no-answer N s, unavailable, rejected, error]`)
 * moving the call to the next agent while it is still unanswered. Builds the report's `route`.
 */
import type { RouteReport } from '../../../shared/model/report.ts';
import type { Clock, TimerHandle } from '../../../shared/clock.ts';
import type { InviteServer } from '../../sip/ua/invite-server.ts';
import type { CallEnd } from '../../sip/ua/invite-session.ts';
import type { AudioSink } from '../../media/audio.ts';
import { WavRecorder } from '../../media/sink/wav-recorder.ts';
import type { CallMedia } from '../media/call-media.ts';
import { createSource } from '../media/sources.ts';
import type { AgentDef, FailoverEvent, ProfileLookup, RoutingTable } from './routing-model.ts';
import { userPart } from './e164.ts';
import type { RouteMatch } from './match-route.ts';
import { PcmEcho } from './pcm-echo.ts';
import { actionText } from './describe-agent.ts';

/** Live calls per agent (for max-calls), shared by every call of one listener. */
export type AgentLoad = Map<string, number>;

/** The second leg of a `forward` (B2BUA), provided by whoever can place calls. */
export interface ForwardDialer {
  /**
   * Place the leg, bridge media once both sides answer; resolves with how it ended up (answered,
   * or the leg's failure). `onReport` gets the leg's own report when the leg ends.
   */
  forward(uri: string, call: InviteServer, media: CallMedia | undefined, onReport: (r: NonNullable<RouteReport['forward']>) => void): Promise<ForwardResult>;
}
export interface ForwardResult {
  /** answered: the caller was answered and is bridged; otherwise the leg's failure. */
  kind: 'answered' | 'busy' | 'unavailable' | 'rejected' | 'error';
  status: number | null;
  reason: string;
}

export interface RouteAgentDeps {
  table: RoutingTable;
  clock: Clock;
  load: AgentLoad;
  /** The n-th call of this listener (for `record` file names). */
  callNo: number;
  forwarder?: ForwardDialer;
  profiles?: ProfileLookup;
  /** Media agents could not load their file etc.: a line for the log. */
  log?(line: string): void;
}

const MAX_STEPS = 32;
const DIGIT_POLL_MS = 100;

interface Step {
  agent: AgentDef;
  startedAt: number;
  timers: TimerHandle[];
  result?: string;
  id: number;
}

export class RoutedCall {
  readonly report: RouteReport;
  private readonly call: InviteServer;
  private readonly media: CallMedia | undefined;
  private readonly d: RouteAgentDeps;
  private readonly match: RouteMatch;
  private step: Step | undefined;
  private stepNo = 0;
  private readonly sinks: Array<AudioSink & { close(): Promise<void> | void }> = [];
  private finished = false;

  constructor(call: InviteServer, media: CallMedia | undefined, match: RouteMatch, d: RouteAgentDeps) {
    this.call = call;
    this.media = media;
    this.match = match;
    this.d = d;
    const first = match.rule ? d.table.agents.get(match.rule.agent) : undefined;
    this.report = { rule: match.rule?.name ?? null, matched: match.matched, agent: first?.action.type ?? 'none', steps: [] };
  }

  /** Act on the call: the rule's agent, or 404 when no rule matched. */
  run(): void {
    if (!this.match.rule) {
      this.report.steps.push({ agent: '(none)', result: 'no rule matched: 404', ms: 0 });
      return this.call.reject(404, 'Not Found (no routing rule matched)');
    }
    this.enter(this.match.rule.agent);
  }

  private get answered(): boolean {
    return this.call.answeredAt !== undefined;
  }

  private ms(s: Step): number {
    return Math.round(this.d.clock.now() - s.startedAt);
  }

  private closeStep(result: string): void {
    const s = this.step;
    if (!s) return;
    for (const t of s.timers) t.cancel();
    this.d.load.set(s.agent.name, Math.max(0, (this.d.load.get(s.agent.name) ?? 1) - 1));
    this.report.steps.push({ agent: s.agent.name, result, ms: this.ms(s) });
    this.step = undefined;
  }

  private live(s: Step): boolean {
    return !this.finished && this.step?.id === s.id && this.call.state !== 'terminated';
  }

  private enter(name: string): void {
    const agent = this.d.table.agents.get(name);
    if (!agent || this.report.steps.length >= MAX_STEPS) {
      this.report.steps.push({ agent: name, result: agent ? `more than ${MAX_STEPS} steps` : 'unknown agent', ms: 0 });
      return this.endCall(500, 'Server Internal Error (routing)');
    }
    const busyNow = agent.maxCalls !== undefined && (this.d.load.get(name) ?? 0) >= agent.maxCalls;
    if (busyNow) {
      const next = this.failoverFor(agent, 'busy');
      this.report.steps.push({ agent: name, result: `busy (max-calls ${agent.maxCalls})`, ms: 0 });
      if (next) return this.enter(next);
      return this.endCall(486);
    }
    this.d.load.set(name, (this.d.load.get(name) ?? 0) + 1);
    const s: Step = { agent, startedAt: this.d.clock.now(), timers: [], id: ++this.stepNo };
    this.step = s;
    if (!this.answered) {
      for (const f of agent.on) {
        for (const e of f.when) {
          if (e.kind !== 'no-answer') continue;
          s.timers.push(
            this.d.clock.setTimer(e.seconds * 1000, () => {
              if (this.live(s) && !this.answered) this.moveOn(`no-answer ${e.seconds} s`, f.then);
            }),
          );
        }
      }
    }
    void this.act(s).catch((err: Error) => {
      if (this.live(s)) this.fail(s, 'error', `error: ${err.message}`, () => this.endCall(500, 'Server Internal Error (agent failed)'));
    });
  }

  private failoverFor(agent: AgentDef, kind: FailoverEvent['kind']): string | undefined {
    return agent.on.find((f) => f.when.some((e) => e.kind === kind))?.then;
  }

  private moveOn(result: string, next: string): void {
    this.closeStep(result);
    this.enter(next);
  }

  /** The agent failed with `kind`: its failover, else the natural response. */
  private fail(s: Step, kind: FailoverEvent['kind'], result: string, natural: () => void): void {
    const next = this.answered ? undefined : this.failoverFor(s.agent, kind);
    if (next) return this.moveOn(result, next);
    s.result = result;
    natural();
  }

  private endCall(status: number, reason?: string): void {
    if (this.answered) void this.call.hangup(`routing: ${reason ?? status}`);
    else this.call.reject(status, reason);
  }

  private async act(s: Step): Promise<void> {
    const a = s.agent.action;
    const answerWith = async (source: 'echo' | 'silence' | { tone: number } | { wav: string; loop: boolean }): Promise<void> => {
      await this.setSource(source);
      if (!this.live(s)) return;
      if (!this.answered) {
        this.call.ring();
        this.call.answer();
      }
    };
    if (this.answered && ['busy', 'reject', 'unavailable', 'ring', 'early-media', 'forward'].includes(a.type)) {
      // A call already answered (by an IVR) cannot be refused or ring again: it ends.
      s.result = `${actionText(a)} after answer: hung up`;
      return void this.call.hangup(`routing: ${actionText(a)} after answer`);
    }
    switch (a.type) {
      case 'busy':
        return this.fail(s, 'busy', 'busy', () => this.call.reject(486));
      case 'unavailable':
        return this.fail(s, 'unavailable', 'unavailable', () => this.call.reject(480));
      case 'reject':
        return this.fail(s, 'rejected', `rejected ${a.code}`, () => this.call.reject(a.code, a.reason));
      case 'ring':
        this.call.ring();
        return;
      case 'early-media':
        await this.setSource({ wav: a.file, loop: true });
        if (this.live(s) && !this.call.progress()) s.result = 'error: 183 could not be sent';
        return;
      case 'echo':
        return answerWith('echo');
      case 'tone':
        return answerWith({ tone: a.hz });
      case 'play':
        return answerWith({ wav: a.file, loop: true });
      case 'record': {
        const file = recordPath(a.file, this.d.callNo);
        const rec = new WavRecorder(file);
        this.sinks.push(rec);
        this.media?.addSinks([rec]);
        return answerWith('silence');
      }
      case 'answer-after':
        this.call.ring();
        s.timers.push(this.d.clock.setTimer(a.seconds * 1000, () => void (this.live(s) ? answerWith('echo') : undefined)));
        return;
      case 'hangup-after':
        await answerWith('echo');
        s.timers.push(this.d.clock.setTimer(a.seconds * 1000, () => void (this.live(s) ? this.call.hangup(`hangup-after ${a.seconds} s`) : undefined)));
        return;
      case 'ivr':
        return this.ivr(s, a);
      case 'forward':
        return this.forward(s, a);
    }
  }

  private async forward(s: Step, a: { uri?: string; profile?: string }): Promise<void> {
    const uri = a.uri ?? this.d.profiles?.targetUri?.(a.profile!, userPart(this.call.request.uri));
    if (!this.d.forwarder || !uri) {
      const why = !uri ? `profile ${a.profile} has no target here` : 'forwarding is not available in this listener';
      return this.fail(s, 'error', `error: ${why}`, () => this.call.reject(502, 'Bad Gateway (forward unavailable)'));
    }
    this.call.ring();
    const r = await this.d.forwarder.forward(uri, this.call, this.media, (leg) => (this.report.forward = leg));
    if (!this.live(s)) return;
    if (r.kind === 'answered') return;
    const status = r.status ?? 502;
    this.fail(s, r.kind, `forward ${r.reason}`, () => this.call.reject(r.kind === 'error' ? 502 : status, r.kind === 'error' ? 'Bad Gateway (forward failed)' : undefined));
  }

  private async ivr(s: Step, a: { prompt: string; digits: Record<string, string>; timeout: number; noInput?: string }): Promise<void> {
    await this.setSource({ wav: a.prompt, loop: false });
    if (!this.live(s)) return;
    if (!this.answered) {
      this.call.ring();
      if (!this.call.answer()) return;
    }
    const media = this.media;
    let seen = media?.dtmfReceived.length ?? 0;
    let collected = '';
    let deadline = this.d.clock.now() + a.timeout * 1000;
    const keys = Object.keys(a.digits);
    const poll = (): void => {
      if (!this.live(s)) return;
      // Digits by any method land in dtmfReceived: RFC 4733 events, SIP INFO and in-band tones.
      const got = media ? media.dtmfReceived.slice(seen) : [];
      seen += got.length;
      for (const d of got) {
        collected += d.digit;
        deadline = this.d.clock.now() + a.timeout * 1000;
        const target = a.digits[collected];
        if (target) return this.moveOn(`digits ${collected}`, target);
        if (!keys.some((k) => k.startsWith(collected))) collected = '';
      }
      if (this.d.clock.now() >= deadline) {
        if (a.noInput) return this.moveOn('no input', a.noInput);
        s.result = 'no input: hung up';
        return void this.call.hangup('ivr: no input');
      }
      s.timers.push(this.d.clock.setTimer(DIGIT_POLL_MS, poll));
    };
    poll();
  }

  private async setSource(src: 'echo' | 'silence' | { tone: number } | { wav: string; loop: boolean }): Promise<void> {
    const m = this.media;
    if (!m) return;
    if (src === 'echo') {
      const echo = new PcmEcho();
      m.addSinks([echo]);
      return m.setSource(echo);
    }
    const spec = src === 'silence' ? { kind: 'silence' as const } : 'tone' in src ? { kind: 'tone' as const, hz: src.tone } : { kind: 'wav' as const, path: src.wav, loop: src.loop };
    const made = await createSource(spec);
    if (made !== 'echo') m.setSource(made);
  }

  /** The call ended: close the open step with how it ended and return the route report. */
  finish(end: CallEnd): RouteReport {
    if (this.finished) return this.report;
    const s = this.step;
    if (s) this.closeStep(s.result ?? (this.answered ? `answered; ${end.reason}` : end.reason));
    this.finished = true;
    return this.report;
  }

  /** Recordings made by `record` agents, flushed once the call has ended. */
  async close(): Promise<void> {
    await Promise.all(this.sinks.map((x) => x.close()));
  }
}

/** One recording per call: `%n` is the call number, else `-N` goes before `.wav` from call 2 on. */
export function recordPath(template: string, n: number): string {
  if (template.includes('%n')) return template.replaceAll('%n', String(n));
  return n === 1 ? template : template.replace(/(\.wav)?$/i, `-${n}$1`);
}
