/**
 * The sending half of an RTP session, driven by the media clock one frame at a time.
 *
 * RFC 3550 §5.1: random SSRC, random initial sequence number and timestamp; the sequence number
 * grows by one per packet, the timestamp by the frame's samples per frame (computed from the
 * frame index, so timestamps follow the clock, not the number of packets sent); the marker bit
 * flags the first packet of a talkspurt (the first packet, and the first after any frame that
 * sent no audio: hold, DTMF event, echo starvation; RFC 3551 §4.1).
 *
 * Sources: an AudioSource is read and encoded every frame. The echo source returns each received
 * payload the moment it arrives (as SIPp's rtp_echo does), under OUR SSRC and sequence numbers
 * with its payload type, so it works for codecs we cannot decode and adds no queueing delay or
 * loss of its own when the event loop stalls: the datagrams wait in the socket buffer and go back
 * in the order they came. Its timestamps keep the peer's spacing (its sampling instants) anchored
 * on our clock line, so RFC 4733 events we send in between stay on the same time line. DTMF
 * events (dtmf-sender.ts) replace audio while they play.
 */
import { randomBytes } from 'node:crypto';
import type { AudioSink, AudioSource } from '../audio.ts';
import { serializeRtp, type RtpPacket } from '../rtp/rtp-packet.ts';
import { DtmfSender } from './dtmf-sender.ts';
import type { SessionCodec } from './types.ts';

export interface RtpSenderOptions {
  codec: SessionCodec;
  ptimeMs: number;
  telephoneEventPt?: number;
  telephoneEventRate: number;
  /** Undefined: echo. */
  source: AudioSource | undefined;
  sinks: AudioSink[];
  /** Hands the serialized packet to SRTP and the socket; returns false when nothing was sent. */
  transmit: (packet: Buffer, payloadBytes: number) => boolean;
  /** Fixed values for tests; random otherwise. */
  ssrc?: number;
  initialSequence?: number;
  initialTimestamp?: number;
}

/** What the echo source needs of a received packet (RFC 3550 §5.1 fields; an RtpPacket fits). */
export type EchoPacket = Pick<RtpPacket, 'payloadType' | 'payload' | 'timestamp' | 'marker' | 'ssrc'>;

/** Where the echo's timestamp line is anchored: the peer's timestamp ↔ ours. */
interface EchoAnchor {
  ssrc: number;
  peer: number;
  ours: number;
  lastPeer: number;
}

/** A peer timestamp step larger than this (either way) re-anchors the echo's line. */
const ECHO_REANCHOR_MS = 2000;

export function randomUint32(): number {
  return randomBytes(4).readUInt32BE(0);
}

export function samplesPerFrame(rate: number, ptimeMs: number): number {
  return Math.round((rate * ptimeMs) / 1000);
}

export class RtpSender {
  readonly ssrc: number;
  readonly counters = { packets: 0, bytes: 0, dtmfEvents: 0, echoDropped: 0, decodeErrors: 0 };
  readonly dtmf: DtmfSender;
  private codec: SessionCodec;
  private ptimeMs: number;
  private spf: number;
  private telephoneEventPt: number | undefined;
  private readonly source: AudioSource | undefined;
  private readonly sinks: AudioSink[];
  private readonly transmit: RtpSenderOptions['transmit'];
  private echoAnchor: EchoAnchor | undefined;
  private seq: number;
  /** Timestamp of frame 0 of the current clock stream. */
  private tsOrigin: number;
  private lastFrame = -1;
  private talkspurt = true;
  /** Frames since the last report that sent something (for SR vs RR, RFC 3550 §6.4). */
  sentSinceReport = false;

  constructor(opts: RtpSenderOptions) {
    this.ssrc = (opts.ssrc ?? randomUint32()) >>> 0;
    this.seq = (opts.initialSequence ?? randomUint32()) & 0xffff;
    this.tsOrigin = (opts.initialTimestamp ?? randomUint32()) >>> 0;
    this.codec = opts.codec;
    this.ptimeMs = opts.ptimeMs;
    this.spf = samplesPerFrame(opts.codec.clockRate, opts.ptimeMs);
    this.telephoneEventPt = opts.telephoneEventPt;
    this.source = opts.source;
    this.sinks = opts.sinks;
    this.transmit = opts.transmit;
    this.dtmf = new DtmfSender({ ptimeMs: opts.ptimeMs, clockRate: opts.telephoneEventRate });
  }

  get payloadType(): number {
    return this.codec.payloadType;
  }

  get canSendDtmf(): boolean {
    return this.telephoneEventPt !== undefined;
  }

  /** RTP timestamp of `frameIndex` of the current clock stream. */
  timestampOf(frameIndex: number): number {
    return (this.tsOrigin + frameIndex * this.spf) >>> 0;
  }

  /** RTP timestamp at `msSinceStreamStart` (for the SR, RFC 3550 §6.4.1). */
  timestampAt(msSinceStreamStart: number): number {
    return (this.tsOrigin + Math.round((msSinceStreamStart * this.codec.clockRate) / 1000)) >>> 0;
  }

