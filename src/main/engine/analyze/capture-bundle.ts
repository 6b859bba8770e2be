/**
 * The support bundle's calls from a customer's capture (`trunkscope diagnose FILE --bundle`): per
 * diagnosed call, its SIP messages (the ladder, reassembled) and the RTP and RTCP datagrams of its
 * streams, taken from the capture's frames, plus the diagnose text with the original frame numbers.
 */
import { readCapture } from '../../media/pcap/capture.ts';
import { transportSegments } from '../../media/pcap/ip-packets.ts';
import type { TraceRecord } from '../../sip/transport/types.ts';
import { splitHostPort, type PcapRecord } from '../trace/pcap-writer.ts';
import type { BundleCall } from '../report/support-bundle.ts';
import type { CapturedCall } from './diagnose-capture.ts';
import { formatCapturedCall } from './format-capture.ts';

const tuple = (sa: string, sp: number, da: string, dp: number): string => `${sa}|${sp}|${da}|${dp}`;

export function bundleCallsFromCapture(buf: Uint8Array, calls: readonly CapturedCall[]): BundleCall[] {
  const cap = readCapture(buf);
  const segments = cap.ok ? transportSegments(cap).segments : [];
  return calls.map((c, i) => {
    // RFC 3550 §11: RTCP on the next port up (RFC 5761 mux: the same port, already covered).
    const mine = new Set<string>();
    for (const s of c.streams) {
      mine.add(tuple(s.srcAddress, s.srcPort, s.dstAddress, s.dstPort));
      mine.add(tuple(s.srcAddress, s.srcPort + 1, s.dstAddress, s.dstPort + 1));
    }
    const packets: PcapRecord[] = [];
    for (const g of segments) {
      if (g.proto !== 'udp' || !mine.has(tuple(g.src, g.srcPort, g.dst, g.dstPort))) continue;
      packets.push({ at: g.epochMs ?? g.timeMs, src: { address: g.src, port: g.srcPort }, dst: { address: g.dst, port: g.dstPort }, payload: Buffer.from(g.payload) });
    }
    const sip: TraceRecord[] = c.ladder.map((e) => ({
      dir: e.dir,
      at: e.at,
      proto: e.proto,
      local: splitHostPort(e.local),
      remote: splitHostPort(e.remote),
      raw: Buffer.from(e.raw, 'latin1'),
      callId: c.callId,
      ...(e.error ? { error: e.error } : {}),
    }));
    return { callId: c.callId, report: c.report, sip, packets, frames: c.frames, diagnosisText: formatCapturedCall(c, i) };
  });
}
