/**
 * The paced media clock: ONE scheduler for every RTP stream of the process, not a timer per call.
 *
 * Each stream registers with a packet time (ptime) and a `tick(frameIndex, nowMs)` callback. Its
 * frame n is due at `start + n·ptime` on the monotonic `process.hrtime.bigint()` time line: due
 * times are computed, never accumulated from timer delays, so timer lateness does not drift the
 * schedule (an RTP sender's timestamps advance by exactly one frame per packet, RFC 3550 §5.1, and
 * the send times must follow them). The clock sleeps until the earliest due frame (a 1 ms timer
 * when streams are dense), then runs every due stream.
 *
 * When the process stalls (GC, a busy event loop) a stream that is more than `maxCatchUpFrames`
 * behind runs only its latest `maxCatchUpFrames` frames back to back and skips the older ones
 * (counted), so a stall becomes a short gap instead of a long burst. With no stream registered the
 * timer stops, so a CLI process can exit.
 */
import { DueHeap, type DueEntry } from './due-heap.ts';

/** Called once per frame. `frameIndex` counts frames since the stream registered (0, 1, 2 …). */
export type MediaTick = (frameIndex: number, nowMs: number) => void;

export interface MediaTimer {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface MediaClockOptions {
  /** Frames a late stream may run back to back before older ones are skipped; default 3. */
  maxCatchUpFrames?: number;
  /** Monotonic time in ns; default `process.hrtime.bigint`. Injected by tests. */
  now?: () => bigint;
  /** Wake-up timer; default setTimeout/clearTimeout. Injected by tests. */
  timer?: MediaTimer;
  /** Told about a tick that threw (the clock counts it and carries on). */
  onTickError?: (err: unknown) => void;
}

export interface MediaStreamOptions {
  /** Delay frame 0 by this many ms (default 0: due at registration). */
  startDelayMs?: number;
}

export interface MediaStreamHandle {
  readonly ptimeMs: number;
  /** Clock time (ms) frame 0 was due. */
  readonly startMs: number;
  /** Frames ticked so far. */
  readonly ticks: number;
  /** Frames skipped by catch-up. */
  readonly skipped: number;
  /** Due time (clock ms) of the next frame. */
  readonly nextDueMs: number;
  readonly active: boolean;
  unregister(): void;
}

export interface MediaClockStats {
  streams: number;
  wakeups: number;
  ticks: number;
  skippedFrames: number;
  tickErrors: number;
  /** Largest lateness of a tick behind its due time, ms. */
  maxLateMs: number;
}

export const MIN_PTIME_MS = 1;
export const MAX_PTIME_MS = 1000;

class Stream implements DueEntry, MediaStreamHandle {
  due: number;
  seq: number;
  frame = 0;
  ticks = 0;
  skipped = 0;
  active = true;
  readonly ptimeMs: number;
  readonly startMs: number;
  readonly tick: MediaTick;
  private readonly owner: MediaClock;

  constructor(owner: MediaClock, seq: number, ptimeMs: number, startMs: number, tick: MediaTick) {
    this.owner = owner;
    this.seq = seq;
    this.ptimeMs = ptimeMs;
    this.startMs = startMs;
    this.due = startMs;
    this.tick = tick;
  }

  get nextDueMs(): number {
    return this.due;
  }

  unregister(): void {
    if (!this.active) return;
    this.active = false;
    this.owner.removed(this);
  }
}

export class MediaClock {
  private readonly heap = new DueHeap<Stream>();
  private readonly maxCatchUp: number;
  private readonly nowNs: () => bigint;
  private readonly timer: MediaTimer;
  private readonly onTickError: ((err: unknown) => void) | undefined;
  private readonly origin: bigint;
  private handle: unknown;
  private armed = false;
  private polling = false;
  private live = 0;
  private seq = 0;
  private readonly counters = {
    wakeups: 0,
    ticks: 0,
    skippedFrames: 0,
    tickErrors: 0,
    maxLateMs: 0,
  };

