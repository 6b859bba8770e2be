/**
 * One call's RTP/RTCP session: sockets from the port pool, a stream on the shared media clock,
 * the sender (rtp-sender.ts), the receiver (rtp-receiver.ts), RTCP (rtcp-reporter.ts) and SRTP
 * (srtp-glue.ts).
 *
 * Symmetric RTP (RFC 4961; on by default): after the first valid packet from the peer we send to
 * the address it came from instead of the one its SDP named (NATs, SBCs); RTCP without rtcp-mux
 * latches onto the source of the peer's first valid RTCP compound. Both addresses are reported.
 * RFC 3264 §5.1: recvonly/inactive send no RTP but keep receiving, and RTCP keeps flowing.
 */
import {
  defaultMediaClock,
  type MediaClock,
  type MediaStreamHandle,
} from '../clock/media-clock.ts';
import { isRtcp } from '../rtp/rtcp-packet.ts';
import type { RtpPacket } from '../rtp/rtp-packet.ts';
import { RtpSocketPair } from '../transport/rtp-socket.ts';
import { systemClock } from '../../../shared/clock.ts';
import { Emitter } from './emitter.ts';
import { RtcpReporter } from './rtcp-reporter.ts';
import { RtpReceiver } from './rtp-receiver.ts';
import { RtpSender, randomUint32 } from './rtp-sender.ts';
import { SrtpGlue } from './srtp-glue.ts';
import type { SrtpKeys } from './types.ts';
import { buildStats } from './session-stats.ts';
import { SourceLatch } from './source-latch.ts';
import {
  formatAddress,
  isEchoSource,
  sendsMedia,
  type DtmfSendOptions,
  type MediaDirection,
  type PacketInfo,
  type RemoteAddress,
  type RemoteMedia,
  type RtpSessionEvents,
  type RtpSessionOptions,
  type RtpSessionStats,
  type SessionCodec,
} from './types.ts';

export const DEFAULT_RTCP_INTERVAL_MS = 5000;
const BYE_FLUSH_MS = 200;

function validate(opts: RtpSessionOptions): void {
  const pt = opts.codec.payloadType;
  if (!Number.isInteger(pt) || pt < 0 || pt > 127) throw new RangeError(`bad payload type ${pt}`);
  const te = opts.telephoneEventPt;
  if (te !== undefined && (!Number.isInteger(te) || te < 0 || te > 127 || te === pt)) {
    throw new RangeError(`bad telephone-event payload type ${te}`);
  }
  if (!(opts.ptimeMs >= 1 && opts.ptimeMs <= 1000))
    throw new RangeError(`bad ptime ${opts.ptimeMs}`);
}

export class RtpSession extends Emitter<RtpSessionEvents> {
  readonly sender: RtpSender;
  readonly receiver: RtpReceiver;
  private readonly sockets: RtpSocketPair;
  private readonly clock: MediaClock;
  private readonly rtcp: RtcpReporter;
  private srtp: SrtpGlue | undefined;
  private readonly symmetric: boolean;
  private rtcpMux: boolean;
  private readonly openedAt: number;
  private stream: MediaStreamHandle;
  private codec: SessionCodec;
  private ptimeMs: number;
  private direction: MediaDirection;
  private remote: RemoteMedia | undefined;
  private latchedRtp: RemoteAddress | undefined;
  private latchedRtcp: RemoteAddress | undefined;
  private lastSource: RemoteAddress | undefined;
  private otherSource = 0;
  /** Which sources RTP/RTCP are accepted from (source-latch.ts); the rest are counted as foreign. */
  private readonly sources: SourceLatch;
  private closing: Promise<void> | undefined;

  /** Bind the sockets and start the stream; rejects on bad options or when no port is free. */
  static async open(opts: RtpSessionOptions): Promise<RtpSession> {
    validate(opts);
    const srtp = opts.srtp ? new SrtpGlue(opts.srtp) : undefined;
    // Datagrams can only arrive once the sockets are bound; the session exists by then.
    const ref: { session?: RtpSession } = {};
    const sockets = await RtpSocketPair.open({
      bindAddress: opts.bindAddress,
      portRange: opts.portRange,
      rtcpMux: opts.rtcpMux,
      recvBufferBytes: opts.recvBufferBytes,
      onRtp: (buf, from) => ref.session?.onRtpDatagram(buf, from),
      onRtcp: (buf, from) => ref.session?.onRtcpDatagram(buf, from),
    });
    ref.session = new RtpSession(opts, sockets, srtp);
    return ref.session;
  }

