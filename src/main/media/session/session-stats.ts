/** Assembles the plain-data `RtpSessionStats` snapshot from the session's parts. */
import type { SocketCounters } from '../transport/rtp-socket.ts';
import type { RtcpReporter } from './rtcp-reporter.ts';
import type { RtpReceiver } from './rtp-receiver.ts';
import type { RtpSender } from './rtp-sender.ts';
import type { SrtpGlue } from './srtp-glue.ts';
import {
  formatAddress,
  type MediaDirection,
  type RemoteAddress,
  type RtpSessionStats,
  type SessionCodec,
} from './types.ts';

export interface StatsParts {
  localAddress: string;
  direction: MediaDirection;
  codec: SessionCodec;
  ptimeMs: number;
  srtp: SrtpGlue | undefined;
  sender: RtpSender;
  receiver: RtpReceiver;
  rtcp: RtcpReporter;
  sockets: SocketCounters;
  destination: RemoteAddress | undefined;
  sdpRemote: RemoteAddress | undefined;
  latched: boolean;
  lastSource: RemoteAddress | undefined;
  otherSource: number;
  foreign: { rtp: number; rtcp: number; sources: string[] };
  skippedFrames: number;
}

export function buildStats(p: StatsParts): RtpSessionStats {
  const s = p.sender.counters;
  const r = p.receiver.counters;
  const malformed = { ...p.receiver.malformed };
  if (p.srtp?.rtp.malformed) malformed['srtp-malformed'] = p.srtp.rtp.malformed;
  const stats: RtpSessionStats = {
    localAddress: p.localAddress,
    direction: p.direction,
    codec: p.codec.name,
    payloadType: p.codec.payloadType,
    ptimeMs: p.ptimeMs,
    srtp: p.srtp !== undefined,
    sent: {
      packets: s.packets,
      bytes: s.bytes,
      ssrc: p.sender.ssrc,
      remoteAddress: formatAddress(p.destination),
      sdpRemoteAddress: formatAddress(p.sdpRemote),
      latched: p.latched,
      dtmfEvents: s.dtmfEvents,
      sendErrors: p.sockets.sendErrors,
      skippedFrames: p.skippedFrames,
    },
    received: {
      packets: r.packets,
      bytes: r.bytes,
      ssrc: p.receiver.ssrc ?? null,
      remoteAddress: formatAddress(p.lastSource),
      malformed,
      unknownPayloadTypes: { ...p.receiver.unknownPayloadTypes },
      srtpAuthFailures: p.srtp?.rtp.authFailures ?? 0,
      srtpReplays: p.srtp?.rtp.replays ?? 0,
      ssrcChanges: r.ssrcChanges,
      timestampJumps: r.timestampJumps,
      otherSource: p.otherSource,
      foreign: p.foreign.rtp,
      foreignRtcp: p.foreign.rtcp,
      foreignSources: p.foreign.sources,
      decodeErrors: r.decodeErrors + s.decodeErrors,
      telephoneEvents: r.telephoneEvents,
      echoDropped: s.echoDropped,
    },
    rtcp: {
      sent: p.rtcp.counters.sent,
      received: p.rtcp.counters.received,
      malformed: p.rtcp.counters.malformed + (p.srtp?.rtcp.malformed ?? 0),
      srtcpAuthFailures: p.srtp?.rtcp.authFailures ?? 0,
      srtcpReplays: p.srtp?.rtcp.replays ?? 0,
    },
  };
  if (p.rtcp.peerCname !== undefined) stats.rtcp.peerCname = p.rtcp.peerCname;
  if (p.rtcp.lastPeerReport) stats.rtcp.lastPeerReport = structuredClone(p.rtcp.lastPeerReport);
  return stats;
}
