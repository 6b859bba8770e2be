/**
 * The contract's routing commands (`routing.check`, `routing.test`): the GUI's Routing view
 * checks the file it edits and runs the tester box, with the same code as `route test`.
 */
import type { z } from 'zod';
import type { RoutingTestSchema } from '../../../shared/api/contract.ts';
import type { RouteTestDto, RoutingProblemDto, RoutingSummary } from '../../../shared/model/routing.ts';
import { parseRoutingText, RoutingFileError } from '../routing/routing-load.ts';
import type { RoutingTable } from '../routing/routing-model.ts';
import { checkTestInput, formatRouteTest, RouteInputError, testRoute } from '../routing/route-tester.ts';
import { describeAgent } from '../routing/describe-agent.ts';
import { targetKey } from '../routing/outbound-select.ts';

function load(text: string): { table?: RoutingTable; problems: RoutingProblemDto[] } {
  try {
    // Files named in the editor's text are resolved against the working folder of the engine.
    return { table: parseRoutingText(text, { file: '(editor)' }), problems: [] };
  } catch (err) {
    if (err instanceof RoutingFileError) return { problems: err.problems.map(({ line, column, field, message }) => ({ line, column, field, message })) };
    throw err;
  }
}

export function routingCheck(text: string): RoutingSummary {
  const { table, problems } = load(text);
  if (!table) return { ok: false, problems, rules: [], outbound: [] };
  return {
    ok: true,
    problems: [],
    rules: table.rules.map((r) => {
      const a = table.agents.get(r.agent);
      return { name: r.name, isDefault: r.isDefault, conditions: r.conditions.map((c) => ({ field: c.field, pattern: c.pattern })), agent: r.agent, agentText: a ? describeAgent(a) : r.agent };
    }),
    outbound: table.outbound.map((o) => ({ name: o.name, numbers: o.numbers, targets: o.targets.map((t) => ({ target: targetKey(t), priority: t.priority, weight: t.weight })) })),
  };
}

export function routingTest(a: z.output<typeof RoutingTestSchema>): RouteTestDto {
  const { table, problems } = load(a.text);
  const empty = { matched: null, misses: [], lines: [] };
  if (!table) return { problems, ...empty };
  try {
    const r = testRoute(table, { to: a.to, from: a.from || undefined, headers: a.headers, ...checkTestInput({ source: a.source || undefined, transport: a.transport, at: a.at || undefined }) });
    return { problems: [], matched: r.matched, misses: r.misses, lines: formatRouteTest(r, table).map((l) => l.trim()) };
  } catch (err) {
    if (err instanceof RouteInputError) return { problems: [], inputError: err.message, ...empty };
    throw err;
  }
}
