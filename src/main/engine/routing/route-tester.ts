/**
 * The rule tester: which rule an INVITE with these properties would hit, and for each rule before
 * it the first condition that did not hold. No call is placed.
 */
import ipaddr from 'ipaddr.js';
import type { RoutingTable } from './routing-model.ts';
import { factsFrom, matchRoute, type MatchedCondition, type RuleMiss } from './match-route.ts';
import { describeAgent } from './describe-agent.ts';

export interface RouteTestInput {
  /** The dialed number or a sip:/tel: URI (the Request-URI user and the To). */
  to: string;
  from?: string;
  headers?: Array<[string, string]>;
  source?: string;
  transport?: string;
  now?: Date;
}

export interface RouteTestResult {
  file?: string;
  requestUri: string;
  matched: { rule: string; agent: string; agentType: string; conditions: MatchedCondition[] } | null;
  misses: RuleMiss[];
}

export class RouteInputError extends Error {
  override name = 'RouteInputError';
}

/** A number (+14155550100, 1415 555 0100), a name (sales), or a sip:/sips:/tel: URI. */
export function checkAddress(what: string, text: string): string {
  const t = text.trim();
  if (/^(sips?:[^\s@<>"]+@[^\s<>"]+|tel:\+?[\d\-.()]+(;[^\s]*)?)$/i.test(t)) return t;
  if (/^\+?[\d\s\-.()]{1,32}$/.test(t) && /\d/.test(t)) return t;
  if (/^[A-Za-z0-9_.!~*'+#-]{1,64}$/.test(t)) return t;
  throw new RouteInputError(`${what}: not a number, a user name or a sip:/tel: URI: "${text}"`);
}

const TRANSPORTS = ['udp', 'tcp', 'tls', 'ws', 'wss'];

/** Check the tester's --source, --transport and --at; throws RouteInputError. */
export function checkTestInput(i: { source?: string; transport?: string; at?: string }): { source?: string; transport?: string; now?: Date } {
  if (i.source !== undefined && !ipaddr.isValid(i.source)) throw new RouteInputError(`--source: not an IPv4 or IPv6 address: "${i.source}"`);
  const transport = i.transport?.toLowerCase();
  if (transport !== undefined && !TRANSPORTS.includes(transport)) throw new RouteInputError(`--transport: expected ${TRANSPORTS.join(', ')}; got "${i.transport}"`);
  let now: Date | undefined;
  if (i.at !== undefined) {
    now = new Date(i.at);
    if (Number.isNaN(now.getTime())) throw new RouteInputError(`--at: not a date and time (ISO 8601, e.g. 2026-12-07T09:30:00-05:00): "${i.at}"`);
  }
  return { ...(i.source ? { source: i.source } : {}), ...(transport ? { transport } : {}), ...(now ? { now } : {}) };
}

function asUri(text: string): string {
  if (/^(sips?|tel):/i.test(text)) return text;
  return `sip:${text.replace(/[\s\-.()]/g, '')}@trunkscope.invalid`;
}

export function testRoute(table: RoutingTable, input: RouteTestInput): RouteTestResult {
  const to = asUri(checkAddress('--to', input.to));
  const from = input.from === undefined ? undefined : `<${asUri(checkAddress('--from', input.from))}>`;
  const facts = factsFrom({ requestUri: to, to: `<${to}>`, from, headers: input.headers, source: input.source, transport: input.transport, now: input.now });
  const m = matchRoute(table, facts);
  const agent = m.rule ? table.agents.get(m.rule.agent) : undefined;
  return {
    ...(table.file ? { file: table.file } : {}),
    requestUri: to,
    matched: m.rule ? { rule: m.rule.name, agent: m.rule.agent, agentType: agent?.action.type ?? 'unknown', conditions: m.matched } : null,
    misses: m.misses,
  };
}

/** One line per rule tried: the misses, then the match (or that nothing matched). */
export function formatRouteTest(r: RouteTestResult, table: RoutingTable): string[] {
  const lines = r.misses.map((x) => `  no  ${x.rule}: ${x.why}`);
  if (!r.matched) {
    lines.push(`no rule matched ${r.requestUri}${table.rules.length === 0 ? ' (the file has no rules)' : ' (and the file has no default rule)'}`);
    return lines;
  }
  const why = r.matched.conditions.length === 0 ? 'default rule' : r.matched.conditions.map((c) => (c.field === 'header' ? `header ${c.pattern} (got "${c.value}")` : `${c.field} ${c.value || '(empty)'} matches ${c.pattern}`)).join(', ');
  const agent = table.agents.get(r.matched.agent);
  lines.push(`  YES ${r.matched.rule}: ${why} → ${agent ? describeAgent(agent) : r.matched.agent}`);
  return lines;
}
