/**
 * A Map for tables keyed by what a remote peer sends (Call-IDs, sources): bounded in entries and
 * in bytes (key length plus what `sizeOf` says of the value) and with an idle expiry. When a bound
 * is exceeded the entry touched longest ago goes first (insertion order is kept as recency order),
 * so a flood of stray keys costs a fixed amount of memory and evicts only other stray keys first.
 * Pure and clock-injected (no timers): expiry is swept as entries are touched.
 */
export interface BoundedMapOptions<V> {
  /** Most entries kept. */
  maxEntries: number;
  /** Most bytes kept (keys count 2 bytes per UTF-16 unit, plus `sizeOf(value)`). */
  maxBytes: number;
  /** An entry untouched this long is dropped; 0 = never. */
  idleMs: number;
  sizeOf?: (v: V) => number;
  now?: () => number;
  /** Told about each entry dropped by a bound or by expiry (not by delete()). */
  onEvict?: (key: string, value: V, why: 'entries' | 'bytes' | 'expired') => void;
}

interface Slot<V> {
  value: V;
  at: number;
  size: number;
}

export class BoundedMap<V> {
  private readonly map = new Map<string, Slot<V>>();
  private bytesUsed = 0;
  /** Entries dropped so far by a bound or expiry. */
  evicted = 0;
  private readonly o: BoundedMapOptions<V>;
  private readonly now: () => number;

  constructor(o: BoundedMapOptions<V>) {
    this.o = o;
    this.now = o.now ?? Date.now;
  }

  get size(): number {
    return this.map.size;
  }

  get bytes(): number {
    return this.bytesUsed;
  }

  has(key: string): boolean {
    this.sweep();
    return this.map.has(key);
  }

  /** The value, without refreshing its place. */
  peek(key: string): V | undefined {
    this.sweep();
    return this.map.get(key)?.value;
  }

  /** The value, refreshing it as most recently used. */
  get(key: string): V | undefined {
    this.sweep();
    const s = this.map.get(key);
    if (!s) return undefined;
    this.map.delete(key);
    s.at = this.now();
    this.map.set(key, s);
    return s.value;
  }

  set(key: string, value: V): this {
    this.sweep();
    const old = this.map.get(key);
    if (old) {
      this.map.delete(key);
      this.bytesUsed -= old.size;
    }
    const size = key.length * 2 + (this.o.sizeOf?.(value) ?? 16);
    this.map.set(key, { value, at: this.now(), size });
    this.bytesUsed += size;
    while (this.map.size > this.o.maxEntries) this.dropOldest('entries');
    while (this.bytesUsed > this.o.maxBytes && this.map.size > 0) this.dropOldest('bytes');
    return this;
  }

  delete(key: string): boolean {
    const s = this.map.get(key);
    if (!s) return false;
    this.map.delete(key);
    this.bytesUsed -= s.size;
    return true;
  }

  clear(): void {
    this.map.clear();
    this.bytesUsed = 0;
  }

  keys(): IterableIterator<string> {
    this.sweep();
    return this.map.keys();
  }

  private dropOldest(why: 'entries' | 'bytes' | 'expired'): void {
    const first = this.map.entries().next();
    if (first.done) return;
    const [k, s] = first.value;
    this.map.delete(k);
    this.bytesUsed -= s.size;
    this.evicted++;
    this.o.onEvict?.(k, s.value, why);
  }

  /** Oldest first, so the sweep stops at the first entry still fresh: O(1) amortised. */
  private sweep(): void {
    if (this.o.idleMs <= 0) return;
    const limit = this.now() - this.o.idleMs;
    for (;;) {
      const first = this.map.values().next();
      if (first.done || first.value.at > limit) return;
      this.dropOldest('expired');
    }
  }
}
