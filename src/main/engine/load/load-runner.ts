/**
 * The load generator: starts calls at a rate (with a linear ramp), up to a total and a cap on
 * simultaneous calls, for at most a duration, and tallies what each call's report says. How one
 * call is placed is the caller's (`startCall`: the CLI runs `runCall` on one shared stack); the
 * runner only decides when, and hangs up every call still up when it is stopped.
 *
 * Bounded: no more than `calls` starts, none after `durationSec`; once stopping, calls get
 * `drainSec` to end (BYE or CANCEL sent to each) before the run ends without them.
 */
import { EventEmitter } from 'node:events';
import { systemClock, type Clock, type TimerHandle } from '../../../shared/clock.ts';
import type { CallReport } from '../../../shared/model/report.ts';
import type { LoadInterval, LoadReport } from '../../../shared/model/load-report.ts';
import type { InviteClient } from '../../sip/ua/invite-client.ts';
import { LoadTally, type LoadRaw } from './load-tally.ts';
import type { NumberRow } from './numbers-file.ts';
import { drawDuration, startTimeOf, type DurationSpec } from './rate-schedule.ts';
import { seededRandom } from '../../../shared/seeded-random.ts';

export interface LoadPlan {
  /** New calls per second (fractional allowed). */
  rate: number;
  rampSec: number;
  /** Total calls to start. */
  calls: number;
  /** Cap on simultaneous calls. */
  concurrency: number;
  /** Stop starting calls after this many seconds. */
  durationSec?: number;
  callDuration: DurationSpec;
  seed: number;
  /** Seconds per progress interval. */
  intervalSec: number;
  /** Full reports kept: the first and the last N calls. */
  keepCalls: number;
  /** Rows of --numbers, used in turn (row k mod rows). */
  rows?: NumberRow[];
  /** Seconds calls get to end once stopped (Ctrl-C): BYE or CANCEL answered, or a timeout. */
  drainSec: number;
  /** Seconds calls get to end on their own once the last one has started (longest call + answer timeout). */
  settleSec: number;
  /**
   * One share of a run split over worker threads: local call j is call j·stride + offset of the
   * whole run (its --numbers row, its number in file names), and starts startOffsetSec later.
   */
  share?: { offset: number; stride: number; startOffsetSec: number };
}

export interface LoadCall {
  /** 0-based call number in the whole run (across worker threads). */
  index: number;
  row: NumberRow | undefined;
  /** Seconds to stay connected. */
  durationSec: number;
  /** Give the session to the runner as soon as it exists (so Stop can hang it up). */
  onSession: (s: InviteClient) => void;
}

export type StartCall = (c: LoadCall) => Promise<CallReport>;

export interface LoadProgress {
  elapsedSec: number;
  started: number;
  answered: number;
  failed: number;
  ended: number;
  concurrent: number;
  /** Calls started in the last interval, per second. */
  rate: number;
  asr: number;
  setupP95: number | null;
  lostPackets: number;
}

interface LoadEvents {
  interval: [LoadInterval, LoadProgress];
}

export class LoadRunner extends EventEmitter<LoadEvents> {
  private readonly plan: LoadPlan;
  private readonly startCall: StartCall;
  private readonly clock: Clock;
  private readonly retransmissions: () => number;
  private readonly tally: LoadTally;
  private readonly random: () => number;
  private readonly live = new Map<number, { session?: InviteClient; promise: Promise<void> }>();
  private t0 = 0;
  private next = 0;
  private stopping: LoadReport['stoppedBy'] | undefined;
  private startTimer: TimerHandle | undefined;
  private tickTimer: TimerHandle | undefined;
  private wake: (() => void) | undefined;
  private hungUp = false;
  private deadline = Infinity;
  private deadlineTimer: TimerHandle | undefined;

  constructor(plan: LoadPlan, startCall: StartCall, o: { clock?: Clock; retransmissions?: () => number } = {}) {
    super();
    this.plan = plan;
    this.startCall = startCall;
    this.clock = o.clock ?? systemClock;
    this.retransmissions = o.retransmissions ?? (() => 0);
    this.tally = new LoadTally(plan.keepCalls);
    this.random = seededRandom(plan.seed);
  }

  /**
   * Stop starting calls. `signal` and `stack` (Ctrl-C, a dead stack) also hang up every running
   * call (BYE when answered, CANCEL when ringing); `calls` and `duration` let them end on their own.
   */
  stop(why: NonNullable<LoadReport['stoppedBy']> = 'signal'): void {
    const hangup = why === 'signal' || why === 'stack';
    if (this.stopping && !(hangup && !this.hungUp)) return;
    this.stopping ??= why;
    this.startTimer?.cancel();
    this.startTimer = undefined;
    if (hangup) {
      this.hungUp = true;
      for (const c of this.live.values()) c.session?.cancel('load stopped');
      this.deadline = Math.min(this.deadline, this.clock.now() + this.plan.drainSec * 1000);
      this.armDeadline();
    }
    this.wake?.();
  }

