/**
 * Outbound route selection with Twilio origination semantics: targets of the lowest priority
 * first; within one priority a weighted random order by RFC 2782's algorithm (page 3, "Weight"):
 * zero-weight entries first, running sums, a uniform number in [0, sum], the first entry whose
 * running sum reaches it is next. Targets a 503 with Retry-After put down are skipped until then.
 */
import type { OutboundRoute, OutboundTarget } from './routing-model.ts';
import { compilePattern } from './patterns.ts';
import type { Random } from '../../../shared/seeded-random.ts';

/** RFC 2782 order of one priority group. */
export function weightedOrder<T extends { weight: number }>(group: T[], random: Random): T[] {
  // "arrange all SRV RRs (that have not been ordered yet) in any order, except that all those
  // with weight 0 are placed at the beginning of the list."
  const left = [...group.filter((t) => t.weight === 0), ...group.filter((t) => t.weight > 0)];
  const out: T[] = [];
  while (left.length > 0) {
    const sum = left.reduce((s, t) => s + t.weight, 0);
    // "choose a uniform random number between 0 and the sum computed (inclusive)"
    const pick = Math.floor(random() * (sum + 1));
    let running = 0;
    let i = left.findIndex((t) => (running += t.weight) >= pick);
    if (i < 0) i = left.length - 1;
    out.push(left.splice(i, 1)[0]!);
  }
  return out;
}

/** Every target in the order to try: priorities ascending, weighted random inside each. */
export function orderTargets(targets: OutboundTarget[], random: Random): OutboundTarget[] {
  const priorities = [...new Set(targets.map((t) => t.priority))].sort((a, b) => a - b);
  return priorities.flatMap((p) => weightedOrder(targets.filter((t) => t.priority === p), random));
}

export function targetKey(t: OutboundTarget): string {
  return t.uri ?? `profile:${t.profile}`;
}

/**
 * Targets put down by a 503 with Retry-After (RFC 3261 §21.5.4, §20.33): skipped by later calls
 * until the time has passed. Shared by the calls of one process.
 */
export class TargetHealth {
  private readonly downUntil = new Map<string, number>();
  private readonly now: () => number;
  constructor(now: () => number = Date.now) {
    this.now = now;
  }
  markDown(key: string, seconds: number): void {
    this.downUntil.set(key, this.now() + seconds * 1000);
  }
  /** Seconds left, or 0 when the target may be tried. */
  downFor(key: string): number {
    const until = this.downUntil.get(key);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left <= 0) {
      this.downUntil.delete(key);
      return 0;
    }
    return Math.ceil(left / 1000);
  }
}

/**
 * The route for a number without `--route`: the route whose `numbers` pattern matches it with
 * the longest prefix (least-cost style; compared as E.164), first in the file on a tie.
 */
export function routeForNumber(routes: OutboundRoute[], number: string): OutboundRoute | undefined {
  let best: { route: OutboundRoute; len: number } | undefined;
  for (const route of routes) {
    for (const n of route.numbers) {
      const p = compilePattern(n, { e164: true });
      if (!p.test(number)) continue;
      const len = p.kind === 'prefix' ? n.length - 1 : p.kind === 'exact' ? 1000 : 0;
      if (!best || len > best.len) best = { route, len };
    }
  }
  return best?.route;
}
