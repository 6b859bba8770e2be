/**
 * The web shell as the end-to-end tests use it: build the renderer when it is stale, start
 * `trunkscope ui --bind 127.0.0.1 --port 0 --no-open` as a real process, read the URL (with its
 * token) it prints, and stop it by PID.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import type {
  CommandArgs,
  CommandName,
  CommandResult,
  EventName,
  ServerMessage,
} from '../../src/shared/api/contract.ts';
import { repoRoot } from './cli.ts';
import { startProcess, waitForOutput, type Proc } from './processes.ts';

export const rendererOut = join(repoRoot, 'out', 'renderer');

/** Newest modification time of any file under `dir` (0 when it does not exist). */
function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  const stack = [dir];
  for (let guard = 0; stack.length && guard < 10_000; guard++) {
    const d = stack.pop()!;
    for (const ent of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, ent.name);
      if (ent.isDirectory()) stack.push(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  }
  return newest;
}

/** What the renderer bundle is built from: its own sources, the shared contract, the Vite config. */
function rendererInputsMtime(): number {
  return Math.max(
    newestMtime(join(repoRoot, 'src', 'renderer')),
    newestMtime(join(repoRoot, 'src', 'shared')),
    statSync(join(repoRoot, 'vite.renderer.config.ts')).mtimeMs,
  );
}

/**
 * Build the renderer into out/renderer unless out/renderer/index.html is newer than every input
 * file. Bounded by `timeoutMs`. Returns whether a build ran.
 */
export async function ensureRendererBuilt(timeoutMs = 120_000): Promise<boolean> {
  const index = join(rendererOut, 'index.html');
  const assets = join(rendererOut, 'assets');
  const built = existsSync(index) && existsSync(assets) ? statSync(index).mtimeMs : 0;
  if (built > rendererInputsMtime()) return false;
  const vite = join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  const proc = startProcess(
    process.execPath,
    [vite, 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'],
    timeoutMs,
    { cwd: repoRoot },
  );
  const exit = await proc.exited;
  if (exit.code !== 0 || !existsSync(index)) {
    throw new Error(
      `renderer build failed (exit ${exit.code ?? exit.signal}):\n${proc.stderr()}\n${proc.stdout()}`,
    );
  }
  return true;
}

export interface WebShellProc {
  proc: Proc;
  /** The page URL with its token: http://127.0.0.1:PORT/?token=… */
  url: string;
  port: number;
  token: string;
  /** SIGTERM by PID, wait (bounded) for the clean exit; SIGKILL after the grace time. */
  stop(): Promise<number | null>;
}

/** Start `trunkscope ui` and wait (bounded) for the URL it prints. */
export async function startWebShellProcess(
  opts: { renderer?: string; timeoutMs?: number; readyMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<WebShellProc> {
  const args = [
    join(repoRoot, 'bin', 'trunkscope.mjs'),
    'ui',
    '--bind',
    '127.0.0.1',
    '--port',
    '0',
    '--no-open',
  ];
  if (opts.renderer) args.push('--renderer', opts.renderer);
  const proc = startProcess(process.execPath, args, opts.timeoutMs ?? 300_000, {
    cwd: repoRoot,
    env: opts.env ?? process.env,
  });
  const out = await waitForOutput(
    proc,
    'stdout',
    (t) => /Trunkscope GUI: http:\/\/127\.0\.0\.1:\d+\/\?token=\S+\n/.test(t),
    opts.readyMs ?? 20_000,
  );
  const url = /Trunkscope GUI: (http:\/\/\S+)/.exec(out)![1]!;
  const parsed = new URL(url);
  let stopped: Promise<number | null> | undefined;
  return {
    proc,
    url,
    port: Number(parsed.port),
    token: parsed.searchParams.get('token') ?? '',
    stop() {
      stopped ??= proc.stop('SIGTERM', 8000).then((e) => e.code);
      return stopped;
    },
  };
}

/**
 * A second client of the same engine over the contract's WebSocket (as the renderer speaks it), for
 * what a test must check beside the page: the far end's report, the engine's own call list.
 */
export class ContractClient {
  readonly events: Array<{ event: EventName; payload: unknown }> = [];
  private readonly waiting = new Map<number, (m: ServerMessage) => void>();
  private nextId = 1;
  private readonly ws: WebSocket;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      let m: ServerMessage;
      try {
        m = JSON.parse(data.toString()) as ServerMessage;
      } catch {
        return;
      }
      if ('event' in m) {
        if (this.events.length < 50_000) this.events.push({ event: m.event, payload: m.payload });
      } else this.waiting.get(m.id)?.(m);
    });
  }

  /** Connect to the shell whose page URL (with token) is `pageUrl`; bounded by `timeoutMs`. */
  static connect(pageUrl: string, timeoutMs = 5000): Promise<ContractClient> {
    const u = new URL(pageUrl);
    const wsUrl = `ws://${u.host}/ws?token=${encodeURIComponent(u.searchParams.get('token') ?? '')}`;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl, { handshakeTimeout: timeoutMs });
      ws.once('open', () => resolve(new ContractClient(ws)));
      ws.once('unexpected-response', (_req, res) => {
        ws.terminate();
        reject(new Error(`WebSocket refused: HTTP ${res.statusCode}`));
      });
      ws.once('error', reject);
    });
  }

  invoke<K extends CommandName>(
    command: K,
    args: CommandArgs<K>,
    timeoutMs = 15_000,
  ): Promise<CommandResult<K>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${command}: no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, (m) => {
        clearTimeout(t);
        this.waiting.delete(id);
        if ('ok' in m && m.ok) resolve(m.result as CommandResult<K>);
        else reject(new Error(`${command}: ${'error' in m ? m.error : JSON.stringify(m)}`));
      });
      this.ws.send(JSON.stringify({ id, command, args }));
    });
  }

  close(): void {
    this.ws.terminate();
  }
}
