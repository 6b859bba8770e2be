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
}

export class SipStack {
  readonly transport: TransportLayer;
  readonly ua: UserAgent;
  readonly trace: TraceRecord[] = [];
  /** Messages sent/received per Call-ID (kept until taken by a report) and in total. */
  private readonly counts = new Map<string, { sent: number; received: number }>();
  /**
   * Call-IDs whose count a report already took, by when (Date.now()): what still comes for them
   * (the 200 to a BYE, retransmissions absorbed during Timers L/J) counts in the totals only, and
   * no per-call counter is created again, which would stay for ever.
   */
  private readonly retired = new Map<string, number>();
  readonly totals = { sent: 0, received: 0 };
  private readonly traceLimit: number;

  private constructor(transport: TransportLayer, ua: UserAgent, traceLimit: number) {
    this.transport = transport;
    this.ua = ua;
    this.traceLimit = traceLimit;
    transport.on('trace', (r) => {
      // traceLimit 0 keeps counts only (load runs: retained messages would cost GC time).
      if (this.traceLimit > 0) {
        this.trace.push(r);
        // Trim in batches so a long run stays O(1) per message.
        if (this.trace.length > this.traceLimit * 1.5) this.trace.splice(0, this.trace.length - this.traceLimit);
      }
      if (r.error) return;
      if (r.dir === 'out') this.totals.sent++;
      else this.totals.received++;
      const id = callIdOfRaw(r.raw) ?? '';
      let c = this.counts.get(id);
      if (!c) {
        if (this.retired.has(id)) return;
        this.counts.set(id, (c = { sent: 0, received: 0 }));
      }
      if (r.dir === 'out') c.sent++;
      else c.received++;
    });
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
    return new SipStack(transport, ua, o.traceLimit ?? 100_000);
  }

  /** Messages of one Call-ID so far; `forget` drops the counter once a report has it. */
  messageCount(callId: string, forget = false): { sent: number; received: number } {
    const c = this.counts.get(callId) ?? { sent: 0, received: 0 };
    if (forget) {
      this.counts.delete(callId);
      const now = Date.now();
      this.retired.set(callId, now);
      // Insertion order is time order: drop what retired more than RETIRED_MS ago.
      for (const [id, at] of this.retired) {
        if (now - at < RETIRED_MS) break;
        this.retired.delete(id);
      }
    }
    return { ...c };
  }

  /** Trace records of one dialog / transaction stream, by Call-ID. */
  traceFor(callId: string): TraceRecord[] {
    return this.trace.filter((r) => callIdOfRaw(r.raw) === callId);
  }

  async close(): Promise<void> {
    this.ua.close();
    await this.transport.close();
  }
}

/** How long a reported Call-ID's late messages are kept out of the per-call counters (> 64·T1). */
const RETIRED_MS = 64_000;

const CALL_ID_LINE = Buffer.from('\r\nCall-ID:', 'latin1');

/** Call-ID straight from the bytes (also works for records that failed to parse). */
export function callIdOfRaw(raw: Buffer): string | undefined {
  // Fast path for the usual spelling (ours and most peers'): no text copy of the whole message.
  const at = raw.indexOf(CALL_ID_LINE);
  if (at >= 0 && at < 8192) {
    const from = at + CALL_ID_LINE.length;
    const eol = raw.indexOf(13, from);
    const v = raw.toString('latin1', from, eol < 0 ? raw.length : eol).trim();
    if (v !== '') return v;
  }
  const text = raw.toString('latin1', 0, Math.min(raw.length, 8192));
  const m = /^(?:call-id|i)[ \t]*:[ \t]*(.+?)[ \t]*$/im.exec(text);
  return m?.[1];
}
