/**
 * The sending half of an RTP session, driven by the media clock one frame at a time.
 *
 * RFC 3550 §5.1: random SSRC, random initial sequence number and timestamp; the sequence number
 * grows by one per packet, the timestamp by the frame's samples per frame (computed from the
 * frame index, so timestamps follow the clock, not the number of packets sent); the marker bit
 * flags the first packet of a talkspurt (the first packet, and the first after any frame that
 * sent no audio: hold, DTMF event, echo starvation; RFC 3551 §4.1).
 *
 * Sources: an AudioSource is read and encoded every frame; the echo source re-sends received
 * payloads under OUR SSRC/sequence/timestamp with their payload type, one per frame, so it works
 * for codecs we cannot decode. DTMF events (dtmf-sender.ts) replace audio while they play.
 */
import { randomBytes } from 'node:crypto';
import type { AudioSink, AudioSource } from '../audio.ts';
import { serializeRtp } from '../rtp/rtp-packet.ts';
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
  echoQueueFrames: number;
  /** Hands the serialized packet to SRTP and the socket; returns false when nothing was sent. */
  transmit: (packet: Buffer, payloadBytes: number) => boolean;
  /** Fixed values for tests; random otherwise. */
  ssrc?: number;
  initialSequence?: number;
  initialTimestamp?: number;
}

interface EchoItem {
  payloadType: number;
  payload: Buffer;
  /** The receiver's decoding of the payload (what we send back, for the 'sent' sinks). */
  pcm?: Int16Array;
}

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
  private readonly echoQueue: EchoItem[] = [];
  private readonly echoMax: number;
  private echoPrimed = false;
  private echoWait = 0;
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
    this.echoMax = Math.max(1, opts.echoQueueFrames);
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
    this.echoQueue.length = 0;
    this.echoPrimed = false;
    this.dtmf.configure(ptimeMs, telephoneEventRate);
  }

  /** A received audio payload for the echo source. */
  echo(payloadType: number, payload: Buffer, pcm?: Int16Array): void {
    if (this.source) return;
    if (this.echoQueue.length >= this.echoMax) {
      this.echoQueue.shift();
      this.counters.echoDropped++;
    }
    this.echoQueue.push({ payloadType, payload, pcm });
  }

  /** One media frame: `atMs` is the frame's media time for sinks; `sending` per direction. */
  tick(frameIndex: number, atMs: number, sending: boolean): void {
    // Frames the clock skipped after a stall are a silence gap: the next packet starts a talkspurt.
    if (frameIndex !== this.lastFrame + 1) this.talkspurt = true;
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
      this.talkspurt = true;
      return;
    }
    let pt = this.codec.payloadType;
    let payload: Buffer | undefined;
    let pcm: Int16Array | undefined;
    if (this.source) {
      pcm = this.readSource();
      payload = sending ? this.codec.encode(pcm) : undefined;
    } else {
      const item = this.nextEcho();
      if (item) {
        pt = item.payloadType;
        payload = item.payload;
        if (sending && this.sinks.length > 0) pcm = item.pcm;
      }
    }
    if (!sending || !payload) {
      this.talkspurt = true;
      return;
    }
    if (this.send(pt, this.talkspurt, ts, payload)) this.talkspurt = false;
    if (pcm) for (const s of this.sinks) s.write(pcm, this.sampleRate(), 'sent', atMs);
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

  /**
   * One queued echo payload. After starving, wait for a second payload (or one frame) before
   * resuming, so the arrival jitter of the peer's packets does not starve every other frame.
   */
  private nextEcho(): EchoItem | undefined {
    if (!this.echoPrimed) {
      if (this.echoQueue.length === 0) return undefined;
      if (this.echoQueue.length < 2 && this.echoWait++ < 1) return undefined;
      this.echoPrimed = true;
      this.echoWait = 0;
    }
    const item = this.echoQueue.shift();
    if (!item) this.echoPrimed = false;
    return item;
  }
}
