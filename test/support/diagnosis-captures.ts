/**
 * Captures for the GUI's capture import (issue 11 item 4), built from real message templates with
 * the diagnose tests' capture builder: a call rejected 486 Busy Here, and a call answered whose
 * callee never sends RTP (no inbound audio) — two Call-IDs in one pcap.
 */
import { buildPcap, CALL_ID, rtpPackets, sipCall, type Packet } from '../unit/engine/analyze/capture-builder.ts';

export const BUSY_CALL = 'busy-486@capture.test';
export const SILENT_CALL = 'no-inbound-rtp@capture.test';

const CALLER = '198.51.100.2';
const CALLEE = '203.0.113.5';

function sip(atMs: number, fromCaller: boolean, text: string, callId: string): Packet {
  return {
    atMs,
    src: fromCaller ? CALLER : CALLEE,
    dst: fromCaller ? CALLEE : CALLER,
    sport: 5060,
    dport: 5060,
    payload: Buffer.from(text.split(CALL_ID).join(callId), 'latin1'),
  };
}

/** The two calls' packets, in time order (the 486 call first). */
export function twoCallPackets(): Packet[] {
  const busy = sipCall({ callerMedia: `${CALLER}:20000`, calleeMedia: `${CALLEE}:40000`, final: '486 Busy Here' });
  const ok = sipCall({ callerMedia: `${CALLER}:20002`, calleeMedia: `${CALLEE}:40002` });
  const out: Packet[] = [
    sip(0, true, busy.invite, BUSY_CALL),
    sip(10, false, busy.trying, BUSY_CALL),
    sip(40, false, busy.final, BUSY_CALL),
    sip(50, true, busy.ack, BUSY_CALL),
    sip(1000, true, ok.invite, SILENT_CALL),
    sip(1010, false, ok.trying, SILENT_CALL),
    sip(1050, false, ok.final, SILENT_CALL),
    sip(1060, true, ok.ack, SILENT_CALL),
    // Our RTP goes out for 7 s (the verdict waits 5 s after answer); nothing comes back.
    ...rtpPackets(`${CALLER}:20002`, `${CALLEE}:40002`, 350, 1100, 0x55, 0x1111),
    sip(8200, true, ok.bye, SILENT_CALL),
    sip(8210, false, ok.byeOk, SILENT_CALL),
  ];
  return out.sort((a, b) => a.atMs - b.atMs);
}

export function twoCallPcap(): Buffer {
  return buildPcap(twoCallPackets());
}
