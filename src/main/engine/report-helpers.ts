/** Small helpers shared by the report builders. */
import type { Endpoint, TraceRecord } from '../sip/transport/types.ts';
import { callIdOfRaw } from './sip-stack.ts';

export function endpointText(ep: Endpoint): string {
  return ep.address.includes(':') ? `[${ep.address}]:${ep.port}` : `${ep.address}:${ep.port}`;
}

/** Messages sent and received for one Call-ID (all of them when callId is undefined). */
export function countMessages(trace: readonly TraceRecord[], callId?: string): { sent: number; received: number } {
  let sent = 0;
  let received = 0;
  for (const r of trace) {
    if (r.error) continue;
    if (callId !== undefined && callIdOfRaw(r.raw) !== callId) continue;
    if (r.dir === 'out') sent++;
    else received++;
  }
  return { sent, received };
}
