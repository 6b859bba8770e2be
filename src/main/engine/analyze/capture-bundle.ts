/**
 * The support bundle's calls from a customer's capture (`trunkscope diagnose FILE --bundle`, the
 * GUI's "Save support bundle" on an opened capture): per diagnosed call, its SIP messages (the
 * ladder, reassembled) and the RTP and RTCP datagrams of its streams, taken from the capture.
 *
 * Frame numbers (issue 11): the bundle's pcap holds only the call's packets, one datagram per SIP
 * message, in the original capture's frame order — so its frames are numbered anew. The call is
 * diagnosed again (rediagnose: the same rules, not another pass over the capture) with each SIP
 * message cited by its frame in the bundle's pcap, so "frame 5" in
 * the bundle's report, diagnosis and ladder file is packet 5 of the bundle's pcap in Wireshark;
 * each such evidence names the original capture's frame in `originalRef`. (Copying the original
 * capture whole was not chosen: its SIP would go out unredacted, and redacting in place cannot
 * keep TCP segments and lengths intact.)
 */
import type { Diagnosis, Evidence } from '../../../shared/model/report.ts';
import { readCapture } from '../../media/pcap/capture.ts';
import { transportSegments } from '../../media/pcap/ip-packets.ts';
import type { TraceRecord } from '../../sip/transport/types.ts';
import { splitHostPort, type PcapRecord } from '../trace/pcap-writer.ts';
import type { BundleCall } from '../report/support-bundle.ts';
import { rediagnose, type CapturedCall } from './diagnose-capture.ts';
import { formatCapturedCall } from './format-capture.ts';

const tuple = (sa: string, sp: number, da: string, dp: number): string => `${sa}|${sp}|${da}|${dp}`;

interface Numbered {
  call: CapturedCall;
  packets: PcapRecord[];
  /** Indices into [...sip, ...packets] in the bundle pcap's order. */
  sequence: number[];
  /** Bundle pcap frame of each SIP message, in ladder order. */
  bundleFrames: number[];
}

export function bundleCallsFromCapture(buf: Uint8Array, calls: readonly CapturedCall[]): BundleCall[] {
  const cap = readCapture(buf);
  const segments = cap.ok ? transportSegments(cap).segments : [];
  const numbered = calls.map((c): Numbered => {
    // RFC 3550 §11: RTCP on the next port up (RFC 5761 mux: the same port, already covered).
    const mine = new Set<string>();
    for (const s of c.streams) {
      mine.add(tuple(s.srcAddress, s.srcPort, s.dstAddress, s.dstPort));
      mine.add(tuple(s.srcAddress, s.srcPort + 1, s.dstAddress, s.dstPort + 1));
    }
    const packets: PcapRecord[] = [];
    const packetFrames: number[] = [];
    for (const g of segments) {
      if (g.proto !== 'udp' || !mine.has(tuple(g.src, g.srcPort, g.dst, g.dstPort))) continue;
      packets.push({ at: g.epochMs ?? g.timeMs, src: { address: g.src, port: g.srcPort }, dst: { address: g.dst, port: g.dstPort }, payload: Buffer.from(g.payload) });
      packetFrames.push(g.frame);
    }
    // The original frame order; SIP messages completed by one TCP segment keep their own order.
    const n = c.ladder.length;
    const order = [...c.frames.map((f, i) => ({ f, i })), ...packetFrames.map((f, j) => ({ f, i: n + j }))];
    order.sort((a, b) => a.f - b.f || a.i - b.i);
    const sequence = order.map((o) => o.i);
    const bundleFrames = new Array<number>(n);
    sequence.forEach((idx, pos) => {
      if (idx < n) bundleFrames[idx] = pos + 1;
    });
    return { call: c, packets, sequence, bundleFrames };
  });
  return numbered.map(({ call: c, packets, sequence, bundleFrames }, i) => {
    // Diagnosed again with the bundle's frame numbers; a call diagnoseCapture did not make (read
    // back from JSON) gets its references mapped instead, to the first message of each frame.
    const diagnosis = rediagnose(c, bundleFrames) ?? renumber(c.report.diagnosis, (f) => bundleFrames[c.frames.indexOf(f)]);
    const report = { ...c.report, ...(diagnosis ? { diagnosis: withOriginalRefs(diagnosis, bundleFrames, c.frames) } : {}) };
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
    const shown: CapturedCall = { ...c, report, frames: bundleFrames };
    const mapping = `  Frames of the SIP messages in this bundle's pcap (original capture's in brackets): ${bundleFrames.map((b, k) => `${b} (${c.frames[k]})`).join(', ')}`;
    const diagnosisText = [...formatCapturedCall(shown, i), mapping];
    return { callId: c.callId, report, sip, packets, frames: c.frames, bundleFrames, sequence, diagnosisText };
  });
}

/** Evidence citing a bundle frame also names the original capture's frame of that message. */
function withOriginalRefs(d: Diagnosis, bundleFrames: readonly number[], original: readonly number[]): Diagnosis {
  return mapEvidence(d, (e) => {
    const m = /^frame (\d+)$/.exec(e.ref);
    const k = m ? bundleFrames.indexOf(Number(m[1])) : -1;
    return k >= 0 ? { ...e, originalRef: `frame ${original[k]}` } : e;
  });
}

function renumber(d: Diagnosis | undefined, to: (frame: number) => number | undefined): Diagnosis | undefined {
  return d && mapEvidence(d, (e) => {
    const m = /^frame (\d+)$/.exec(e.ref);
    const b = m ? to(Number(m[1])) : undefined;
    return b !== undefined ? { ...e, ref: `frame ${b}` } : e;
  });
}

function mapEvidence(d: Diagnosis, f: (e: Evidence) => Evidence): Diagnosis {
  return { ...d, causes: d.causes.map((c) => ({ ...c, evidence: c.evidence.map(f) })) };
}
