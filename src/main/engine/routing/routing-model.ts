/** The routing file once loaded: compiled rules, named agents and outbound routes. */
import type { MoveOn } from './routing-schema.ts';

/** What a rule can look at in an incoming INVITE (or in the tester's made-up call). */
export interface CallFacts {
  /** Request-URI as text. */
  requestUri: string;
  /** To, From and P-Asserted-Identity header values (name-addr or URI). */
  to: string;
  from: string;
  pai?: string;
  /** Every value of a header (case-insensitive name); [] when absent. */
  header(name: string): string[];
  /** The sender's IP address. */
  source: string;
  transport: string;
  now: Date;
}

export type RouteField = 'did' | 'header' | 'from' | 'source' | 'transport' | 'time';

export type CheckResult = { ok: true; value: string } | { ok: false; value: string; why: string };

export interface Condition {
  field: RouteField;
  /** The pattern as the file wrote it (shown in the report and by the tester). */
  pattern: string;
  check(facts: CallFacts): CheckResult;
}

export interface Rule {
  name: string;
  isDefault: boolean;
  conditions: Condition[];
  agent: string;
  line?: number;
}

export type AgentAction =
  | { type: 'echo' }
  | { type: 'tone'; hz: number }
  | { type: 'play'; file: string }
  | { type: 'ivr'; prompt: string; digits: Record<string, string>; timeout: number; noInput?: string }
  | { type: 'record'; file: string }
  | { type: 'ring' }
  | { type: 'early-media'; file: string }
  | { type: 'busy' }
  | { type: 'reject'; code: number; reason?: string }
  | { type: 'unavailable' }
  | { type: 'answer-after'; seconds: number }
  | { type: 'hangup-after'; seconds: number }
  | { type: 'forward'; uri?: string; profile?: string };

export type FailoverEvent = { kind: 'busy' | 'unavailable' | 'rejected' | 'error' } | { kind: 'no-answer'; seconds: number };

export interface Failover {
  when: FailoverEvent[];
  then: string;
}

export interface AgentDef {
  name: string;
  action: AgentAction;
  maxCalls?: number;
  on: Failover[];
}

export interface OutboundTarget {
  uri?: string;
  profile?: string;
  priority: number;
  weight: number;
}

export interface OutboundRoute {
  name: string;
  numbers: string[];
  moveOn: MoveOn[];
  targets: OutboundTarget[];
}

export interface RoutingTable {
  file?: string;
  rules: Rule[];
  agents: Map<string, AgentDef>;
  outbound: OutboundRoute[];
}

/**
 * Where trunk profiles come from (the profiles store, wired by the caller). Routing only needs a
 * profile's provider addresses (for `source`) and where to send a call through it (`forward`,
 * outbound targets).
 */
export interface ProfileLookup {
  /** IPs or CIDRs the provider sends from; undefined when there is no such profile. */
  sourceAddresses(name: string): string[] | undefined;
  /** A request URI for `number` through this profile; undefined when there is no such profile. */
  targetUri?(name: string, number: string): string | undefined;
}
