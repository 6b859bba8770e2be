/**
 * A bench child process (generator.ts, sink.ts) driven over the fork IPC channel: `call(msg)`
 * sends a message with an id and resolves with the child's answer. Its own Node process, so its
 * CPU is read alone from /proc/PID/stat.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Child {
  pid: number;
  call<T = unknown>(msg: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** Ask it to close (a `close` message), then SIGKILL by PID if it has not exited. */
  close(): Promise<void>;
}

export function forkChild(file: string, name: string): Child {
  const child: ChildProcess = fork(fileURLToPath(new URL(file, import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: ['--max-old-space-size=2048'],
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, sig) => {
      exited = true;
      for (const p of pending.values()) p.reject(new Error(`${name} exited (${code ?? sig})`));
      pending.clear();
      resolve();
    }),
  );
  child.on('message', (m: { id: number; ok: boolean; r?: unknown; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.r);
    else p.reject(new Error(`${name}: ${m.error}`));
  });
  return {
    pid: child.pid!,
    call<T>(msg: Record<string, unknown>, timeoutMs = 120_000): Promise<T> {
      if (exited) return Promise.reject(new Error(`${name} has exited`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const t = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}: no answer to ${String(msg.t)} in ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => {
            clearTimeout(t);
            resolve(v as T);
          },
          reject: (e) => {
            clearTimeout(t);
            reject(e);
          },
        });
        child.send({ ...msg, id });
      });
    },
    async close() {
      if (exited) return;
      await this.call({ t: 'close' }, 15_000).catch(() => undefined);
      const t = setTimeout(() => {
        if (!exited) child.kill('SIGKILL');
      }, 5000);
      await exit;
      clearTimeout(t);
    },
  };
}
