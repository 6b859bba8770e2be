/**
 * An outbound call through a route: each target in route order (priority, then RFC 2782 weight)
 * until one attempt decides the call. `placeOne` places a single call (the engine's call path);
 * this loop only orders targets, skips those a Retry-After put down, and says why it moved on.
 */
import type { TargetAttempt, CallReport } from '../../../shared/model/report.ts';
import type { OutboundRoute, OutboundTarget, ProfileLookup } from './routing-model.ts';
import { orderTargets, targetKey, TargetHealth } from './outbound-select.ts';
import { movesOn } from './move-on.ts';
import type { Random } from '../../../shared/seeded-random.ts';

export interface PlaceTarget {
  /** The request URI to call. */
  uri: string;
  profile?: string;
}

export interface RouteCallOptions {
  route: OutboundRoute;
  /** The number dialed (the user part of each target's URI). */
  number: string;
  placeOne(target: PlaceTarget): Promise<CallReport>;
  profiles?: ProfileLookup;
  health?: TargetHealth;
  random?: Random;
  /** A progress line per attempt (the CLI prints it on stderr). */
  onAttempt?(a: TargetAttempt): void;
}

/** The target's URI for `number`: `{number}` replaced, or the number put in as the user part. */
export function targetUri(t: OutboundTarget, number: string, profiles?: ProfileLookup): string | undefined {
  if (t.profile) return profiles?.targetUri?.(t.profile, number);
  const uri = t.uri!;
  if (uri.includes('{number}')) return uri.replaceAll('{number}', encodeURIComponent(number).replace(/%2B/g, '+'));
  if (/^tel:/i.test(uri) || uri.includes('@')) return uri;
  return uri.replace(/^(sips?:)/i, `$1${number}@`);
}

const defaultHealth = new TargetHealth();

/** Try the route's targets in order; the report is the deciding attempt's, with every attempt. */
export async function callThroughRoute(o: RouteCallOptions): Promise<CallReport> {
  const health = o.health ?? defaultHealth;
  const attempts: TargetAttempt[] = [];
  const add = (a: TargetAttempt): void => {
    attempts.push(a);
    o.onAttempt?.(a);
  };
  const ordered = orderTargets(o.route.targets, o.random ?? Math.random);
  // Targets held down by a Retry-After go last rather than never: a call is still placed.
  const up = ordered.filter((t) => health.downFor(targetKey(t)) === 0);
  const down = ordered.filter((t) => health.downFor(targetKey(t)) > 0);
  let last: CallReport | undefined;
  for (const t of [...up, ...down]) {
    const profile = t.profile ?? null;
    const uri = targetUri(t, o.number, o.profiles);
    if (!uri) {
      add({ target: targetKey(t), profile, status: null, reason: `profile "${t.profile}" is unknown or has no target: moving on`, ms: 0 });
      continue;
    }
    const wait = health.downFor(targetKey(t));
    const started = performance.now();
    const report = await o.placeOne({ uri, ...(t.profile ? { profile: t.profile } : {}) });
    const ms = Math.round(performance.now() - started);
    last = report;
    // RFC 3261 §21.5.4: a 503 with Retry-After asks us not to come back before it has passed.
    if (report.finalStatus === 503 && report.retryAfterSec) health.markDown(targetKey(t), report.retryAfterSec);
    const next = movesOn(report, o.route.moveOn);
    const note = wait > 0 ? ` (tried though Retry-After had ${wait} s left: every other target failed)` : '';
    add({ target: uri, transport: report.transport, profile, status: report.finalStatus, reason: `${report.reason}${next ? `: moving on (${next})` : ''}${note}`, ms });
    if (!next) break;
  }
  const base: CallReport = last ?? {
    command: 'call',
    outcome: 'failed',
    finalStatus: null,
    reason: `route ${o.route.name}: no target could be tried`,
    callId: null,
    setupMs: null,
    durationMs: null,
    transport: 'udp',
    local: null,
    remote: null,
    startedAt: new Date().toISOString(),
    endedAt: new Date().toISOString(),
    messages: { sent: 0, received: 0 },
  };
  return { ...base, outboundRoute: o.route.name, attempts };
}
