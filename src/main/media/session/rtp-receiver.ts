/**
 * The receiving half of an RTP session: SRTP unprotect, parse, classify, and hand audio to the
 * sinks (decoded) and the echo source (as is), telephone-events to the RFC 4733 receiver.
 *
 * Bad input never throws (DESIGN.md): malformed packets are counted by reason (RFC 3550 §5.1 and
 * Appendix A.1 validity checks: too short, version ≠ 2, CSRC list or extension beyond the packet,
 * bad padding, a payload type that was not negotiated); SRTP authentication failures and replays
 * are counted; an SSRC change restarts the source's reception state (counted); a timestamp jump
 * that the sequence gap does not explain is counted.
 */
import type { AudioSink } from '../audio.ts';
import { DtmfEventReceiver } from '../dtmf/rfc4733-receiver.ts';
import { parseRtp, rtpHeaderLength, type RtpPacket } from '../rtp/rtp-packet.ts';
import { ReceptionStats } from './reception-stats.ts';
import { samplesPerFrame } from './rtp-sender.ts';
import type { SrtpGlue } from './srtp-glue.ts';
import type { DtmfReceived, PacketInfo, RemoteAddress, SessionCodec } from './types.ts';


/** The static payload type of comfort noise (RFC 3551 §6, RFC 3389). */
const COMFORT_NOISE_PT = 13;
export interface RtpReceiverOptions {
  codec: SessionCodec;
  ptimeMs: number;
  telephoneEventPt?: number;
  telephoneEventRate: number;
  sinks: AudioSink[];
  srtp?: SrtpGlue;
  timestampJumpMs: number;
  /** Per-packet hook; left undefined (or returning false from `wantPackets`) costs nothing. */
  onPacket?: (p: PacketInfo) => void;
  wantPackets?: () => boolean;
  onDtmf: (d: DtmfReceived) => void;
  /** Audio packets as received, with their PCM when the sinks needed it decoded (the echo). */
  onAudio?: (pkt: RtpPacket, pcm: Int16Array | undefined) => void;
}

export class RtpReceiver {
  readonly counters = {
    packets: 0,
    bytes: 0,
    ssrcChanges: 0,
    timestampJumps: 0,
    decodeErrors: 0,
    telephoneEvents: 0,
  };
  readonly malformed: Record<string, number> = {};
  /** Packets whose payload type the SDP did not negotiate, by payload type. */
  readonly unknownPayloadTypes: Record<number, number> = {};
  private opts: RtpReceiverOptions;
  private dtmf: DtmfEventReceiver;
  private reception: ReceptionStats | undefined;
  private last: { seq: number; ts: number } | undefined;
  private digitStart = new Map<string, number>();

  constructor(opts: RtpReceiverOptions) {
    this.opts = opts;
    this.dtmf = new DtmfEventReceiver({ clockRate: opts.telephoneEventRate });
  }

  get ssrc(): number | undefined {
    return this.reception?.ssrc;
  }

  /** SRTP keys agreed after the session opened (the SDP answer); undefined = plain RTP. */
  setSrtp(srtp: SrtpGlue | undefined): void {
    this.opts = { ...this.opts, srtp };
  }

  /** Reception state of the current source (for RTCP report blocks). */
  get source(): ReceptionStats | undefined {
    return this.reception;
  }

  reconfigure(
    codec: SessionCodec,
    ptimeMs: number,
    telephoneEventPt: number | undefined,
    rate: number,
  ): void {
    const rateChanged = rate !== this.opts.telephoneEventRate;
    this.opts = { ...this.opts, codec, ptimeMs, telephoneEventPt, telephoneEventRate: rate };
    if (rateChanged) this.dtmf = new DtmfEventReceiver({ clockRate: rate });
  }

