/**
 * Rules tried in order: the first whose every condition holds takes the call. For each rule
 * before it the first condition that did not hold is kept, so "why did it not go to sales?"
 * has a one-line answer per rule.
 */
import type { CallFacts, RouteField, RoutingTable, Rule } from './routing-model.ts';

export interface MatchedCondition {
  field: RouteField;
  value: string;
  pattern: string;
}

export interface RuleMiss {
  rule: string;
  field: RouteField;
  why: string;
}

export interface RouteMatch {
  /** undefined: no rule matched (and the file has no default rule). */
  rule: Rule | undefined;
  matched: MatchedCondition[];
  misses: RuleMiss[];
}

export function matchRoute(table: Pick<RoutingTable, 'rules'>, facts: CallFacts): RouteMatch {
  const misses: RuleMiss[] = [];
  for (const rule of table.rules) {
    const matched: MatchedCondition[] = [];
    let miss: RuleMiss | undefined;
    for (const c of rule.conditions) {
      const r = c.check(facts);
      if (!r.ok) {
        miss = { rule: rule.name, field: c.field, why: r.why };
        break;
      }
      matched.push({ field: c.field, value: r.value, pattern: c.pattern });
    }
    if (!miss) return { rule, matched, misses };
    misses.push(miss);
  }
  return { rule: undefined, matched: [], misses };
}

/** Facts from header lists (the tester's made-up call, or a parsed INVITE's headers). */
export function factsFrom(p: {
  requestUri: string;
  to?: string;
  from?: string;
  headers?: Array<[string, string]>;
  source?: string;
  transport?: string;
  now?: Date;
}): CallFacts {
  const headers = p.headers ?? [];
  const get = (name: string): string[] => headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
  return {
    requestUri: p.requestUri,
    to: p.to ?? get('to')[0] ?? p.requestUri,
    from: p.from ?? get('from')[0] ?? '',
    pai: get('p-asserted-identity')[0],
    header: get,
    source: p.source ?? '127.0.0.1',
    transport: p.transport ?? 'udp',
    now: p.now ?? new Date(),
  };
}
