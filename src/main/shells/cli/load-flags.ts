/** The flags `load` and `export sipp` share: rate, totals, concurrency, durations, --numbers. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { intOption, numberOption, UsageError } from './common.ts';
import { DurationSpecError, NumbersFileError, parseDurationSpec, parseNumbersFile, type LoadPlan, type NumberRow } from '../../engine/index.ts';

export interface LoadFlagOpts {
  rate: string;
  ramp: string;
  calls?: string;
  concurrency: string;
  callDuration: string;
  duration?: string;
  seed: string;
  numbers?: string;
  media: boolean;
  keepCalls?: string;
  interval?: string;
  timeout: string;
}

/** With --duration and no --calls, the run is bounded by time, and by this count. */
export const MAX_CALLS = 10_000_000;

export function addLoadFlags(cmd: Command): Command {
  return cmd
    .option('--rate <cps>', 'new calls per second (fractional allowed, e.g. 0.5)', '1')
    .option('--ramp <s>', 'climb linearly from 0 to --rate over S seconds', '0')
    .option('--calls <n>', 'total calls to place (default 10, or unlimited with --duration)')
    .option('--concurrency <n>', 'most calls up at once', '100')
    .option('--call-duration <s>', 'seconds each call stays connected, or a range such as 30-90 (uniform, see --seed)', '5')
    .option('--duration <s>', 'stop starting calls after S seconds')
    .option('--seed <n>', 'seed for --call-duration ranges (same seed, same durations)', '1')
    .option('--numbers <file.csv>', 'one row per call: target, from, user, password, auth_user, header (first line names the columns)')
    .option('--no-media', 'signaling only: SDP offer/answer, no RTP sockets');
}

export function readNumbers(file: string): NumberRow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--numbers: cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return parseNumbersFile(text, `--numbers ${file}`);
  } catch (err) {
    if (err instanceof NumbersFileError) throw new UsageError(err.message);
    throw err;
  }
}

export function boundedNumber(name: string, text: string | undefined, min: number, max: number): number | undefined {
  const n = numberOption(name, text, min);
  if (n !== undefined && n > max) throw new UsageError(`--${name}: expected a number ${min}..${max}, got "${text}"`);
  return n;
}

export function planFrom(o: LoadFlagOpts, rows: NumberRow[] | undefined): LoadPlan {
  const rate = boundedNumber('rate', o.rate, 0, 10_000)!;
  if (rate <= 0) throw new UsageError(`--rate: expected a number > 0 (calls per second), got "${o.rate}"`);
  const durationSec = boundedNumber('duration', o.duration, 0, 86_400);
  if (durationSec === 0) throw new UsageError('--duration: expected a number of seconds > 0');
  const calls = intOption('calls', o.calls, 1, MAX_CALLS) ?? (durationSec !== undefined ? MAX_CALLS : 10);
  let callDuration;
  try {
    callDuration = parseDurationSpec(o.callDuration);
  } catch (err) {
    if (err instanceof DurationSpecError) throw new UsageError(`--call-duration: ${err.message}`);
    throw err;
  }
  const timeoutSec = numberOption('timeout', o.timeout, 0.1)!;
  return {
    rate,
    rampSec: boundedNumber('ramp', o.ramp, 0, 3600)!,
    calls,
    concurrency: intOption('concurrency', o.concurrency, 1, 100_000)!,
    durationSec,
    callDuration,
    seed: intOption('seed', o.seed, 0, 2 ** 32 - 1)!,
    intervalSec: boundedNumber('interval', o.interval ?? '1', 0.1, 3600)!,
    keepCalls: intOption('keep-calls', o.keepCalls ?? '10', 0, 100_000)!,
    rows,
    drainSec: Math.min(timeoutSec, 30) + 5,
    settleSec: callDuration.max + timeoutSec + 35,
  };
}

