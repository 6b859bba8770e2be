/**
 * Every SIP message sent or received, as the contract's TraceEntry: numbered, read for the ladder
 * (trace-parse.ts) and flagged when it repeats bytes already seen in the same direction within
 * 64·T1 (a retransmission, RFC 3261 §17.1.1.2). Memory is bounded: the oldest entries go once
 * `limit` entries or `maxBytes` bytes are exceeded (issue 15: 3000 datagrams of 60 KB added 463 MB
 * under a count-only bound), and the retransmission memory is bounded in count too. Queries filter by Call-ID, method, status class or code and free text.
 */
import { createHash } from 'node:crypto';
import type { TraceEntry } from '../../../shared/api/contract.ts';
import type { TraceRecord } from '../../sip/transport/types.ts';
import { endpointText } from '../report/report-helpers.ts';
import { readTraceFields } from './trace-parse.ts';

export interface TraceStoreOptions {
  /** Entries kept (oldest dropped), default 200 000. */
  limit?: number;
  /** Bytes of message text kept (oldest dropped), default 64 MiB. */
  maxBytes?: number;
  /** Window for retransmission detection, default 64·T1 = 32 s. */
  retransmitWindowMs?: number;
  /** Most messages remembered for retransmission detection, default 50 000. */
  maxSeen?: number;
}

/** What an entry costs beyond its text (object, strings for endpoints and first line). */
const ENTRY_OVERHEAD = 300;

function entryBytes(e: TraceEntry): number {
  return e.raw.length * 2 + ENTRY_OVERHEAD;
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
  private readonly maxBytes: number;
  private bytesUsed = 0;
  private readonly windowMs: number;
  private readonly maxSeen: number;
  /** Last time each (direction, bytes) was seen, and the order to forget them in. */
  private readonly seen = new Map<string, number>();
  private readonly seenOrder: Array<{ key: string; at: number }> = [];
  private seenHead = 0;

  constructor(o: TraceStoreOptions = {}) {
    this.limit = o.limit ?? 200_000;
    this.maxBytes = o.maxBytes ?? 64 * 1024 * 1024;
    this.windowMs = o.retransmitWindowMs ?? 64 * 500;
    this.maxSeen = o.maxSeen ?? 50_000;
  }

  get count(): number {
    return this.entries.length;
  }

  /** Approximate bytes held by the entries (text as UTF-16 plus a fixed overhead each). */
  get bytes(): number {
    return this.bytesUsed;
  }

  /** Messages remembered for retransmission detection. */
  get seenCount(): number {
    return this.seen.size;
  }

  add(r: TraceRecord): TraceEntry {
    const f = readTraceFields(r.raw, r.callId);
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
    this.bytesUsed += entryBytes(entry);
    // Trim in batches so a long run stays O(1) per message.
    if (this.entries.length > this.limit + Math.max(1, this.limit >> 4) || this.bytesUsed > this.maxBytes) this.trim();
    return entry;
  }

  /** Down to `limit` entries and 3/4 of `maxBytes`, oldest first. */
  private trim(): void {
    let drop = Math.max(0, this.entries.length - this.limit);
    let bytes = this.bytesUsed;
    for (let i = 0; i < drop; i++) bytes -= entryBytes(this.entries[i]!);
    while (drop < this.entries.length - 1 && bytes > (this.maxBytes * 3) / 4) bytes -= entryBytes(this.entries[drop++]!);
    this.entries = this.entries.slice(drop);
    this.bytesUsed = bytes;
  }

  private repeated(r: TraceRecord): boolean {
    const now = r.at;
    while (
      this.seenHead < this.seenOrder.length &&
      (this.seenOrder[this.seenHead]!.at < now - this.windowMs || this.seen.size >= this.maxSeen)
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
