/**
 * listen's record of out-of-dialog requests (OPTIONS, MESSAGE …), bounded like --keep-calls
 * (issue 15: 100 000 OPTIONS made 100 237 entries and a 9.3 MB report): every request counted by
 * method and status, the first and the last `keep` kept in full, the rest counted as omitted.
 */
import type { RequestSummary } from '../../../shared/model/report.ts';

export interface RequestEntry {
  method: string;
  status: number;
  from: string;
}

/** Distinct methods counted one by one (the rest under "(other)"): a scanner can invent methods. */
const MAX_METHODS = 32;

export class RequestLog {
  private readonly first: RequestEntry[] = [];
  private readonly ring: RequestEntry[] = [];
  private ringAt = 0;
  private readonly keep: number;
  private readonly summary: RequestSummary = { total: 0, omitted: 0, byMethod: {} };

  /** `keep` 0 keeps all (as --keep-calls 0). */
  constructor(keep: number) {
    this.keep = keep;
  }

  add(e: RequestEntry): void {
    const s = this.summary;
    s.total++;
    const m = e.method in s.byMethod || Object.keys(s.byMethod).length < MAX_METHODS ? e.method : '(other)';
    s.byMethod[m] = (s.byMethod[m] ?? 0) + 1;
    if (this.keep <= 0 || this.first.length < this.keep) this.first.push(e);
    else if (this.ring.length < this.keep) this.ring.push(e);
    else {
      this.ring[this.ringAt] = e;
      this.ringAt = (this.ringAt + 1) % this.keep;
      s.omitted++;
    }
  }

  /** The kept entries, in order. */
  entries(): RequestEntry[] {
    return [...this.first, ...this.ring.slice(this.ringAt), ...this.ring.slice(0, this.ringAt)];
  }

  counts(): RequestSummary {
    return { ...this.summary, byMethod: { ...this.summary.byMethod } };
  }
}
