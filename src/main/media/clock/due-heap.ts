/**
 * A binary min-heap of scheduled items ordered by due time (ms), ties broken by insertion order so
 * streams due at the same instant run in registration order. O(log n) push/pop: the media clock
 * pops only the streams that are due instead of scanning all of them on every wake-up.
 */
export interface DueEntry {
  due: number;
  /** Insertion sequence, the tie-breaker. */
  seq: number;
}

export class DueHeap<T extends DueEntry> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i]!, a[parent]!)) break;
      swap(a, i, parent);
      i = parent;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined || a.length === 0) return top;
    a[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && before(a[l]!, a[m]!)) m = l;
      if (r < a.length && before(a[r]!, a[m]!)) m = r;
      if (m === i) break;
      swap(a, i, m);
      i = m;
    }
    return top;
  }
}

function before(x: DueEntry, y: DueEntry): boolean {
  return x.due < y.due || (x.due === y.due && x.seq < y.seq);
}

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
