/**
 * Transaction timer values (RFC 3261 §17 and Table 4 of Appendix A; Timers L and M from
 * RFC 6026 §8.11). T1, T2 and T4 are configurable; every other timer derives from them.
 * All values are in milliseconds.
 */

export interface TimerConfig {
  /** RTT estimate (RFC 3261 §17.1.1.1): 500 ms. */
  T1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses: 4 s. */
  T2: number;
  /** Maximum time a message remains in the network: 5 s. */
  T4: number;
  /**
   * Timer D on unreliable transports (§17.1.1.2: "at least 32 seconds"). Default
   * max(32 s, 64·T1), so a larger T1 never makes the ICT forget a server still retransmitting.
   */
  D: number;
  /** Delay after which an INVITE server transaction sends 100 Trying itself (§17.2.1): 200 ms. */
  trying: number;
}

/** Every timer a transaction uses, resolved for one kind of transport. */
export interface TransactionTimers {
  readonly T1: number;
  readonly T2: number;
  readonly T4: number;
  /** INVITE request retransmit interval, initially T1, doubles without cap (UDP only). */
  readonly A: number;
  /** INVITE transaction timeout: 64·T1. */
  readonly B: number;
  /** Wait time for response retransmits in ICT Completed: D (unreliable), 0 (reliable). */
  readonly D: number;
  /** Non-INVITE request retransmit interval, initially T1, capped at T2 (UDP only). */
  readonly E: number;
  /** Non-INVITE transaction timeout: 64·T1. */
  readonly F: number;
  /** INVITE non-2xx response retransmit interval, initially T1, capped at T2 (UDP only). */
  readonly G: number;
  /** Wait time for ACK receipt: 64·T1. */
  readonly H: number;
  /** Wait time for ACK retransmits in IST Confirmed: T4 (unreliable), 0 (reliable). */
  readonly I: number;
  /** Wait time for non-INVITE request retransmits in NIST Completed: 64·T1 / 0. */
  readonly J: number;
  /** Wait time for response retransmits in NICT Completed: T4 / 0. */
  readonly K: number;
  /** IST Accepted (RFC 6026 §8.11): 64·T1 on every transport. */
  readonly L: number;
  /** ICT Accepted (RFC 6026 §8.11): 64·T1 on every transport. */
  readonly M: number;
  /** 100 Trying delay (§17.2.1). */
  readonly trying: number;
}

export const DEFAULT_T1 = 500;
export const DEFAULT_T2 = 4000;
export const DEFAULT_T4 = 5000;
const DEFAULT_TRYING = 200;
const MIN_D = 32_000;

function check(name: keyof TimerConfig, value: number | undefined, allowZero: boolean): void {
  if (value === undefined) return;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (!allowZero && value === 0)
  ) {
    throw new RangeError(
      `timers.${name} must be a ${allowZero ? 'non-negative' : 'positive'} number of milliseconds, got ${String(value)}`,
    );
  }
}

/**
 * Fill in defaults and derive every timer. `reliable` selects the values of D, I, J and K,
 * which are zero over TCP/TLS (RFC 3261 §17.1.1.2, §17.1.2.2, §17.2.1, §17.2.2).
 * Throws a RangeError naming the bad field.
 */
export function resolveTimers(
  partial: Partial<TimerConfig> = {},
  reliable = false,
): TransactionTimers {
  check('T1', partial.T1, false);
  check('T2', partial.T2, false);
  check('T4', partial.T4, false);
  check('D', partial.D, true);
  check('trying', partial.trying, true);
  const T1 = partial.T1 ?? DEFAULT_T1;
  const T2 = partial.T2 ?? Math.max(DEFAULT_T2, T1);
  const T4 = partial.T4 ?? DEFAULT_T4;
  if (T2 < T1) throw new RangeError(`timers.T2 (${T2}) must not be smaller than timers.T1 (${T1})`);
  const t64 = 64 * T1;
  return {
    T1,
    T2,
    T4,
    A: T1,
    B: t64,
    D: reliable ? 0 : (partial.D ?? Math.max(MIN_D, t64)),
    E: T1,
    F: t64,
    G: T1,
    H: t64,
    I: reliable ? 0 : T4,
    J: reliable ? 0 : t64,
    K: reliable ? 0 : T4,
    L: t64,
    M: t64,
    trying: partial.trying ?? DEFAULT_TRYING,
  };
}
