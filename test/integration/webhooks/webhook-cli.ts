/** Start `trunkscope webhook listen` as a real process and read its per-request JSON lines. */
import { join } from 'node:path';
import { repoRoot } from '../../support/cli.ts';
import { freePort } from '../../support/ports.ts';
import { startProcess, waitForOutput, type Proc } from '../../support/processes.ts';

const bin = join(repoRoot, 'bin', 'trunkscope.mjs');

export interface WebhookLine {
  provider: string;
  path: string;
  kind: 'answer' | 'status';
  valid: boolean;
  reason: string;
  params: Record<string, string | string[]>;
  source: string | null;
  transition: string | null;
}

export interface WebhookListener {
  proc: Proc;
  port: number;
  base: string;
  /** The JSON lines written so far. */
  lines(): WebhookLine[];
  /** Wait until at least n lines were written (bounded). */
  waitLines(n: number, timeoutMs?: number): Promise<WebhookLine[]>;
  stop(): Promise<void>;
}

export async function startWebhookListen(
  args: string[],
  opts: { bind?: string; input?: string } = {},
): Promise<WebhookListener> {
  const port = await freePort();
  const bind = opts.bind ?? '127.0.0.1';
  const proc = startProcess(
    process.execPath,
    [bin, 'webhook', 'listen', '--port', String(port), '--bind', bind, '--json', ...args],
    60_000,
    { cwd: repoRoot, ...(opts.input !== undefined ? { stdio: ['pipe', 'pipe', 'pipe'] } : {}) },
  );
  if (opts.input !== undefined) proc.child.stdin?.end(opts.input);
  await waitForOutput(proc, 'stderr', (t) => /trunkscope webhook listening on/.test(t), 15_000);
  const lines = (): WebhookLine[] =>
    proc
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as WebhookLine);
  return {
    proc,
    port,
    base: `http://${bind}:${port}`,
    lines,
    async waitLines(n, timeoutMs = 5000) {
      await waitForOutput(
        proc,
        'stdout',
        (t) => t.split('\n').filter((l) => l.startsWith('{')).length >= n,
        timeoutMs,
      );
      return lines();
    },
    async stop() {
      await proc.stop('SIGTERM', 5000);
    },
  };
}

/** The JSON object a `webhook send --json` printed first (the webhook result, before any call report). */
export function firstJson(stdout: string): Record<string, unknown> {
  const end = stdout.indexOf('\n}\n');
  return JSON.parse(end < 0 ? stdout : stdout.slice(0, end + 2)) as Record<string, unknown>;
}
