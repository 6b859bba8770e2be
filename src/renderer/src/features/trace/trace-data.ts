/**
 * The trace as the renderer holds it: a flat array in arrival order plus indexes (by id, by
 * Call-ID) and a precomputed lowercase search text per entry, so filtering 100 000 entries is one
 * tight loop. Appends mutate in place (the store bumps a version number); a filter result is
 * cached and extended incrementally as new entries arrive.
 */
import type { TraceEntry } from '../../../../shared/api/contract.ts';

export interface TraceFilter {
  callId: string;
  method: string;
  /** "4xx" (a class) or "486" (a code); empty for any. */
  status: string;
  text: string;
}

export const emptyFilter: TraceFilter = { callId: '', method: '', status: '', text: '' };

/** How much of each message the free-text search looks at (headers and the start of the body). */
const SEARCH_CHARS = 4096;

export class TraceData {
  readonly entries: TraceEntry[] = [];
  private readonly text: string[] = [];
  private readonly cseqMethod: string[] = [];
  private readonly byId = new Map<number, number>();
  private readonly byCall = new Map<string, number[]>();
  private cache: { key: string; upTo: number; result: number[] } | null = null;

  readonly max: number;
  constructor(max = 250_000) {
    this.max = max;
  }

  get size(): number {
    return this.entries.length;
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  get(id: number): TraceEntry | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.entries[i];
  }

  /** Add entries (duplicates by id are ignored). Returns how many were added. */
  append(batch: readonly TraceEntry[]): number {
    let added = 0;
    for (const e of batch) {
      if (!e || typeof e.id !== 'number' || this.byId.has(e.id)) continue;
      const i = this.entries.length;
      this.entries.push(e);
      this.byId.set(e.id, i);
      this.text.push(searchText(e));
      this.cseqMethod.push(cseqMethodOf(e));
      if (e.callId) {
        let list = this.byCall.get(e.callId);
        if (!list) this.byCall.set(e.callId, (list = []));
        list.push(i);
      }
      added++;
    }
    if (this.entries.length > this.max) this.trim(Math.ceil(this.max * 0.9));
    return added;
  }

  clear(): void {
    this.entries.length = 0;
    this.text.length = 0;
    this.cseqMethod.length = 0;
    this.byId.clear();
    this.byCall.clear();
    this.cache = null;
  }

  hasCall(callId: string): boolean {
    return this.byCall.has(callId);
  }

  callIds(): string[] {
    return [...this.byCall.keys()];
  }

  /** Indexes into `entries` matching the filter, in arrival order. */
  filter(f: TraceFilter): number[] {
    const key = filterKey(f);
    if (key === '|||') return this.all();
    const c = this.cache;
    if (c && c.key === key && c.upTo <= this.entries.length) {
      if (c.upTo < this.entries.length) this.scan(f, c.upTo, this.entries.length, c.result);
      c.upTo = this.entries.length;
      return c.result;
    }
    const result: number[] = [];
    this.scan(f, 0, this.entries.length, result);
    this.cache = { key, upTo: this.entries.length, result };
    return result;
  }

  private allCache: number[] = [];
  private all(): number[] {
    const a = this.allCache;
    if (a.length > this.entries.length) a.length = 0;
    for (let i = a.length; i < this.entries.length; i++) a.push(i);
    return a;
  }

  private scan(f: TraceFilter, from: number, to: number, out: number[]): void {
    const callId = f.callId.trim();
    const method = f.method.trim().toUpperCase();
    const status = parseStatusFilter(f.status);
    const text = f.text.trim().toLowerCase();
    const entries = this.entries;
    // The Call-ID index narrows the loop to one dialog's entries.
    const candidates = callId ? this.byCall.get(callId) : undefined;
    if (callId && !candidates) return;
    const each = (i: number): void => {
      const e = entries[i]!;
      if (method && (e.method ?? this.cseqMethod[i]) !== method && this.cseqMethod[i] !== method)
        return;
      if (status && !(e.status !== undefined && e.status >= status.min && e.status <= status.max))
        return;
      if (text && !this.text[i]!.includes(text)) return;
      out.push(i);
    };
    if (candidates) {
      for (const i of candidates) if (i >= from && i < to) each(i);
    } else {
      for (let i = from; i < to; i++) each(i);
    }
  }

  private trim(keep: number): void {
    const rest = this.entries.slice(this.entries.length - keep);
    this.clear();
    this.append(rest);
  }
}

export function parseStatusFilter(s: string): { min: number; max: number } | null {
  const t = s.trim().toLowerCase();
  if (!t) return null;
  const cls = /^([1-6])xx$/.exec(t);
  if (cls) return { min: Number(cls[1]) * 100, max: Number(cls[1]) * 100 + 99 };
  if (/^[1-6]\d\d$/.test(t)) return { min: Number(t), max: Number(t) };
  return null;
}

function filterKey(f: TraceFilter): string {
  return [
    f.callId.trim(),
    f.method.trim().toUpperCase(),
    f.status.trim().toLowerCase(),
    f.text.trim().toLowerCase(),
  ].join('|');
}

function searchText(e: TraceEntry): string {
  const raw = typeof e.raw === 'string' ? e.raw.slice(0, SEARCH_CHARS) : '';
  return `${e.firstLine ?? ''}\n${e.callId ?? ''}\n${e.remote ?? ''}\n${e.local ?? ''}\n${raw}`.toLowerCase();
}

function cseqMethodOf(e: TraceEntry): string {
  if (!e.cseq) return e.method ?? '';
  const parts = e.cseq.trim().split(/\s+/);
  return (parts[1] ?? parts[0] ?? '').toUpperCase();
}
