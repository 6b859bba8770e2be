/**
 * Run SIPp 3.6 (`sipp`) as a peer on 127.0.0.1.
 *
 * SIPp always ends on its own: `-timeout` with `-timeout_error` makes a hung scenario a failure,
 * `-m` stops it after the given number of calls, and the process is SIGKILLed by PID a few
 * seconds after that as a last resort. Exit codes follow SIPp: 0 = every call succeeded,
 * 1 = at least one call failed, 255 (-1) = fatal error or global timeout, 254 (-2) = cannot bind.
 *
 * Messages, unexpected messages and `<log>` lines go to files in a temporary directory, returned
 * in the result so a failing test can show what SIPp saw.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { repoRoot } from './cli.ts';
import { freePort, waitForBound } from './ports.ts';
import { startProcess, type Proc } from './processes.ts';

export const scenarioDir = join(repoRoot, 'test', 'scenarios', 'sipp');

export type SippTransport = 'u1' | 't1' | 'tn';

export interface SippOptions {
  /** A scenario file (absolute, or a name in test/scenarios/sipp with or without .xml), or SIPp's built-in 'uac' / 'uas'. */
  scenario: string;
  /** host:port to send to (UAC scenarios). */
  remote?: string;
  /** Local address (-i); default 127.0.0.1. */
  localAddress?: string;
  /** Local SIP port (-p). */
  localPort: number;
  /** -t: u1 (UDP, one socket), t1 (TCP, one connection), tn (TCP, one connection per call). Default u1. */
  transport?: SippTransport;
  /** -m: stop after this many calls (default 1). */
  calls?: number;
  /** -r: calls per second (default SIPp's 10). */
  rate?: number;
  /** -s: the user part of the Request-URI ([service]). */
  service?: string;
  /** -set NAME VALUE: values for the scenario's <Global variables="..."/>. */
  vars?: Record<string, string>;
  /** -key NAME VALUE: values for [NAME] keywords in messages. */
  keys?: Record<string, string>;
  extraArgs?: string[];
  /** Global limit (SIPp's -timeout, a failure when hit); the process is killed a bit later. Default 20 s. */
  timeoutMs?: number;
}

export interface SippResult {
  /**
   * SIPp's exit status (0: all calls succeeded); null if it was killed or stopped by the test
   * (SIPp stopped by a signal can exit 0 without having finished its scenario).
   */
  code: number | null;
  /** True when the test had to stop SIPp (it had not finished on its own). */
  stopped: boolean;
  stdout: string;
  stderr: string;
  /** -trace_msg: every message sent and received. */
  messages: string;
  /** -trace_err: unexpected messages and errors. */
  errors: string;
  /** -trace_logs: the scenario's <log> lines. */
  logs: string;
}

export interface SippRun {
  proc: Proc;
  /** Resolves once SIPp has bound its SIP port (meaningful for UAS scenarios). */
  ready: Promise<void>;
  /** Settles when SIPp has exited, with its logs. */
  result: Promise<SippResult>;
  /** Stop SIPp by PID (SIGTERM, then SIGKILL) and return its result. */
  stop(): Promise<SippResult>;
}

function scenarioArgs(scenario: string): string[] {
  if (scenario === 'uac' || scenario === 'uas') return ['-sn', scenario];
  const file = isAbsolute(scenario) ? scenario : join(scenarioDir, scenario.endsWith('.xml') ? scenario : `${scenario}.xml`);
  return ['-sf', file];
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Start SIPp in the background; await `ready` before sending to a UAS scenario. */
export async function startSipp(o: SippOptions): Promise<SippRun> {
  const transport = o.transport ?? 'u1';
  const timeoutMs = o.timeoutMs ?? 20_000;
  const dir = mkdtempSync(join(tmpdir(), 'trunkscope-sipp-'));
  // RTP ports (-mp: P and P+2 are bound, keep P+1/P+3 for RTCP) and the remote-control port (-cp).
  const media = await freePort(5);
  const args = [
    ...scenarioArgs(o.scenario),
    ...(o.remote ? [o.remote] : []),
    '-i', o.localAddress ?? '127.0.0.1',
    '-p', String(o.localPort),
    '-t', transport,
    '-m', String(o.calls ?? 1),
    ...(o.rate !== undefined ? ['-r', String(o.rate)] : []),
    ...(o.service !== undefined ? ['-s', o.service] : []),
    '-mp', String(media),
    '-cp', String(media + 4),
    '-nostdin',
    '-timeout', `${Math.ceil(timeoutMs / 1000)}s`,
    '-timeout_error',
    '-trace_msg', '-message_file', join(dir, 'messages.log'),
    '-trace_err', '-error_file', join(dir, 'errors.log'),
    '-trace_logs', '-log_file', join(dir, 'logs.log'),
    ...Object.entries(o.vars ?? {}).flatMap(([k, v]) => ['-set', k, v]),
    ...Object.entries(o.keys ?? {}).flatMap(([k, v]) => ['-key', k, v]),
    ...(o.extraArgs ?? []),
  ];
  const proc = startProcess('sipp', args, timeoutMs + 5000, { cwd: dir });
  let stopped = false;
  const result = proc.exited.then((exit) => {
    const r: SippResult = {
      code: stopped ? null : exit.code,
      stopped,
      stdout: proc.stdout(),
      stderr: stopped ? `${proc.stderr()}\n[sipp had not finished: stopped by the test; exit ${exit.code ?? exit.signal}]\n` : proc.stderr(),
      messages: readOr(join(dir, 'messages.log')),
      errors: readOr(join(dir, 'errors.log')),
      logs: readOr(join(dir, 'logs.log')),
    };
    rmSync(dir, { recursive: true, force: true });
    return r;
  });
  const bound = waitForBound(o.localPort, transport === 'u1' ? 'udp' : 'tcp', 5000, o.localAddress ?? '127.0.0.1');
  const ready = Promise.race([
    bound,
    proc.exited.then((e) => {
      if (!proc.done()) return;
      throw new Error(`sipp exited (${e.code ?? e.signal}) before binding port ${o.localPort}:\n${proc.stderr()}\n${proc.stdout().slice(-3000)}`);
    }),
  ]);
  ready.catch(() => undefined);
  return {
    proc,
    ready,
    result,
    async stop() {
      if (!proc.done()) stopped = true;
      await proc.stop('SIGTERM', 3000);
      return result;
    },
  };
}

/** Run SIPp to completion. */
export async function runSipp(o: SippOptions): Promise<SippResult> {
  const run = await startSipp(o);
  return run.result;
}

/** What SIPp saw, for assertion messages. */
export function explainSipp(r: SippResult, max = 6000): string {
  const cut = (s: string): string => (s.length > max ? `…${s.slice(-max)}` : s);
  return `sipp exit ${r.code}\nerrors:\n${cut(r.errors)}\nlogs:\n${cut(r.logs)}\nmessages:\n${cut(r.messages)}\nstderr:\n${cut(r.stderr)}`;
}
