/**
 * One-way-audio verdicts: a pure function over facts collected during a call. Rules and
 * thresholds are documented in docs/quality.md; every evidence line names addresses, seconds and
 * packet counts so a support engineer can act on it.
 */
import {
  formatEndpoint,
  isPublicAddress,
  nonPublicReason,
  sameEndpoint,
  type Endpoint,
} from './ip-address.ts';

export type OneWayVerdict =
  | 'ok'
  | 'no-inbound-rtp'
  | 'no-outbound-rtp'
  | 'silent-inbound'
  | 'nat-mismatch'
  | 'private-sdp-address'
  | 'srtp-mismatch'
  | 'inbound-stopped'
  | 'outbound-stopped';

export type AudioDirection = 'inbound' | 'outbound' | 'both';

export interface OneWayThresholds {
  /** No RTP this long after answer → no-inbound-rtp / no-outbound-rtp. */
  noRtpMs: number;
  /** RTP arriving but below the energy threshold this long → silent-inbound. */
  silenceMs: number;
  /** RTP stopped arriving this long ago → inbound-stopped. */
  stoppedMs: number;
}

export const DEFAULT_THRESHOLDS: OneWayThresholds = {
  noRtpMs: 5000,
  silenceMs: 5000,
  stoppedMs: 3000,
};

export interface OneWayAudioFacts {
  /** All times: ms on one clock (e.g. since the call started). */
  answeredAtMs: number;
  nowMs: number;
  /** Where the peer's SDP said to send media (c= address, m= port). */
  sdpRemote?: Endpoint | null;
  /** Source IP of the peer's SIP signalling. */
  signalingRemoteAddress?: string | null;
  received: {
    firstPacketMs?: number;
    lastPacketMs?: number;
    /** Valid (authenticated) RTP packets. */
    packets: number;
    fromAddress?: Endpoint | null;
    srtpAuthFailures: number;
  };
  sent: { packets: number; lastPacketMs?: number };
  /** From the level meter / voice-activity detector on decoded inbound audio. */
  energy?: { silentSinceMs?: number };
  peerRtcp?: {
    /** RTCP SR/RR packets received from the peer. */
    reportsReceived?: number;
    /**
     * When the peer's reported highest sequence number last advanced, if later reports show it
     * stuck there while we kept sending (our audio stopped reaching the peer mid-call).
     */
    seqStalledSinceMs?: number;
    /**
     * When we sent the packet the stalled reports name as highest received (from our own send
     * log), if it is still known: the moment our audio stopped reaching the peer, to the packet.
     */
    lastCountedSentMs?: number;
    /** The peer's last report block about our SSRC. */
    lastReport?: {
      atMs: number;
      packetsReceivedByPeer: number | null;
      cumulativeLost: number;
      extendedHighestSeq: number;
    };
  };
  srtp?: {
    ourPolicy: 'off' | 'optional' | 'required';
    active: boolean;
    /** The offer required SRTP (a=crypto on RTP/SAVP, or ours under a "required" policy). */
    offeredCrypto: boolean;
    answeredCrypto: boolean;
    /** Who made the offer (default us): the evidence says who did what. */
    offerer?: 'us' | 'peer';
    /** The offer carried a=crypto at all, best-effort included (default: offeredCrypto). */
    offerHadCrypto?: boolean;
  };
  thresholdsMs?: Partial<OneWayThresholds>;
}

export interface OneWayFinding {
  verdict: Exclude<OneWayVerdict, 'ok'>;
  direction: AudioDirection;
  sinceMs?: number;
  evidence: string[];
}

export interface OneWayAudioResult {
  verdict: OneWayVerdict;
  direction: AudioDirection | null;
  sinceMs?: number;
  evidence: string[];
  /** Further verdicts that also apply, most important first. */
  others: OneWayFinding[];
}

/** Most important first: the cause that explains most. */
const PRIORITY: ReadonlyArray<OneWayFinding['verdict']> = [
  'srtp-mismatch',
  'no-inbound-rtp',
  'no-outbound-rtp',
  'private-sdp-address',
  'nat-mismatch',
  'inbound-stopped',
  'outbound-stopped',
  'silent-inbound',
];

const sec = (ms: number): string => `${(Math.max(0, ms) / 1000).toFixed(1)} s`;

