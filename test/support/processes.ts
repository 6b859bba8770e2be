/**
 * Child processes started by integration tests: spawned with a bounded lifetime, remembered by PID,
 * and stopped by PID (never by name) from afterEach via `stopAllStarted()`.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface Exit {
  /** Exit status, or null when ended by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Proc {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<Exit>;
  /** True once the process has exited. */
  done(): boolean;
  /** Send `signal` by PID, wait up to `graceMs` for the exit, then SIGKILL by PID. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<Exit>;
}

const live = new Set<Proc>();

/**
 * Spawn `cmd args`; after `timeoutMs` the process is killed (SIGKILL by PID) so nothing a test
 * starts outlives it.
 */
export function startProcess(cmd: string, args: string[], timeoutMs: number, opts: SpawnOptions = {}): Proc {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
  const pid = child.pid;
  let out = '';
  let err = '';
  let finished = false;
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<Exit>((resolve) => {
    // 'close' (not 'exit') so stdout/stderr are fully read.
    child.once('close', (code, signal) => {
      finished = true;
      clearTimeout(killer);
      live.delete(proc);
      resolve({ code, signal });
    });
    child.once('error', (e) => {
      err += `\n[spawn error] ${e.message}\n`;
    });
  });
  const killer = setTimeout(() => {
    err += `\n[killed after ${timeoutMs} ms]\n`;
    killPid(pid, 'SIGKILL');
  }, timeoutMs);
  const proc: Proc = {
    child,
    pid,
    stdout: () => out,
    stderr: () => err,
    exited,
    done: () => finished,
    async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<Exit> {
      if (finished) return exited;
      killPid(pid, signal);
      const t = setTimeout(() => killPid(pid, 'SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(t);
      }
    },
  };
  live.add(proc);
  return proc;
}

function killPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** Stop every process this test file started that is still running (for afterEach). */
export async function stopAllStarted(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop('SIGTERM', 3000)));
}

/** Resolve when `pred(text)` holds for the process's output, reject on exit or after `timeoutMs`. */
export function waitForOutput(proc: Proc, stream: 'stdout' | 'stderr', pred: (text: string) => boolean, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const read = (): string => (stream === 'stdout' ? proc.stdout() : proc.stderr());
    const src = stream === 'stdout' ? proc.child.stdout : proc.child.stderr;
    const finish = (fn: () => void): void => {
      clearTimeout(timer);
      src?.off('data', check);
      fn();
    };
    const check = (): void => {
      if (pred(read())) finish(() => resolve(read()));
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${stream} of pid ${proc.pid}:\n${read()}`))),
      timeoutMs,
    );
    src?.on('data', check);
    void proc.exited.then((e) => {
      // Let the last 'data' events run first.
      setImmediate(() => {
        if (pred(read())) finish(() => resolve(read()));
        else finish(() => reject(new Error(`pid ${proc.pid} exited (${e.code ?? e.signal}) before the expected output:\n${proc.stderr()}\n${proc.stdout()}`)));
      });
    });
    check();
  });
}
