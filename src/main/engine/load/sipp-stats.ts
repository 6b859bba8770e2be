/**
 * `trunkscope load-report`: SIPp statistics files (`-trace_stat`, one per SIPp host) read back
 * into the LoadReport shape. Counters marked (C) are cumulative, (P) per period (`-fd`): totals
 * come from each file's last row summed over hosts, intervals from the (P) columns of rows at
 * the same elapsed second. SIPp keeps no per-call status codes or media figures: byStatus holds
 * the successful calls as "200" and the failures under "failed", byCause SIPp's failure counters
 * (FailedCallRejected → "call-rejected" …), and setup percentiles are read off the response-time
 * repartition of the scenario's first timer (the bucket's upper bound; the open last bucket
 * reports its lower bound).
 */
import { parse } from 'csv-parse/sync';
import type { LoadInterval, LoadReport } from '../../../shared/model/load-report.ts';

export class SippStatsError extends Error {
  override name = 'SippStatsError';
}

type Row = Record<string, string>;

export function readSippStats(files: Array<{ name: string; text: string }>): LoadReport {
  if (files.length === 0) throw new SippStatsError('no statistics files');
  const hosts = files.map((f) => rowsOf(f.name, f.text));
  const last = hosts.map((rows) => rows[rows.length - 1]!);
  const sum = (col: string): number => last.reduce((n, r) => n + num(r[col]), 0);
  const outgoing = sum('OutgoingCall(C)');
  const incoming = sum('IncomingCall(C)');
  const successful = sum('SuccessfulCall(C)');
  const failed = sum('FailedCall(C)');
  const attempted = successful + failed;
  const byCause: Record<string, number> = {};
  if (successful) byCause.answered = successful;
  for (const col of Object.keys(last[0]!)) {
    const m = /^Failed(\w+)\(C\)$/.exec(col);
    if (!m || col === 'FailedCall(C)') continue;
    const n = sum(col);
    if (n > 0) byCause[kebab(m[1]!)] = n;
  }
  const timer = timerName(Object.keys(last[0]!));
  const setup = timer ? repartition(last, timer) : { p50: null, p95: null, p99: null, max: null };
  const elapsed = Math.max(...last.map((r) => seconds(r['ElapsedTime(C)'])));
  const report: LoadReport = {
    command: 'load',
    attempted,
    answered: successful,
    failed,
    asr: attempted ? Math.round((successful / attempted) * 10_000) / 10_000 : 0,
    cpsTarget: round(sum('TargetRate')),
    cpsAchieved: round(last.reduce((n, r) => n + num(r['CallRate(C)']), 0)),
    maxConcurrent: maxConcurrent(hosts),
    setupMs: setup,
    byStatus: { ...(successful ? { '200': successful } : {}), ...(failed ? { failed } : {}) },
    byCause,
    retransmissions: sum('Retransmissions(C)'),
    media: { calls: 0, lossPct: nulls(), jitterMs: nulls(), mos: nulls(), oneWay: 0 },
    intervals: intervals(hosts),
    calls: [],
    stoppedBy: 'sipp',
    elapsedSec: elapsed,
    sources: files.map((f) => f.name),
  };
  if (outgoing === 0 && incoming > 0) report.cpsTarget = 0;
  // SIPp's CallRate(C) divides by the whole run (call lengths included): the rate while calls
  // were being started is the started count over the seconds from the first start to the last.
  const starting = report.intervals.filter((iv) => iv.started > 0);
  if (starting.length > 0) report.cpsAchieved = round(starting.reduce((n, iv) => n + iv.started, 0) / (starting[starting.length - 1]!.t - starting[0]!.t + 1));
  return report;
}

function nulls(): { p50: null; p95: null; max: null } {
  return { p50: null, p95: null, max: null };
}

function rowsOf(name: string, text: string): Row[] {
  let rows: Row[];
  try {
    rows = parse(text, { delimiter: ';', columns: (h: string[]) => h.map((c) => c.trim()), relax_column_count: true, skip_empty_lines: true, trim: true }) as Row[];
  } catch (err) {
    throw new SippStatsError(`${name}: not a SIPp statistics file (${(err as Error).message})`);
  }
  if (rows.length === 0 || !('SuccessfulCall(C)' in rows[0]!) || !('ElapsedTime(C)' in rows[0]!)) throw new SippStatsError(`${name}: not a SIPp -trace_stat file (no SuccessfulCall(C) / ElapsedTime(C) columns)`);
  return rows;
}

function num(v: string | undefined): number {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** "HH:MM:SS" or "HH:MM:SS:micro" → seconds. */
export function seconds(v: string | undefined): number {
  const p = (v ?? '').split(':').map(Number);
  if (p.length < 3 || p.some((x) => !Number.isFinite(x))) return 0;
  return p[0]! * 3600 + p[1]! * 60 + p[2]! + (p[3] ?? 0) / 1e6;
}

function kebab(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2').toLowerCase();
}

function timerName(cols: string[]): string | undefined {
  const names = cols.map((c) => /^ResponseTimeRepartition(\w+)$/.exec(c)?.[1]).filter((x): x is string => !!x);
  return names.includes('setup') ? 'setup' : names[0];
}

function repartition(last: Row[], timer: string): LoadReport['setupMs'] {
  const prefix = `ResponseTimeRepartition${timer}_`;
  const buckets = Object.keys(last[0]!)
    .filter((c) => c.startsWith(prefix))
    .map((c) => ({ col: c, bound: Number(c.slice(prefix.length).replace(/^[<>=]+/, '')), open: c.slice(prefix.length).startsWith('>=') }))
    .map((b) => ({ ...b, n: last.reduce((s, r) => s + num(r[b.col]), 0) }));
  const total = buckets.reduce((s, b) => s + b.n, 0);
  if (total === 0) return { p50: null, p95: null, p99: null, max: null };
  const at = (p: number): number => {
    const want = Math.ceil((p / 100) * total);
    let seen = 0;
    for (const b of buckets) {
      seen += b.n;
      if (seen >= want) return b.bound;
    }
    return buckets[buckets.length - 1]!.bound;
  };
  const top = [...buckets].reverse().find((b) => b.n > 0)!;
  return { p50: at(50), p95: at(95), p99: at(99), max: top.bound };
}

function maxConcurrent(hosts: Row[][]): number {
  return Math.max(0, ...intervals(hosts).map((iv) => iv.concurrent));
}

/** Per elapsed second: (P) counters summed over the rows and hosts, CurrentCall of each host's last row there summed. */
function intervals(hosts: Row[][]): LoadInterval[] {
  const byT = new Map<number, LoadInterval>();
  for (const rows of hosts) {
    const current = new Map<number, number>();
    for (const r of rows.slice(1)) {
      const t = Math.round(seconds(r['ElapsedTime(C)']));
      const iv = byT.get(t) ?? { t, started: 0, answered: 0, failed: 0, concurrent: 0 };
      iv.started += num(r['OutgoingCall(P)']) + num(r['IncomingCall(P)']);
      iv.answered += num(r['SuccessfulCall(P)']);
      iv.failed += num(r['FailedCall(P)']);
      byT.set(t, iv);
      current.set(t, num(r.CurrentCall));
    }
    for (const [t, n] of current) byT.get(t)!.concurrent += n;
  }
  return [...byT.values()].sort((a, b) => a.t - b.t);
}