  constructor(opts: MediaClockOptions = {}) {
    this.maxCatchUp = Math.max(1, Math.floor(opts.maxCatchUpFrames ?? 3));
    this.nowNs = opts.now ?? (() => process.hrtime.bigint());
    this.timer = opts.timer ?? {
      set: (fn, ms) => setTimeout(fn, ms),
      clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    };
    this.onTickError = opts.onTickError;
    this.origin = this.nowNs();
  }

  /** Milliseconds since this clock was created (monotonic, sub-ms resolution). */
  nowMs(): number {
    return Number(this.nowNs() - this.origin) / 1e6;
  }

  /** Streams currently registered. */
  get size(): number {
    return this.live;
  }

  /** True while a wake-up timer is pending (false once every stream is gone). */
  get running(): boolean {
    return this.armed;
  }

  register(ptimeMs: number, tick: MediaTick, opts: MediaStreamOptions = {}): MediaStreamHandle {
    if (!(ptimeMs >= MIN_PTIME_MS && ptimeMs <= MAX_PTIME_MS)) {
      throw new RangeError(`ptime ${ptimeMs} ms is outside ${MIN_PTIME_MS}..${MAX_PTIME_MS} ms`);
    }
    const s = new Stream(this, this.seq++, ptimeMs, this.nowMs() + (opts.startDelayMs ?? 0), tick);
    this.heap.push(s);
    this.live++;
    if (!this.polling) this.arm();
    return s;
  }

  stats(): MediaClockStats {
    return { streams: this.live, ...this.counters };
  }

  /** @internal called by a stream handle. Entries leave the heap lazily, when popped. */
  removed(_s: Stream): void {
    this.live--;
    if (this.live === 0) this.disarm();
  }

  /**
   * Run every stream whose frame is due now. The timer calls this; tests may call it directly
   * with an injected `now`.
   */
  poll(): void {
    if (this.polling) return;
    this.polling = true;
    this.counters.wakeups++;
    try {
      const now = this.nowMs();
      for (
        let top = this.heap.peek();
        top && (!top.active || top.due <= now);
        top = this.heap.peek()
      ) {
        this.heap.pop();
        if (!top.active) continue;
        this.runDue(top, now);
        if (top.active) this.heap.push(top);
      }
    } finally {
      this.polling = false;
    }
    this.arm();
  }

  private runDue(s: Stream, now: number): void {
    // Frames due: the one at s.due plus every whole ptime elapsed since.
    const due = Math.floor((now - s.due) / s.ptimeMs) + 1;
    if (due > this.maxCatchUp) {
      const skip = due - this.maxCatchUp;
      s.frame += skip;
      s.skipped += skip;
      this.counters.skippedFrames += skip;
    }
    const run = Math.min(due, this.maxCatchUp);
    const late = now - (s.startMs + s.frame * s.ptimeMs);
    if (late > this.counters.maxLateMs) this.counters.maxLateMs = late;
    for (let i = 0; i < run && s.active; i++) {
      const frame = s.frame++;
      s.ticks++;
      this.counters.ticks++;
      try {
        s.tick(frame, now);
      } catch (err) {
        this.counters.tickErrors++;
        this.onTickError?.(err);
      }
    }
    // Drift-free: the next due time is computed from the start, never accumulated.
    s.due = s.startMs + s.frame * s.ptimeMs;
  }

  private arm(): void {
    this.disarm();
    let top = this.heap.peek();
    while (top && !top.active) {
      this.heap.pop();
      top = this.heap.peek();
    }
    if (!top || this.live === 0) return;
    // Sleep until the earliest due frame; Node timers have 1 ms granularity, so never less.
    const wait = Math.max(1, Math.floor(top.due - this.nowMs()));
    this.handle = this.timer.set(() => {
      this.armed = false;
      this.poll();
    }, wait);
    this.armed = true;
  }

  private disarm(): void {
    if (!this.armed) return;
    this.timer.clear(this.handle);
    this.armed = false;
  }
}

export function createMediaClock(opts: MediaClockOptions = {}): MediaClock {
  return new MediaClock(opts);
}

let shared: MediaClock | undefined;

/** The process-wide clock every session uses unless given its own. */
export function defaultMediaClock(): MediaClock {
  shared ??= createMediaClock();
  return shared;
}
