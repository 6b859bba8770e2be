/**
 * Timers of one fixed duration (Timer L, RFC 6026 §8.11, and Timer J, RFC 3261 §17.2.2: 64·T1)
 * expire in the order they were started, so one clock timer serves them all: a FIFO of
 * deadlines instead of a clock timer, two closures and a handle per transaction. At thousands
 * of calls a second each finished call keeps two transactions for 32 s; this keeps them small.
 */
import type { Clock, TimerHandle } from '../../../shared/clock.ts';

export interface QueueTimerOwner {
  /** The timer `token` expired; returns false when the owner had already cancelled it. */
  onQueueTimer(token: number): boolean;
}

let nextToken = 1;

export class TimerQueue {
  readonly ms: number;
  private readonly clock: Clock;
  private due: number[] = [];
  private owners: Array<QueueTimerOwner | undefined> = [];
  private tokens: number[] = [];
  private head = 0;
  /** Entries not yet expired nor cancelled. */
  private live = 0;
  private handle: TimerHandle | undefined;
  private firing = false;

  constructor(clock: Clock, ms: number) {
    this.clock = clock;
    this.ms = ms;
  }

  /** Start a timer for `owner`; the returned token identifies it to onQueueTimer and cancel. */
  add(owner: QueueTimerOwner): number {
    const token = nextToken++;
    this.due.push(this.clock.now() + this.ms);
    this.owners.push(owner);
    this.tokens.push(token);
    this.live++;
    if (!this.handle && !this.firing) this.arm();
    return token;
  }

  /** The owner dropped one of its timers (its entry stays until due, then is skipped). */
  cancel(): void {
    if (this.live > 0 && --this.live === 0) this.clear();
  }

  /** Forget every entry and stop the clock timer (layer shutdown, or nothing left to wait for). */
  clear(): void {
    this.handle?.cancel();
    this.handle = undefined;
    this.due = [];
    this.owners = [];
    this.tokens = [];
    this.head = 0;
    this.live = 0;
  }

  private arm(): void {
    const wait = Math.max(0, this.due[this.head]! - this.clock.now());
    this.handle = this.clock.setTimer(wait, () => this.fire());
  }

  private fire(): void {
    this.handle = undefined;
    const now = this.clock.now();
    this.firing = true;
    try {
      while (this.head < this.due.length && this.due[this.head]! <= now) {
        const owner = this.owners[this.head];
        const token = this.tokens[this.head]!;
        this.owners[this.head] = undefined;
        this.head++;
        if (owner?.onQueueTimer(token)) this.live--;
      }
    } finally {
      this.firing = false;
    }
    if (this.head >= this.due.length || this.live === 0) {
      this.clear();
      return;
    }
    // Drop the expired prefix now and then, so the arrays do not grow for ever.
    if (this.head > 4096 && this.head * 2 > this.due.length) {
      this.due = this.due.slice(this.head);
      this.owners = this.owners.slice(this.head);
      this.tokens = this.tokens.slice(this.head);
      this.head = 0;
    }
    this.arm();
  }
}
