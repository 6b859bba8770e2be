import { describe, expect, it } from 'vitest';
import { createMediaClock, type MediaClock } from '../../../../src/main/media/clock/media-clock.ts';

/** A fake monotonic time line and a one-shot timer the test fires by hand, as late as it likes. */
class FakeTime {
  ns = 1_000_000_000n;
  pending: { fn: () => void; atMs: number; waitMs: number } | undefined;
  sets = 0;

  readonly now = (): bigint => this.ns;
  readonly timer = {
    set: (fn: () => void, ms: number): unknown => {
      this.sets++;
      this.pending = { fn, atMs: this.ms() + ms, waitMs: ms };
      return this.pending;
    },
    clear: (h: unknown): void => {
      if (this.pending === h) this.pending = undefined;
    },
  };

  ms(): number {
    return Number(this.ns) / 1e6;
  }

  setMs(ms: number): void {
    this.ns = BigInt(Math.round(ms * 1e6));
  }

  /** Fire the pending timer `lateMs` after it was due. */
  fire(lateMs = 0): void {
    const p = this.pending;
    if (!p) throw new Error('no timer pending');
    this.pending = undefined;
    this.setMs(p.atMs + lateMs);
    p.fn();
  }
}

function clockWith(t: FakeTime, maxCatchUpFrames?: number): MediaClock {
  return createMediaClock({ now: t.now, timer: t.timer, maxCatchUpFrames });
}

