/**
 * The targets a request was sent to, one entry each, for the report and the trace (RFC 3263
 * §4.3: the client walks the ordered list on timeout, transport error or 503). A target that
 * gives no response at all is left after the per-target time ({@link DEFAULT_TARGET_TIMEOUT_MS}),
 * as proxies do with their final-response timer, rather than after the whole call's timeout.
 */
import type { Clock } from '../../../shared/clock.ts';
import type { Destination } from '../transport/types.ts';
import { hostPort } from './message-factory.ts';

/** One target tried: where, over what, its final status (null when none came), why we left it. */
export interface TargetAttempt {
  target: string;
  transport: Destination['proto'];
  status: number | null;
  reason: string;
  /** ms from the first send to this target until it answered finally or was given up. */
  ms: number;
}

/**
 * Default time to wait for a target's first response when another target is left to try: eight
 * timer-A retransmissions' worth at T1 = 500 ms would be 64 s; proxies give up far sooner.
 */
export const DEFAULT_TARGET_TIMEOUT_MS = 5000;

export class AttemptLog {
  readonly list: TargetAttempt[] = [];
  private open: { a: TargetAttempt; started: number } | undefined;
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** A new target: the one before (if still open) is closed as it stands. */
  start(dest: Destination): void {
    this.close();
    const a: TargetAttempt = { target: hostPort(dest.remote), transport: dest.proto, status: null, reason: '', ms: 0 };
    this.list.push(a);
    this.open = { a, started: this.clock.now() };
  }

  /** A final response from the current target (it may still be retried there, e.g. after 401). */
  final(status: number, reason: string): void {
    if (!this.open) return;
    this.open.a.status = status;
    this.open.a.reason = `${status} ${reason}`;
  }

  /** Done with the current target; `reason` (if given) replaces what the last response said. */
  close(reason?: string): void {
    if (!this.open) return;
    const { a, started } = this.open;
    a.ms = Math.round(this.clock.now() - started);
    if (reason !== undefined) a.reason = reason;
    if (a.reason === '') a.reason = a.status === null ? 'no response' : String(a.status);
    this.open = undefined;
  }
}
