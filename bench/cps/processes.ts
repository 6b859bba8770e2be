/** The processes of the cps bench: SIPp UAS / trunkscope listener as responders, the SIPp UAC. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { lastCsvRow, num, udpPortBound } from './proc.ts';

/** Every process this bench started and that has not exited: killed by PID if the bench is stopped. */
const live = new Set<ChildProcess>();

function track(proc: ChildProcess): ChildProcess {
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
  return proc;
}

/** On SIGINT/SIGTERM: SIGKILL what this bench started (SIPp under its shell first), then exit. */
export function stopChildrenOnSignal(): void {
  const stop = (sig: NodeJS.Signals): void => {
    for (const proc of live) {
      if (proc.pid === undefined) continue;
      for (const pid of childPids(proc.pid)) tryKill(pid);
      tryKill(proc.pid);
    }
    process.stderr.write(`cps: stopped by ${sig}\n`);
    process.exit(130);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** A started responder: its PID, how to stop it, and what it saw. */
export interface Responder {
  proc: ChildProcess;
  stop(): Promise<Record<string, number | string>>;
}

export function waitExit(proc: ChildProcess, ms: number): Promise<boolean> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(true);
  return new Promise((res) => {
    const t = setTimeout(() => res(false), ms);
    proc.once('exit', () => {
      clearTimeout(t);
      res(true);
    });
  });
}

export async function killHard(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return;
  try {
    process.kill(proc.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  await waitExit(proc, 2000);
}

async function waitBound(
  port: number,
  proc: ChildProcess,
  ms: number,
  what: string,
): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (proc.exitCode !== null)
      throw new Error(`${what} exited (${proc.exitCode}) before binding UDP ${port}`);
    if (udpPortBound(port)) return;
    await sleep(50);
  }
  throw new Error(`${what} did not bind UDP ${port} within ${ms} ms`);
}

/**
 * SIPp's built-in UAS. `bigBuffer`: ask for a 4 MiB socket buffer as trunkscope does; without it
 * SIPp keeps its default (the kernel's rmem_default, 208 KiB here) — the configuration the issue's
 * "SIPp → SIPp holds ~2000 calls/s with default socket buffers" refers to.
 */
export async function startSippUas(port: number, dir: string, bigBuffer = true): Promise<Responder> {
  const csv = join(dir, 'uas.csv');
  const args = [
    '-sn',
    'uas',
    '-i',
    '127.0.0.1',
    '-p',
    String(port),
    '-nostdin',
    ...(bigBuffer ? ['-buff_size', '4194304'] : []),
    '-trace_stat',
    '-stf',
    csv,
    '-fd',
    '1',
  ];
  const proc = track(spawn('sipp', args, { cwd: dir, stdio: 'ignore' }));
  await waitBound(port, proc, 5000, 'sipp -sn uas');
  return {
    proc,
    async stop(): Promise<Record<string, number | string>> {
      // SIGUSR1: SIPp's graceful quit (finishes, writes the final statistics line).
      if (proc.pid !== undefined && proc.exitCode === null) process.kill(proc.pid, 'SIGUSR1');
      if (!(await waitExit(proc, 8000))) await killHard(proc);
      const row = existsSync(csv) ? lastCsvRow(readFileSync(csv, 'latin1')) : undefined;
      if (!row) return { note: 'no statistics file' };
      return {
        calls: num(row['TotalCallCreated']),
        successful: num(row['SuccessfulCall(C)']),
        failed: num(row['FailedCall(C)']),
        retransmissions: num(row['Retransmissions(C)']),
      };
    },
  };
}

export async function startTrunkscope(
  appRoot: string,
  port: number,
  dir: string,
  cpuProfDir: string | undefined,
  label: string,
  extraArgs: string[],
): Promise<Responder> {
  const out = join(dir, 'listen.json');
  const errFile = join(dir, 'listen.err');
  const outFd = openSync(out, 'w');
  const errFd = openSync(errFile, 'w');
  const nodeFlags = cpuProfDir
    ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir, '--cpu-prof-name', `listen-${label}.cpuprofile`]
    : [];
  const args = [
    ...nodeFlags,
    join(appRoot, 'bin', 'trunkscope.mjs'),
    'listen',
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--answer',
    'echo',
    '--session-expires',
    '0',
    '--json',
    ...extraArgs,
  ];
  const proc = track(
    spawn(process.execPath, args, { cwd: appRoot, stdio: ['ignore', outFd, errFd] }),
  );
  closeSync(outFd);
  closeSync(errFd);
  const until = Date.now() + 15_000;
  for (;;) {
    if (readFileSync(errFile, 'utf8').includes('trunkscope listening on')) break;
    if (proc.exitCode !== null)
      throw new Error(
        `trunkscope listen exited (${proc.exitCode}): ${readFileSync(errFile, 'utf8')}`,
      );
    if (Date.now() > until) {
      await killHard(proc);
      throw new Error('trunkscope listen: no "listening" line within 15 s');
    }
    await sleep(50);
  }
  return {
    proc,
    async stop(): Promise<Record<string, number | string>> {
      if (proc.pid !== undefined && proc.exitCode === null) process.kill(proc.pid, 'SIGTERM');
      if (!(await waitExit(proc, 45_000))) {
        await killHard(proc);
        return { note: 'did not exit within 45 s of SIGTERM' };
      }
      try {
        const r = JSON.parse(readFileSync(out, 'utf8')) as {
          calls: Array<{ outcome: string; reason: string }>;
          callSummary?: { total: number; byOutcome: Record<string, number>; byReason: Record<string, number> };
          messages: { sent: number; received: number };
        };
        // Every call is counted in callSummary (the listener keeps full reports of only the
        // first and last --keep-calls); older listeners (--commit) list them all in calls.
        const sum = r.callSummary;
        const answered = sum ? (sum.byOutcome['answered'] ?? 0) : r.calls.filter((c) => c.outcome === 'answered').length;
        // Calls not ended by the caller's BYE (e.g. still waiting for an ACK when SIGTERM came).
        const other = new Map<string, number>();
        if (sum) {
          for (const [reason, n] of Object.entries(sum.byReason)) if (reason !== 'remote hangup (BYE)') other.set(reason, n);
        } else {
          for (const c of r.calls) {
            if (c.reason === 'remote hangup (BYE)') continue;
            const k = `${c.outcome}: ${c.reason}`;
            other.set(k, (other.get(k) ?? 0) + 1);
          }
        }
        return {
          calls: sum ? sum.total : r.calls.length,
          answered,
          sent: r.messages.sent,
          received: r.messages.received,
          ...Object.fromEntries([...other].slice(0, 5)),
        };
      } catch (err) {
        return {
          note: `no JSON report: ${(err as Error).message}`,
          stderr: readFileSync(errFile, 'utf8').slice(-500),
        };
      }
    },
  };
}

