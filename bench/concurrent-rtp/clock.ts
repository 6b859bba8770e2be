/**
 * Send-time jitter of the shared media clock: N streams at 20 ms inside one process.
 *
 * For every stream we take the time each frame was actually handled (process.hrtime at tick
 * entry) and run RFC 3550 §6.4.1 / A.8 interarrival jitter on those send times against the
 * frames' nominal times: D(i-1, i) = (S_i − S_{i−1}) − ptime, J += (|D| − J)/16. J is averaged
 * over the measured period (after a warm-up) per stream, and we print p50/p99 across streams,
 * plus how late ticks ran behind their due time, clock catch-up skips and CPU use.
 *
 * Modes:
 *   tick  the tick only records the time (the clock alone);
 *   send  real RtpSessions (PCMU 20 ms, tone source, rtcp-mux) send to one UDP sink socket in
 *         this process, which counts what arrives (so the figure includes encode + SRTP-less
 *         serialize + sendmsg, and the receive load of the sink).
 *
 *   node bench/concurrent-rtp/clock.ts [--streams 200,500] [--seconds 10] [--mode tick,send]
 *        [--warmup 1] [--json]
 *
 * Bounded: each run lasts warm-up + seconds, then every session and socket is closed.
 */
import { readFileSync } from 'node:fs';
import { createMediaClock, type MediaClock } from '../../src/main/media/clock/media-clock.ts';
import { pcmuCodec } from '../../src/main/media/codec/g711.ts';
import { RtpSession } from '../../src/main/media/session/rtp-session.ts';
import type { SessionCodec } from '../../src/main/media/session/types.ts';
import { isRtcp } from '../../src/main/media/rtp/rtcp-packet.ts';
import { ToneSource } from '../../src/main/media/source/tone.ts';
import { MediaSocket } from '../../src/main/media/transport/rtp-socket.ts';

type Mode = 'tick' | 'send';

interface Options {
  streams: number[];
  seconds: number;
  warmup: number;
  modes: Mode[];
  json: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    streams: [200, 500],
    seconds: 10,
    warmup: 1,
    modes: ['tick', 'send'],
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1] ?? '';
    if (a === '--streams') o.streams = v.split(',').map(Number);
    else if (a === '--seconds') o.seconds = Number(v);
    else if (a === '--warmup') o.warmup = Number(v);
    else if (a === '--mode') o.modes = v.split(',') as Mode[];
    else if (a === '--json') {
      o.json = true;
      continue;
    } else throw new Error(`unknown argument ${a}`);
    i++;
  }
  return o;
}

const PTIME = 20;

/** RFC 3550 A.8 jitter over send times, ms; averaged over the measured frames. */
class SendJitter {
  private last: { frame: number; t: number } | undefined;
  private j = 0;
  sum = 0;
  n = 0;
  lateSum = 0;
  readonly late: number[] = [];

  record(frame: number, tMs: number, dueMs: number, measuring: boolean): void {
    const last = this.last;
    if (last) {
      const d = tMs - last.t - (frame - last.frame) * PTIME;
      this.j += (Math.abs(d) - this.j) / 16;
    }
    this.last = { frame, t: tMs };
    if (measuring) {
      this.sum += this.j;
      this.n++;
      if (this.late.length < 4096) this.late.push(tMs - dueMs);
    }
  }