export function oneWayAudioVerdict(f: OneWayAudioFacts): OneWayAudioResult {
  const t = { ...DEFAULT_THRESHOLDS, ...f.thresholdsMs };
  const found: OneWayFinding[] = [];
  const sinceAnswer = f.nowMs - f.answeredAtMs;
  const sdp = f.sdpRemote ? formatEndpoint(f.sdpRemote) : 'the peer (no SDP address)';
  const from = f.received.fromAddress ? formatEndpoint(f.received.fromAddress) : sdp;
  const r = f.received;

  // SRTP on one side only, or failing authentication.
  if (f.srtp) {
    const s = f.srtp;
    const ev: string[] = [];
    const peerOffered = s.offerer === 'peer';
    if (s.offeredCrypto && !s.answeredCrypto)
      ev.push(
        peerOffered
          ? `the peer offered SRTP as required (RTP/SAVP) but our answer has no a=crypto; SRTP policy ${s.ourPolicy}`
          : `we offered SRTP (a=crypto) but the answer has none; SRTP policy ${s.ourPolicy}`,
      );
    if (!(s.offerHadCrypto ?? s.offeredCrypto) && s.answeredCrypto && !peerOffered)
      ev.push('the answer carries a=crypto although our offer had none');
    if (s.ourPolicy === 'required' && !s.active)
      ev.push('our SRTP policy is "required" but SRTP is not active');
    if (r.srtpAuthFailures > 0 && r.srtpAuthFailures >= r.packets) {
      ev.push(
        `${r.srtpAuthFailures} SRTP packets from ${from} failed authentication, ${r.packets} passed (keys do not match)`,
      );
    }
    if (ev.length > 0) {
      const onlyAuth =
        r.srtpAuthFailures > 0 && ev.length === 1 && ev[0]!.includes('failed authentication');
      found.push({
        verdict: 'srtp-mismatch',
        direction: onlyAuth ? 'inbound' : 'both',
        sinceMs: f.answeredAtMs,
        evidence: ev,
      });
    }
  }

  const noIn = r.packets === 0 && sinceAnswer >= t.noRtpMs;
  const noOut = f.sent.packets === 0 && sinceAnswer >= t.noRtpMs;
  if (noIn) {
    const ev = [
      `no RTP from ${sdp} (SDP) in the ${sec(sinceAnswer)} since answer; ${f.sent.packets} packets sent to it`,
    ];
    if (r.srtpAuthFailures > 0)
      ev.push(`${r.srtpAuthFailures} packets arrived but failed SRTP authentication`);
    found.push({
      verdict: 'no-inbound-rtp',
      direction: noOut ? 'both' : 'inbound',
      sinceMs: f.answeredAtMs,
      evidence: ev,
    });
  }
  if (noOut) {
    found.push({
      verdict: 'no-outbound-rtp',
      direction: noIn ? 'both' : 'outbound',
      sinceMs: f.answeredAtMs,
      evidence: [
        `we sent no RTP to ${sdp} in the ${sec(sinceAnswer)} since answer; ${r.packets} packets received from ${from}`,
      ],
    });
  } else if (f.sent.packets > 0 && sinceAnswer >= t.noRtpMs) {
    // Our RTP goes out, but the peer's RTCP says none of it arrived.
    const rep = f.peerRtcp?.lastReport;
    const reports = f.peerRtcp?.reportsReceived ?? 0;
    if (rep && rep.packetsReceivedByPeer === 0) {
      found.push({
        verdict: 'no-outbound-rtp',
        direction: 'outbound',
        sinceMs: f.answeredAtMs,
        evidence: [
          `the peer's RTCP report at ${sec(rep.atMs - f.answeredAtMs)} after answer says 0 of our packets arrived (cumulative lost ${rep.cumulativeLost}); we sent ${f.sent.packets} to ${sdp}`,
        ],
      });
    } else if (!rep && reports > 0) {
      found.push({
        verdict: 'no-outbound-rtp',
        direction: 'outbound',
        sinceMs: f.answeredAtMs,
        evidence: [
          `${reports} RTCP reports from the peer in ${sec(sinceAnswer)} and none mentions our SSRC; we sent ${f.sent.packets} packets to ${sdp}`,
        ],
      });
    }
  }

  // Our RTP stopped reaching the peer mid-call: its reports stop counting our packets while we
  // keep sending (RFC 3550 §6.4.1 extended highest sequence number not advancing).
  const stalled = f.peerRtcp?.seqStalledSinceMs;
  const lastRep = f.peerRtcp?.lastReport;
  const counted = f.peerRtcp?.lastCountedSentMs;
  const stoppedAt = counted ?? stalled;
  if (
    stalled !== undefined &&
    stoppedAt !== undefined &&
    lastRep &&
    f.sent.lastPacketMs !== undefined &&
    f.sent.lastPacketMs - stoppedAt >= t.stoppedMs &&
    !found.some((x) => x.verdict === 'no-outbound-rtp')
  ) {
    const what = `highest sequence ${lastRep.extendedHighestSeq}, ${lastRep.packetsReceivedByPeer ?? '?'} received by the peer`;
    const when =
      counted !== undefined
        ? `after the one we sent ${sec(counted - f.answeredAtMs)} after answer (${what}; no report since ${sec(stalled - f.answeredAtMs)} after answer counts more)`
        : `${sec(stalled - f.answeredAtMs)} after answer (${what})`;
    found.push({
      verdict: 'outbound-stopped',
      direction: 'outbound',
      sinceMs: stoppedAt,
      evidence: [
        `the peer's RTCP reports stopped counting our packets ${when} while we kept sending (${f.sent.packets} packets to ${sdp})`,
      ],
    });
  }

  // A private address in the peer's SDP while it signals from a public one.
  if (f.sdpRemote && f.signalingRemoteAddress) {
    const why = nonPublicReason(f.sdpRemote.address);
    if (why && isPublicAddress(f.signalingRemoteAddress)) {
      found.push({
        verdict: 'private-sdp-address',
        direction: 'outbound',
        sinceMs: f.answeredAtMs,
        evidence: [
          `the peer's SDP names ${sdp} (${why}) while its SIP comes from public ${f.signalingRemoteAddress}; our ${f.sent.packets} packets go to an address the Internet cannot route`,
        ],
      });
    }
  }

  // RTP arriving from another address or port than the SDP named (NAT).
  if (f.sdpRemote && r.fromAddress && r.packets > 0 && !sameEndpoint(f.sdpRemote, r.fromAddress)) {
    found.push({
      verdict: 'nat-mismatch',
      direction: 'outbound',
      sinceMs: r.firstPacketMs,
      evidence: [
        `RTP arrives from ${formatEndpoint(r.fromAddress)} but the SDP named ${sdp} (${r.packets} packets); audio sent to the SDP address may not reach the peer unless RTP is latched (symmetric RTP)`,
      ],
    });
  }

  if (r.packets > 0 && r.lastPacketMs !== undefined && f.nowMs - r.lastPacketMs >= t.stoppedMs) {
    found.push({
      verdict: 'inbound-stopped',
      direction: 'inbound',
      sinceMs: r.lastPacketMs,
      evidence: [
        `RTP from ${from} stopped ${sec(r.lastPacketMs - f.answeredAtMs)} after answer after ${r.packets} packets; none in the ${sec(f.nowMs - r.lastPacketMs)} since`,
      ],
    });
  } else if (
    r.packets > 0 &&
    f.energy?.silentSinceMs !== undefined &&
    f.nowMs - f.energy.silentSinceMs >= t.silenceMs
  ) {
    found.push({
      verdict: 'silent-inbound',
      direction: 'inbound',
      sinceMs: f.energy.silentSinceMs,
      evidence: [
        `RTP from ${from} arrives (${r.packets} packets) but carries silence for the last ${sec(f.nowMs - f.energy.silentSinceMs)}`,
      ],
    });
  }

  found.sort((a, b) => PRIORITY.indexOf(a.verdict) - PRIORITY.indexOf(b.verdict));
  const [primary, ...others] = found;
  if (!primary) {
    const ev = [
      `received ${r.packets} RTP packets from ${from}, sent ${f.sent.packets} to ${sdp} in the ${sec(sinceAnswer)} since answer`,
    ];
    if (sinceAnswer < t.noRtpMs && (r.packets === 0 || f.sent.packets === 0))
      ev.push(`too early to judge: ${sec(sinceAnswer)} of ${sec(t.noRtpMs)} since answer`);
    return { verdict: 'ok', direction: null, evidence: ev, others: [] };
  }
  return {
    verdict: primary.verdict,
    direction: primary.direction,
    sinceMs: primary.sinceMs,
    evidence: primary.evidence,
    others,
  };
}
