/**
 * Every SIP message sent or received, as the contract's TraceEntry: numbered, read for the ladder
 * (trace-parse.ts) and flagged when it repeats bytes already seen in the same direction within
 * 64·T1 (a retransmission, RFC 3261 §17.1.1.2). Memory is bounded: the oldest entries go once
 * `limit` is exceeded. Queries filter by Call-ID, method, status class or code and free text.
 */
import { createHash } from 'node:crypto';
import type { TraceEntry } from '../../../shared/api/contract.ts';
import type { TraceRecord } from '../../sip/transport/types.ts';
import { endpointText } from '../report/report-helpers.ts';
import { readTraceFields } from './trace-parse.ts';

export interface TraceStoreOptions {
  /** Entries kept (oldest dropped), default 200 000. */
  limit?: number;
  /** Window for retransmission detection, default 64·T1 = 32 s. */
  retransmitWindowMs?: number;
}

export interface TraceFilter {
  callId?: string;
  method?: string;
  status?: string;
  text?: string;
}

export class TraceStore {
  private entries: TraceEntry[] = [];
  private nextId = 1;
  private readonly limit: number;
  private readonly windowMs: number;
  /** Last time each (direction, bytes) was seen, and the order to forget them in. */
  private readonly seen = new Map<string, number>();
  private readonly seenOrder: Array<{ key: string; at: number }> = [];
  private seenHead = 0;

  constructor(o: TraceStoreOptions = {}) {
    this.limit = o.limit ?? 200_000;
    this.windowMs = o.retransmitWindowMs ?? 64 * 500;
  }

  get count(): number {
    return this.entries.length;
  }

  add(r: TraceRecord): TraceEntry {
    const f = readTraceFields(r.raw);
    const entry: TraceEntry = {
      id: this.nextId++,
      at: r.at,
      dir: r.dir,
      proto: r.proto,
      local: endpointText(r.local),
      remote: endpointText(r.remote),
      firstLine: f.firstLine || (r.error ? `(${r.error})` : '(empty)'),
      raw: f.text,
      retransmission: r.raw.length > 0 && this.repeated(r),
    };
    if (f.callId !== undefined) entry.callId = f.callId;
    if (f.method !== undefined) entry.method = f.method;
    if (f.status !== undefined) entry.status = f.status;
    if (f.cseq !== undefined) entry.cseq = f.cseq;
    if (r.error) entry.error = r.error;
    this.entries.push(entry);
    // Trim in batches so a long run stays O(1) per message.
    if (this.entries.length > this.limit + Math.max(1, this.limit >> 4))
      this.entries = this.entries.slice(-this.limit);
    return entry;
  }

  private repeated(r: TraceRecord): boolean {
    const now = r.at;
    while (
      this.seenHead < this.seenOrder.length &&
      this.seenOrder[this.seenHead]!.at < now - this.windowMs
    ) {
      const old = this.seenOrder[this.seenHead++]!;
      if (this.seen.get(old.key) === old.at) this.seen.delete(old.key);
    }
    if (this.seenHead > 4096 && this.seenHead * 2 > this.seenOrder.length) {
      this.seenOrder.splice(0, this.seenHead);
      this.seenHead = 0;
    }
    const key = `${r.dir}${r.proto}${endpointText(r.remote)}|${createHash('sha1').update(r.raw).digest('base64')}`;
    const before = this.seen.get(key);
    this.seen.set(key, now);
    this.seenOrder.push({ key, at: now });
    return before !== undefined && now - before <= this.windowMs;
  }

  /** Entries matching `f`, oldest first, with paging. */
  query(f: TraceFilter, offset = 0, limit = 1000): { total: number; entries: TraceEntry[] } {
    const match = matcher(f);
    const out: TraceEntry[] = [];
    let total = 0;
    for (const e of this.entries) {
      if (!match(e)) continue;
      if (total >= offset && out.length < limit) out.push(e);
      total++;
    }
    return { total, entries: out };
  }

  /** All entries of one Call-ID (or all), for exports. */
  select(callId?: string): TraceEntry[] {
    return callId === undefined
      ? [...this.entries]
      : this.entries.filter((e) => e.callId === callId);
  }
}

function matcher(f: TraceFilter): (e: TraceEntry) => boolean {
  const method = f.method?.trim().toUpperCase() || undefined;
  const callId = f.callId?.trim() || undefined;
  const status = statusTest(f.status);
  const text = f.text?.trim()
    ? new RegExp(f.text.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i')
    : undefined;
  return (e) =>
    (callId === undefined || e.callId === callId) &&
    (method === undefined || e.method === method) &&
    (status === undefined || (e.status !== undefined && status(e.status))) &&
    (text === undefined ||
      text.test(e.raw) ||
      text.test(e.firstLine) ||
      (e.error !== undefined && text.test(e.error)));
}

function statusTest(s: string | undefined): ((code: number) => boolean) | undefined {
  if (!s) return undefined;
  const cls = /^([1-6])xx$/.exec(s);
  if (cls) {
    const c = Number(cls[1]);
    return (code) => Math.floor(code / 100) === c;
  }
  const n = Number(s);
  return (code) => code === n;
}