  /** The run's tallies as plain data, times on the epoch (to merge runs of several threads). */
  raw(): LoadRaw {
    return this.tally.raw(this.clock === systemClock ? performance.timeOrigin : 0);
  }

  get stopped(): boolean {
    return this.stopping !== undefined;
  }

  async run(): Promise<LoadReport> {
    this.t0 = this.clock.now();
    this.tick();
    this.schedule();
    // Until the last start (or a stop), then until every call has ended or the deadline passed.
    while (!this.stopping) await this.sleep();
    if (!this.hungUp) {
      this.deadline = this.clock.now() + this.plan.settleSec * 1000;
      this.armDeadline();
    }
    while (this.live.size > 0 && this.clock.now() < this.deadline) await this.sleep();
    this.deadlineTimer?.cancel();
    this.tickTimer?.cancel();
    for (const [index] of this.live) this.tally.onEnd(abandonedReport(index));
    this.live.clear();
    this.emitInterval();
    this.tally.retransmissions = this.retransmissions();
    const report = this.tally.report(this.plan.rate);
    report.stoppedBy = this.stopping;
    report.elapsedSec = Math.round(this.clock.now() - this.t0) / 1000;
    return report;
  }

  private sleep(): Promise<void> {
    return new Promise<void>((resolve) => (this.wake = resolve));
  }

  private armDeadline(): void {
    this.deadlineTimer?.cancel();
    this.deadlineTimer = this.clock.setTimer(Math.max(0, this.deadline - this.clock.now()), () => this.wake?.());
  }

  private elapsed(): number {
    return (this.clock.now() - this.t0) / 1000;
  }

  /** Start every call that is due, then sleep until the next one is (or a slot frees). */
  private schedule(): void {
    this.startTimer = undefined;
    if (this.stopping) return;
    const p = this.plan;
    for (;;) {
      if (this.next >= p.calls) return this.stop('calls');
      const at = startTimeOf(this.next, p.rate, p.rampSec) + (p.share?.startOffsetSec ?? 0);
      if (p.durationSec !== undefined && at >= p.durationSec) {
        const wait = p.durationSec - this.elapsed();
        if (wait <= 0) return this.stop('duration');
        this.startTimer = this.clock.setTimer(wait * 1000, () => this.stop('duration'));
        return;
      }
      const wait = at - this.elapsed();
      if (wait > 0) {
        this.startTimer = this.clock.setTimer(wait * 1000, () => this.schedule());
        return;
      }
      // At the cap: the next start waits for a call to end (onEnded calls schedule again).
      if (this.live.size >= p.concurrency) return;
      this.launch(this.next++);
    }
  }

  private launch(index: number): void {
    const p = this.plan;
    const global = p.share ? index * p.share.stride + p.share.offset : index;
    const row = p.rows && p.rows.length > 0 ? p.rows[global % p.rows.length] : undefined;
    const entry: { session?: InviteClient; promise: Promise<void> } = { promise: Promise.resolve() };
    this.live.set(index, entry);
    this.tally.onStart(this.clock.now());
    const onSession = (s: InviteClient): void => {
      entry.session = s;
      s.once('connected', () => this.tally.onAnswer());
      if (this.hungUp) s.cancel('load stopped');
    };
    entry.promise = this.startCall({ index: global, row, durationSec: drawDuration(p.callDuration, this.random), onSession })
      .catch((err: unknown) => failedReport(err))
      .then((r) => {
        this.live.delete(index);
        this.tally.onEnd(r);
        if (this.stopping) this.wake?.();
        else if (!this.startTimer) this.schedule();
      });
  }

  private tick(): void {
    this.tickTimer = this.clock.setTimer(this.plan.intervalSec * 1000, () => {
      this.emitInterval();
      this.tick();
    });
  }

  private emitInterval(): void {
    const t = this.elapsed();
    const iv = this.tally.interval(t);
    const s = this.tally;
    this.emit('interval', iv, {
      elapsedSec: t,
      started: s.started,
      answered: s.answered,
      failed: s.failed,
      ended: s.ended,
      concurrent: s.concurrent,
      rate: iv.started / this.plan.intervalSec,
      asr: s.answered + s.failed ? s.answered / (s.answered + s.failed) : 0,
      setupP95: s.setupP95(),
      lostPackets: s.lostPackets,
    });
  }
}

/** A call whose placing threw (a bug or a socket error): counted as failed with the reason. */
function failedReport(err: unknown): CallReport {
  return emptyReport('failed', (err as Error)?.message ?? String(err));
}

/** A call still up when the run's deadline passed. */
function abandonedReport(index: number): CallReport {
  return emptyReport('timeout', `call ${index + 1} had not ended when the load run finished`);
}

function emptyReport(outcome: CallReport['outcome'], reason: string): CallReport {
  const now = new Date().toISOString();
  return {
    command: 'call',
    outcome,
    finalStatus: null,
    reason,
    callId: null,
    setupMs: null,
    durationMs: null,
    transport: 'udp',
    local: null,
    remote: null,
    startedAt: now,
    endedAt: now,
    messages: { sent: 0, received: 0 },
  };
}
