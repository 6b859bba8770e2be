/**
 * Call-quality measurement for one call (issue: measurement that agrees with Wireshark): the
 * Wireshark/RFC 3550 figures of both directions, the peer's view from its RTCP reports, the
 * E-model MOS, speech activity for the voice-agent timeline, and the one-way-audio verdict.
 * Fed by the RTP session's per-packet events; pure bookkeeping otherwise.
 */
import type { PeerReport as SessionPeerReport, PacketInfo } from '../../media/session/types.ts';
import type { RtpSession as Session } from '../../media/session/rtp-session.ts';
import type { AudioSink, AudioDirection as SinkDirection } from '../../media/audio.ts';
import { RtpStreamStats, type RtpStreamSnapshot } from '../../media/stats/rtp-stream-stats.ts';
import { RtpStreamSet } from '../../media/stats/rtp-stream-set.ts';
import { clockRateOf } from '../../media/stats/clock-rate.ts';
import { blockAbout, peerView, type PeerView } from '../../media/stats/peer-view.ts';
import { eModel, oneWayDelayMs } from '../../media/stats/e-model.ts';
import { oneWayAudioVerdict, type OneWayAudioResult } from '../../media/stats/one-way-audio.ts';
import { SpeechActivityDetector } from '../../media/sink/speech-activity.ts';
import { AudioPresenceMeter } from '../../media/sink/audio-presence.ts';

/**
 * Our sent packets whose send time is kept (by sequence number), to date the one a peer's RTCP
 * report names as its highest received: 1024 = 20 s at 20 ms, more than an RTCP interval
 * (RFC 3550 §6.2: 5 s × up to 1.5) plus its transit.
 */
const SENT_LOG = 1024;

/** Received audio quieter than this (RMS dBFS over a 20 ms frame) counts as silence. */
export const SILENCE_DBFS = -60;

export interface QualityContext {
  /** Negotiated codec and how to read clock rates (PT → Hz, 0 for telephone-event). */
  codec: string | undefined;
  clockRateOf: (pt: number) => number;
  ptimeMs: number;
  decodesAudio: boolean;
  /** False when the codec sends synthetic frames, not what the source played (G.729 here). */
  encodesAudio?: boolean;
  sdpRemote: { address: string; port: number } | null;
  signalingRemoteAddress: string | null;
  srtp: { policy: 'off' | 'offer' | 'require'; active: boolean; offered: boolean; answered: boolean; offerer?: 'us' | 'peer'; offerHadCrypto?: boolean };
}

export class CallQuality implements AudioSink {
  private readonly rtp: Session;
  /** Everything received, split by SSRC / clock-rate change (never averaged together). */
  readonly received: RtpStreamSet;
  /** Our own stream as sent (a capture at our interface would measure the same). */
  private sent: RtpStreamStats | undefined;
  private firstSentSeq: number | undefined;
  private lastPeerReport: { report: SessionPeerReport; view: PeerView | null } | undefined;
  private peerReports = 0;
  /** When the peer's reported highest sequence for our stream last advanced (session ms). */
  private peerSeq: { value: number; advancedAtMs: number; sentAtMs: number | undefined } | undefined;
  /** When each of our last SENT_LOG packets went out, by sequence number (session ms). */
  private sentLog: { seq: Uint16Array; atMs: Float64Array } | undefined;
  private peerSeqStalled = false;
  private firstPacketMs: number | undefined;
  private lastPacketMs: number | undefined;
  private lastSentMs: number | undefined;
  private lastFrom: { address: string; port: number } | undefined;
  private lastLoudMs: number | undefined;
  private audioFrames = 0;
  readonly speech = new SpeechActivityDetector({ direction: 'received' });
  /** Our own speech (sent audio), for the reply gap with --play. */
  readonly ourSpeech = new SpeechActivityDetector({ direction: 'sent' });
  /** Audio presence per direction (issue 17): 20 ms frames against the floor, CN, undecodable. */
  readonly audioIn = new AudioPresenceMeter();
  readonly audioOut = new AudioPresenceMeter();
  ctx: QualityContext;
  /** ms since the RTP session opened, on the session's clock. */
  answeredAtMs: number | undefined;