/** SIPp's built-in UAC: `calls` calls at `rate` cps (calls end at once: -d 0). */
export function sippUacArgs(
  target: number,
  localPort: number,
  rate: number,
  calls: number,
  seconds: number,
  recvTimeoutMs: number,
  csv: string,
): string[] {
  return [
    ...['-sn', 'uac', `127.0.0.1:${target}`, '-i', '127.0.0.1', '-p', String(localPort)],
    ...['-r', String(rate), '-rp', '1000', '-m', String(calls), '-d', '0'],
    // Open-call cap: 3 s worth of calls (a responder that far behind has failed anyway).
    ...['-l', String(Math.min(Math.max(rate * 3, 100), 15_000))],
    ...[
      '-nostdin',
      '-buff_size',
      '4194304',
      '-recv_timeout',
      String(recvTimeoutMs),
      '-timeout',
      `${seconds + 40}s`,
    ],
    ...['-trace_stat', '-stf', csv, '-fd', '1'],
  ];
}

/**
 * Run SIPp under a shell that waits for it and writes `times` (the exact user/sys CPU of its
 * reaped child) to `timesFile`. Killed (SIPp by PID, then the shell) after `deadlineMs`.
 */
export async function runUac(
  dir: string,
  args: string[],
  deadlineMs: number,
  timesFile = join(dir, 'warmup.times'),
): Promise<{ finished: boolean; exitCode: number | null }> {
  const script = 'sipp "$@"; rc=$?; times > "$TIMES_FILE"; exit $rc';
  const uac = track(
    spawn('/bin/sh', ['-c', script, 'sh', ...args], {
      cwd: dir,
      stdio: 'ignore',
      env: { ...process.env, TIMES_FILE: timesFile },
    }),
  );
  const finished = await waitExit(uac, deadlineMs);
  if (!finished) {
    for (const pid of childPids(uac.pid!)) tryKill(pid);
    await killHard(uac);
  }
  return { finished, exitCode: uac.exitCode };
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone
  }
}

/** Does the measured `trunkscope listen` accept --no-media? */
export function listenerHasNoMedia(appRoot: string): boolean {
  const r = spawnSync(
    process.execPath,
    [join(appRoot, 'bin', 'trunkscope.mjs'), 'listen', '--help'],
    { cwd: appRoot, encoding: 'utf8', timeout: 30_000 },
  );
  return /--no-media\b/.test(r.stdout ?? '');
}