  /**
   * Switch codec or ptime (re-INVITE). The caller restarts the clock stream, so frame 0 of the
   * new stream continues the timestamp line one frame after the last one.
   */
  reconfigure(
    codec: SessionCodec,
    ptimeMs: number,
    telephoneEventPt: number | undefined,
    telephoneEventRate: number,
  ): void {
    const nextTs = this.timestampOf(this.lastFrame + 1);
    this.codec = codec;
    this.telephoneEventPt = telephoneEventPt;
    this.ptimeMs = ptimeMs;
    this.spf = samplesPerFrame(codec.clockRate, ptimeMs);
    this.tsOrigin = nextTs;
    this.lastFrame = -1;
    this.talkspurt = true;
    this.echoAnchor = undefined;
    this.dtmf.configure(ptimeMs, telephoneEventRate);
  }

  /**
   * A received audio payload for the echo source, sent back now. `pcm` is its decoding when the
   * sinks needed one (what we send, for the 'sent' sinks), `streamMs` the media clock's time since
   * frame 0 of the current stream (anchors our timestamp), `atMs` the session time for the sinks,
   * `sending` whether the direction lets us send.
   */
  echo(
    p: EchoPacket,
    pcm: Int16Array | undefined,
    streamMs: number,
    atMs: number,
    sending: boolean,
  ): void {
    if (this.source) return;
    if (!sending) {
      this.restartEcho();
      return;
    }
    if (this.dtmf.active) {
      // RFC 4733 §2.5.1: event packets replace audio while a digit plays.
      this.counters.echoDropped++;
      this.restartEcho();
      return;
    }
    const ts = this.echoTimestamp(p, streamMs);
    if (!this.send(p.payloadType, this.talkspurt || p.marker, ts, p.payload)) {
      this.counters.echoDropped++;
      return;
    }
    this.talkspurt = false;
    if (pcm) for (const s of this.sinks) s.write(pcm, this.sampleRate(), 'sent', atMs);
  }

  /** Our timestamp for an echoed packet: the peer's offset from the anchor, on our line. */
  private echoTimestamp(p: EchoPacket, streamMs: number): number {
    const a = this.echoAnchor;
    const limit = (ECHO_REANCHOR_MS * this.codec.clockRate) / 1000;
    if (a && a.ssrc === p.ssrc) {
      const step = ((p.timestamp - a.lastPeer + 0x80000000) >>> 0) - 0x80000000;
      if (Math.abs(step) <= limit) {
        if (step > 0) a.lastPeer = p.timestamp;
        return (a.ours + (p.timestamp - a.peer)) >>> 0;
      }
    }
    const ours = this.timestampAt(streamMs);
    this.echoAnchor = { ssrc: p.ssrc, peer: p.timestamp, ours, lastPeer: p.timestamp };
    this.talkspurt = true;
    return ours;
  }

  private restartEcho(): void {
    this.echoAnchor = undefined;
    this.talkspurt = true;
  }

  /** One media frame: `atMs` is the frame's media time for sinks; `sending` per direction. */
  tick(frameIndex: number, atMs: number, sending: boolean): void {
    // Frames the clock skipped after a stall are a silence gap: the next packet starts a talkspurt.
    if (this.source && frameIndex !== this.lastFrame + 1) this.talkspurt = true;
    this.lastFrame = frameIndex;
    const ts = this.timestampOf(frameIndex);
    const events = sending ? this.dtmf.frame(ts) : undefined;
    if (events) {
      // RFC 4733 §2.5.1: event packets replace audio; the source still advances in time.
      this.readSource();
      for (const e of events) {
        this.send(this.telephoneEventPt!, e.marker, e.timestamp, e.payload);
        this.counters.dtmfEvents++;
      }
      this.restartEcho();
      return;
    }
    // The echo sends on arrival (echo()); the clock only drives its DTMF events.
    if (!this.source) return;
    const pcm = this.readSource();
    if (!sending) {
      this.talkspurt = true;
      return;
    }
    if (this.send(this.codec.payloadType, this.talkspurt, ts, this.codec.encode(pcm))) {
      this.talkspurt = false;
    }
    for (const s of this.sinks) s.write(pcm, this.sampleRate(), 'sent', atMs);
  }

  private send(pt: number, marker: boolean, timestamp: number, payload: Buffer): boolean {
    const packet = serializeRtp({
      marker,
      payloadType: pt,
      sequenceNumber: this.seq,
      timestamp,
      ssrc: this.ssrc,
      csrcs: [],
      payload,
    });
    if (!this.transmit(packet, payload.length)) return false;
    this.seq = (this.seq + 1) & 0xffff;
    this.counters.packets++;
    this.counters.bytes += payload.length;
    this.sentSinceReport = true;
    return true;
  }

  private sampleRate(): number {
    return this.codec.sampleRate ?? this.codec.clockRate;
  }

  private readSource(): Int16Array {
    const frame = new Int16Array(samplesPerFrame(this.sampleRate(), this.ptimeMs));
    this.source?.read(frame, this.sampleRate());
    return frame;
  }
}
