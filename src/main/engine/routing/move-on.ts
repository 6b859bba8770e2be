/**
 * Whether a failed attempt moves on to the next target of an outbound route, and under which of
 * the route's `move-on` conditions: no response / timeout, 408, 5xx, 403 (only when listed),
 * TCP/TLS connect failure, DNS failure. Anything else (answered, 404, 486, 487 …) decides the call.
 */
import type { CallReport } from '../../../shared/model/report.ts';
import type { MoveOn } from './routing-schema.ts';

export function failureKind(r: CallReport): MoveOn | undefined {
  if (r.outcome === 'answered') return undefined;
  const s = r.finalStatus;
  if (r.outcome === 'unreachable' || /transport error|cannot resolve|ECONNREFUSED|connect/i.test(s === null ? r.reason : '')) {
    return /cannot resolve|ENOTFOUND|EAI_AGAIN|DNS/i.test(r.reason) ? 'dns-failure' : 'connect-failure';
  }
  // No response at all: Timer B fired (RFC 3261 §17.1.1.2), reported as timeout or a local 408.
  if (r.outcome === 'timeout' || (s === 408 && r.endedBy === 'error') || s === null) return 'timeout';
  if (s === 408) return '408';
  if (s >= 500 && s <= 599) return '5xx';
  if (s === 403) return '403';
  return undefined;
}

/** The move-on condition that applies, or undefined when this attempt decides the call. */
export function movesOn(r: CallReport, allowed: MoveOn[]): MoveOn | undefined {
  const k = failureKind(r);
  return k && allowed.includes(k) ? k : undefined;
}
