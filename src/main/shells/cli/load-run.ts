/**
 * One part of a `trunkscope load` run: its own SIP stack (one socket per transport, so its own
 * source port) placing its share of the calls. The main thread runs one part, or starts several
 * worker threads (load-worker.ts) that each run one and post their tallies back.
 */
import type { CommonOpts } from './common.ts';
import { defaultBind, parseTransports, sipUriArg, startStack, UsageError } from './common.ts';
import { localAddressFor, mediaPrefsFrom, openMedia, writablePathArg, type MediaOpts } from './media-options.ts';
import { callOptionsFor, callTemplateFrom, type CallFlagOpts, type CallTemplate } from './call-flags.ts';
import { boundedNumber, planFrom, readNumbers, type LoadFlagOpts } from './load-flags.ts';
import { countRetransmissions, formatTrace, LoadRunner, runCall, SignalingOnlyMedia, type CallMedia, type LoadPlan, type LoadProgress, type LoadRaw, type LoadThresholds, type TransportProto } from '../../engine/index.ts';
import type { LoadReport } from '../../../shared/model/load-report.ts';

export interface LoadOpts extends CommonOpts, MediaOpts, CallFlagOpts, LoadFlagOpts {
  maxFailPct?: string;
  minAsr?: string;
  maxSetupP95?: string;
  workers?: string;
}

export interface LoadSetup {
  target: string;
  hop: string;
  protos: TransportProto[];
  plan: LoadPlan;
  template: CallTemplate;
  checks: LoadThresholds;
  prefs: ReturnType<typeof mediaPrefsFrom>;
}

/** Every flag checked before a socket is opened: a usage error leaves nothing behind. */
export async function prepareLoad(uri: string | undefined, o: LoadOpts): Promise<LoadSetup> {
  const rows = o.numbers !== undefined ? readNumbers(o.numbers) : undefined;
  if (uri === undefined && !rows) throw new UsageError('load: give a URI or --numbers FILE.csv');
  const target = uri !== undefined ? sipUriArg('URI', uri) : rows![0]!.target;
  const protos = parseTransports(o.transport, target);
  if (protos.length > 1) throw new UsageError('--transport: a call uses one transport');
  const plan = planFrom(o, rows);
  const template = callTemplateFrom(o);
  const thresholds = {
    maxFailPct: boundedNumber('max-fail-pct', o.maxFailPct, 0, 100),
    minAsr: boundedNumber('min-asr', o.minAsr, 0, 100),
    maxSetupP95: boundedNumber('max-setup-p95', o.maxSetupP95, 0, 3_600_000),
  };
  // No threshold given: any failed call fails the run, as a failed `call` does.
  const checks = { ...thresholds, maxFailPct: thresholds.maxFailPct ?? (thresholds.minAsr === undefined && thresholds.maxSetupP95 === undefined ? 0 : undefined) };
  if (o.junit) writablePathArg('--junit', o.junit);
  const hop = template.proxy ?? target;
  o.bind ??= defaultBind(hop);
  const prefs = mediaPrefsFrom(o, { source: { kind: 'tone', hz: 1004 }, bindAddress: o.bind });
  // A --play file is checked now, before any SIP.
  if (o.media && prefs.source.kind === 'wav') await (await openMedia({ ...prefs, sdpAddress: '127.0.0.1' })).close();
  return { target, hop, protos, plan, template, checks, prefs };
}

export interface PartIo {
  onProgress(p: LoadProgress): void;
  /** Called with the runner's stop once it runs (Ctrl-C in the main thread, a message in a worker). */
  onStoppable(stop: () => void): void;
  /** Awaited once the stack is up, before the first call (workers start together). */
  beforeRun?: () => Promise<void>;
}

/** Run one part on its own stack; the trace text comes back with --trace. */
export async function runLoadPart(s: LoadSetup, o: LoadOpts, plan: LoadPlan, io: PartIo): Promise<{ report: LoadReport; raw: LoadRaw; trace: string }> {
  // Workers with --local-port would collide on one port: only the first part keeps it.
  const stack = await startStack(plan.share && plan.share.offset > 0 ? { ...o, localPort: '0' } : o, s.protos, 0);
  try {
    const sdpAddress = s.prefs.sdpAddress ?? (await localAddressFor(stack, s.hop, s.protos[0]!));
    const retransmissions = countRetransmissions(stack);
    const runner = new LoadRunner(
      plan,
      async (c) => {
        const media = o.media ? await openMedia({ ...s.prefs, sdpAddress, record: recordPath(s.prefs.record, c.index + 1) }) : new SignalingOnlyMedia(sdpAddress, s.prefs.codecs);
        try {
          return await runCall(stack, media, { ...callOptionsFor(s.template, s.target, c.durationSec, c.row, o.user ?? o.authUser), onSession: c.onSession });
        } finally {
          if (o.media) await (media as CallMedia).close();
        }
      },
      { retransmissions },
    );
    runner.on('interval', (_iv, p) => io.onProgress(p));
    io.onStoppable(() => runner.stop('signal'));
    await io.beforeRun?.();
    const report = await runner.run();
    return { report, raw: runner.raw(), trace: o.trace ? formatTrace(stack.trace, { showSecrets: o.showSecrets }) : '' };
  } finally {
    await stack.close();
  }
}

/** One recording per call: `%n` in the path is the call number, else `-N` goes before `.wav`. */
function recordPath(template: string | undefined, n: number): string | undefined {
  if (!template) return undefined;
  if (template.includes('%n')) return template.replaceAll('%n', String(n));
  return n === 1 ? template : template.replace(/(\.wav)?$/i, `-${n}$1`);
}

/** Worker i's share of the plan: every n-th call, 1/n of the rate and of the concurrency, phase-shifted. */
export function sharePlan(plan: LoadPlan, i: number, n: number): LoadPlan {
  const part = (total: number): number => Math.floor(total / n) + (i < total % n ? 1 : 0);
  return { ...plan, rate: plan.rate / n, calls: part(plan.calls), concurrency: Math.max(1, part(plan.concurrency)), share: { offset: i, stride: n, startOffsetSec: i / plan.rate } };
}
