/**
 * One step (N concurrent calls) of each setup:
 *
 * a2. `echo-sessions`: the same generator against N bare echo RtpSessions in their own process.
 * a. `agent`: our real echo agent, `trunkscope listen --json` (SIP stack + CallMedia per call, as
 *    a user runs it), in its own process. SIPp places the N calls (SIP only) with SDP naming the
 *    generator's sessions, and logs the port each 200 OK names; the generator then sends there.
 * b. `sipp-echo`: the same generator against `sipp -sn uas -rtp_echo` (one media port).
 * c. `sipp-own`: SIPp UAC playing `rtp_stream` into SIPp UAS `-rtp_echo` (SIPp's own figure).
 *
 * Loss is measured over a window after a warm-up. For our generator: frames sent in the window
 * whose tag came back (round trip), the returning streams' sequence numbers (return direction),
 * and for the agent its own per-call received counts (forward direction, whole call). For SIPp's
 * echo and SIPp's own run: kernel drops on each side's sockets (on 127.0.0.1 that is where UDP
 * loss happens) over the packets of the window.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EchoStats } from './echo-agent.ts';
import type { GenWindow } from './generator.ts';
import { forkChild } from './child.ts';
import { pct, pctile, sleep, waitFor, Window, type StepResult } from './measure.ts';
import { udpPortsOfPid } from './proc.ts';
import { sippEcho, sippScreen, startProc, uacForGeneratorXml, uacRtpStreamXml } from './sipp.ts';

export interface StepOptions {
  /** Write a V8 CPU profile of the agent (setup a) into `dir`. */
  profileAgent?: boolean;
  calls: number;
  seconds: number;
  warmupSec: number;
  /** SIP call rate for setting calls up, calls/s. */
  rate: number;
  dir: string;
  repo: string;
}

const PORTS = {
  agentSip: 35060,
  uacSip: 35061,
  echoSip: 35070,
  uac2Sip: 35071,
  cp: 35095,
  echoMedia: 45000,
  uacMedia: 46000,
};
const GEN_RANGE = { portMin: 20000, portMax: 29999 };
const AGENT_RANGE = '30000-39999';

function genResult(w: GenWindow) {
  return {
    roundTripLossPct: pct(w.sent - w.returned, w.sent),
    jitterP50Ms: pctile(w.jitterMs, 50),
    jitterP99Ms: pctile(w.jitterMs, 99),
    genSkippedFrames: w.skippedFrames,
    genLoopDelayP99Ms: w.loopDelayP99Ms,
  };
}