  private constructor(opts: RtpSessionOptions, sockets: RtpSocketPair, srtp: SrtpGlue | undefined) {
    super();
    this.sockets = sockets;
    this.srtp = srtp;
    this.clock = opts.clock ?? defaultMediaClock();
    this.symmetric = opts.symmetric ?? true;
    this.rtcpMux = opts.rtcpMux;
    this.codec = opts.codec;
    this.ptimeMs = opts.ptimeMs;
    this.direction = opts.direction ?? 'sendrecv';
    this.remote = opts.remote;
    this.openedAt = this.clock.nowMs();
    this.sources = new SourceLatch(0, opts.remote?.address);
    const echo = isEchoSource(opts.source);
    const sinks = opts.sinks ?? [];
    const teRate = opts.telephoneEventRate ?? opts.codec.clockRate;
    if (opts.onPacket) this.on('packet', opts.onPacket);
    this.sender = new RtpSender({
      codec: opts.codec,
      ptimeMs: opts.ptimeMs,
      telephoneEventPt: opts.telephoneEventPt,
      telephoneEventRate: teRate,
      source: isEchoSource(opts.source) ? undefined : opts.source,
      sinks,
      transmit: (packet, payloadBytes) => this.transmitRtp(packet, payloadBytes),
    });
    this.receiver = new RtpReceiver({
      codec: opts.codec,
      ptimeMs: opts.ptimeMs,
      telephoneEventPt: opts.telephoneEventPt,
      telephoneEventRate: teRate,
      sinks,
      srtp,
      timestampJumpMs: opts.timestampJumpMs ?? 1000,
      onPacket: (p) => this.emit('packet', p),
      wantPackets: () => this.has('packet'),
      onDtmf: (d) => this.emit('dtmf', d),
      onAudio: echo ? (pkt, pcm) => this.echo(pkt, pcm) : undefined,
    });
    this.rtcp = new RtcpReporter({
      cname:
        opts.cname ?? `${randomUint32().toString(16)}${randomUint32().toString(16)}@trunkscope`,
      intervalMs: opts.rtcpIntervalMs ?? DEFAULT_RTCP_INTERVAL_MS,
      timers: opts.timers ?? systemClock,
      sender: this.sender,
      receiver: this.receiver,
      rtpNow: () => this.sender.timestampAt(this.clock.nowMs() - this.stream.startMs),
      sessionMs: () => this.sessionMs(),
      transmit: (buf, done) => this.transmitRtcp(buf, done),
      onReport: (r) => this.emit('rtcp', r),
      onBye: (b) => this.emit('bye', b),
    });
    this.stream = this.register();
    this.rtcp.start();
  }

  get localAddress(): string {
    return this.sockets.localAddress;
  }
  get localPort(): number {
    return this.sockets.rtpPort;
  }
  /** Equals `localPort` with rtcp-mux. */
  get localRtcpPort(): number {
    return this.sockets.rtcpPort;
  }
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** ms since the session opened (the time base of every `atMs` it reports). */
  sessionMs(): number {
    return this.clock.nowMs() - this.openedAt;
  }

  /**
   * The peer's SDP address (answer, re-INVITE). A different address forgets what symmetric RTP
   * latched (the peer moved; latch again on its next packet); the same one keeps the latch.
   */
  setRemote(remote: RemoteMedia | undefined): void {
    const same =
      remote !== undefined &&
      this.remote !== undefined &&
      remote.address === this.remote.address &&
      remote.port === this.remote.port &&
      remote.rtcpPort === this.remote.rtcpPort;
    this.remote = remote;
    if (same) return;
    this.latchedRtp = undefined;
    this.latchedRtcp = undefined;
    this.sources.reset(this.sessionMs(), remote?.address);
  }

  /** We offered: accept no RTP until the answer's SDP names the peer (source-latch.ts). */
  expectSdp(): void {
    if (this.remote === undefined) this.sources.expectSdp();
  }

  /** The SIP peer's address: its RTP is consistent with the signaling too (source-latch.ts). */
  setSignalingAddress(address: string | undefined): void {
    this.sources.setSignalingAddress(address);
  }

