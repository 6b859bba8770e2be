/**
 * `trunkscope load URI`: calls at a rate, up to a total and a concurrency cap, on one shared SIP
 * stack; live progress; a LoadReport at the end (--json), JUnit (--junit) and thresholds that
 * set the exit code. Ctrl-C stops starting calls, hangs up the running ones and reports.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { addMediaOptions, localAddressFor, mediaPrefsFrom, openMedia, writablePathArg, type MediaOpts } from '../media-options.ts';
import { addCommonOptions, defaultBind, parseTransports, sipUriArg, startStack, UsageError, type CommonOpts } from '../common.ts';
import { addCallFlags, callOptionsFor, callTemplateFrom, type CallFlagOpts } from '../call-flags.ts';
import { LoadProgressView } from '../load-progress.ts';
import { addLoadFlags, boundedNumber, planFrom, readNumbers, type LoadFlagOpts } from '../load-flags.ts';
import { checkThresholds, countRetransmissions, formatTrace, LoadRunner, loadJunitXml, runCall, SignalingOnlyMedia, type CallMedia } from '../../../engine/index.ts';
import type { LoadReport } from '../../../../shared/model/load-report.ts';

interface LoadOpts extends CommonOpts, MediaOpts, CallFlagOpts, LoadFlagOpts {
  maxFailPct?: string;
  minAsr?: string;
  maxSetupP95?: string;
}

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
    .option('--max-setup-p95 <ms>', 'exit 1 when the setup-time p95 exceeds MS');
  addCallFlags(cmd, '10');
  addMediaOptions(cmd, 'PCMU,PCMA');
  addCommonOptions(cmd, { transport: 'udp', port: '0' }).action((uri: string | undefined, o: LoadOpts) =>
    run(async () => {
      const rows = o.numbers !== undefined ? readNumbers(o.numbers) : undefined;
      if (uri === undefined && !rows) throw new UsageError('load: give a URI or --numbers FILE.csv');
      const target = uri !== undefined ? sipUriArg('URI', uri) : rows![0]!.target;
      const protos = parseTransports(o.transport, target);
      if (protos.length > 1) throw new UsageError('--transport: a call uses one transport');
      const plan = planFrom(o, rows);
      const template = callTemplateFrom(o);
      const thresholds = {
        maxFailPct: boundedNumber('max-fail-pct', o.maxFailPct, 0, 100),
        minAsr: boundedNumber('min-asr', o.minAsr, 0, 100),
        maxSetupP95: boundedNumber('max-setup-p95', o.maxSetupP95, 0, 3_600_000),
      };
      const checks = { ...thresholds, maxFailPct: thresholds.maxFailPct ?? (thresholds.minAsr === undefined && thresholds.maxSetupP95 === undefined ? 0 : undefined) };
      if (o.junit) writablePathArg('--junit', o.junit);
      const hop = template.proxy ?? target;
      o.bind ??= defaultBind(hop);
      const prefs = mediaPrefsFrom(o, { source: { kind: 'tone', hz: 1004 }, bindAddress: o.bind });
      // A --play file is checked now, before any SIP.
      if (o.media && prefs.source.kind === 'wav') await (await openMedia({ ...prefs, sdpAddress: '127.0.0.1' })).close();
      const stack = await startStack(o, protos, 0);
      const startedAt = new Date().toISOString();
      let report: LoadReport;
      try {
        const sdpAddress = prefs.sdpAddress ?? (await localAddressFor(stack, hop, protos[0]!));
        const retransmissions = countRetransmissions(stack);
        const runner = new LoadRunner(
          plan,
          async (c) => {
            const media = o.media ? await openMedia({ ...prefs, sdpAddress, record: recordPath(prefs.record, c.index + 1) }) : new SignalingOnlyMedia(sdpAddress, prefs.codecs);
            try {
              const r = await runCall(stack, media, { ...callOptionsFor(template, target, c.durationSec, c.row, o.user ?? o.authUser), onSession: c.onSession });
              return r;
            } finally {
              if (o.media) await (media as CallMedia).close();
            }
          },
          { retransmissions },
        );
        const view = new LoadProgressView(o.json ? process.stderr : process.stdout, plan);
        runner.on('interval', (_iv, p) => view.update(p));
        const onSignal = (): void => {
          view.note('stopping: hanging up the running calls');
          runner.stop('signal');
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        try {
          report = await runner.run();
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          view.done();
        }
      } finally {
        await stack.close();
      }
      report.thresholds = checkThresholds(report, checks);
      if (o.junit) {
        try {
          writeFileSync(o.junit, loadJunitXml(report, target, startedAt));
        } catch (err) {
          process.stderr.write(`trunkscope: cannot write --junit ${o.junit}: ${(err as Error).message}\n`);
        }
      }
      if (o.trace) (o.json ? process.stderr : process.stdout).write(formatTrace(stack.trace));
      if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else process.stdout.write(`${summaryLines(report).join('\n')}\n`);
      return report.thresholds.every((t) => t.ok) ? 0 : 1;
    }),
  );
}

/** One recording per call: `%n` in the path is the call number, else `-N` goes before `.wav`. */
function recordPath(template: string | undefined, n: number): string | undefined {
  if (!template) return undefined;
  if (template.includes('%n')) return template.replaceAll('%n', String(n));
  return n === 1 ? template : template.replace(/(\.wav)?$/i, `-${n}$1`);
}

function summaryLines(r: LoadReport): string[] {
  const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;
  const lines = [
    `load: ${r.attempted} attempted, ${r.answered} answered, ${r.failed} failed (ASR ${pct(r.asr)}); ${r.cpsAchieved} cps of ${r.cpsTarget} asked, up to ${r.maxConcurrent} at once; stopped by ${r.stoppedBy ?? '?'} after ${r.elapsedSec ?? '?'} s`,
    `setup ms: p50 ${r.setupMs.p50 ?? '-'}  p95 ${r.setupMs.p95 ?? '-'}  p99 ${r.setupMs.p99 ?? '-'}  max ${r.setupMs.max ?? '-'}; retransmissions ${r.retransmissions}`,
    `by status: ${Object.entries(r.byStatus).map(([k, v]) => `${k}×${v}`).join(' ') || '-'}; by cause: ${Object.entries(r.byCause).map(([k, v]) => `${k}×${v}`).join(' ') || '-'}`,
  ];
  if (r.media.calls > 0) lines.push(`media (${r.media.calls} calls): loss % p95 ${r.media.lossPct.p95} max ${r.media.lossPct.max}; jitter ms p95 ${r.media.jitterMs.p95}; MOS p50 ${r.media.mos.p50 ?? '-'}; one-way ${r.media.oneWay}`);
  const failedCall = r.calls.find((c) => c.outcome !== 'answered');
  if (failedCall) lines.push(`e.g. failed: ${failedCall.outcome}: ${failedCall.reason}`);
  for (const t of r.thresholds ?? []) lines.push(`${t.ok ? 'ok' : 'BREACHED'} ${t.name}: ${t.value} (limit ${t.limit})`);
  return lines;
}
