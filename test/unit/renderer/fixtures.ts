/** Builders for renderer tests. */
import type { CallSnapshot, StatsTick, TraceEntry } from '../../../src/shared/api/contract.ts';

export function snap(callId: string, over: Partial<CallSnapshot> = {}): CallSnapshot {
  return {
    callId,
    direction: 'outbound',
    state: 'calling',
    peer: 'sip:a@b',
    transport: 'udp',
    startedAt: 1000,
    onHold: false,
    dtmfMethod: 'rfc2833',
    ...over,
  };
}

export function tick(callId: string, atMs: number, jitter = 1): StatsTick {
  const d = { packets: atMs / 20, lost: 0, lostPercent: 0, jitterMs: jitter, levelDb: -20 };
  return { callId, atMs, sent: d, received: { ...d, jitterMs: jitter * 2 }, mos: 4.3 };
}

const LOCAL = '127.0.0.1:5070';
const REMOTE = '10.0.0.2:5060';

/** A request (method) or response (status) entry; `dir` out means sent by us. */
export function entry(
  id: number,
  over: Partial<TraceEntry> & { method?: string; status?: number } = {},
): TraceEntry {
  const status = over.status;
  const method = status === undefined ? (over.method ?? 'INVITE') : undefined;
  const cseqMethod = over.method ?? 'INVITE';
  const firstLine =
    status === undefined
      ? `${method} sip:bob@10.0.0.2 SIP/2.0`
      : `SIP/2.0 ${status} ${status === 200 ? 'OK' : status === 180 ? 'Ringing' : status === 100 ? 'Trying' : 'Busy Here'}`;
  return {
    id,
    at: 1_700_000_000_000 + id * 10,
    dir: 'out',
    proto: 'udp',
    local: LOCAL,
    remote: REMOTE,
    callId: 'call-1',
    cseq: `1 ${cseqMethod}`,
    firstLine,
    raw: `${firstLine}\r\nCall-ID: ${over.callId ?? 'call-1'}\r\nCSeq: 1 ${cseqMethod}\r\n\r\n`,
    retransmission: false,
    ...over,
    method,
    status,
  };
}
