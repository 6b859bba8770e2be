/**
 * Run the `trunkscope` CLI as a real process: `runCli` for one-shot commands (call, register,
 * options), `startListen` for the long-running UAS. Spawned with `process.execPath` (the Node 22
 * running the tests) and always bounded in time.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallReport } from '../../src/shared/model/report.ts';
import { startProcess, waitForOutput, type Proc } from './processes.ts';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const bin = join(repoRoot, 'bin', 'trunkscope.mjs');

export interface CliResult {
  /** Exit status; null when killed (for instance on timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** The --json report, when stdout held one. */
  json?: CallReport;
}

/** The JSON report on stdout: the whole of it, or else the last top-level object in it. */
export function parseReport(stdout: string): CallReport | undefined {
  const text = stdout.trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as CallReport;
  } catch {
    const at = text.lastIndexOf('\n{');
    if (at < 0) return undefined;
    try {
      return JSON.parse(text.slice(at + 1)) as CallReport;
    } catch {
      return undefined;
    }
  }
}

/**
 * Run `trunkscope ...args` to completion (killed after `timeoutMs`); `input` is written to its
 * stdin (otherwise stdin is closed), `env` adds to the environment.
 */
export async function runCli(args: string[], opts: { timeoutMs?: number; input?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const spawnOpts = { cwd: repoRoot, ...(opts.env ? { env: { ...process.env, ...opts.env } } : {}), ...(opts.input !== undefined ? { stdio: ['pipe', 'pipe', 'pipe'] as ('pipe' | 'ignore')[] } : {}) };
  const proc = startProcess(process.execPath, [bin, ...args], opts.timeoutMs ?? 30_000, spawnOpts);
  if (opts.input !== undefined) proc.child.stdin?.end(opts.input);
  const exit = await proc.exited;
  const stdout = proc.stdout();
  return { code: exit.code, stdout, stderr: proc.stderr(), json: parseReport(stdout) };
}

/** A short description of a run for assertion messages: exit code, report, then the trace. */
export function explain(r: CliResult, max = 6000): string {
  const tail = r.stderr.length > max ? `…${r.stderr.slice(-max)}` : r.stderr;
  return `exit ${r.code}\nstdout:\n${r.stdout.slice(0, max)}\nstderr:\n${tail}`;
}

export interface Listener {
  proc: Proc;
  /** Resolves with the "trunkscope listening on ..." line once the listener is up. */
  ready: Promise<string>;
  /** SIGTERM, wait for the exit (bounded), parse the report. Safe to call twice. */
  stop(): Promise<CliResult>;
}

/**
 * Start `trunkscope listen ...args`. The listener is killed after `timeoutMs` whatever happens;
 * `ready` waits at most `readyMs` for the "listening on" line. `input` is written to its stdin
 * (otherwise stdin is closed), `env` adds to the environment.
 */
export function startListen(args: string[], opts: { timeoutMs?: number; readyMs?: number; env?: Record<string, string>; input?: string } = {}): Listener {
  const spawnOpts = { cwd: repoRoot, ...(opts.env ? { env: { ...process.env, ...opts.env } } : {}), ...(opts.input !== undefined ? { stdio: ['pipe', 'pipe', 'pipe'] as ('pipe' | 'ignore')[] } : {}) };
  const proc = startProcess(process.execPath, [bin, 'listen', ...args], opts.timeoutMs ?? 60_000, spawnOpts);
  if (opts.input !== undefined) proc.child.stdin?.end(opts.input);
  const ready = waitForOutput(proc, 'stderr', (t) => /trunkscope listening on .*\n/.test(t), opts.readyMs ?? 15_000).then(
    (t) => /trunkscope listening on [^\n]*/.exec(t)![0],
  );
  // A listener that never becomes ready is reported by whoever awaits `ready`.
  ready.catch(() => undefined);
  let result: Promise<CliResult> | undefined;
  return {
    proc,
    ready,
    stop() {
      result ??= proc.stop('SIGTERM', 8000).then((exit) => {
        const stdout = proc.stdout();
        return { code: exit.code, stdout, stderr: proc.stderr(), json: parseReport(stdout) };
      });
      return result;
    },
  };
}
