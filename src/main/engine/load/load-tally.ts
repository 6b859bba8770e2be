/**
 * Counts of a load run as calls start, answer and end, turned into the LoadReport. Per-call
 * figures are kept as plain numbers (a few per call), the full reports of only the first and
 * last `keepCalls` calls.
 */
import type { CallReport } from '../../../shared/model/report.ts';
import type { LoadInterval, LoadReport, Percentiles } from '../../../shared/model/load-report.ts';

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function percentiles(values: number[]): Percentiles & { p99: number | null } {
  const s = [...values].sort((a, b) => a - b);
  const r = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 1000);
  return { p50: r(percentile(s, 50)), p95: r(percentile(s, 95)), p99: r(percentile(s, 99)), max: r(s.length ? s[s.length - 1]! : null) };
}

function mediaPercentiles(values: number[]): Percentiles {
  const { p50, p95, max } = percentiles(values);
  return { p50, p95, max };
}

/** The cause codes one call counts under. */
export function causesOf(r: CallReport): string[] {
  const codes: string[] = r.diagnosis?.causes.map((c) => c.code) ?? [];
  return codes.length > 0 ? codes : [r.outcome];
}

export class LoadTally {
  started = 0;
  answered = 0;
  ended = 0;
  failed = 0;
  concurrent = 0;
  maxConcurrent = 0;
  lostPackets = 0;
  retransmissions = 0;
  firstStartAt: number | undefined;
  lastStartAt: number | undefined;
  readonly setup: number[] = [];
  readonly loss: number[] = [];
  readonly jitter: number[] = [];
  readonly mos: number[] = [];
  oneWay = 0;
  readonly byStatus: Record<string, number> = {};
  readonly byCause: Record<string, number> = {};
  readonly intervals: LoadInterval[] = [];
  private readonly first: CallReport[] = [];
  private readonly last: CallReport[] = [];
  private mark = { started: 0, answered: 0, failed: 0 };
  private readonly keepCalls: number;

  constructor(keepCalls: number) {
    this.keepCalls = keepCalls;
  }

  onStart(now: number): void {
    this.started++;
    this.concurrent++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent);
    this.firstStartAt ??= now;
    this.lastStartAt = now;
  }

  onAnswer(): void {
    this.answered++;
  }

  onEnd(r: CallReport): void {
    this.ended++;
    this.concurrent--;
    if (r.outcome !== 'answered') this.failed++;
    else if (r.setupMs !== null) this.setup.push(r.setupMs);
    const status = String(r.finalStatus ?? 'none');
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    for (const c of causesOf(r)) this.byCause[c] = (this.byCause[c] ?? 0) + 1;
    const m = r.media;
    if (m && m.codec !== null) {
      this.loss.push(Math.max(0, m.received.lostPercent));
      this.jitter.push(m.received.jitterMeanMs);
      if (m.mos !== null) this.mos.push(m.mos);
      this.lostPackets += Math.max(0, m.received.lost);
      if (m.oneWayAudio && m.oneWayAudio.verdict !== 'ok') this.oneWay++;
    }
    this.keep(r);
  }

  private keep(r: CallReport): void {
    if (this.keepCalls === 0 || this.first.length < this.keepCalls) return void this.first.push(r);
    this.last.push(r);
    if (this.last.length > this.keepCalls) this.last.shift();
  }

  /** Close one interval at `t` seconds into the run. */
  interval(t: number): LoadInterval {
    const iv = { t: Math.round(t * 1000) / 1000, started: this.started - this.mark.started, answered: this.answered - this.mark.answered, failed: this.failed - this.mark.failed, concurrent: this.concurrent };
    this.mark = { started: this.started, answered: this.answered, failed: this.failed };
    this.intervals.push(iv);
    return iv;
  }

  /** Setup-time p95 so far (for live progress). */
  setupP95(): number | null {
    return percentile([...this.setup].sort((a, b) => a - b), 95);
  }

  /** Everything the report is made of, as plain data (worker threads post it to the main thread). */
  raw(epochOffset = 0): LoadRaw {
    return {
      started: this.started,
      ended: this.ended,
      failed: this.failed,
      maxConcurrent: this.maxConcurrent,
      firstStartAt: this.firstStartAt === undefined ? undefined : this.firstStartAt + epochOffset,
      lastStartAt: this.lastStartAt === undefined ? undefined : this.lastStartAt + epochOffset,
      setup: this.setup,
      loss: this.loss,
      jitter: this.jitter,
      mos: this.mos,
      oneWay: this.oneWay,
      byStatus: this.byStatus,
      byCause: this.byCause,
      retransmissions: this.retransmissions,
      intervals: this.intervals,
      first: this.first,
      last: this.last,
    };
  }

  report(cpsTarget: number): LoadReport {
    return reportFromRaw([this.raw()], cpsTarget, this.keepCalls);
  }
}

