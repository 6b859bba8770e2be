/**
 * The trace side of the engine service: records of every stack go into the TraceStore, new
 * entries leave as `trace.entries` batches at most every `flushMs` (a burst is one event).
 */
import type { TraceEntry } from '../../../shared/api/contract.ts';
import type { SipStack } from '../stack/sip-stack.ts';
import { TraceStore } from './trace-store.ts';

export class TraceHub {
  readonly store: TraceStore;
  private pending: TraceEntry[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly flushMs: number;
  private readonly emit: (batch: TraceEntry[]) => void;

  constructor(o: { limit?: number; flushMs?: number; emit: (batch: TraceEntry[]) => void }) {
    this.store = new TraceStore({ limit: o.limit });
    this.flushMs = o.flushMs ?? 100;
    this.emit = o.emit;
  }

  attach(stack: SipStack): void {
    stack.transport.on('trace', (r) => {
      this.pending.push(this.store.add(r));
      // A flood (a load test) is sent in bounded batches; the UI queries the rest on demand.
      if (this.pending.length > 20_000) this.pending.splice(0, this.pending.length - 20_000);
      this.timer ??= setTimeout(() => this.flush(), this.flushMs);
    });
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.emit(batch);
  }

  close(): void {
    this.flush();
  }
}