/** Setup a: generator ↔ `trunkscope listen` (SIP by SIPp). */
export async function agentStep(o: StepOptions): Promise<StepResult> {
  const notes: string[] = [];
  const agent = startProc(
    process.execPath,
    [
      ...(o.profileAgent ? ['--cpu-prof', `--cpu-prof-dir=${o.dir}`] : []),
      join(o.repo, 'bin/trunkscope.mjs'),
      'listen',
      '--json',
      '--port',
      String(PORTS.agentSip),
      '--transport',
      'udp',
      '--bind',
      '127.0.0.1',
      '--rtp-ports',
      AGENT_RANGE,
      '--codec',
      'PCMU',
    ],
    o.dir,
    'agent',
  );
  const gen = forkChild('./generator.ts', 'generator');
  let uac: ReturnType<typeof startProc> | undefined;
  try {
    const errFile = join(o.dir, 'agent.err');
    if (
      !(await waitFor(
        () => existsSync(errFile) && readFileSync(errFile, 'utf8').includes('listening'),
        20_000,
      ))
    )
      throw new Error(`agent did not start: ${readFileSync(errFile, 'utf8')}`);
    const { ports } = await gen.call<{ ports: number[] }>({ t: 'open', n: o.calls, ...GEN_RANGE });
    writeFileSync(
      join(o.dir, 'ports.csv'),
      `SEQUENTIAL\n${ports.map((p) => `${p};`).join('\n')}\n`,
    );
    writeFileSync(join(o.dir, 'uac.xml'), uacForGeneratorXml());
    const logFile = join(o.dir, 'map.log');
    uac = startProc(
      'sipp',
      [
        `127.0.0.1:${PORTS.agentSip}`,
        '-sf',
        'uac.xml',
        '-inf',
        'ports.csv',
        '-i',
        '127.0.0.1',
        '-p',
        String(PORTS.uacSip),
        '-cp',
        String(PORTS.cp),
        '-r',
        String(o.rate),
        '-l',
        String(o.calls),
        '-m',
        String(o.calls),
        '-nostdin',
        '-f',
        '1',
        '-trace_logs',
        '-log_file',
        logFile,
        '-timeout',
        '900s',
      ],
      o.dir,
      'uac',
    );
    // Hand the agent's RTP ports to the generator as the 200 OKs arrive.
    const mapped = new Map<number, number>();
    const setupDeadline = (o.calls / o.rate) * 1000 + 30_000;
    await waitFor(
      () => {
        const text = existsSync(logFile) ? readFileSync(logFile, 'latin1') : '';
        const fresh: Array<[number, number]> = [];
        for (const m of text.matchAll(/MAP (\d+) (\d+)/g)) {
          const g = Number(m[1]);
          if (!mapped.has(g)) {
            mapped.set(g, Number(m[2]));
            fresh.push([g, Number(m[2])]);
          }
        }
        if (fresh.length) void gen.call({ t: 'remotes', pairs: fresh });
        return mapped.size >= o.calls;
      },
      setupDeadline,
      200,
    );
    if (mapped.size < o.calls) notes.push(`only ${mapped.size}/${o.calls} calls set up`);
    await sleep(300);
    // The agent must have opened real RTP sockets for the calls (not a signaling-only answer).
    const bound = new Set(udpPortsOfPid(agent.pid));
    const open = [...mapped.values()].filter((p) => bound.has(p)).length;
    if (open < mapped.size * 0.9)
      throw new Error(`agent holds RTP sockets for only ${open} of ${mapped.size} calls`);
    await sleep(o.warmupSec * 1000);
    const agentPorts = [...mapped.values()];
    const win = new Window(
      { responder: [agent.pid], generator: gen.pid, extra: [uac.pid] },
      { responder: () => agentPorts, generator: () => ports },
    );
    win.start();
    await gen.call({ t: 'window-start' });
    await sleep(o.seconds * 1000);
    win.end();
    const w = await gen.call<GenWindow>({ t: 'window-end', graceMs: 1000 });
    const { sent } = await gen.call<{ sent: Array<[number, number]> }>({ t: 'stop' });
    // The agent hangs up every call on SIGTERM and prints its report (one entry per call).
    await agent.stop(60_000);
    const report = JSON.parse(readFileSync(join(o.dir, 'agent.out'), 'utf8')) as {
      calls: Array<{
        media?: {
          sdpRemote: string | null;
          sent: { packets: number };
          received: { packets: number };
        };
      }>;
    };
    const sentByPort = new Map(sent);
    let genSent = 0;
    let agentRecv = 0;
    let agentSent = 0;
    for (const c of report.calls) {
      const port = Number(c.media?.sdpRemote?.split(':').pop());
      if (!c.media || !sentByPort.has(port)) continue;
      genSent += sentByPort.get(port)!;
      agentRecv += c.media.received.packets;
      agentSent += c.media.sent.packets;
    }
    notes.push(`agent echoed ${agentSent} of ${agentRecv} packets it received (whole calls)`);
    if (w.tagMismatch) notes.push(`${w.tagMismatch} payloads came back on the wrong stream`);
    const drops = win.drops();
    return {
      setup: 'agent',
      calls: o.calls,
      callsUp: mapped.size,
      seconds: win.seconds,
      lossFwdPct: pct(genSent - agentRecv, genSent),
      lossRetPct: pct(w.seqExpected - w.seqReceived, w.seqExpected),
      ...genResult(w),
      ...win.cpu(),
      dropsResponder: drops.responder,
      dropsGenerator: drops.generator,
      notes,
    };
  } finally {
    await agent.stop(5000);
    await uac?.stop(5000);
    await gen.close();
  }
}