export interface LoadRaw {
  started: number;
  ended: number;
  failed: number;
  maxConcurrent: number;
  firstStartAt: number | undefined;
  lastStartAt: number | undefined;
  setup: number[];
  loss: number[];
  jitter: number[];
  mos: number[];
  oneWay: number;
  byStatus: Record<string, number>;
  byCause: Record<string, number>;
  retransmissions: number;
  intervals: LoadInterval[];
  first: CallReport[];
  last: CallReport[];
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/** One report from the tallies of one runner or of several (worker threads), merged. */
export function reportFromRaw(parts: LoadRaw[], cpsTarget: number, keepCalls: number): LoadReport {
  const sum = (f: (p: LoadRaw) => number): number => parts.reduce((n, p) => n + f(p), 0);
  const cat = (f: (p: LoadRaw) => number[]): number[] => parts.flatMap(f);
  const attempted = sum((p) => p.ended);
  const failed = sum((p) => p.failed);
  const started = sum((p) => p.started);
  const answered = attempted - failed;
  const firsts = parts.map((p) => p.firstStartAt).filter((x): x is number => x !== undefined);
  const lasts = parts.map((p) => p.lastStartAt).filter((x): x is number => x !== undefined);
  const span = firsts.length ? (Math.max(...lasts) - Math.min(...firsts)) / 1000 : 0;
  const byStatus: Record<string, number> = {};
  const byCause: Record<string, number> = {};
  for (const p of parts) {
    addCounts(byStatus, p.byStatus);
    addCounts(byCause, p.byCause);
  }
  // Intervals of parallel runners line up by position (they start together, same interval).
  const intervals: LoadInterval[] = [];
  for (const p of parts) {
    p.intervals.forEach((iv, i) => {
      const m = (intervals[i] ??= { t: 0, started: 0, answered: 0, failed: 0, concurrent: 0 });
      m.t = Math.max(m.t, iv.t);
      m.started += iv.started;
      m.answered += iv.answered;
      m.failed += iv.failed;
      m.concurrent += iv.concurrent;
    });
  }
  const byStart = (a: CallReport, b: CallReport): number => a.startedAt.localeCompare(b.startedAt);
  const all = parts.length === 1 ? [...parts[0]!.first, ...parts[0]!.last] : [...parts.flatMap((p) => [...p.first, ...p.last])].sort(byStart);
  const calls = parts.length === 1 || keepCalls === 0 || all.length <= 2 * keepCalls ? all : [...all.slice(0, keepCalls), ...all.slice(-keepCalls)];
  return {
    command: 'load',
    attempted,
    answered,
    failed,
    asr: attempted ? Math.round((answered / attempted) * 10_000) / 10_000 : 0,
    cpsTarget,
    cpsAchieved: started > 1 && span > 0 ? Math.round(((started - 1) / span) * 1000) / 1000 : 0,
    maxConcurrent: Math.max(0, ...parts.map((p) => p.maxConcurrent), ...intervals.map((iv) => iv.concurrent)),
    setupMs: percentiles(cat((p) => p.setup)),
    byStatus,
    byCause,
    retransmissions: sum((p) => p.retransmissions),
    media: { calls: cat((p) => p.loss).length, lossPct: mediaPercentiles(cat((p) => p.loss)), jitterMs: mediaPercentiles(cat((p) => p.jitter)), mos: mediaPercentiles(cat((p) => p.mos)), oneWay: sum((p) => p.oneWay) },
    intervals,
    calls,
  };
}
