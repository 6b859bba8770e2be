/**
 * The clock every timer-driven layer receives (DESIGN.md: "the clock injected so tests drive
 * retransmissions with a fake clock"). Pure TS: uses only the global timer functions.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds, monotonic, arbitrary origin. */
  now(): number;
  /** Run `fn` once after `ms` milliseconds. */
  setTimer(ms: number, fn: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    // Timers must never keep a CLI process alive on their own.
    (t as { unref?: () => void }).unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};
