/** `trunkscope options URI`: an OPTIONS ping with its round-trip time. */
import type { Command } from 'commander';
import { implicitTransports } from '../implicit-transports.ts';
import { addCommonOptions, collect, defaultBind, headerArg, output, parseTransports, sipUriArg, startStack, UsageError, type CommonOpts } from '../common.ts';
import { pingOptions } from '../../../engine/index.ts';

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
      const from = o.from ? sipUriArg('--from', o.from) : undefined;
      const proxy = o.proxy ? sipUriArg('--proxy', o.proxy) : undefined;
      o.bind ??= defaultBind(proxy ?? target);
      const stack = await startStack(o, implicitTransports(o.transport, proxy ?? target) ?? protos, 0); // RFC 3263 §4.1: NAPTR may pick;
      try {
        const report = await pingOptions(stack, { target, from, proxy, headers });
        const ok = report.outcome === 'ok';
        await output(o, report, stack, [`${report.outcome}: ${report.reason}${report.rttMs !== undefined ? `, rtt ${report.rttMs} ms` : ''}`]);
        return ok ? 0 : 1;
      } finally {
        await stack.close();
      }
    }),
  );
}
