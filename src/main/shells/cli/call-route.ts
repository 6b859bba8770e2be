/**
 * `call NUMBER --route NAME --routes FILE`: the number goes to the outbound route's targets in
 * priority/weight order until one attempt decides the call; the report lists every attempt.
 * Without --route, the route whose `numbers` prefix matches the number is used.
 */
import type { Command } from 'commander';
import type { CallReport } from '../../../shared/model/report.ts';
import { callThroughRoute, loadRoutingFile, routeForNumber, RoutingFileError, seededRandom } from '../../engine/index.ts';
import { intOption, output, UsageError, type CommonOpts } from './common.ts';

export interface RouteOpts {
  route?: string;
  routes?: string;
  routeSeed?: string;
}

export function addRouteOptions(cmd: Command): Command {
  return cmd
    .option('--routes <file>', 'routing file whose outbound: routes --route names (docs/routing.md)')
    .option('--route <name>', 'place the call through this outbound route of --routes (URI is then the number)')
    .option('--route-seed <n>', 'seed for the weighted choice among targets of one priority (repeatable runs)');
}

export interface RoutePlan {
  /** `after`: once the report is out (call --bundle); false makes the exit code 1. */
  run(placeOne: (uri: string) => Promise<CallReport>, after?: (report: CallReport) => boolean): Promise<number>;
}

/** undefined when the call is not routed; usage errors for a bad file, route or number. */
export function routePlan(arg: string, o: RouteOpts & CommonOpts): RoutePlan | undefined {
  if (o.route === undefined && o.routes === undefined) return undefined;
  if (o.routes === undefined) throw new UsageError('--route needs --routes FILE (the routing file that defines the route)');
  let table;
  try {
    table = loadRoutingFile(o.routes);
  } catch (err) {
    if (err instanceof RoutingFileError) throw new UsageError(`--routes: routing file refused:\n${err.message}`);
    throw err;
  }
  const number = /^(sips?|tel):/i.test(arg) ? (/^(?:sips?|tel):([^@;]+)/i.exec(arg)?.[1] ?? arg) : arg;
  if (!/^[A-Za-z0-9+*#._-]{1,64}$/.test(number)) throw new UsageError(`not a number or user name: "${arg}"`);
  const names = table.outbound.map((r) => r.name);
  const route = o.route !== undefined ? table.outbound.find((r) => r.name === o.route) : routeForNumber(table.outbound, number);
  if (!route) {
    throw new UsageError(
      o.route !== undefined
        ? `--route: no outbound route "${o.route}" in ${o.routes} (routes: ${names.join(', ') || 'none'})`
        : `no outbound route in ${o.routes} has numbers matching ${number}; name one with --route`,
    );
  }
  const seed = intOption('route-seed', o.routeSeed, 0, 2 ** 31);
  return {
    async run(placeOne, after) {
      const report = await callThroughRoute({
        route,
        number,
        placeOne: (t) => placeOne(t.uri),
        ...(seed !== undefined ? { random: seededRandom(seed) } : {}),
        onAttempt: (a) => void process.stderr.write(`trunkscope: route ${route.name}: ${a.target} → ${a.status ?? '-'} ${a.reason} (${a.ms} ms)\n`),
      });
      await output(o, report, undefined, [
        ...(report.attempts ?? []).map((a, i) => `attempt ${i + 1}: ${a.target}${a.profile ? ` (profile ${a.profile})` : ''} → ${a.status ?? '-'} ${a.reason} (${a.ms} ms)`),
        `${report.outcome}: ${report.reason}`,
      ]);
      if (after && !after(report)) return 1;
      return report.outcome === 'answered' ? 0 : 1;
    },
  };
}