/** Setup a2: generator ↔ bare echo RtpSessions in their own process (no SIP, no CallMedia). */
export async function echoSessionsStep(o: StepOptions): Promise<StepResult> {
  const notes: string[] = [];
  const echo = forkChild('./echo-agent.ts', 'echo-agent');
  const gen = forkChild('./generator.ts', 'generator');
  try {
    const { ports: echoPorts } = await echo.call<{ ports: number[] }>({
      t: 'open',
      n: o.calls,
      portMin: 30000,
      portMax: 39999,
    });
    const { ports } = await gen.call<{ ports: number[] }>({ t: 'open', n: o.calls, ...GEN_RANGE });
    await gen.call({ t: 'remotes', pairs: ports.map((p, i) => [p, echoPorts[i]!]) });
    await sleep(o.warmupSec * 1000);
    const win = new Window(
      { responder: [echo.pid], generator: gen.pid },
      { responder: () => echoPorts, generator: () => ports },
    );
    const e0 = await echo.call<EchoStats>({ t: 'stats' });
    win.start();
    await gen.call({ t: 'window-start' });
    await sleep(o.seconds * 1000);
    win.end();
    const e1 = await echo.call<EchoStats>({ t: 'stats' });
    const w = await gen.call<GenWindow>({ t: 'window-end', graceMs: 1000 });
    const { sent } = await gen.call<{ sent: Array<[number, number]> }>({ t: 'stop' });
    const e2 = await echo.call<EchoStats>({ t: 'stats' });
    const genSent = sent.reduce((a, [, n]) => a + n, 0);
    notes.push(
      `window: echo queue dropped ${e1.echoDropped - e0.echoDropped}, echo clock skipped ${e1.skippedFrames - e0.skippedFrames} frames; ` +
        `whole run: echoed ${e2.sent} of ${e2.received} received`,
    );
    if (w.tagMismatch) notes.push(`${w.tagMismatch} payloads came back on the wrong stream`);
    const drops = win.drops();
    return {
      setup: 'echo-sessions',
      calls: o.calls,
      callsUp: o.calls,
      seconds: win.seconds,
      lossFwdPct: pct(genSent - e2.received, genSent),
      lossRetPct: pct(w.seqExpected - w.seqReceived, w.seqExpected),
      ...genResult(w),
      ...win.cpu(),
      dropsResponder: drops.responder,
      dropsGenerator: drops.generator,
      notes,
    };
  } finally {
    await gen.close();
    await echo.close();
  }
}

/** Setup b: generator ↔ `sipp -rtp_echo`. */
export async function sippEchoStep(o: StepOptions): Promise<StepResult> {
  const notes: string[] = [];
  const echo = sippEcho(o.dir, PORTS.echoSip, PORTS.echoMedia, 'echo');
  const gen = forkChild('./generator.ts', 'generator');
  try {
    await waitFor(() => udpPortsOfPid(echo.pid).includes(PORTS.echoMedia), 10_000);
    const { ports } = await gen.call<{ ports: number[] }>({
      t: 'open',
      n: o.calls,
      remote: { address: '127.0.0.1', port: PORTS.echoMedia },
      ...GEN_RANGE,
    });
    await sleep(o.warmupSec * 1000);
    const win = new Window(
      { responder: [echo.pid], generator: gen.pid },
      { responder: () => [PORTS.echoMedia], generator: () => ports },
    );
    const screen = join(o.dir, 'echo-screen.log');
    const c0 = await sippScreen(echo, screen);
    win.start();
    await gen.call({ t: 'window-start' });
    await sleep(o.seconds * 1000);
    win.end();
    const w = await gen.call<GenWindow>({ t: 'window-end', graceMs: 500 });
    const c1 = await sippScreen(echo, screen);
    if (c0 && c1) {
      const rate = (c1.echoed - c0.echoed) / (c1.atSec - c0.atSec);
      notes.push(
        `SIPp echoed ${((rate / (o.calls * 50)) * 100).toFixed(2)} % of the nominal packet rate`,
      );
    }
    if (w.tagMismatch) notes.push(`${w.tagMismatch} payloads came back on the wrong stream`);
    const drops = win.drops();
    return {
      setup: 'sipp-echo',
      calls: o.calls,
      callsUp: o.calls,
      seconds: win.seconds,
      lossFwdPct: pct(drops.responder, w.sent),
      lossRetPct: pct(drops.generator, w.sent - drops.responder),
      ...genResult(w),
      ...win.cpu(),
      dropsResponder: drops.responder,
      dropsGenerator: drops.generator,
      notes,
    };
  } finally {
    await gen.close();
    await echo.stop(3000);
  }
}

