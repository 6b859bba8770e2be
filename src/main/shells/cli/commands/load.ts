/**
 * `trunkscope load URI`: calls at a rate, up to a total and a concurrency cap, on one shared SIP
 * stack (or one per worker thread with --workers); live progress; a LoadReport at the end
 * (--json), JUnit (--junit) and thresholds that set the exit code. Ctrl-C stops starting calls,
 * hangs up the running ones and reports.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Command } from 'commander';
import { addMediaOptions } from '../media-options.ts';
import { addCommonOptions, intOption } from '../common.ts';
import { addCallFlags } from '../call-flags.ts';
import { LoadProgressView } from '../load-progress.ts';
import { applyPassword } from '../password-source.ts';
import { addLoadFlags } from '../load-flags.ts';
import { prepareLoad, runLoadPart, sharePlan, type LoadOpts, type LoadSetup } from '../load-run.ts';
import type { WorkerInput, WorkerMessage } from '../load-worker.ts';
import { checkThresholds, loadJunitXml, reportFromRaw, type LoadProgress, type LoadRaw } from '../../../engine/index.ts';
import type { LoadReport } from '../../../../shared/model/load-report.ts';

/** From this rate on, --workers defaults to one per core. */
const WORKERS_FROM_CPS = 100;

export function registerLoad(program: Command, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('load')
    .description('place many calls at a rate and report totals, rates, setup times and media quality')
    .argument('[uri]', 'SIP URI to call (or the target column of --numbers)');
  addLoadFlags(cmd)
    .option('--keep-calls <n>', 'full reports kept in the JSON: the first N and the last N calls', '10')
    .option('--interval <s>', 'seconds per progress line / report interval', '1')
    .option('--max-fail-pct <pct>', 'exit 1 when more than PCT % of calls fail (default: any failure)')
    .option('--min-asr <ratio>', 'exit 1 when the answer-seizure ratio is below RATIO (0..1, or a percentage)')
    .option('--max-setup-p95 <ms>', 'exit 1 when the setup-time p95 exceeds MS')
    .option('--workers <n>', `worker threads, each with its own SIP stack and source port (default: 1, or one per core from ${WORKERS_FROM_CPS} cps)`);
  addCallFlags(cmd, '10');
  addMediaOptions(cmd, 'PCMU,PCMA');
  addCommonOptions(cmd, { transport: 'udp', port: '0' }).action((uri: string | undefined, o: LoadOpts, self: Command) =>
    run(async () => {
      await applyPassword(o, self, o.user !== undefined || o.authUser !== undefined); // issue 15: before the workers copy `o`
      const setup = await prepareLoad(uri, o);
      const cores = availableParallelism();
      const workers = Math.min(intOption('workers', o.workers, 1, 64) ?? (setup.plan.rate >= WORKERS_FROM_CPS ? cores : 1), setup.plan.calls);
      const startedAt = new Date().toISOString();
      const view = new LoadProgressView(o.json ? process.stderr : process.stdout, setup.plan);
      const { report, trace } = workers > 1 ? await runInWorkers(uri, o, setup, workers, view) : await runHere(o, setup, view);
      report.thresholds = checkThresholds(report, setup.checks);
      if (o.junit) {
        try {
          writeFileSync(o.junit, loadJunitXml(report, setup.target, startedAt));
        } catch (err) {
          process.stderr.write(`trunkscope: cannot write --junit ${o.junit}: ${(err as Error).message}\n`);
        }
      }
      if (trace) (o.json ? process.stderr : process.stdout).write(trace);
      if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else process.stdout.write(`${summaryLines(report, workers).join('\n')}\n`);
      return report.thresholds.every((t) => t.ok) ? 0 : 1;
    }),
  );
}

/** Ctrl-C / SIGTERM call `stop` until `done` resolves. */
async function withSignals<T>(view: LoadProgressView, stop: () => void, work: Promise<T>): Promise<T> {
  const onSignal = (): void => {
    view.note('stopping: hanging up the running calls');
    stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    view.done();
  }
}

async function runHere(o: LoadOpts, setup: LoadSetup, view: LoadProgressView): Promise<{ report: LoadReport; trace: string }> {
  let stop = (): void => undefined;
  const part = runLoadPart(setup, o, setup.plan, { onProgress: (p) => view.update(p), onStoppable: (fn) => (stop = fn) });
  const { report, trace } = await withSignals(view, () => stop(), part);
  return { report, trace };
}

