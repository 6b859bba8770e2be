/**
 * RTP port allocation from a configurable range (default 10000–60000).
 *
 * RTP uses an even port and RTCP the next odd one (RFC 3550 §11: "RTP SHOULD use an even
 * destination port number and the corresponding RTCP stream SHOULD use the next higher (odd)
 * destination port number"); with rtcp-mux (RFC 5761) only the even port is bound. Each allocation
 * starts at a random even port of the range (issue 15 "RTP bleed": handed out in sequence, the
 * next call's port was guessable, and an attacker spraying it received the caller's audio), walks
 * the range from there, skips ports this process already holds, and moves on when the OS answers
 * EADDRINUSE. Ports are released when the session closes.
 */

export interface PortRange {
  min: number;
  max: number;
}

export const DEFAULT_RTP_PORT_RANGE: Readonly<PortRange> = { min: 10000, max: 60000 };

/** Bind attempt: resolve with the bound resource, or reject (EADDRINUSE → the pool tries on). */
export type BindAttempt<T> = (rtpPort: number) => Promise<T>;

export interface Allocation<T> {
  port: number;
  value: T;
  /** Give the port(s) back to the pool. Idempotent. */
  release(): void;
}

/** Error codes meaning "this port is taken, try another". */
const BUSY_CODES = new Set(['EADDRINUSE']);

export function isPortBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && BUSY_CODES.has(code);
}

export function parsePortRange(text: string): PortRange {
  const m = /^\s*(\d{1,5})\s*-\s*(\d{1,5})\s*$/.exec(text);
  if (!m) throw new RangeError(`port range "${text}" is not of the form A-B`);
  const range = { min: Number(m[1]), max: Number(m[2]) };
  validateRange(range, false);
  return range;
}

function validateRange(r: PortRange, pair: boolean): void {
  if (!Number.isInteger(r.min) || !Number.isInteger(r.max) || r.min < 1 || r.max > 65535) {
    throw new RangeError(`port range ${r.min}-${r.max} must lie within 1-65535`);
  }
  const firstEven = r.min + (r.min % 2);
  if (firstEven + (pair ? 1 : 0) > r.max) {
    throw new RangeError(
      `port range ${r.min}-${r.max} holds no even port${pair ? ' with its odd RTCP neighbour' : ''}`,
    );
  }
}

export class PortPool {
  readonly range: Readonly<PortRange>;
  private readonly held = new Set<number>();
  private cursor: number;
  private readonly random: () => number;

  constructor(range: PortRange = DEFAULT_RTP_PORT_RANGE, random: () => number = Math.random) {
    validateRange(range, false);
    this.range = { min: range.min, max: range.max };
    this.random = random;
    this.cursor = this.firstEven();
  }

  /** Ports (RTP and RTCP) this pool currently holds. */
  get inUse(): number {
    return this.held.size;
  }

  isHeld(port: number): boolean {
    return this.held.has(port);
  }

  /**
   * Find an even port P (and P+1 when `pair`) that `bind` accepts. Every even port of the range
   * is tried at most once; the first non-EADDRINUSE error is thrown as is.
   */
  async allocate<T>(pair: boolean, bind: BindAttempt<T>): Promise<Allocation<T>> {
    validateRange(this.range, pair);
    const evens = this.evenCount();
    // A random jump from where the last allocation ended (random() = 0 keeps the plain walk).
    const jump = Math.floor(this.random() * evens) % evens;
    this.cursor = this.firstEven() + ((((this.cursor - this.firstEven()) / 2 + jump) % evens) * 2);
    let lastErr: unknown;
    for (let i = 0; i < evens; i++) {
      const port = this.next();
      if (pair && port + 1 > this.range.max) continue;
      if (this.held.has(port) || (pair && this.held.has(port + 1))) continue;
      // Reserve before the (async) bind so concurrent allocations never pick the same port.
      this.held.add(port);
      if (pair) this.held.add(port + 1);
      try {
        const value = await bind(port);
        let released = false;
        return {
          port,
          value,
          release: () => {
            if (released) return;
            released = true;
            this.held.delete(port);
            if (pair) this.held.delete(port + 1);
          },
        };
      } catch (err) {
        this.held.delete(port);
        if (pair) this.held.delete(port + 1);
        if (!isPortBusy(err)) throw err;
        lastErr = err;
      }
    }
    const why = lastErr instanceof Error ? ` (last error: ${lastErr.message})` : '';
    throw new Error(
      `no free ${pair ? 'RTP/RTCP port pair' : 'RTP port'} in ${this.range.min}-${this.range.max}${why}`,
    );
  }

  private firstEven(): number {
    return this.range.min + (this.range.min % 2);
  }

  private evenCount(): number {
    return Math.floor((this.range.max - this.firstEven()) / 2) + 1;
  }

  private next(): number {
    const port = this.cursor;
    this.cursor += 2;
    if (this.cursor > this.range.max) this.cursor = this.firstEven();
    return port;
  }
}

const pools = new Map<string, PortPool>();

/** The process-wide pool of a range, so every session drawing from one range shares its state. */
export function portPoolFor(range: PortRange = DEFAULT_RTP_PORT_RANGE): PortPool {
  const key = `${range.min}-${range.max}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new PortPool(range);
    pools.set(key, pool);
  }
  return pool;
}
