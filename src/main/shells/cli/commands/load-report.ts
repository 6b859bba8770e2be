/** `trunkscope load-report FILE_stat.csv …`: SIPp statistics from one or more hosts as one LoadReport. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../common.ts';
import { readSippStats, SippStatsError } from '../../../engine/index.ts';

export function registerLoadReport(program: Command, run: (fn: () => Promise<number>) => Promise<void>): void {
  program
    .command('load-report')
    .description("turn SIPp statistics files (-trace_stat, one per host) into trunkscope load's report")
    .argument('<files...>', 'SIPp statistics CSV files (e.g. uac_host1_stat.csv uac_host2_stat.csv)')
    .option('--json', 'print the report as JSON')
    .action((files: string[], o: { json?: boolean }) =>
      run(async () => {
        const inputs = files.map((name) => {
          try {
            return { name, text: readFileSync(name, 'utf8') };
          } catch (err) {
            throw new UsageError(`cannot read ${name}: ${(err as Error).message}`);
          }
        });
        let report;
        try {
          report = readSippStats(inputs);
        } catch (err) {
          if (err instanceof SippStatsError) throw new UsageError(err.message);
          throw err;
        }
        if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else {
          const s = report.setupMs;
          process.stdout.write(
            [
              `load-report (${files.length} file(s)): ${report.attempted} attempted, ${report.answered} answered, ${report.failed} failed (ASR ${Math.round(report.asr * 1000) / 10}%); ${report.cpsAchieved} cps of ${report.cpsTarget}; up to ${report.maxConcurrent} at once; ${report.retransmissions} retransmissions`,
              `setup ms (SIPp buckets): p50 ≤${s.p50 ?? '-'} p95 ≤${s.p95 ?? '-'} p99 ≤${s.p99 ?? '-'}; by cause: ${Object.entries(report.byCause).map(([k, v]) => `${k}×${v}`).join(' ') || '-'}`,
            ].join('\n') + '\n',
          );
        }
        return report.failed === 0 && report.attempted > 0 ? 0 : 1;
      }),
    );
}