  constructor(rtp: Session, ctx: QualityContext) {
    this.rtp = rtp;
    this.ctx = ctx;
    this.received = new RtpStreamSet((pt) => this.ctx.clockRateOf(pt));
    rtp.on('packet', (p) => this.onReceived(p));
    rtp.on('sent', (p) => this.onSent(p));
    rtp.on('rtcp', (r) => this.onRtcp(r));
  }

  private onReceived(p: PacketInfo): void {
    this.received.add(p);
    this.firstPacketMs ??= p.arrivalMs;
    this.lastPacketMs = p.arrivalMs;
    this.lastFrom = p.from;
    if (p.kind === 'comfort-noise') this.audioIn.comfortNoise(p.arrivalMs, this.ctx.ptimeMs);
    else if (p.kind === 'telephone-event') this.audioIn.packet(p.arrivalMs);
  }

  private onSent(p: PacketInfo): void {
    if (!this.sent || this.sent.ssrc !== p.ssrc) {
      this.sent = new RtpStreamStats(p.ssrc, (pt) => this.ctx.clockRateOf(pt));
      this.firstSentSeq = p.sequenceNumber;
    }
    this.sent.add(p);
    this.lastSentMs = p.arrivalMs;
    this.sentLog ??= { seq: new Uint16Array(SENT_LOG), atMs: new Float64Array(SENT_LOG).fill(NaN) };
    const slot = p.sequenceNumber % SENT_LOG;
    this.sentLog.seq[slot] = p.sequenceNumber;
    this.sentLog.atMs[slot] = p.arrivalMs;
  }

  private onRtcp(r: SessionPeerReport): void {
    this.peerReports++;
    const ourSsrc = this.rtp.stats().sent.ssrc;
    const block = blockAbout(r.reports, ourSsrc);
    const clock = this.ctx.clockRateOf(this.rtp.stats().payloadType) || 8000;
    this.lastPeerReport = {
      report: r,
      view: block ? peerView(block, { clockRate: clock, firstSeqSent: this.firstSentSeq, arrivalNtp32: ntpMiddleNow() }) : null,
    };
    if (block) {
      if (!this.peerSeq || block.extendedHighestSeq > this.peerSeq.value) {
        this.peerSeq = { value: block.extendedHighestSeq, advancedAtMs: r.atMs, sentAtMs: this.sentAt(block.extendedHighestSeq) };
        this.peerSeqStalled = false;
      } else this.peerSeqStalled = true;
    }
  }

  /** When we sent the packet with this (extended) sequence number, if the log still has it. */
  private sentAt(extendedSeq: number): number | undefined {
    const seq = extendedSeq & 0xffff;
    const slot = seq % SENT_LOG;
    const at = this.sentLog?.atMs[slot];
    return at !== undefined && !Number.isNaN(at) && this.sentLog!.seq[slot] === seq ? at : undefined;
  }

  /** AudioSink: decoded audio, for speech detection and the silence verdict. */
  write(pcm: Int16Array, sampleRate: number, dir: SinkDirection, atMs: number): void {
    if (dir === 'sent') {
      if (this.ctx.encodesAudio === false) this.audioOut.notDecoded(`${this.ctx.codec ?? 'the codec'} is sent as a fixed frame here, not the audio (docs/codecs.md)`);
      else this.audioOut.write(pcm, sampleRate, atMs);
      return this.ourSpeech.write(pcm, sampleRate, dir, atMs);
    }
    if (!this.ctx.decodesAudio) {
      this.audioIn.packet(atMs);
      this.audioIn.notDecoded(`${this.ctx.codec ?? 'the codec'} is carried without a decoder here (docs/codecs.md)`);
      return;
    }
    this.audioIn.write(pcm, sampleRate, atMs);
    this.speech.write(pcm, sampleRate, dir, atMs);
    this.audioFrames++;
    let sum = 0;
    for (let i = 0; i < pcm.length; i++) sum += pcm[i]! * pcm[i]!;
    const rms = Math.sqrt(sum / Math.max(1, pcm.length));
    const dbfs = rms > 0 ? 20 * Math.log10(rms / 32768) : -120;
    if (dbfs > SILENCE_DBFS) this.lastLoudMs = atMs;
  }

