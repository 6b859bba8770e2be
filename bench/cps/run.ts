/**
 * Calls per second: a SIPp UAC (built-in `-sn uac`: INVITE → 100/180 → 200 → ACK → BYE → 200)
 * drives a responder at stepped rates, each step a fixed number of seconds, and we record calls
 * attempted / successful / failed, SIPp's retransmissions and the CPU time of both processes.
 * A rate is "held" when the whole step has zero failed calls, zero retransmissions and SIPp
 * actually sent at the target rate. Responders, in the same run: SIPp's own UAS (`-sn uas`, the
 * ceiling of this machine) with a 4 MiB socket buffer like ours (`sipp`) and with SIPp's default
 * buffer (`sipp-default`, the issue's reference configuration), and `trunkscope listen`.
 *
 *   npx node bench/cps/run.ts [--rates 100,200,400] [--seconds 20] [--quick]
 *        [--responders sipp,sipp-default,trunkscope] [--bisect 1] [--repeat 1] [--sweep] [--warmup 200]
 *        [--quiet-wait 300]
 *        [--cpu-prof DIR] [--media] [--listener-args "ARGS"]
 *        [--commit REV] [--keep DIR] [--out FILE]
 *
 * Signaling only, as SIPp's UAC sends no RTP: the listener gets `--no-media` (answer with SDP, open
 * no RTP) when it has that flag; `--media` lets it open an RTP session per call instead.
 *
 * By default the listener is the working tree's bin/trunkscope.mjs; --commit REV measures that
 * commit instead (git archive of bin/ and src/ into a temp dir, sharing node_modules), so the
 * figures do not depend on whatever is half-edited in src/.
 *
 * Bounded: every step sends exactly rate × seconds calls (-m), SIPp gives up on a call after
 * --recv-timeout ms, and every process is killed (by PID) after seconds + 60 s at the latest.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  cpuMs,
  epochOf,
  lastCsvRow,
  machineBusyMs,
  num,
  parseTimes,
  periodRows,
  readRss,
  waitQuiet,
} from './proc.ts';
import {
  killHard,
  listenerHasNoMedia,
  runUac,
  sippUacArgs,
  startSippUas,
  startTrunkscope,
  stopChildrenOnSignal,
  type Responder,
} from './processes.ts';
import { gitState, snapshot } from './source.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
/** Where the measured `bin/trunkscope.mjs` lives: the working tree, or a --commit snapshot. */
let appRoot = root;

/** sipp: SIPp's UAS with a 4 MiB socket buffer; sipp-default: with SIPp's default buffer. */
type ResponderKind = 'sipp' | 'sipp-default' | 'trunkscope';
const KINDS: readonly ResponderKind[] = ['sipp', 'sipp-default', 'trunkscope'];

interface Options {
  rates: number[];
  seconds: number;
  responders: ResponderKind[];
  bisect: number;
  /** Calls made (at min(rate, 100) cps) before each measured step; 0: none. */
  warmupCalls: number;
  /** Before each step, wait up to this many seconds for the machine to be quiet (0: don't). */
  quietWaitSec: number;
  /** Runs per rate; a rate is held only if every run held. */
  repeat: number;
  /** Run every rate (no stop at the first failure, no bisection): to map how often a rate holds. */
  sweep: boolean;
  recvTimeoutMs: number;
  cpuProfDir?: string;
  /** Extra arguments for `trunkscope listen` (experiments, e.g. "--t1 100"). */
  listenerArgs: string[];
  /** Let the listener open RTP per call (its default); otherwise `--no-media` when it has it. */
  media: boolean;
  /** Measure this commit's listener (extracted with git archive) instead of the working tree. */
  commit?: string;
  keepDir?: string;
  out: string;
  quick: boolean;
}