/** Deterministic pseudo-random lateness in [0, max) ms. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

describe('MediaClock schedule', () => {
  it('keeps due times at start + n·ptime however late the timer fires (no drift)', () => {
    const t = new FakeTime();
    const clock = clockWith(t);
    const origin = clock.nowMs();
    const runs: Array<{ frame: number; now: number }> = [];
    const h = clock.register(20, (frame, now) => runs.push({ frame, now }));
    const rnd = lcg(7);
    while (runs.length < 3000) t.fire(rnd() * 1.5); // each wake-up up to 1.5 ms late
    // Frames are consecutive, none skipped, each ran at or after its due time and < 2.5 ms late.
    runs.forEach((r, n) => {
      expect(r.frame).toBe(n);
      const late = r.now - (origin + n * 20);
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(2.5);
    });
    // 3000 frames later the next frame is due exactly 60 s after the start: lateness never
    // accumulated (a timer re-armed for 20 ms after each late tick would be ~2 s behind).
    expect(h.nextDueMs - h.startMs).toBe(3000 * 20);
    expect(h.skipped).toBe(0);
  });

  it('sleeps until the earliest due frame, never less than 1 ms', () => {
    const t = new FakeTime();
    const clock = clockWith(t);
    clock.register(20, () => undefined);
    expect(t.pending?.waitMs).toBe(1); // frame 0 is due now
    t.fire(0.3);
    // Frame 1 is due 20 ms after the start; 0.3 ms + 1 ms went by.
    expect(t.pending?.waitMs).toBe(Math.floor(20 - 1.3));
    clock.register(10, () => undefined, { startDelayMs: 5 });
    expect(t.pending?.waitMs).toBe(Math.floor(1.3 + 5 - 1.3));
  });

  it('runs a stream a few frames behind back to back, and skips beyond the catch-up bound', () => {
    const t = new FakeTime();
    const clock = clockWith(t, 3);
    const frames: number[] = [];
    const h = clock.register(20, (frame) => frames.push(frame));
    t.fire(); // frame 0
    // A 45 ms stall: frames 1 and 2 are due (20, 40) — both run, nothing skipped.
    t.setMs(t.ms() + 45);
    clock.poll();
    expect(frames).toEqual([0, 1, 2]);
    expect(h.skipped).toBe(0);
    // A 200 ms stall: frames 3..12 are due; only the latest 3 run, 7 are skipped and counted.
    const start = h.startMs;
    const originAbs = t.ms() - clock.nowMs(); // clock times are relative to its creation
    t.setMs(originAbs + start + 250 + 1e-3);
    clock.poll();
    expect(frames.slice(3)).toEqual([10, 11, 12]);
    expect(h.skipped).toBe(7);
    expect(clock.stats().skippedFrames).toBe(7);
    // The schedule is unchanged: frame 13 is due at start + 260 ms.
    expect(h.nextDueMs).toBe(start + 13 * 20);
  });

  it('serves many streams with different ptimes, each on its own schedule', () => {
    const t = new FakeTime();
    const clock = clockWith(t);
    const counts = new Map<number, number>();
    const ptimes = [10, 20, 30, 40, 60];
    for (let i = 0; i < 500; i++) {
      const p = ptimes[i % ptimes.length]!;
      clock.register(p, () => counts.set(i, (counts.get(i) ?? 0) + 1), { startDelayMs: i % 17 });
    }
    const rnd = lcg(3);
    const end = t.ms() + 1200;
    while (t.ms() < end) t.fire(rnd());
    for (let i = 0; i < 500; i++) {
      const p = ptimes[i % ptimes.length]!;
      // Frames due in ~1200 ms, minus the start delay; ±1 for the window edges.
      const expected = (1200 - (i % 17)) / p;
      expect(Math.abs(counts.get(i)! - expected)).toBeLessThanOrEqual(1.5);
    }
    expect(clock.stats().skippedFrames).toBe(0);
    expect(clock.size).toBe(500);
  });

  it('stops its timer when the last stream leaves, and restarts on the next one', () => {
    const t = new FakeTime();
    const clock = clockWith(t);
    const a = clock.register(20, () => undefined);
    const b = clock.register(20, () => undefined);
    expect(clock.running).toBe(true);
    a.unregister();
    expect(clock.running).toBe(true);
    b.unregister();
    b.unregister(); // idempotent
    expect(clock.running).toBe(false);
    expect(t.pending).toBeUndefined();
    expect(clock.size).toBe(0);
    clock.register(20, () => undefined);
    expect(clock.running).toBe(true);
  });

  it('lets a tick unregister itself or another stream, and isolates a tick that throws', () => {
    const t = new FakeTime();
    const errors: unknown[] = [];
    const clock = createMediaClock({
      now: t.now,
      timer: t.timer,
      onTickError: (e) => errors.push(e),
    });
    const ran: string[] = [];
    const boom = clock.register(20, () => {
      ran.push('boom');
      throw new Error('bug');
    });
    const self: { h?: ReturnType<MediaClock['register']> } = {};
    self.h = clock.register(20, (f) => {
      ran.push(`self${f}`);
      if (f === 1) self.h!.unregister();
    });
    const other = clock.register(20, () => ran.push('other'));
    const killer = clock.register(20, () => {
      ran.push('killer');
      other.unregister();
    });
    t.fire();
    t.fire();
    t.fire();
    expect(ran.filter((r) => r === 'boom')).toHaveLength(3);
    expect(ran.filter((r) => r.startsWith('self'))).toEqual(['self0', 'self1']);
    expect(ran.filter((r) => r === 'other')).toHaveLength(1); // first frame only
    expect(clock.stats().tickErrors).toBe(3);
    expect(errors).toHaveLength(3);
    boom.unregister();
    killer.unregister();
    expect(clock.running).toBe(false);
  });

  it('rejects a ptime outside 1..1000 ms', () => {
    const clock = clockWith(new FakeTime());
    expect(() => clock.register(0, () => undefined)).toThrow(RangeError);
    expect(() => clock.register(Number.NaN, () => undefined)).toThrow(RangeError);
  });
});

describe('MediaClock on the real timer', () => {
  // Timing figures belong in bench/concurrent-rtp (this machine is shared and noisy); here only
  // what must hold on any machine: every stream ticks, never early, and the timer stops.
  it('ticks 50 streams at 20 ms on the real timer, never early, and stops when they leave', async () => {
    const clock = createMediaClock();
    const late: number[] = [];
    const handles = Array.from({ length: 50 }, (_, i) => {
      const h = clock.register(20, (frame, now) => late.push(now - (h.startMs + frame * 20)), {
        startDelayMs: i % 20,
      });
      return h;
    });
    await new Promise((r) => setTimeout(r, 400));
    for (const h of handles) h.unregister();
    expect(clock.running).toBe(false);
    // At most ~20 frames each (400 ms / 20 ms); a stalled machine may skip some, but every
    // stream must have run and none may run ahead of its due time.
    expect(late.length).toBeGreaterThan(50);
    expect(late.length).toBeLessThanOrEqual(50 * 21);
    expect(Math.min(...late)).toBeGreaterThanOrEqual(0);
  });
});