  /** The main received stream: the one with the most packets. */
  mainReceived(): RtpStreamSnapshot | undefined {
    let best: RtpStreamSnapshot | undefined;
    for (const s of this.received.streams()) {
      const snap = s.stats.snapshot();
      if (!best || snap.packets > best.packets) best = snap;
    }
    return best;
  }

  sentSnapshot(): RtpStreamSnapshot | undefined {
    return this.sent?.snapshot();
  }

  peer(): { report: SessionPeerReport; view: PeerView | null } | undefined {
    return this.lastPeerReport;
  }

  /** E-model on what we received (loss, jitter) and the RTCP round trip. */
  mos(): { mos: number; rFactor: number } | null {
    const r = this.mainReceived();
    if (!r || !this.ctx.codec) return null;
    // Never a MOS for audio we did not really encode or decode (issue 10: G.729 without a codec).
    if (!this.ctx.decodesAudio || this.ctx.encodesAudio === false) return null;
    const e = eModel({
      codec: this.ctx.codec,
      lossPercent: Math.max(0, r.lostPercent),
      oneWayDelayMs: oneWayDelayMs({ rttMs: this.lastPeerReport?.view?.rttMs ?? null, jitterMs: r.jitterMeanMs, ptimeMs: this.ctx.ptimeMs }),
    });
    return { mos: Math.round(e.mos * 100) / 100, rFactor: Math.round(e.rFactor * 10) / 10 };
  }

  /** The one-way-audio verdict with evidence, as of now (session clock). */
  verdict(nowMs = this.rtp.sessionMs()): OneWayAudioResult | null {
    if (this.answeredAtMs === undefined) return null;
    const sent = this.rtp.stats().sent;
    const last = this.lastPeerReport;
    const silentSince = this.ctx.decodesAudio && this.audioFrames > 0 ? (this.lastLoudMs ?? this.firstPacketMs) : undefined;
    return oneWayAudioVerdict({
      answeredAtMs: this.answeredAtMs,
      nowMs,
      sdpRemote: this.ctx.sdpRemote,
      signalingRemoteAddress: this.ctx.signalingRemoteAddress,
      received: {
        firstPacketMs: this.firstPacketMs,
        lastPacketMs: this.lastPacketMs,
        packets: this.rtp.stats().received.packets,
        fromAddress: this.lastFrom ?? null,
        srtpAuthFailures: this.rtp.stats().received.srtpAuthFailures,
      },
      sent: { packets: sent.packets, lastPacketMs: this.lastSentMs },
      energy: silentSince !== undefined ? { silentSinceMs: silentSince } : undefined,
      peerRtcp: {
        reportsReceived: this.peerReports,
        seqStalledSinceMs: this.peerSeqStalled ? this.peerSeq?.advancedAtMs : undefined,
        lastCountedSentMs: this.peerSeqStalled ? this.peerSeq?.sentAtMs : undefined,
        lastReport: last?.view
          ? {
              atMs: last.report.atMs,
              packetsReceivedByPeer: last.view.packetsReceivedByPeer,
              cumulativeLost: last.view.cumulativeLost,
              extendedHighestSeq: last.view.extendedHighestSeq,
            }
          : undefined,
      },
      srtp: {
        ourPolicy: this.ctx.srtp.policy === 'off' ? 'off' : this.ctx.srtp.policy === 'offer' ? 'optional' : 'required',
        active: this.ctx.srtp.active,
        offeredCrypto: this.ctx.srtp.offered,
        answeredCrypto: this.ctx.srtp.answered,
        offerer: this.ctx.srtp.offerer,
        offerHadCrypto: this.ctx.srtp.offerHadCrypto,
      },
    });
  }

  get firstReceivedMs(): number | undefined {
    return this.firstPacketMs;
  }

  /** Session ms of the last RTP packet received (any stream), for the end-of-call drain. */
  get lastReceivedMs(): number | undefined {
    return this.lastPacketMs;
  }
}

/** Middle 32 bits of the current NTP time (RFC 3550 §4), for RTT from LSR/DLSR. */
function ntpMiddleNow(): number {
  const ms = Date.now() + 2_208_988_800_000;
  const seconds = Math.floor(ms / 1000);
  const fraction = Math.floor(((ms % 1000) / 1000) * 65536);
  return (((seconds & 0xffff) << 16) | fraction) >>> 0;
}

export { clockRateOf };
