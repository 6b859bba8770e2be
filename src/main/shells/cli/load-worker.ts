/**
 * A worker thread of `trunkscope load --workers N`: runs its share of the calls on its own SIP
 * stack and sockets, posts progress each interval and its tallies at the end; a "stop" message
 * (the main thread's Ctrl-C) hangs up its calls.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { prepareLoad, runLoadPart, type LoadOpts } from './load-run.ts';
import type { LoadPlan, LoadProgress, LoadRaw } from '../../engine/index.ts';

export interface WorkerInput {
  uri: string | undefined;
  opts: LoadOpts;
  plan: LoadPlan;
}

export type WorkerMessage = { kind: 'ready' } | { kind: 'progress'; progress: LoadProgress } | { kind: 'done'; raw: LoadRaw; trace: string; stoppedBy: string | undefined; elapsedSec: number | undefined } | { kind: 'error'; message: string };

const port = parentPort!;
const input = workerData as WorkerInput;
let stop: (() => void) | undefined;
let stopAsked = false;
let go: (() => void) | undefined;
const started = new Promise<void>((resolve) => (go = resolve));
port.on('message', (m: unknown) => {
  if (m === 'go') return go?.();
  if (m !== 'stop') return;
  stopAsked = true;
  go?.();
  stop?.();
});

try {
  const setup = await prepareLoad(input.uri, input.opts);
  const { report, raw, trace } = await runLoadPart(setup, input.opts, input.plan, {
    onProgress: (progress) => port.postMessage({ kind: 'progress', progress } satisfies WorkerMessage),
    // Ready (modules loaded, stack bound): wait for the main thread's "go" so all shares start together.
    beforeRun: () => {
      port.postMessage({ kind: 'ready' } satisfies WorkerMessage);
      return started;
    },
    onStoppable: (fn) => {
      stop = fn;
      if (stopAsked) fn();
    },
  });
  port.postMessage({ kind: 'done', raw, trace, stoppedBy: report.stoppedBy, elapsedSec: report.elapsedSec } satisfies WorkerMessage);
} catch (err) {
  port.postMessage({ kind: 'error', message: (err as Error)?.message ?? String(err) } satisfies WorkerMessage);
}
port.close();
