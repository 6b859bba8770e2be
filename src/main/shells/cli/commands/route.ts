/**
 * `trunkscope route test FILE --to NUMBER …`: which inbound rule of a routing file a call would
 * hit, and why each earlier rule did not — without placing a call. Exit 0 when a rule matches,
 * 1 when none does, 2 for a bad file or bad arguments.
 */
import type { Command } from 'commander';
import { checkTestInput, formatRouteTest, loadRoutingFile, RouteInputError, RoutingFileError, testRoute } from '../../../engine/index.ts';
import { collect, headerArg, UsageError } from '../common.ts';

interface RouteTestOpts {
  to: string;
  from?: string;
  header: string[];
  source?: string;
  transport?: string;
  at?: string;
  json?: boolean;
}

export function registerRoute(program: Command, run: (fn: () => Promise<number>) => Promise<void>): void {
  const route = program.command('route').description('routing files: test which rule a call hits');
  route
    .command('test <file>')
    .description('show the rule an INVITE would match and, for each earlier rule, the first condition that failed (no call is placed)')
    .requiredOption('--to <number>', 'dialed number or sip:/tel: URI (Request-URI and To)')
    .option('--from <number>', "caller's number or URI (From)")
    .option('--header <line>', 'a header "Name: value" on the INVITE (repeatable)', collect, [])
    .option('--source <ip>', "sender's IP address", '127.0.0.1')
    .option('--transport <t>', 'udp | tcp | tls | ws | wss', 'udp')
    .option('--at <time>', 'the time of the call (ISO 8601), for time: rules (default: now)')
    .option('--json', 'print the result as JSON')
    .action((file: string, o: RouteTestOpts) =>
      run(async () => {
        const headers = o.header.map(headerArg);
        let table;
        try {
          table = loadRoutingFile(file);
        } catch (err) {
          if (err instanceof RoutingFileError) throw new UsageError(`routing file refused:\n${err.message}`);
          throw err;
        }
        let result;
        try {
          result = testRoute(table, { to: o.to, from: o.from, headers, ...checkTestInput(o) });
        } catch (err) {
          if (err instanceof RouteInputError) throw new UsageError(err.message);
          throw err;
        }
        if (o.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else process.stdout.write(`${formatRouteTest(result, table).join('\n')}\n`);
        return result.matched ? 0 : 1;
      }),
    );
}
