/**
 * Composition of one SIP stack: transports, the user agent on top, the URI resolver and the
 * trace of every byte sent and received. Used by the CLI, the web shell and the Electron shell.
 */
import { systemClock, type Clock } from '../../../shared/clock.ts';
import { TransportLayer, type TransportOptions } from '../../sip/transport/transport-layer.ts';
import type { TraceRecord, TransportProto } from '../../sip/transport/types.ts';
import type { TimerConfig } from '../../sip/transaction/timers.ts';
import { UserAgent } from '../../sip/ua/user-agent.ts';
import type { UriResolver } from '../../sip/ua/types.ts';
import { createUriResolver } from './uri-resolver.ts';
import { BoundedMap } from '../../../shared/bounded-map.ts';
import { callIdKey, scanCallId } from '../../sip/syntax/header-scan.ts';

export interface StackOptions {
  listen: TransportOptions['listen'];
  tls?: TransportOptions['tls'];
  defaultProto: TransportProto;
  /** Transports allowed for outgoing requests (RFC 3263 filtering). */
  supported?: TransportProto[];
  dnsServers?: string[];
  resolve?: UriResolver;
  timers?: Partial<TimerConfig>;
  clock?: Clock;
  userAgent?: string;
  contactUser?: string;
  advertisedAddress?: string;
  /** Keep at most this many trace records (oldest dropped); 0 keeps none (counts only). */
  traceLimit?: number;
  /** Keep at most this many bytes of trace records (oldest dropped); default 64 MiB. */
  traceMaxBytes?: number;
}

export class SipStack {
  readonly transport: TransportLayer;
  readonly ua: UserAgent;
  readonly trace: TraceRecord[] = [];
  /** Bytes of the records in `trace`. */
  private traceBytes = 0;
  /**
   * Messages sent/received per Call-ID (kept until taken by a report) and in total. Keyed by what
   * any datagram says, so bounded in entries and bytes with an idle expiry: a flood of stray
   * Call-IDs evicts the oldest stray counters, never grows memory (issue 15).
   */
  private readonly counts = new BoundedMap<{ sent: number; received: number }>({
    maxEntries: COUNT_ENTRIES,
    maxBytes: COUNT_BYTES,
    idleMs: COUNT_IDLE_MS,
  });
  /**
   * Call-IDs whose count a report already took: what still comes for them (the 200 to a BYE,
   * retransmissions absorbed during Timers L/J) counts in the totals only, and no per-call counter
   * is created again, which would stay for ever.
   */
  private readonly retired = new BoundedMap<true>({
    maxEntries: COUNT_ENTRIES,
    maxBytes: COUNT_BYTES,
    idleMs: RETIRED_MS,
    sizeOf: () => 8,
  });
  readonly totals = { sent: 0, received: 0 };
  private readonly traceLimit: number;
  private readonly traceMaxBytes: number;

  private constructor(transport: TransportLayer, ua: UserAgent, traceLimit: number, traceMaxBytes: number) {
    this.transport = transport;
    this.ua = ua;
    this.traceLimit = traceLimit;
    this.traceMaxBytes = traceMaxBytes;
    transport.on('trace', (r) => {
      // traceLimit 0 keeps counts only (load runs: retained messages would cost GC time).
      if (this.traceLimit > 0) this.keep(r);
      if (r.error) return;
      if (r.dir === 'out') this.totals.sent++;
      else this.totals.received++;
      const id = r.callId ?? (r.raw.length > 0 ? scanCallId(r.raw) : undefined) ?? '';
      let c = this.counts.get(id);
      if (!c) {
        if (this.retired.has(id)) return;
        this.counts.set(id, (c = { sent: 0, received: 0 }));
      }
      if (r.dir === 'out') c.sent++;
      else c.received++;
    });
  }

  /** Keep a record, bounded by count and bytes (oldest dropped, in batches: O(1) per message). */
  private keep(r: TraceRecord): void {
    this.trace.push(r);
    this.traceBytes += r.raw.length + RECORD_OVERHEAD;
    if (this.trace.length <= this.traceLimit * 1.5 && this.traceBytes <= this.traceMaxBytes) return;
    let drop = Math.max(0, this.trace.length - this.traceLimit);
    let bytes = this.traceBytes;
    for (let i = 0; i < drop; i++) bytes -= this.trace[i]!.raw.length + RECORD_OVERHEAD;
    // Down to 3/4 of the byte bound, so the next trim is a while away.
    while (drop < this.trace.length && bytes > (this.traceMaxBytes * 3) / 4) bytes -= this.trace[drop++]!.raw.length + RECORD_OVERHEAD;
    this.trace.splice(0, drop);
    this.traceBytes = bytes;
  }

  static async start(o: StackOptions): Promise<SipStack> {
    const transport = await TransportLayer.start({ listen: o.listen, tls: o.tls });
    const supported = o.supported ?? (['udp', 'tcp', 'tls'] as TransportProto[]);
    const ua = new UserAgent({
      transport,
      clock: o.clock ?? systemClock,
      timers: o.timers,
      resolve: o.resolve ?? createUriResolver({ dnsServers: o.dnsServers, supported }),
      defaultProto: o.defaultProto,
      userAgent: o.userAgent,
      contactUser: o.contactUser,
      advertisedAddress: o.advertisedAddress,
    });
    return new SipStack(transport, ua, o.traceLimit ?? 100_000, o.traceMaxBytes ?? 64 * 1024 * 1024);
  }

  /** Messages of one Call-ID so far; `forget` drops the counter once a report has it. */
  messageCount(callId: string, forget = false): { sent: number; received: number } {
    const key = callIdKey(callId);
    const c = this.counts.peek(key) ?? { sent: 0, received: 0 };
    if (forget) {
      this.counts.delete(key);
      this.retired.set(key, true);
    }
    return { ...c };
  }

  /** Per-Call-ID tables' sizes (entries, bytes), for tests and the abuse bench. */
  tableSizes(): { counts: number; countBytes: number; retired: number; trace: number; traceBytes: number } {
    return {
      counts: this.counts.size,
      countBytes: this.counts.bytes,
      retired: this.retired.size,
      trace: this.trace.length,
      traceBytes: this.traceBytes,
    };
  }

  /** Trace records of one dialog / transaction stream, by Call-ID. */
  traceFor(callId: string): TraceRecord[] {
    const key = callIdKey(callId);
    return this.trace.filter((r) => r.callId === key);
  }

  async close(): Promise<void> {
    this.ua.close();
    await this.transport.close();
  }
}

/** How long a reported Call-ID's late messages are kept out of the per-call counters (> 64·T1). */
const RETIRED_MS = 64_000;
/** Per-Call-ID counters: at most this many, this many bytes, dropped after this long untouched. */
const COUNT_ENTRIES = 20_000;
const COUNT_BYTES = 4 * 1024 * 1024;
const COUNT_IDLE_MS = 4 * 3600_000;
/** What a kept trace record costs beyond its bytes (object, endpoints), for the byte bound. */
const RECORD_OVERHEAD = 200;

/**
 * Call-ID straight from the bytes (also works for records that failed to parse): one linear pass,
 * no regular expression, cut to MAX_CALL_ID_KEY characters (issue 15: the old regex was ReDoS-able
 * and the value was copied up to the next CR, so one counter key could be a 60 KB datagram).
 */
export function callIdOfRaw(raw: Buffer): string | undefined {
  return scanCallId(raw);
}
