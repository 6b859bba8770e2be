/**
 * Options, events and statistics of an RTP session (src/main/media/session/rtp-session.ts).
 * The stats object is plain data (JSON-serialisable) and meant to grow: the quality issue adds
 * jitter/loss/MOS next to these counters.
 */
import type { AudioSink, AudioSource } from '../audio.ts';
import type { Codec } from '../codec/codec.ts';
import type { MediaClock } from '../clock/media-clock.ts';
import type { ReportBlock } from '../rtp/rtcp-packet.ts';
import type { DtmfDigit } from '../dtmf/digits.ts';
import type { PortRange } from '../transport/port-pool.ts';
import type { RemoteAddress } from '../transport/rtp-socket.ts';
import type { SrtpSuiteName } from '../srtp/suites.ts';
import type { Clock } from '../../../shared/clock.ts';

export type { RemoteAddress };

/** RFC 3264 §5.1 / RFC 4566 §6 media direction, seen from our side. */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** A negotiated codec: the codec plus the payload type the SDP gave it. */
export type SessionCodec = Codec & {
  payloadType: number;
  /**
   * PCM sample rate when it differs from the RTP clock rate (G.722: 16000 Hz audio on an 8000 Hz
   * RTP clock, RFC 3551 §4.5.2). Defaults to `clockRate`.
   */
  sampleRate?: number;
};

export interface RemoteMedia {
  address: string;
  port: number;
  /** From a=rtcp (RFC 3605); default port + 1, or `port` with rtcp-mux. */
  rtcpPort?: number;
}

export interface EchoSource {
  kind: 'echo';
}

export interface SrtpKeys {
  /** Our master key ‖ salt (30 bytes for the AES_CM_128 suites, RFC 4568 §6.1). */
  sendKey: Buffer;
  /** The peer's master key ‖ salt. */
  recvKey: Buffer;
  suite: SrtpSuiteName;
}

export interface RtpSessionOptions {
  bindAddress: string;
  portRange?: PortRange;
  rtcpMux: boolean;
  codec: SessionCodec;
  ptimeMs: number;
  telephoneEventPt?: number;
  /** RTP clock of telephone-event; default the codec's clock rate (RFC 4733 §2.1). */
  telephoneEventRate?: number;
  remote?: RemoteMedia;
  /** Symmetric RTP (RFC 4961): send to where the peer's RTP comes from. Default true. */
  symmetric?: boolean;
  direction?: MediaDirection;
  source: AudioSource | EchoSource;
  sinks?: AudioSink[];
  srtp?: SrtpKeys;
  clock?: MediaClock;
  /** SDES CNAME; default a random one (RFC 7022). */
  cname?: string;
  /** RTCP report interval, default 5000 ms, randomised 0.5–1.5× (RFC 3550 §6.2, §6.3.1). */
  rtcpIntervalMs?: number;
  /** Timer for RTCP; default the shared system clock. */
  timers?: Clock;
  /** Timestamp jump (beyond what the sequence gap explains) counted as a jump; default 1000 ms. */
  timestampJumpMs?: number;
  recvBufferBytes?: number;
  /** Called for every valid RTP packet received (after SRTP), before it is processed. */
  onPacket?: (p: PacketInfo) => void;
}

export interface DtmfSendOptions {
  durationMs?: number;
  /** 0..63, -dBm0 (RFC 4733 §2.3.4). */
  volume?: number;
  /** Called with the session time (ms) when each digit's first event packet is sent. */
  onDigitStart?: (digit: string, atMs: number) => void;
}

/** One valid RTP packet as it arrived: the raw material of jitter/loss statistics. */
export interface PacketInfo {
  /** ms since the session opened. */
  arrivalMs: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  payloadType: number;
  marker: boolean;
  payloadBytes: number;
  /** The payload (after SRTP), a view into the datagram: copy it to keep it. */
  payload?: Uint8Array;
  from: RemoteAddress;
  /** comfort-noise: RFC 3389 CN on static PT 13 (never decoded as audio). */
  kind: 'audio' | 'telephone-event' | 'comfort-noise';
}

export interface DtmfReceived {
  digit: DtmfDigit;
  method: 'rfc2833';
  /** ms since the session opened, when the event's first packet arrived. */
  atMs: number;
  durationMs: number;
  /** False when every end packet was lost (ended by timeout or by the next event). */
  endSeen: boolean;
}

export interface PeerReport {
  /** ms since the session opened. */
  atMs: number;
  type: 'sr' | 'rr';
  ssrc: number;
  reports: ReportBlock[];
  sender?: {
    ntpSeconds: number;
    ntpFraction: number;
    rtpTimestamp: number;
    packetCount: number;
    octetCount: number;
  };
}

export interface RtpSessionEvents {
  dtmf: DtmfReceived;
  packet: PacketInfo;
  /** Every RTP packet we send (`arrivalMs` = send time, `from` = where it went). */
  sent: PacketInfo;
  rtcp: PeerReport;
  /** Symmetric RTP latched onto a source address. */
  latched: { rtp: string };
  bye: { ssrcs: number[]; reason?: string };
}

export interface RtpSessionStats {
  localAddress: string;
  direction: MediaDirection;
  codec: string;
  payloadType: number;
  ptimeMs: number;
  srtp: boolean;
  sent: {
    packets: number;
    /** RTP payload octets (as the SR octet count, RFC 3550 §6.4.1). */
    bytes: number;
    ssrc: number;
    /** Where RTP goes now, "ip:port" (the latched address once latched). */
    remoteAddress: string | null;
    /** What the SDP said. */
    sdpRemoteAddress: string | null;
    latched: boolean;
    dtmfEvents: number;
    sendErrors: number;
    /** Frames the media clock skipped after a stall (not sent). */
    skippedFrames: number;
  };
  received: {
    packets: number;
    bytes: number;
    /** Current peer SSRC, null before the first packet. */
    ssrc: number | null;
    /** Source of the peer's RTP, "ip:port", null before the first packet. */
    remoteAddress: string | null;
    malformed: Record<string, number>;
    /** Packets with a payload type the SDP did not negotiate, by payload type. */
    unknownPayloadTypes: Record<number, number>;
    srtpAuthFailures: number;
    srtpReplays: number;
    ssrcChanges: number;
    timestampJumps: number;
    /** Valid packets from another address than the latched one. */
    otherSource: number;
    /** RTP packets refused because of their source (not the peer's: source-latch.ts). */
    foreign: number;
    /** RTCP packets refused because of their source. */
    foreignRtcp: number;
    /** The first few foreign sources, "ip:port". */
    foreignSources: string[];
    decodeErrors: number;
    telephoneEvents: number;
    /** Echo source: received payloads not returned while sending (a DTMF event replaced them). */
    echoDropped: number;
  };
  rtcp: {
    sent: number;
    received: number;
    malformed: number;
    srtcpAuthFailures: number;
    srtcpReplays: number;
    peerCname?: string;
    lastPeerReport?: PeerReport;
  };
}

export function formatAddress(a: RemoteAddress | undefined): string | null {
  if (!a) return null;
  return a.address.includes(':') ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}

export function isEchoSource(s: AudioSource | EchoSource): s is EchoSource {
  return (s as EchoSource).kind === 'echo';
}

export function sendsMedia(d: MediaDirection): boolean {
  return d === 'sendrecv' || d === 'sendonly';
}
