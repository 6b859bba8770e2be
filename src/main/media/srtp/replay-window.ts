/**
 * Replay protection (RFC 3711 §3.3.2): a sliding window of the last 64 indices (the minimum the
 * RFC requires) behind the highest index authenticated so far.
 */
export type ReplayCheck = 'ok' | 'replay' | 'too-old';

export class ReplayWindow {
  readonly size: number;
  private max = -1;
  /** slot (index mod size) → the index last accepted there. */
  private readonly seen: Float64Array;

  constructor(size = 64) {
    this.size = size;
    this.seen = new Float64Array(size).fill(-1);
  }

  /** Check before authenticating; call `accept` only after the packet authenticated. */
  check(index: number): ReplayCheck {
    if (index > this.max) return 'ok';
    if (this.max - index >= this.size) return 'too-old';
    return this.seen[index % this.size] === index ? 'replay' : 'ok';
  }

  accept(index: number): void {
    if (index > this.max) this.max = index;
    this.seen[index % this.size] = index;
  }

  get highest(): number {
    return this.max;
  }
}