export interface StepResult {
  responder: ResponderKind;
  rate: number;
  seconds: number;
  held: boolean;
  /** Why not held (empty when held). */
  why: string[];
  attempted: number;
  successful: number;
  failed: number;
  retransmissions: number;
  /** SIPp UAC: responses/requests for calls it no longer knows / never knew. */
  deadCallMsgs: number;
  outOfCallMsgs: number;
  /** Seconds from SIPp's start to its final statistics line. */
  elapsedSec: number;
  achievedRate: number;
  /** SIPp watchdog hits: SIPp itself could not keep its schedule (the UAC is the bottleneck). */
  watchdog: number;
  responderCpuMs: number;
  /**
   * CPU used during the step by everything else on the machine (all CPUs' busy time minus the
   * responder and the UAC), ms: other work sharing the cores makes a step noisy.
   */
  otherCpuMs: number;
  /** Seconds spent waiting for other work on the machine to calm down, and its load then (cores). */
  quietWait: { waitedSec: number; loadCores: number };
  /** Wall time over which the CPU figures were taken, ms. */
  windowMs: number;
  uacCpuMs: number;
  responderCpuMsPerCall: number | null;
  uacCpuMsPerCall: number | null;
  /** Responder's peak RSS (VmHWM), MiB. */
  responderMaxRssMiB: number | null;
  /** What the responder itself saw: SIPp UAS's stats, or trunkscope's --json report. */
  responderView: Record<string, number | string>;
  /** Per-second SIPp UAC periods: [outgoing, successful, failed, retransmissions]. */
  periods: Array<[number, number, number, number]>;
}

function usage(msg?: string): never {
  if (msg) process.stderr.write(`${msg}\n`);
  process.stderr.write(
    'usage: npx node bench/cps/run.ts [--rates 100,200,...] [--seconds 20] [--quick] [--responders sipp,sipp-default,trunkscope]\n' +
      '       [--bisect N] [--repeat N] [--sweep] [--warmup CALLS] [--quiet-wait S] [--recv-timeout MS] [--cpu-prof DIR] [--media] [--listener-args "ARGS"] [--commit REV]\n' +
      '       [--keep DIR] [--out FILE]\n',
  );
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    rates: [
      100, 200, 400, 700, 1000, 1400, 2000, 2500, 3000, 4000, 5000, 6000, 8000, 10000, 12500, 15000,
      20000, 25000, 30000, 40000,
    ],
    seconds: 20,
    responders: ['sipp-default', 'sipp', 'trunkscope'],
    bisect: 1,
    repeat: 1,
    sweep: false,
    warmupCalls: 200,
    quietWaitSec: 300,
    recvTimeoutMs: 10_000,
    out: join(here, 'results.json'),
    quick: false,
    listenerArgs: [],
    media: false,
  };
  let ratesGiven = false;
  let secondsGiven = false;
  let bisectGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`${a}: missing value`);
      return v;
    };
    const int = (v: string, min: number, max: number): number => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max)
        usage(`${a}: expected an integer ${min}..${max}, got "${v}"`);
      return n;
    };
    if (a === '--rates') {
      o.rates = val()
        .split(',')
        .map((r) => int(r.trim(), 1, 100_000));
      ratesGiven = true;
    } else if (a === '--seconds') {
      o.seconds = int(val(), 1, 600);
      secondsGiven = true;
    } else if (a === '--quick') o.quick = true;
    else if (a === '--responders') {
      const list = val()
        .split(',')
        .map((s) => s.trim());
      for (const r of list)
        if (!KINDS.includes(r as ResponderKind))
          usage(`--responders: unknown "${r}" (${KINDS.join(', ')})`);
      o.responders = list as ResponderKind[];
    } else if (a === '--repeat') o.repeat = int(val(), 1, 20);
    else if (a === '--sweep') o.sweep = true;
    else if (a === '--warmup') o.warmupCalls = int(val(), 0, 100_000);
    else if (a === '--quiet-wait') o.quietWaitSec = int(val(), 0, 3600);
    else if (a === '--bisect') {
      o.bisect = int(val(), 0, 5);
      bisectGiven = true;
    } else if (a === '--recv-timeout') o.recvTimeoutMs = int(val(), 500, 60_000);
    else if (a === '--cpu-prof') o.cpuProfDir = resolve(val());
    else if (a === '--media') o.media = true;
    else if (a === '--listener-args') o.listenerArgs = val().split(/\s+/).filter(Boolean);
    else if (a === '--commit') o.commit = val();
    else if (a === '--keep') o.keepDir = resolve(val());
    else if (a === '--out') o.out = resolve(val());
    else if (a === '--help' || a === '-h') usage();
    else usage(`unknown argument "${a}"`);
  }
  if (o.quick) {
    // Smoke: short steps, two rates, no bisection; results go next to the real ones, not over them.
    if (!secondsGiven) o.seconds = 3;
    if (!ratesGiven) o.rates = [100, 400];
    if (!bisectGiven) o.bisect = 0;
    o.quietWaitSec = Math.min(o.quietWaitSec, 20);
    if (!argv.includes('--out')) o.out = join(tmpdir(), 'trunkscope-cps-quick.json');
  }
  o.rates.sort((x, y) => x - y);
  return o;
}

