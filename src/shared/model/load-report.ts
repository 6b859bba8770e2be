/**
 * The report of a load run (`trunkscope load`, `trunkscope load-report` on SIPp statistics, the
 * GUI's Load panel): totals, rates, setup-time percentiles, failures by status and cause, media
 * quality over all calls, per-interval counts and the first and last calls' own reports.
 */
import type { CallReport } from './report.ts';

export interface Percentiles {
  p50: number | null;
  p95: number | null;
  p99?: number | null;
  max: number | null;
}

export interface LoadInterval {
  /** Seconds since the run started (end of the interval). */
  t: number;
  started: number;
  answered: number;
  failed: number;
  /** Calls up at the end of the interval. */
  concurrent: number;
}

export interface LoadReport {
  command: 'load';
  attempted: number;
  answered: number;
  failed: number;
  /** Answer-seizure ratio: answered ÷ attempted (0..1). */
  asr: number;
  cpsTarget: number;
  cpsAchieved: number;
  maxConcurrent: number;
  setupMs: Percentiles & { p99: number | null };
  /** Final status of each call's INVITE ("200", "503", "none" when nothing came back). */
  byStatus: Record<string, number>;
  /** Diagnosis cause codes when the call report has them, else the call's outcome. */
  byCause: Record<string, number>;
  /** SIP requests sent again (RFC 3261 §17.1.1.2 Timer A, §17.1.2.2 Timer E). */
  retransmissions: number;
  media: {
    calls: number;
    lossPct: Percentiles;
    jitterMs: Percentiles;
    mos: Percentiles;
    oneWay: number;
  };
  intervals: LoadInterval[];
  /** The first and last calls' reports (all of them on a short run). */
  calls: CallReport[];
  /** Why the run stopped starting calls. */
  stoppedBy?: 'calls' | 'duration' | 'signal' | 'stack' | 'sipp';
  /** Wall-clock run time in seconds. */
  elapsedSec?: number;
  /** Threshold checks asked for on the command line, and whether each held. */
  thresholds?: Array<{ name: string; limit: number; value: number; ok: boolean }>;
  /** load-report: the SIPp statistics files read. */
  sources?: string[];
}