async function runInWorkers(uri: string | undefined, o: LoadOpts, setup: LoadSetup, n: number, view: LoadProgressView): Promise<{ report: LoadReport; trace: string }> {
  const latest: Array<LoadProgress | undefined> = Array.from({ length: n }, () => undefined);
  const threads = Array.from({ length: n }, (_, i) => new Worker(new URL('../load-worker.ts', import.meta.url), { workerData: { uri, opts: { ...o }, plan: sharePlan(setup.plan, i, n) } satisfies WorkerInput }));
  let ready = 0;
  const results = threads.map(
    (w, i) =>
      new Promise<Extract<WorkerMessage, { kind: 'done' }>>((resolve, reject) => {
        w.on('message', (m: WorkerMessage) => {
          if (m.kind === 'ready') {
            if (++ready === n) threads.forEach((t) => t.postMessage('go'));
          } else if (m.kind === 'progress') {
            latest[i] = m.progress;
            // Worker 0 paces the display: one line per interval, whatever the number of workers.
            if (i === 0) view.update(sumProgress(latest));
          } else if (m.kind === 'done') resolve(m);
          else reject(new Error(`worker ${i + 1}: ${m.message}`));
        });
        w.once('error', (err) => reject(new Error(`worker ${i + 1}: ${err.message}`)));
        w.once('exit', (code) => reject(new Error(`worker ${i + 1} exited (${code}) before reporting`)));
      }),
  );
  const stopAll = (): void => threads.forEach((w) => w.postMessage('stop'));
  try {
    const done = await withSignals(view, stopAll, Promise.all(results));
    const raws: LoadRaw[] = done.map((d) => d.raw);
    const report = reportFromRaw(raws, setup.plan.rate, setup.plan.keepCalls);
    report.stoppedBy = (done.find((d) => d.stoppedBy === 'signal')?.stoppedBy ?? done[0]!.stoppedBy) as LoadReport['stoppedBy'];
    report.elapsedSec = Math.max(...done.map((d) => d.elapsedSec ?? 0));
    return { report, trace: done.map((d) => d.trace).join('') };
  } catch (err) {
    stopAll();
    throw err;
  } finally {
    await Promise.all(threads.map((w) => w.terminate()));
  }
}

function sumProgress(parts: Array<LoadProgress | undefined>): LoadProgress {
  const ps = parts.filter((p): p is LoadProgress => p !== undefined);
  const sum = (f: (p: LoadProgress) => number): number => ps.reduce((n, p) => n + f(p), 0);
  const answered = sum((p) => p.answered);
  const failed = sum((p) => p.failed);
  const p95s = ps.map((p) => p.setupP95).filter((x): x is number => x !== null);
  return {
    elapsedSec: Math.max(0, ...ps.map((p) => p.elapsedSec)),
    started: sum((p) => p.started),
    answered,
    failed,
    ended: sum((p) => p.ended),
    concurrent: sum((p) => p.concurrent),
    rate: sum((p) => p.rate),
    asr: answered + failed ? answered / (answered + failed) : 0,
    // The highest of the workers' p95s: an upper bound of the whole run's until the final report.
    setupP95: p95s.length ? Math.max(...p95s) : null,
    lostPackets: sum((p) => p.lostPackets),
  };
}

function summaryLines(r: LoadReport, workers: number): string[] {
  const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;
  const lines = [
    `load: ${r.attempted} attempted, ${r.answered} answered, ${r.failed} failed (ASR ${pct(r.asr)}); ${r.cpsAchieved} cps of ${r.cpsTarget} asked, up to ${r.maxConcurrent} at once; stopped by ${r.stoppedBy ?? '?'} after ${r.elapsedSec ?? '?'} s${workers > 1 ? ` (${workers} worker threads)` : ''}`,
    `setup ms: p50 ${r.setupMs.p50 ?? '-'}  p95 ${r.setupMs.p95 ?? '-'}  p99 ${r.setupMs.p99 ?? '-'}  max ${r.setupMs.max ?? '-'}; retransmissions ${r.retransmissions}`,
    `by status: ${Object.entries(r.byStatus).map(([k, v]) => `${k}×${v}`).join(' ') || '-'}; by cause: ${Object.entries(r.byCause).map(([k, v]) => `${k}×${v}`).join(' ') || '-'}`,
  ];
  if (r.media.calls > 0) lines.push(`media (${r.media.calls} calls): loss % p95 ${r.media.lossPct.p95} max ${r.media.lossPct.max}; jitter ms p95 ${r.media.jitterMs.p95}; MOS p50 ${r.media.mos.p50 ?? '-'}; one-way ${r.media.oneWay}`);
  const failedCall = r.calls.find((c) => c.outcome !== 'answered');
  if (failedCall) lines.push(`e.g. failed: ${failedCall.outcome}: ${failedCall.reason}`);
  for (const t of r.thresholds ?? []) lines.push(`${t.ok ? 'ok' : 'BREACHED'} ${t.name}: ${t.value} (limit ${t.limit})`);
  return lines;
}