// SIP ports clear of SIPp's media ports (6000 and up), the listener's RTP range (10000-60000) and
// Linux's ephemeral range; 200 per run.
let nextPort = 7000 + (process.pid % 14) * 200;
function takePorts(): { responder: number; uac: number } {
  const p = nextPort;
  nextPort += 3; // responder, UAC, warm-up UAC
  return { responder: p, uac: p + 1 };
}

async function runStep(
  kind: ResponderKind,
  rate: number,
  o: Options,
  work: string,
  label: string,
): Promise<StepResult> {
  const dir = join(work, `${kind}-${label}`);
  mkdirSync(dir, { recursive: true });
  // A port may be taken meanwhile (e.g. by the listener's own RTP sockets): try the next ones.
  let ports = takePorts();
  let responder: Responder | undefined;
  for (let attempt = 1; !responder; attempt++) {
    try {
      responder =
        kind !== 'trunkscope'
          ? await startSippUas(ports.responder, dir, kind === 'sipp')
          : await startTrunkscope(
              appRoot,
              ports.responder,
              dir,
              o.cpuProfDir,
              label,
              o.listenerArgs,
            );
    } catch (err) {
      if (attempt >= 3) throw err;
      ports = takePorts();
    }
  }
  const rpid = responder.proc.pid!;
  try {
    await sleep(300);
    // Warm-up, not measured: the listener's first calls load modules lazily and run cold code
    // (a stall of up to a second at the first INVITE), which is start-up, not throughput.
    let warmupOk = 0;
    if (o.warmupCalls > 0) {
      const wcsv = join(dir, 'warmup.csv');
      await runUac(
        dir,
        sippUacArgs(
          ports.responder,
          ports.uac + 1,
          Math.min(rate, 100),
          o.warmupCalls,
          30,
          o.recvTimeoutMs,
          wcsv,
        ),
        90_000,
      );
      warmupOk = num(
        lastCsvRow(existsSync(wcsv) ? readFileSync(wcsv, 'latin1') : '')?.['SuccessfulCall(C)'],
      );
      await sleep(500);
    }
    // Other work on these 2 cores distorts every figure: wait (bounded) until it is quiet.
    const quietWait =
      o.quietWaitSec > 0
        ? await waitQuiet(0.25, 3, o.quietWaitSec)
        : { waitedSec: 0, loadCores: NaN };
    const cpu0 = cpuMs(rpid);
    const busy0 = machineBusyMs();
    const t0 = Date.now();
    const calls = rate * o.seconds;
    const csv = join(dir, 'uac.csv');
    const timesFile = join(dir, 'uac.times');
    const uac = await runUac(
      dir,
      sippUacArgs(ports.responder, ports.uac, rate, calls, o.seconds, o.recvTimeoutMs, csv),
      (o.seconds + 60) * 1000,
      timesFile,
    );
    const finished = uac.finished;
    const cpu1 = cpuMs(rpid);
    const busy1 = machineBusyMs();
    const windowMs = Date.now() - t0;
    const rss = readRss(rpid);
    const view = await responder.stop();
    const text = existsSync(csv) ? readFileSync(csv, 'latin1') : '';
    const row = lastCsvRow(text) ?? {};
    const uacCpu = existsSync(timesFile) ? parseTimes(readFileSync(timesFile, 'utf8')) : NaN;
    const attempted = num(row['OutgoingCall(C)']);
    const successful = num(row['SuccessfulCall(C)']);
    const failed = num(row['FailedCall(C)']);
    const retransmissions = num(row['Retransmissions(C)']);
    const elapsedSec = epochOf(row['CurrentTime']) - epochOf(row['StartTime']);
    const watchdog = num(row['WatchdogMajor(C)']) + num(row['WatchdogMinor(C)']);
    const achievedRate = elapsedSec > 0 ? attempted / elapsedSec : 0;
    const why: string[] = [];
    if (!finished) why.push('SIPp UAC killed after the step deadline');
    if (uac.exitCode !== 0 && finished) why.push(`SIPp UAC exit code ${uac.exitCode}`);
    if (warmupOk < o.warmupCalls) why.push(`warm-up: ${warmupOk}/${o.warmupCalls} calls succeeded`);
    if (attempted < calls) why.push(`attempted ${attempted}/${calls}`);
    if (successful < calls) why.push(`successful ${successful}/${calls}`);
    if (failed > 0) why.push(`${failed} failed`);
    if (retransmissions > 0) why.push(`${retransmissions} retransmissions`);
    // SIPp could not keep the pace (its own limit or the -l cap): the rate was not offered.
    if (elapsedSec > o.seconds * 1.05 + 1)
      why.push(`took ${elapsedSec.toFixed(1)} s for a ${o.seconds} s step`);
    if (
      kind === 'trunkscope' &&
      typeof view['calls'] === 'number' &&
      view['calls'] !== successful + failed + o.warmupCalls
    ) {
      why.push(
        `listener saw ${view['calls']} calls, SIPp ${successful + failed} (+ ${o.warmupCalls} warm-up)`,
      );
    }
    const responderCpuMs = cpu1 - cpu0;
    return {
      responder: kind,
      rate,
      seconds: o.seconds,
      held: why.length === 0,
      why,
      attempted,
      successful,
      failed,
      retransmissions,
      deadCallMsgs: num(row['DeadCallMsgs(C)']),
      outOfCallMsgs: num(row['OutOfCallMsgs(C)']),
      elapsedSec: round(elapsedSec, 2),
      achievedRate: round(achievedRate, 1),
      watchdog,
      responderCpuMs,
      uacCpuMs: uacCpu,
      otherCpuMs: Math.max(
        0,
        Math.round(busy1 - busy0 - responderCpuMs - (Number.isFinite(uacCpu) ? uacCpu : 0)),
      ),
      windowMs,
      quietWait,
      responderCpuMsPerCall: successful > 0 ? round(responderCpuMs / successful, 4) : null,
      uacCpuMsPerCall:
        successful > 0 && Number.isFinite(uacCpu) ? round(uacCpu / successful, 4) : null,
      responderMaxRssMiB: rss === null ? null : round(rss / 1024, 1),
      responderView: view,
      periods: periodRows(text).map((p) => [
        num(p['OutgoingCall(P)']),
        num(p['SuccessfulCall(P)']),
        num(p['FailedCall(P)']),
        num(p['Retransmissions(P)']),
      ]),
    };
  } finally {
    await killHard(responder.proc);
  }
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function line(r: StepResult): string {
  const cells = [
    r.responder.padEnd(10),
    String(r.rate).padStart(6),
    (r.held ? 'held' : 'NO').padEnd(4),
    String(r.attempted).padStart(7),
    String(r.successful).padStart(7),
    String(r.failed).padStart(6),
    String(r.retransmissions).padStart(7),
    r.achievedRate.toFixed(0).padStart(6),
    (r.responderCpuMsPerCall?.toFixed(3) ?? '-').padStart(9),
    (r.uacCpuMsPerCall?.toFixed(3) ?? '-').padStart(8),
    String(r.responderMaxRssMiB ?? '-').padStart(7),
    (r.otherCpuMs / Math.max(1, r.windowMs)).toFixed(2).padStart(5),
  ];
  return `${cells.join(' ')}  ${r.why.join('; ')}`;
}

const HEADER = `${'responder'.padEnd(10)} ${'rate'.padStart(6)} held ${'calls'.padStart(7)} ${'ok'.padStart(7)} ${'failed'.padStart(6)} ${'retrans'.padStart(7)} ${'cps'.padStart(6)} ${'resp ms/c'.padStart(9)} ${'uac ms/c'.padStart(8)} ${'rss MiB'.padStart(7)} ${'other'.padStart(5)}`;

async function runResponder(
  kind: ResponderKind,
  o: Options,
  work: string,
  all: StepResult[],
): Promise<number> {
  let runNo = 0;
  /** Run `rate` o.repeat times (stopping at the first failure unless sweeping); all must hold. */
  const tryRate = async (rate: number, note: string): Promise<boolean> => {
    let held = true;
    for (let i = 0; i < o.repeat; i++) {
      if (runNo++ > 0) await sleep(1000);
      const r = await runStep(kind, rate, o, work, `${rate}-${i + 1}`);
      all.push(r);
      process.stdout.write(`${line(r)}${note}\n`);
      held &&= r.held;
      if (!held && !o.sweep) break;
    }
    return held;
  };
  let highest = 0;
  let firstFail: number | undefined;
  for (const rate of o.rates) {
    if (await tryRate(rate, '')) {
      highest = Math.max(highest, rate);
      continue;
    }
    firstFail ??= rate;
    if (!o.sweep) break;
  }
  // Bisect between the last held rate and the first failure (rounded to 10 cps).
  for (let i = 0; i < o.bisect && !o.sweep && firstFail !== undefined; i++) {
    const mid = Math.round((highest + firstFail) / 20) * 10;
    if (mid <= highest || mid >= firstFail) break;
    if (await tryRate(mid, '  (bisect)')) highest = mid;
    else firstFail = mid;
  }
  return highest;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  stopChildrenOnSignal();
  const work = o.keepDir ?? mkdtempSync(join(tmpdir(), 'trunkscope-cps-'));
  mkdirSync(work, { recursive: true });
  if (o.cpuProfDir) mkdirSync(o.cpuProfDir, { recursive: true });
  let commit: string | undefined;
  if (o.commit !== undefined) {
    appRoot = join(work, 'app');
    commit = snapshot(o.commit, appRoot);
  }
  const hasNoMedia = listenerHasNoMedia(appRoot);
  if (!o.media && hasNoMedia) o.listenerArgs = ['--no-media', ...o.listenerArgs];
  process.stdout.write(
    `listener: ${o.media ? 'media per call' : hasNoMedia ? 'signaling only (--no-media)' : 'no --no-media flag (opens whatever media its answer mode implies)'}\n`,
  );
  process.stdout.write(
    `cps: ${o.seconds} s steps, rates ${o.rates.join(',')}, responders ${o.responders.join(',')}${o.quick ? ' (quick)' : ''}\n${HEADER}\n`,
  );
  const steps: StepResult[] = [];
  const highest: Partial<Record<ResponderKind, number>> = {};
  try {
    for (const kind of o.responders) highest[kind] = await runResponder(kind, o, work, steps);
  } finally {
    if (!o.keepDir) rmSync(work, { recursive: true, force: true });
  }
  const ratioTo = (ref: ResponderKind): number | null => {
    const r = highest[ref];
    return r && highest.trunkscope !== undefined ? round(highest.trunkscope / r, 3) : null;
  };
  const ratio = ratioTo('sipp');
  const ratioToDefault = ratioTo('sipp-default');
  const cpuAt = (kind: ResponderKind): number | null =>
    steps.find((s) => s.responder === kind && s.rate === highest[kind])?.responderCpuMsPerCall ??
    null;
  // How many runs of each rate held ("k/n"), per responder.
  const heldRuns: Record<string, Record<string, string>> = {};
  for (const kind of o.responders) {
    const per = new Map<number, [number, number]>();
    for (const st of steps.filter((x) => x.responder === kind)) {
      const c = per.get(st.rate) ?? [0, 0];
      per.set(st.rate, [c[0] + (st.held ? 1 : 0), c[1] + 1]);
    }
    heldRuns[kind] = Object.fromEntries(
      [...per].sort((a, b) => a[0] - b[0]).map(([r, [k, n]]) => [r, `${k}/${n}`]),
    );
  }
  const summary = {
    highestHeld: highest,
    ratio,
    ratioToSippDefaultBuffer: ratioToDefault,
    responderCpuMsPerCallAtHighest: Object.fromEntries(o.responders.map((k) => [k, cpuAt(k)])),
    heldRuns,
  };
  for (const kind of o.responders) {
    process.stdout.write(
      `highest held rate, ${kind}: ${highest[kind] ? `${highest[kind]} cps` : 'none'}\n`,
    );
    if (o.repeat > 1 || o.sweep)
      process.stdout.write(
        `  runs held per rate: ${Object.entries(heldRuns[kind]!)
          .map(([r, kn]) => `${r}:${kn}`)
          .join(' ')}\n`,
      );
  }
  if (ratio !== null) process.stdout.write(`ratio trunkscope / sipp (4 MiB buffer): ${ratio}\n`);
  if (ratioToDefault !== null)
    process.stdout.write(`ratio trunkscope / sipp (default buffer): ${ratioToDefault}\n`);
  const result = {
    date: new Date().toISOString(),
    source: gitState(commit),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? '?',
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    options: {
      rates: o.rates,
      seconds: o.seconds,
      bisect: o.bisect,
      repeat: o.repeat,
      sweep: o.sweep,
      warmupCalls: o.warmupCalls,
      quietWaitSec: o.quietWaitSec,
      recvTimeoutMs: o.recvTimeoutMs,
      quick: o.quick,
      listenerArgs: o.listenerArgs,
      media: o.media,
      listenerHasNoMedia: hasNoMedia,
    },
    held: 'zero failed calls, zero SIPp retransmissions, every call successful and the target rate offered over the whole step',
    summary,
    steps,
  };
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(o.out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`results: ${o.out}\n`);
}

await main();
