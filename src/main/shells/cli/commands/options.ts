/** `trunkscope options URI`: an OPTIONS ping with its round-trip time. */
import type { Command } from 'commander';
import type { CallReport } from '../../../../shared/model/report.ts';
import { implicitTransports } from '../implicit-transports.ts';
import { addCommonOptions, collect, defaultBind, headerArg, output, parseTransports, sipUriArg, startStack, UsageError, type CommonOpts } from '../common.ts';
import { outcomeOf, reasonOf } from './register.ts';
import { endpointText, newCallId, newTag, sendNonInvite, createRequest, Headers } from '../../../engine/index.ts';

interface OptionsOpts extends CommonOpts {
  from?: string;
  proxy?: string;
  header: string[];
}

export function registerOptions(program: Command, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('options')
    .description('send OPTIONS to URI and report the response and round-trip time')
    .argument('<uri>', 'SIP URI to ping')
    .option('--from <uri>', 'From URI')
    .option('--proxy <uri>', 'outbound proxy')
    .option('--header <line>', 'extra header "Name: value" (repeatable)', collect, []);
  addCommonOptions(cmd, { transport: 'udp', port: '0' }).action((uri: string, o: OptionsOpts) =>
    run(async () => {
      const target = sipUriArg('URI', uri);
      const protos = parseTransports(o.transport, target);
      if (protos.length > 1) throw new UsageError('--transport: options uses one transport');
      const headers = o.header.map(headerArg);
      const from = o.from ? sipUriArg('--from', o.from) : 'sip:trunkscope@trunkscope.invalid';
      const proxy = o.proxy ? sipUriArg('--proxy', o.proxy) : undefined;
      o.bind ??= defaultBind(proxy ?? target);
      const stack = await startStack(o, implicitTransports(o.transport, proxy ?? target) ?? protos, 0); // RFC 3263 §4.1: NAPTR may pick
      const started = new Date();
      const callId = newCallId('trunkscope');
      const tag = newTag();
      try {
        const out = await sendNonInvite(stack.ua, {
          build: (cseq) => {
            const h = new Headers();
            if (proxy) h.append('Route', `<${proxy};lr>`);
            h.append('From', `<${from}>;tag=${tag}`).append('To', `<${target}>`).append('Call-ID', callId);
            h.append('CSeq', `${cseq} OPTIONS`).append('Accept', 'application/sdp');
            for (const [n, v] of headers) h.append(n, v);
            return createRequest('OPTIONS', target, h);
          },
          firstCSeq: 1,
          nextHop: proxy ?? target,
        });
        const s = out.response?.status;
        const ok = s !== undefined && s >= 200 && s < 300;
        const report: CallReport = {
          command: 'options',
          outcome: outcomeOf(out, 'ok'),
          finalStatus: s ?? null,
          reason: reasonOf(out),
          callId,
          setupMs: out.rttMs !== undefined ? Math.round(out.rttMs) : null,
          durationMs: null,
          rttMs: out.rttMs !== undefined && out.response ? Math.round(out.rttMs * 100) / 100 : undefined,
          transport: out.flow?.proto ?? out.destination?.proto ?? protos[0]!,
          local: out.flow ? endpointText(out.flow.local) : null,
          remote: out.flow ? endpointText(out.flow.remote) : out.destination ? endpointText(out.destination.remote) : null,
          startedAt: started.toISOString(),
          endedAt: new Date().toISOString(),
          messages: stack.messageCount(callId, true),
          attempts: out.tried, // RFC 3263 §4.3: every target tried
        };
        await output(o, report, stack, [`${report.outcome}: ${report.reason}${report.rttMs !== undefined ? `, rtt ${report.rttMs} ms` : ''}`]);
        return ok ? 0 : 1;
      } finally {
        await stack.close();
      }
    }),
  );
}