  /**
   * Switch SRTP on, off or to new keys (RFC 4568: keys come with the SDP answer, after the
   * sockets had to exist for the offer). Throws a RangeError for keys of the wrong length.
   */
  setSrtp(keys: SrtpKeys | undefined): void {
    this.srtp = keys ? new SrtpGlue(keys) : undefined;
    this.receiver.setSrtp(this.srtp);
  }

  /**
   * RFC 5761: the answer accepted rtcp-mux, so RTCP now shares the RTP port both ways (a session
   * opened with separate RTCP keeps that socket bound, unused).
   */
  setRtcpMux(on: boolean): void {
    this.rtcpMux = on;
  }

  setDirection(direction: MediaDirection): void {
    this.direction = direction;
    if (!sendsMedia(direction)) this.sender.dtmf.cancel(`direction is ${direction}`);
  }

  /** Switch codec/ptime/telephone-event (re-INVITE); the timestamp line continues. */
  setCodec(
    codec: SessionCodec,
    ptimeMs = this.ptimeMs,
    telephoneEventPt?: number,
    telephoneEventRate = codec.clockRate,
  ): void {
    validate({ codec, ptimeMs, telephoneEventPt } as RtpSessionOptions);
    this.sender.dtmf.cancel('codec changed');
    this.codec = codec;
    this.ptimeMs = ptimeMs;
    this.sender.reconfigure(codec, ptimeMs, telephoneEventPt, telephoneEventRate);
    this.receiver.reconfigure(codec, ptimeMs, telephoneEventPt, telephoneEventRate);
    this.stream.unregister();
    if (!this.closed) this.stream = this.register();
  }

  /**
   * Send DTMF digits as RFC 4733 events, one after the other with ≥ 50 ms between them; resolves
   * when the last end packet of the last digit went out.
   */
  sendDtmf(digits: string, opts: DtmfSendOptions = {}): Promise<void> {
    if (this.closed) return Promise.reject(new Error('RTP session is closed'));
    if (!this.sender.canSendDtmf) {
      return Promise.reject(new Error('telephone-event was not negotiated for this session'));
    }
    if (!sendsMedia(this.direction)) {
      return Promise.reject(new Error(`cannot send DTMF while direction is ${this.direction}`));
    }
    if (digits.length === 0) return Promise.reject(new RangeError('no DTMF digit given'));
    if (!this.rtpDestination()) {
      return Promise.reject(new Error('cannot send DTMF: no remote RTP address yet'));
    }
    return Promise.all(
      [...digits].map((d) =>
        this.sender.dtmf.enqueue(d, opts.durationMs, opts.volume, () => opts.onDigitStart?.(d, this.sessionMs())),
      ),
    ).then(() => undefined);
  }

  /** Send an RTCP report now (normally every ~5 s). */
  sendRtcpReport(): boolean {
    return this.rtcp.sendReport();
  }

  stats(): RtpSessionStats {
    return buildStats({
      localAddress: formatAddress({ address: this.localAddress, port: this.localPort })!,
      direction: this.direction,
      codec: this.codec,
      ptimeMs: this.ptimeMs,
      srtp: this.srtp,
      sender: this.sender,
      receiver: this.receiver,
      rtcp: this.rtcp,
      sockets: this.sockets.counters(),
      destination: this.rtpDestination(),
      sdpRemote: this.remote ? { address: this.remote.address, port: this.remote.port } : undefined,
      latched: this.latchedRtp !== undefined,
      lastSource: this.lastSource,
      otherSource: this.otherSource,
      foreign: { rtp: this.sources.foreign, rtcp: this.sources.foreignRtcp, sources: [...this.sources.foreignSources] },
      skippedFrames: this.stream.skipped,
    });
  }

  /** Stop sending, send RTCP BYE, close the sockets and release the ports. Idempotent. */
  close(reason?: string): Promise<void> {
    this.closing ??= this.shutdown(reason);
    return this.closing;
  }