  get mean(): number {
    return this.n ? this.sum / this.n : 0;
  }
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * ms this process spent runnable but waiting for a CPU (Linux /proc/self/schedstat, field 2):
 * on a shared 2-core machine, other processes' load shows up here, not in our CPU time.
 */
function runQueueWaitMs(): number {
  try {
    return Number(readFileSync('/proc/self/schedstat', 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return NaN;
  }
}

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wrap a clock so every tick of every stream is timed. */
function instrument(clock: MediaClock, meters: SendJitter[], measuring: () => boolean): MediaClock {
  const register = clock.register.bind(clock);
  clock.register = (ptime, tick, opts) => {
    const m = new SendJitter();
    meters.push(m);
    const h = register(
      ptime,
      (frame, now) => {
        const t = nowMs();
        m.record(frame, t, t - (clock.nowMs() - (h.startMs + frame * ptime)), measuring());
        tick(frame, now);
      },
      opts,
    );
    return h;
  };
  return clock;
}

interface RunResult {
  mode: Mode;
  streams: number;
  seconds: number;
  jitterP50Ms: number;
  jitterP99Ms: number;
  jitterMaxMs: number;
  lateP50Ms: number;
  lateP99Ms: number;
  skippedFrames: number;
  cpuPercentOfOneCore: number;
  runQueueWaitMs: number;
  packetsSent?: number;
  packetsReceived?: number;
  lossPercent?: number;
}

async function run(mode: Mode, n: number, o: Options): Promise<RunResult> {
  let measuring = false;
  const meters: SendJitter[] = [];
  const clock = instrument(createMediaClock(), meters, () => measuring);
  const handles: Array<{ unregister(): void }> = [];
  const sessions: RtpSession[] = [];
  let sink: MediaSocket | undefined;
  let received = 0;
  if (mode === 'tick') {
    for (let i = 0; i < n; i++) {
      // Spread the streams' phases over the ptime, as calls started at random times would be.
      handles.push(clock.register(PTIME, () => undefined, { startDelayMs: (i * PTIME) / n }));
    }
  } else {
    sink = await MediaSocket.bind('127.0.0.1', 0, (b) => void (isRtcp(b) || received++), 8 << 20);
    for (let i = 0; i < n; i++) {
      const tone = new ToneSource();
      const s = await RtpSession.open({
        bindAddress: '127.0.0.1',
        rtcpMux: true,
        codec: pcmuCodec as SessionCodec,
        ptimeMs: PTIME,
        source: { read: (f) => f.set(tone.next(f.length)) },
        remote: { address: '127.0.0.1', port: sink.port },
        clock,
      });
      sessions.push(s);
      await sleep(PTIME / n); // random-ish phases
    }
  }
  await sleep(o.warmup * 1000);
  const skippedBefore = clock.stats().skippedFrames;
  const cpu0 = process.cpuUsage();
  const wait0 = runQueueWaitMs();
  const t0 = nowMs();
  measuring = true;
  await sleep(o.seconds * 1000);
  measuring = false;
  const wall = nowMs() - t0;
  const cpu = process.cpuUsage(cpu0);
  const waited = runQueueWaitMs() - wait0;
  // Loss over the whole run (warm-up included): stop sending, let in-flight datagrams land.
  const sent = sessions.reduce((a, s) => a + s.stats().sent.packets, 0);
  for (const s of sessions) s.setDirection('inactive');
  await sleep(100);
  const got = received;
  const skipped = clock.stats().skippedFrames - skippedBefore;
  for (const h of handles) h.unregister();
  await Promise.all(sessions.map((s) => s.close()));
  await sink?.close();

  const js = meters.map((m) => m.mean).sort((a, b) => a - b);
  const late = meters.flatMap((m) => m.late).sort((a, b) => a - b);
  const r: RunResult = {
    mode,
    streams: n,
    seconds: o.seconds,
    jitterP50Ms: pct(js, 50),
    jitterP99Ms: pct(js, 99),
    jitterMaxMs: js.at(-1) ?? NaN,
    lateP50Ms: pct(late, 50),
    lateP99Ms: pct(late, 99),
    skippedFrames: skipped,
    cpuPercentOfOneCore: ((cpu.user + cpu.system) / 1000 / wall) * 100,
    runQueueWaitMs: waited,
  };
  if (mode === 'send') {
    r.packetsSent = sent;
    r.packetsReceived = got;
    r.lossPercent = sent ? Math.max(0, ((sent - got) / sent) * 100) : 0;
  }
  return r;
}

const f = (x: number | undefined, d = 3) => (x === undefined ? '-' : x.toFixed(d));

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const results: RunResult[] = [];
  for (const mode of o.modes) {
    for (const n of o.streams) {
      const r = await run(mode, n, o);
      results.push(r);
      if (!o.json) {
        console.log(
          `${mode.padEnd(4)} ${String(n).padStart(4)} streams ${o.seconds}s: ` +
            `J p50 ${f(r.jitterP50Ms)} ms, p99 ${f(r.jitterP99Ms)} ms, max ${f(r.jitterMaxMs)} ms | ` +
            `late p50 ${f(r.lateP50Ms)} ms, p99 ${f(r.lateP99Ms)} ms | skipped ${r.skippedFrames} | ` +
            `CPU ${f(r.cpuPercentOfOneCore, 0)}% of a core, waited ${f(r.runQueueWaitMs, 0)} ms for one` +
            (mode === 'send'
              ? ` | sent ${r.packetsSent}, received ${r.packetsReceived}, loss ${f(r.lossPercent, 3)}%`
              : ''),
        );
      }
    }
  }
  if (o.json) console.log(JSON.stringify({ node: process.version, results }, null, 2));
}

await main();
