/**
 * `analyzeCapture(buf)`: every RTP stream in a pcap/pcapng capture with the same statistics a call
 * report gives (media/stats), so a user can check our numbers against Wireshark's
 * (`tshark -z rtp,streams`) and diagnose a customer's capture.
 *
 * RTP is recognised like Wireshark does: UDP to or from an address/port a SIP message's SDP
 * announced (with its payload-type names and clock rates), else by heuristic — a v2 header with
 * a plausible payload type, confirmed by a run of packets with advancing sequence numbers on the
 * same 5-tuple and SSRC (Wireshark's "rtp_udp" heuristic, `-o rtp.heuristic_rtp:TRUE`).
 * Streams are keyed by (source, destination, SSRC), as in Wireshark, and split further when the
 * clock rate changes (media/stats/rtp-stream-set.ts).
 */
import { readCapture, udpDatagrams, type DecodeSummary } from '../../media/pcap/capture.ts';
import type { CaptureErrorReason } from '../../media/pcap/types.ts';
import { clockRateOf, payloadName } from '../../media/stats/clock-rate.ts';
import { eModel, oneWayDelayMs } from '../../media/stats/e-model.ts';
import { RtpStreamSet, ssrcHex } from '../../media/stats/rtp-stream-set.ts';
import type { RtpStreamSnapshot } from '../../media/stats/rtp-stream-stats.ts';
import {
  looksLikeRtpFlow,
  rtpHeaderOf,
  HEURISTIC_MIN_RUN,
  type RtpHeaderInfo,
} from './rtp-detect.ts';
import { SdpDirectory, sdpEndpointsOf, type SdpEndpoint } from './sdp-sniff.ts';

export interface AnalyzedStream extends Omit<
  RtpStreamSnapshot,
  'firstArrivalMs' | 'lastArrivalMs'
> {
  src: string;
  dst: string;
  srcAddress: string;
  srcPort: number;
  dstAddress: string;
  dstPort: number;
  ssrcHex: string;
  codec?: string;
  startMs: number;
  endMs: number;
  /** Set when the SSRC or clock rate of this 5-tuple changed (the stream is one part). */
  label?: string;
  part: number;
  detectedBy: 'sdp' | 'heuristic';
  /** Frame of the SIP message whose SDP announced the endpoint. */
  sdpFrame?: number;
  mos: number;
  rFactor: number;
  /** The E-model used assumed codec values (docs/quality.md). */
  mosAssumed: boolean;
}

export type AnalyzeResult =
  | {
      ok: true;
      format: 'pcap' | 'pcapng';
      streams: AnalyzedStream[];
      warnings: string[];
      decode: DecodeSummary;
      sdpEndpoints: number;
      noRtpReason?: string;
    }
  | { ok: false; reason: CaptureErrorReason; message: string };

interface Flow {
  key: string;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  ssrc: number;
  packets: Array<RtpHeaderInfo & { timeMs: number }>;
  firstFrame: number;
  sdp?: SdpEndpoint;
}

