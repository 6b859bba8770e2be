/** `trunkscope listen`: the built-in agent answering calls until --duration ends or a signal. */
import type { Command } from 'commander';
import type { CallReport } from '../../../../shared/model/report.ts';
import { addMediaOptions } from '../media-options.ts';
import { addAgentOptions, agentPlan, type AgentOpts } from '../agent-options.ts';
import { hideLocalPortAlias, listenPortText } from '../listen-port.ts';
import { addCommonOptions, intOption, numberOption, output, parseTransports, startStack, type CommonOpts } from '../common.ts';
import { endpointText, listenCallText } from '../../../engine/index.ts';
import { addInboundOptions, applyInboundPassword, inboundGuardFrom, type InboundOpts } from '../inbound-options.ts';
import { loadRoutesOption, startRoutes } from '../listen-routes.ts';

interface ListenOpts extends CommonOpts, AgentOpts, InboundOpts {
  port: string;
  duration?: string;
  sessionExpires: string;
  minSe: string;
  routes?: string;
}

export function registerListen(program: Command, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('listen')
    .description('run the built-in agent: answer incoming calls (UAS)')
    .option('--port <port>', 'SIP port (TLS uses port+1 when listening on several transports)', '5060')
    .option('--duration <s>', 'stop after S seconds (default: until Ctrl-C)')
    .option('--session-expires <s>', 'RFC 4028 interval for calls whose caller names none (0: off)', '1800')
    .option('--min-se <s>', 'RFC 4028 Min-SE: smaller intervals get 422', '90')
    .option('--routes <file>', 'route each call by the rules of a routing file (YAML/JSON, docs/routing.md); re-read on change');
  addAgentOptions(cmd, 'echo');
  addMediaOptions(cmd, 'PCMU,PCMA,G722,opus,G729', 'offer');
  addInboundOptions(cmd);
  addCommonOptions(cmd, { transport: 'udp,tcp', port: '5060' });
  hideLocalPortAlias(cmd); // --port is listen's; --local-port still works as a hidden alias
  cmd.action((o: ListenOpts) =>
    run(async () => {
      const protos = parseTransports(o.transport, undefined, 'udp,tcp');
      const port = intOption('port', listenPortText(cmd, o), 0, 65535)!;
      const durationSec = numberOption('duration', o.duration, 0);
      const sessionTimer = { sessionExpires: intOption('session-expires', o.sessionExpires, 0, 86_400)!, minSE: intOption('min-se', o.minSe, 1, 86_400)! };
      // Every option is checked before a socket is opened: a usage error leaves nothing behind.
      const routesTable = loadRoutesOption(o.routes);
      // Routed calls swap sources (prompt, tone, echo) as agents change: they open with silence.
      const plan = await agentPlan(o, routesTable ? 'silence' : 'echo');
      await applyInboundPassword(o, cmd); // issue 15: --auth-password-stdin/-file, $TRUNKSCOPE_AUTH_PASSWORD
      const guard = inboundGuardFrom(o);
      const stack = await startStack({ ...o, localPort: String(port) }, protos, port);
      const routes = routesTable ? startRoutes(o.routes!, routesTable, stack) : undefined;
      const started = new Date();
      const agent = plan.start(stack, sessionTimer, { guard, ...(routes ? { routes: routes.router } : {}) });
      const where = stack.transport.listeners.map((l) => `${l.proto} ${endpointText(l.local)}`).join(', ');
      process.stderr.write(`trunkscope listening on ${where} (${o.routes ? `routes: ${o.routes}` : `answer: ${o.answer}`})\n`);
      // Each call as it ends: a line of text, or with --json one JSON object per line (NDJSON),
      // so a long-running listener is watched live; the run's report is the last line.
      agent.onCall = o.json ? (r) => process.stdout.write(`${JSON.stringify(r)}\n`) : (r) => process.stdout.write(listenCallText(r));
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
        requestSummary: agent.requestLog.counts(),
        ...(guard ? { refused: guard.refusals() } : {}),
        ...(routes ? { routeTotals: { ...routes.router.totals } } : {}),
      };
      await output(o, report, stack, [`stopped: ${report.reason}`], { compact: true });
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
