/**
 * What one step of one setup produced, and the window bookkeeping every setup shares: CPU of the
 * responder and the generator (and of the whole machine, to show how busy the neighbours were)
 * and UDP socket drops on either side over the same window.
 */
import {
  cpuBetween,
  machineBusyPercent,
  sampleCpu,
  udpDrops,
  sumDrops,
  type CpuSample,
} from './proc.ts';

export type SetupName = 'agent' | 'echo-sessions' | 'sipp-echo' | 'sipp-own';

export interface StepResult {
  setup: SetupName;
  calls: number;
  /** Calls that were up during the window (setup a/c may fall short of `calls`). */
  callsUp: number;
  seconds: number;
  /** Loss generator → responder, %. */
  lossFwdPct: number;
  /** Loss responder → generator, %. */
  lossRetPct: number;
  /** Frames sent in the window that never came back (tags), % (our generator only). */
  roundTripLossPct: number | null;
  responderCpuPct: number;
  responderWaitMsPerS: number;
  generatorCpuPct: number;
  generatorWaitMsPerS: number;
  /** Whole machine, % of one core (2 cores = 200 %). */
  machineBusyPct: number;
  /** What other processes (not this step's) used meanwhile, % of one core. */
  othersPct: number;
  /** RFC 3550 J of the returning streams at the generator, ms (our generator only). */
  jitterP50Ms: number | null;
  jitterP99Ms: number | null;
  /** Kernel drops on the responder's / generator's sockets during the window. */
  dropsResponder: number;
  dropsGenerator: number;
  /** Frames our generator's media clock skipped in the window (it fell > 3 frames behind). */
  genSkippedFrames: number | null;
  genLoopDelayP99Ms: number | null;
  notes: string[];
}

export class Window {
  private cpu0!: CpuSample;
  private cpu1!: CpuSample;
  private drops0 = { r: new Map<number, number>(), g: new Map<number, number>() };
  private drops1 = { r: new Map<number, number>(), g: new Map<number, number>() };
  private t0 = 0;
  private t1 = 0;
  private readonly pids: { responder: number[]; generator: number; extra?: number[] };
  private readonly ports: { responder: () => number[]; generator: () => number[] };
  constructor(
    pids: { responder: number[]; generator: number; extra?: number[] },
    ports: { responder: () => number[]; generator: () => number[] },
  ) {
    this.pids = pids;
    this.ports = ports;
  }

  start(): void {
    this.drops0 = { r: udpDrops(this.ports.responder()), g: udpDrops(this.ports.generator()) };
    this.cpu0 = sampleCpu(this.allPids());
    this.t0 = performance.now();
  }

  end(): void {
    this.t1 = performance.now();
    this.cpu1 = sampleCpu(this.allPids());
    this.drops1 = { r: udpDrops(this.ports.responder()), g: udpDrops(this.ports.generator()) };
  }

  private allPids(): number[] {
    return [...this.pids.responder, this.pids.generator, ...(this.pids.extra ?? [])];
  }

  get seconds(): number {
    return (this.t1 - this.t0) / 1000;
  }

  cpu() {
    const r = this.pids.responder.map((p) => cpuBetween(this.cpu0, this.cpu1, p));
    const g = cpuBetween(this.cpu0, this.cpu1, this.pids.generator);
    const extra = (this.pids.extra ?? []).reduce(
      (a, p) => a + (cpuBetween(this.cpu0, this.cpu1, p).cpu || 0),
      0,
    );
    const machine = machineBusyPercent(this.cpu0, this.cpu1, 2);
    const mine = r.reduce((a, x) => a + (x.cpu || 0), 0) + (g.cpu || 0) + extra;
    return {
      othersPct: Math.max(0, machine - mine),
      responderCpuPct: r.reduce((a, x) => a + x.cpu, 0),
      responderWaitMsPerS: r.reduce((a, x) => a + x.waitMsPerS, 0),
      generatorCpuPct: g.cpu,
      generatorWaitMsPerS: g.waitMsPerS,
      machineBusyPct: machine,
    };
  }

  drops(): { responder: number; generator: number } {
    return {
      responder: sumDrops(this.drops0.r, this.drops1.r),
      generator: sumDrops(this.drops0.g, this.drops1.g),
    };
  }
}

export const pct = (part: number, whole: number): number =>
  whole > 0 ? (part / whole) * 100 : NaN;

export function pctile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `cond` every `everyMs` until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(
  cond: () => boolean,
  timeoutMs: number,
  everyMs = 100,
): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (cond()) return true;
    await sleep(everyMs);
  }
  return cond();
}

/**
 * Wait until the shared machine is quiet: busy < `maxBusyPct` (% of one core, of 200) over
 * `overSec` seconds, at most `maxWaitSec`. Returns the last busy figure and the seconds waited.
 */
export async function waitQuiet(
  maxBusyPct: number,
  overSec: number,
  maxWaitSec: number,
): Promise<{ busyPct: number; waitedSec: number }> {
  const t0 = performance.now();
  for (;;) {
    const a = sampleCpu([]);
    await sleep(overSec * 1000);
    const busy = machineBusyPercent(a, sampleCpu([]), 2);
    const waited = (performance.now() - t0) / 1000;
    if (busy < maxBusyPct || waited >= maxWaitSec) return { busyPct: busy, waitedSec: waited };
  }
}