const endpoint = (a: string, p: number): string => (a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`);

function estimatePtimeMs(
  s: RtpStreamSnapshot,
  packets: ReadonlyArray<{ timestamp: number }>,
): number {
  if (s.clockRate <= 0 || packets.length < 2) return 20;
  const steps: number[] = [];
  for (let i = 1; i < packets.length && steps.length < 200; i++) {
    const d = (packets[i]!.timestamp - packets[i - 1]!.timestamp + 0x100000000) % 0x100000000;
    if (d > 0 && d < s.clockRate) steps.push(d);
  }
  if (steps.length === 0) return 20;
  steps.sort((a, b) => a - b);
  return (steps[steps.length >> 1]! * 1000) / s.clockRate;
}

export function analyzeCapture(buf: Uint8Array): AnalyzeResult {
  const cap = readCapture(buf);
  if (!cap.ok) return cap;
  const { datagrams, summary } = udpDatagrams(cap);
  const warnings = [...cap.warnings];
  if (summary.fragments > 0)
    warnings.push(`${summary.fragments} IP fragments skipped (not reassembled)`);

  // Pass 1: SDP announcements and RTP-looking datagrams grouped by (5-tuple, SSRC).
  const sdp = new SdpDirectory();
  const flows = new Map<string, Flow>();
  let rtpLooking = 0;
  for (const d of datagrams) {
    const eps = sdpEndpointsOf(d.payload, d.frame);
    if (eps.length > 0) {
      for (const e of eps) sdp.add(e);
      continue;
    }
    const h = rtpHeaderOf(d.payload);
    if (!h) continue;
    rtpLooking++;
    const key = `${endpoint(d.src, d.srcPort)}>${endpoint(d.dst, d.dstPort)}#${h.ssrc}`;
    let f = flows.get(key);
    if (!f) {
      f = {
        key,
        src: d.src,
        dst: d.dst,
        srcPort: d.srcPort,
        dstPort: d.dstPort,
        ssrc: h.ssrc,
        packets: [],
        firstFrame: d.frame,
      };
      flows.set(key, f);
    }
    f.packets.push({ ...h, timeMs: d.timeMs });
  }

  // Pass 2: confirm each flow (SDP or heuristic) and compute its statistics.
  const streams: AnalyzedStream[] = [];
  let unconfirmed = 0;
  for (const f of flows.values()) {
    f.sdp =
      sdp.lookup(f.dst, f.dstPort, f.firstFrame) ?? sdp.lookup(f.src, f.srcPort, f.firstFrame);
    if (!f.sdp && !looksLikeRtpFlow(f.packets.map((p) => p.sequenceNumber))) {
      unconfirmed++;
      continue;
    }
    const formats = f.sdp?.formats;
    const resolver = (pt: number): number => {
      const fmt = formats?.get(pt);
      return clockRateOf(pt, fmt?.name, fmt?.clockRate);
    };
    const set = new RtpStreamSet(resolver);
    const perPart = new Map<object, Array<{ timestamp: number }>>();
    for (const p of f.packets) {
      const s = set.add({
        arrivalMs: p.timeMs,
        sequenceNumber: p.sequenceNumber,
        timestamp: p.timestamp,
        ssrc: p.ssrc,
        payloadType: p.payloadType,
        marker: p.marker,
        payloadBytes: p.payloadBytes,
      });
      const list = perPart.get(s) ?? [];
      list.push(p);
      perPart.set(s, list);
    }
    const parts = set.streams();
    for (const part of parts) {
      const snap = part.stats.snapshot();
      const { firstArrivalMs, lastArrivalMs, ...figures } = snap;
      const fmt = formats?.get(snap.payloadType);
      const codec = fmt && !fmt.name.startsWith('PT') ? fmt.name : payloadName(snap.payloadType);
      const jitter = snap.clockRate > 0 ? snap.jitterMeanMs : 0;
      const e = eModel({
        codec,
        lossPercent: Math.max(0, snap.lostPercent),
        oneWayDelayMs: oneWayDelayMs({
          rttMs: null,
          jitterMs: jitter,
          ptimeMs: estimatePtimeMs(snap, perPart.get(part.stats) ?? []),
        }),
      });
      streams.push({
        ...figures,
        src: endpoint(f.src, f.srcPort),
        dst: endpoint(f.dst, f.dstPort),
        srcAddress: f.src,
        srcPort: f.srcPort,
        dstAddress: f.dst,
        dstPort: f.dstPort,
        ssrcHex: ssrcHex(f.ssrc),
        codec,
        startMs: firstArrivalMs ?? 0,
        endMs: lastArrivalMs ?? 0,
        label: parts.length > 1 ? part.label : undefined,
        part: part.part,
        detectedBy: f.sdp ? 'sdp' : 'heuristic',
        sdpFrame: f.sdp?.frame,
        mos: Math.round(e.mos * 1000) / 1000,
        rFactor: Math.round(e.rFactor * 10) / 10,
        mosAssumed: e.assumed,
      });
      if (snap.clockRate === 0)
        warnings.push(
          `${endpoint(f.src, f.srcPort)} → ${endpoint(f.dst, f.dstPort)} SSRC ${ssrcHex(f.ssrc)}: payload type ${snap.payloadType} has no known clock rate (no SDP names it), so jitter is not computed (as in Wireshark)`,
        );
    }
  }
  streams.sort((a, b) => a.startMs - b.startMs || a.src.localeCompare(b.src));

  let noRtpReason: string | undefined;
  if (streams.length === 0) {
    noRtpReason =
      summary.udp === 0
        ? `no RTP: the capture has ${summary.frames} frames and no UDP datagrams`
        : rtpLooking === 0
          ? `no RTP: none of the ${summary.udp} UDP datagrams has an RTP version 2 header`
          : `no RTP: ${rtpLooking} UDP datagrams look like RTP headers but form no stream (no SDP names their ports, and no flow has ${HEURISTIC_MIN_RUN} packets with advancing sequence numbers)`;
  } else if (unconfirmed > 0) {
    warnings.push(
      `${unconfirmed} short UDP flows with RTP-like headers ignored (fewer than ${HEURISTIC_MIN_RUN} consecutive sequence numbers and no SDP)`,
    );
  }
  return {
    ok: true,
    format: cap.format,
    streams,
    warnings,
    decode: summary,
    sdpEndpoints: sdp.size,
    noRtpReason,
  };
}