  private async shutdown(reason: string | undefined): Promise<void> {
    this.stream.unregister();
    this.rtcp.stop();
    this.sender.dtmf.cancel('session closed');
    // RFC 3550 §6.6: say goodbye; wait (briefly) until the datagram left before closing.
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, BYE_FLUSH_MS);
      const done = (): void => {
        clearTimeout(t);
        resolve();
      };
      if (!this.rtcp.sendBye(reason, done)) done();
    });
    await this.sockets.close();
  }

  private register(): MediaStreamHandle {
    return this.clock.register(this.ptimeMs, (frame) => this.tick(frame));
  }

  private tick(frameIndex: number): void {
    const atMs = this.stream.startMs + frameIndex * this.ptimeMs - this.openedAt;
    this.sender.tick(frameIndex, atMs, sendsMedia(this.direction));
    this.receiver.poll(this.sessionMs());
  }

  /** The echo source: a received packet goes straight back (rtp-sender.ts). */
  private echo(pkt: RtpPacket, pcm: Int16Array | undefined): void {
    const now = this.clock.nowMs();
    this.sender.echo(pkt, pcm, now - this.stream.startMs, now - this.openedAt, sendsMedia(this.direction));
  }

  private rtpDestination(): RemoteAddress | undefined {
    return (
      this.latchedRtp ?? (this.remote && { address: this.remote.address, port: this.remote.port })
    );
  }

  private rtcpDestination(): RemoteAddress | undefined {
    if (this.rtcpMux) return this.rtpDestination();
    if (this.latchedRtcp) return this.latchedRtcp;
    // Not latched yet: next to the latched RTP port (RFC 3550 §11), else what the SDP said.
    if (this.latchedRtp)
      return { address: this.latchedRtp.address, port: this.latchedRtp.port + 1 };
    if (!this.remote) return undefined;
    return { address: this.remote.address, port: this.remote.rtcpPort ?? this.remote.port + 1 };
  }

  private transmitRtp(packet: Buffer, payloadBytes: number): boolean {
    const to = this.rtpDestination();
    if (!to || this.closed) return false;
    const wire = this.srtp ? this.srtp.protectRtp(packet) : packet;
    if (!this.has('sent')) {
      this.sockets.sendRtp(wire, to);
      return true;
    }
    // Our own stream as a capture at our interface would see it (the sent-direction statistics):
    // stamped when the datagram has left (dgram sends on a later tick), not when it was queued.
    this.sockets.sendRtp(wire, to, () => this.emit('sent', sentInfo(packet, payloadBytes, this.clock.nowMs() - this.openedAt, to)));
    return true;
  }

  private transmitRtcp(compound: Buffer, done?: () => void): boolean {
    const to = this.rtcpDestination();
    if (!to) return false;
    this.sockets.sendRtcp(this.srtp ? this.srtp.protectRtcp(compound) : compound, to, done);
    return true;
  }

  private onRtpDatagram(buf: Buffer, from: RemoteAddress): void {
    // RFC 5761 §4: with rtcp-mux, RTCP shares the port; its second octet is 192..223.
    if (this.rtcpMux && isRtcp(buf)) return this.onRtcpDatagram(buf, from);
    // Only the peer's source reaches the receiver (statistics, DTMF, SRTP checks, sinks).
    if (!this.sources.acceptRtp(buf, from, this.sessionMs())) return;
    const pkt = this.receiver.handle(buf, from, this.sessionMs());
    if (!pkt) return;
    this.lastSource = from;
    if (!this.symmetric) return;
    if (!this.latchedRtp) {
      this.latchedRtp = from;
      this.emit('latched', { rtp: formatAddress(from)! });
    } else if (this.latchedRtp.address !== from.address || this.latchedRtp.port !== from.port) {
      this.otherSource++;
    }
  }

  private onRtcpDatagram(buf: Buffer, from: RemoteAddress): void {
    if (!this.sources.acceptRtcp(from)) return;
    const plain = this.srtp ? this.srtp.unprotectRtcp(buf) : buf;
    if (!plain) return;
    const before = this.rtcp.counters.received;
    this.rtcp.handle(plain);
    const valid = this.rtcp.counters.received > before;
    if (valid && this.symmetric && !this.rtcpMux && !this.latchedRtcp) this.latchedRtcp = from;
  }
}

/** The fields of a packet we just sent, read back from its header (RFC 3550 §5.1). */
function sentInfo(packet: Buffer, payloadBytes: number, atMs: number, to: RemoteAddress): PacketInfo {
  const pt = packet[1]! & 0x7f;
  return {
    arrivalMs: atMs,
    sequenceNumber: packet.readUInt16BE(2),
    timestamp: packet.readUInt32BE(4),
    ssrc: packet.readUInt32BE(8),
    payloadType: pt,
    marker: (packet[1]! & 0x80) !== 0,
    payloadBytes,
    payload: packet.subarray(packet.length - payloadBytes),
    from: to,
    kind: 'audio',
  };
}
