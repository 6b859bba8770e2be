/** `trunkscope listen`: the built-in agent answering calls until --duration ends or a signal. */
import type { Command } from 'commander';
import type { CallReport } from '../../../../shared/model/report.ts';
import { addMediaOptions, mediaPrefsFrom, openMedia, type MediaOpts } from '../media-options.ts';
import { addCommonOptions, intOption, numberOption, output, parseTransports, startStack, UsageError, type CommonOpts } from '../common.ts';
import { Agent, parseAnswerMode, SignalingOnlyMedia, endpointText } from '../../../engine/index.ts';
import { loadRoutesOption, startRoutes } from '../listen-routes.ts';

interface ListenOpts extends CommonOpts, MediaOpts {
  media: boolean;
  port: string;
  answer: string;
  answerDelay: string;
  duration?: string;
  maxCall?: string;
  sessionExpires: string;
  minSe: string;
  keepCalls: string;
  routes?: string;
}

export function registerListen(program: Command, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('listen')
    .description('run the built-in agent: answer incoming calls (UAS)')
    .option('--port <port>', 'SIP port (TLS uses port+1 when listening on several transports)', '5060')
    .option('--answer <mode>', 'echo | reject:CODE | ring | busy', 'echo')
    .option('--answer-delay <ms>', 'ms between 180 Ringing and 200 OK (echo mode)', '0')
    .option('--duration <s>', 'stop after S seconds (default: until Ctrl-C)')
    .option('--max-call <s>', 'hang up answered calls after S seconds (default: wait for BYE)')
    .option('--session-expires <s>', 'RFC 4028 interval for calls whose caller names none (0: off)', '1800')
    .option('--min-se <s>', 'RFC 4028 Min-SE: smaller intervals get 422', '90')
    .option('--no-media', 'signaling only: answer with SDP but open no RTP (load tests)')
    .option('--routes <file>', 'route each call by the rules of a routing file (YAML/JSON, docs/routing.md); re-read on change')
    .option('--keep-calls <n>', 'full call reports kept: the first N and the last N calls (all counted in callSummary; 0: keep all)', '1000');
  addMediaOptions(cmd, 'PCMU,PCMA,G722,opus,G729', 'offer');
  addCommonOptions(cmd, { transport: 'udp,tcp', port: '5060' }).action((o: ListenOpts) =>
    run(async () => {
      const answer = parseAnswerMode(o.answer);
      if (!answer) throw new UsageError(`--answer: expected echo, reject:CODE (300-699), ring or busy; got "${o.answer}"`);
      const protos = parseTransports(o.transport, undefined, 'udp,tcp');
      const port = intOption('port', o.port, 0, 65535)!;
      const durationSec = numberOption('duration', o.duration, 0);
      const sessionTimer = { sessionExpires: intOption('session-expires', o.sessionExpires, 0, 86_400)!, minSE: intOption('min-se', o.minSe, 1, 86_400)! };
      // Every option is checked before a socket is opened: a usage error leaves nothing behind.
      const answerDelayMs = intOption('answer-delay', o.answerDelay, 0, 600_000);
      const maxCallSec = numberOption('max-call', o.maxCall, 0);
      const keepCalls = intOption('keep-calls', o.keepCalls, 0, 10_000_000);
      const routesTable = loadRoutesOption(o.routes);
      // Routed calls swap sources (prompt, tone, echo) as agents change: they open with silence.
      const prefs = mediaPrefsFrom(o, { codecs: ['PCMU', 'PCMA', 'G722', 'opus', 'G729'], source: { kind: routesTable ? 'silence' : 'echo' }, bindAddress: o.bind ?? '0.0.0.0' });
      // A --play file is checked now, not when the first call arrives.
      if (prefs.source.kind === 'wav') await (await openMedia({ ...prefs, sdpAddress: '127.0.0.1' })).close();
      const stack = await startStack({ ...o, localPort: String(port) }, protos, port);
      let callNo = 0;
      const routes = routesTable ? startRoutes(o.routes!, routesTable, stack) : undefined;
      const started = new Date();
      const agent = new Agent(stack, {
        answer,
        answerDelayMs,
        sessionTimer,
        maxCallSec,
        keepCalls,
        ...(routes ? { routes: routes.router } : {}),
        mediaFor: (addr) =>
          o.media
            ? openMedia({ ...prefs, sdpAddress: prefs.sdpAddress ?? addr, record: recordPath(prefs.record, ++callNo) })
            : new SignalingOnlyMedia(prefs.sdpAddress ?? addr, prefs.codecs),
      });
      const where = stack.transport.listeners.map((l) => `${l.proto} ${endpointText(l.local)}`).join(', ');
      process.stderr.write(`trunkscope listening on ${where} (${o.routes ? `routes: ${o.routes}` : `answer: ${o.answer}`})\n`);
      if (!o.json) agent.onCall = (r) => process.stdout.write(`${r.outcome}: ${r.callId} from ${r.remote} (${r.reason})${r.route ? ` rule ${r.route.rule ?? '(none)'}` : ''}\n`);
      await waitForStop(durationSec);
      await agent.stop();
      await routes?.stop();
      for (const c of agent.calls) {
        if (c.media?.recordingError) process.stderr.write(`trunkscope: call ${c.callId}: ${c.media.recordingError}\n`);
      }
      const callSummary = agent.callSummary();
      const report: CallReport = {
        command: 'listen',
        outcome: 'ok',
        finalStatus: null,
        reason: `${callSummary.total} call(s) handled`,
        callId: null,
        setupMs: null,
        durationMs: Date.now() - started.getTime(),
        transport: protos[0]!,
        local: where,
        remote: null,
        startedAt: started.toISOString(),
        endedAt: new Date().toISOString(),
        messages: { ...stack.totals },
        calls: agent.calls,
        callSummary,
        requests: agent.requests,
        ...(routes ? { routeTotals: { ...routes.router.totals } } : {}),
      };
      await output(o, report, stack, [`stopped: ${report.reason}`]);
      await stack.close();
      return 0;
    }),
  );
}

/** Resolve after `sec` seconds, or on SIGINT/SIGTERM. */
function waitForStop(sec: number | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      clearTimeout(timer);
      resolve();
    };
    const timer = sec !== undefined ? setTimeout(done, sec * 1000) : setInterval(() => undefined, 1 << 30);
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

/** One recording per call: `%n` in the path is the call number, else `-N` goes before `.wav`. */
function recordPath(template: string | undefined, n: number): string | undefined {
  if (!template) return undefined;
  if (template.includes('%n')) return template.replaceAll('%n', String(n));
  return n === 1 ? template : template.replace(/(\.wav)?$/i, `-${n}$1`);
}
