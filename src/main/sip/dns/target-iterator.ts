/**
 * RFC 3263 §4.3: walking the ordered targets. "If a failure occurs [a transport error or a
 * timeout], or a 503 (Service Unavailable) is received, the client SHOULD try the next element
 * in the list." Each retry is "identical to the previous, but has a different value of the Via
 * branch ID" — a new client transaction (RFC 3263 §4.3).
 *
 *   const it = new TargetIterator(await resolveSipTargets(uri, { dns }));
 *   for (let t = it.current(); t; t = it.advance()) {
 *     const outcome = await sendRequestTo(t);          // final status, 'timeout' or 'transport-error'
 *     if (!TargetIterator.shouldFailover(outcome)) break; // any other answer ends the walk
 *   }
 *
 * After a success, later requests of the same registration should stay on that target rather than
 * re-resolving and re-balancing; `current()` keeps it. (In-dialog requests follow the route set.)
 */
import type { SipTarget } from './types.ts';

export type AttemptOutcome = number | 'timeout' | 'transport-error';

export class TargetIterator {
  private readonly targets: readonly SipTarget[];
  private index = 0;
  private readonly tried: { target: SipTarget; outcome: AttemptOutcome }[] = [];

  constructor(targets: readonly SipTarget[]) {
    this.targets = targets;
  }

  /** RFC 3263 §4.3: fail over on timeout, transport error (RFC 3261 §8.1.3.1) or 503. */
  static shouldFailover(outcome: AttemptOutcome): boolean {
    return outcome === 'timeout' || outcome === 'transport-error' || outcome === 503;
  }

  /** The target to use now; undefined when all have been tried. */
  current(): SipTarget | undefined {
    return this.targets[this.index];
  }

  /** Move to the next target (after a failover outcome) and return it, or undefined at the end. */
  advance(): SipTarget | undefined {
    if (this.index < this.targets.length) this.index++;
    return this.current();
  }

  /**
   * Record the outcome for the current target; returns the next target to try when the outcome
   * calls for failover and one is left, otherwise undefined (stop: success, a final answer, or
   * nothing left).
   */
  report(outcome: AttemptOutcome): SipTarget | undefined {
    const t = this.current();
    if (t) this.tried.push({ target: t, outcome });
    if (!TargetIterator.shouldFailover(outcome)) return undefined;
    return this.advance();
  }

  /** Every target tried with its outcome, for the call report. */
  history(): readonly { target: SipTarget; outcome: AttemptOutcome }[] {
    return this.tried;
  }

  remaining(): number {
    return Math.max(0, this.targets.length - this.index);
  }
}