  /** One datagram from the RTP socket; returns the valid packet, or undefined (counted). */
  handle(buf: Buffer, from: RemoteAddress, arrivalMs: number): RtpPacket | undefined {
    let plain = buf;
    if (this.opts.srtp) {
      // The RTP header is sent in the clear (RFC 3711 §3.1): check it before authenticating.
      const hl = rtpHeaderLength(buf);
      if (!hl.ok) return this.bad(hl.reason);
      const p = this.opts.srtp.unprotectRtp(buf);
      if (!p) return undefined;
      plain = p;
    }
    const parsed = parseRtp(plain);
    if (!parsed.ok) return this.bad(parsed.reason);
    const pkt = parsed.value;
    const { codec, telephoneEventPt } = this.opts;
    const isEvent = telephoneEventPt !== undefined && pkt.payloadType === telephoneEventPt;
    // RFC 3389 §4 / RFC 3551 §6: comfort noise on static PT 13 is recognised — counted and
    // passed on as such, never decoded as audio and never malformed.
    const isCn = !isEvent && pkt.payloadType === COMFORT_NOISE_PT && codec.payloadType !== COMFORT_NOISE_PT;
    if (isCn) {
      this.track(pkt, arrivalMs, false);
      this.counters.packets++;
      this.counters.bytes += pkt.payload.length;
      this.opts.onPacket?.({
        arrivalMs,
        sequenceNumber: pkt.sequenceNumber,
        timestamp: pkt.timestamp,
        ssrc: pkt.ssrc,
        payloadType: pkt.payloadType,
        marker: pkt.marker,
        payloadBytes: pkt.payload.length,
        payload: pkt.payload,
        from,
        kind: 'comfort-noise',
      });
      return pkt;
    }
    if (!isEvent && pkt.payloadType !== codec.payloadType) {
      this.unknownPayloadTypes[pkt.payloadType] = (this.unknownPayloadTypes[pkt.payloadType] ?? 0) + 1;
      return this.bad('unknown-payload-type');
    }

    this.track(pkt, arrivalMs, !isEvent);
    this.counters.packets++;
    this.counters.bytes += pkt.payload.length;
    if (this.opts.onPacket && (this.opts.wantPackets?.() ?? true)) {
      this.opts.onPacket({
        arrivalMs,
        sequenceNumber: pkt.sequenceNumber,
        timestamp: pkt.timestamp,
        ssrc: pkt.ssrc,
        payloadType: pkt.payloadType,
        marker: pkt.marker,
        payloadBytes: pkt.payload.length,
        payload: pkt.payload,
        from,
        kind: isEvent ? 'telephone-event' : 'audio',
      });
    }
    if (isEvent) this.event(pkt, arrivalMs);
    else this.audio(pkt, arrivalMs);
    return pkt;
  }

  /** Ends DTMF events whose end packets were all lost (call once per frame). */
  poll(nowMs: number): void {
    for (const ev of this.dtmf.poll(nowMs)) if (ev.type === 'end') this.emitEnd(ev);
  }

  private bad(reason: string): undefined {
    this.malformed[reason] = (this.malformed[reason] ?? 0) + 1;
    return undefined;
  }

  private track(pkt: RtpPacket, arrivalMs: number, audio: boolean): void {
    const rate = this.opts.codec.clockRate;
    if (!this.reception || this.reception.ssrc !== pkt.ssrc) {
      if (this.reception) this.counters.ssrcChanges++;
      this.reception = new ReceptionStats(pkt.ssrc, pkt.sequenceNumber, rate);
      this.last = undefined;
    }
    this.reception.update(pkt.sequenceNumber, pkt.timestamp, arrivalMs, audio);
    if (!audio) return;
    const last = this.last;
    const seqDelta = last ? (pkt.sequenceNumber - last.seq + 0x10000) & 0xffff : 0;
    if (last && seqDelta > 0 && seqDelta < 3000 && !pkt.marker) {
      const expected = last.ts + seqDelta * samplesPerFrame(rate, this.opts.ptimeMs);
      let off = (pkt.timestamp - expected) % 0x100000000;
      if (off > 0x7fffffff) off -= 0x100000000;
      else if (off < -0x80000000) off += 0x100000000;
      if (Math.abs(off) > (this.opts.timestampJumpMs * rate) / 1000) this.counters.timestampJumps++;
    }
    if (!last || (seqDelta > 0 && seqDelta < 0x8000)) {
      this.last = { seq: pkt.sequenceNumber, ts: pkt.timestamp };
    }
  }

  private event(pkt: RtpPacket, arrivalMs: number): void {
    this.counters.telephoneEvents++;
    const events = this.dtmf.push({
      ssrc: pkt.ssrc,
      timestamp: pkt.timestamp,
      marker: pkt.marker,
      payload: pkt.payload,
      arrivalMs,
    });
    for (const ev of events) {
      if (ev.type === 'digit') this.digitStart.set(`${ev.ssrc}:${ev.timestamp}`, ev.atMs);
      else this.emitEnd(ev);
    }
  }

  private emitEnd(ev: {
    ssrc: number;
    timestamp: number;
    digit: DtmfReceived['digit'];
    durationMs: number;
    endSeen: boolean;
    atMs: number;
  }): void {
    const key = `${ev.ssrc}:${ev.timestamp}`;
    const atMs = this.digitStart.get(key) ?? ev.atMs;
    this.digitStart.delete(key);
    this.opts.onDtmf({
      digit: ev.digit,
      method: 'rfc2833',
      atMs,
      durationMs: ev.durationMs,
      endSeen: ev.endSeen,
    });
  }

  private audio(pkt: RtpPacket, arrivalMs: number): void {
    const sinks = this.opts.sinks;
    if (sinks.length === 0) return this.opts.onAudio?.(pkt, undefined);
    // Each payload is decoded exactly once: stateful decoders (G.722 ADPCM, Opus) break if the
    // echo's sent side decoded the same packets again with the same decoder.
    let pcm: Int16Array | undefined;
    try {
      pcm = this.opts.codec.decode(pkt.payload);
    } catch {
      this.counters.decodeErrors++;
    }
    this.opts.onAudio?.(pkt, pcm);
    if (!pcm) return;
    const rate = this.opts.codec.sampleRate ?? this.opts.codec.clockRate;
    for (const s of sinks) s.write(pcm, rate, 'received', arrivalMs);
  }
}