/**
 * Setup c: SIPp UAC `rtp_stream` → SIPp UAS `-rtp_echo`. SIPp 3.6.1's UAC sends every call's
 * stream from its one media socket and never reads it, so the echoed packets pile up and are
 * dropped there: the return direction is not measurable in SIPp's own setup (reported as such).
 * Forward loss = drops on the echo socket over the packets the UAC sent in the window (its
 * "Total RTP pckts sent" counter, read by SIGUSR2 screen dumps).
 */
export async function sippOwnStep(o: StepOptions, toneFile: string): Promise<StepResult> {
  const notes: string[] = [];
  const echo = sippEcho(o.dir, PORTS.echoSip, PORTS.echoMedia, 'echo');
  const rampMs = (o.calls / o.rate) * 1000;
  const holdMs = Math.round(rampMs + (o.warmupSec + o.seconds + 10) * 1000);
  writeFileSync(join(o.dir, 'uac.xml'), uacRtpStreamXml(toneFile, holdMs));
  await waitFor(() => udpPortsOfPid(echo.pid).includes(PORTS.echoMedia), 10_000);
  const uac = startProc(
    'sipp',
    [
      `127.0.0.1:${PORTS.echoSip}`,
      '-sf',
      'uac.xml',
      '-i',
      '127.0.0.1',
      '-p',
      String(PORTS.uac2Sip),
      '-cp',
      String(PORTS.cp + 1),
      '-mi',
      '127.0.0.1',
      '-mp',
      String(PORTS.uacMedia),
      '-r',
      String(o.rate),
      '-l',
      String(o.calls),
      '-m',
      String(o.calls),
      '-nostdin',
      '-timeout',
      '900s',
    ],
    o.dir,
    'uac',
  );
  try {
    // The UAS side counts the calls in progress (the UAC's own screen dumps arrive late).
    const echoScreen = join(o.dir, 'echo-screen.log');
    let up = 0;
    await sleep(rampMs + 500);
    for (let i = 0; i < 60 && up < o.calls; i++) {
      up = (await sippScreen(echo, echoScreen))?.calls ?? 0;
      if (up < o.calls) await sleep(500);
    }
    if (up < o.calls) notes.push(`only ${up}/${o.calls} calls set up`);
    await sleep(o.warmupSec * 1000);
    const uacPorts = [PORTS.uacMedia, PORTS.uacMedia + 2];
    const win = new Window(
      { responder: [echo.pid], generator: uac.pid },
      { responder: () => [PORTS.echoMedia], generator: () => uacPorts },
    );
    const e0 = await sippScreen(echo, echoScreen);
    win.start();
    await sleep(o.seconds * 1000);
    win.end();
    const e1 = await sippScreen(echo, echoScreen);
    const drops = win.drops();
    // Every packet the UAC sent reached the echo socket: echoed there, or dropped there.
    let sent = up * 50 * win.seconds;
    if (e0 && e1) {
      const span = e1.atSec - e0.atSec;
      const arrived = e1.echoed - e0.echoed + drops.responder;
      sent = arrived * (win.seconds / span);
      notes.push(
        `SIPp UAC sent ${((arrived / span / (up * 50)) * 100).toFixed(2)} % of the nominal packet rate`,
      );
    } else notes.push('echo counters unreadable: nominal packet count used');
    notes.push(
      `← not measurable: SIPp's UAC never reads its RTP socket (${drops.generator} dropped there)`,
    );
    return {
      setup: 'sipp-own',
      calls: o.calls,
      callsUp: up,
      seconds: win.seconds,
      lossFwdPct: pct(drops.responder, sent),
      lossRetPct: NaN,
      roundTripLossPct: null,
      jitterP50Ms: null,
      jitterP99Ms: null,
      genSkippedFrames: null,
      genLoopDelayP99Ms: null,
      ...win.cpu(),
      dropsResponder: drops.responder,
      dropsGenerator: drops.generator,
      notes,
    };
  } finally {
    await uac.stop(3000);
    await echo.stop(3000);
  }
}
