/**
 * A call's media: the MediaHandler the SIP session asks for offers and answers, backed by an RTP
 * session (codec, SRTP, symmetric RTP, audio source and sinks) and the DTMF bookkeeping of all
 * three methods. One per call, on either side.
 */
import type { DtmfRecord, MediaReport } from '../../../shared/model/report.ts';
import type { AnswerResult, Direction, MediaHandler } from '../../sip/ua/media-handler.ts';
import { buildOffer, newSdpSessionId } from '../../sdp/offer.ts';
import { negotiateAnswer, type NegotiatedAnswer } from '../../sdp/answer.ts';
import { parseAnswer, type ParsedAnswer } from '../../sdp/parse-answer.ts';
import { randomInlineKey } from '../../sdp/crypto-line.ts';
import { RtpSession } from '../../media/session/rtp-session.ts';
import type { AudioSink, AudioSource } from '../../media/audio.ts';
import { createCodec, type MediaCodec } from '../../media/codec/registry.ts';
import { InbandDtmfSink } from '../../media/sink/inband-dtmf.ts';
import { WavRecorder } from '../../media/sink/wav-recorder.ts';
import { ProbeDetector } from '../../media/sink/probe-detector.ts';
import { DtmfMixer } from '../../media/source/mixer.ts';
import { parseCryptoAttribute } from '../../media/srtp/sdes-crypto.ts';
import { isSrtpSuiteName } from '../../media/srtp/suites.ts';
import type { MediaPrefs } from './media-prefs.ts';
import { createSource } from './sources.ts';
import { mediaReport } from './media-report.ts';
import { CallQuality, clockRateOf } from './call-quality.ts';

type Negotiated = NegotiatedAnswer | ParsedAnswer;

export class CallMedia implements MediaHandler {
  readonly prefs: MediaPrefs;
  readonly rtp: RtpSession;
  readonly mixer: DtmfMixer | undefined;
  private readonly openedAt = performance.now();
  private answeredAt: number | undefined;
  private version = 0;
  /**
   * o= sess-id, fixed for the call: RFC 3264 §8 keeps the origin line of every later offer or
   * answer identical but for the version (RFC 4566 §5.2: a numeric id, unique per session).
   */
  private readonly sessionId = newSdpSessionId();
  private lastOffer: string | undefined;
  /** Our a=crypto lines, kept across re-offers so keys do not change mid-call. */
  private readonly cryptoLines: string[];
  private readonly codecs: MediaCodec[] = [];
  private readonly recorder: WavRecorder | undefined;
  /** With the probe source: detects our probe coming back (echo) and its round-trip delay. */
  readonly probe: ProbeDetector | undefined;
  negotiated: Negotiated | undefined;
  readonly quality: CallQuality;
  private readonly relay: { extra: AudioSink[] };
  private readonly slot: SourceSlot | undefined;
  /** Source IP of the peer's SIP signalling (for the private-SDP-address verdict). */
  signalingRemoteAddress: string | null = null;
  /** Why media could not be set up (the call may still be up: no common codec in an answer). */
  error: string | undefined;
  readonly dtmfSent: DtmfRecord[] = [];
  readonly dtmfReceived: DtmfRecord[] = [];

  private constructor(
    prefs: MediaPrefs,
    rtp: RtpSession,
    parts: { mixer?: DtmfMixer; recorder?: WavRecorder; probe?: ProbeDetector; relay: { target?: AudioSink; extra: AudioSink[] }; slot?: SourceSlot },
  ) {
    this.relay = parts.relay;
    this.slot = parts.slot;
    this.prefs = prefs;
    this.probe = parts.probe;
    this.quality = new CallQuality(rtp, {
      codec: undefined,
      clockRateOf: (pt) => clockRateOf(pt),
      ptimeMs: prefs.ptime,
      decodesAudio: true,
      sdpRemote: null,
      signalingRemoteAddress: null,
      srtp: { policy: prefs.srtp, active: false, offered: false, answered: false },
    });
    parts.relay.target = this.quality;
    this.rtp = rtp;
    this.mixer = parts.mixer;
    this.recorder = parts.recorder;
    this.cryptoLines =
      prefs.srtp === 'off'
        ? []
        : ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'].map((s, i) => `${i + 1} ${s} ${randomInlineKey(s)}`);
    rtp.on('dtmf', (d) => this.dtmfReceived.push({ digit: d.digit, method: 'rfc2833', atMs: this.rel(this.openedAt + d.atMs), durationMs: d.durationMs }));
  }

  /** Bind the RTP ports and prepare the source (a bad WAV file fails here, before any SIP). */
  static async open(prefs: MediaPrefs): Promise<CallMedia> {
    const made = await createSource(prefs.source);
    // A slot so the GUI can swap in the microphone (setSource) after the call is set up.
    const base = made === 'echo' ? made : new SourceSlot(made);
    const ref: { media?: CallMedia } = {};
    const mixer =
      prefs.dtmf === 'inband' && base !== 'echo'
        ? new DtmfMixer(base, {
            onToneStart: (digit, offset, rate) => ref.media?.onInbandSent(digit, (offset * 1000) / rate),
          })
        : undefined;
    const sinks: AudioSink[] = [];
    const recorder = prefs.record ? new WavRecorder(prefs.record) : undefined;
    if (recorder) sinks.push(recorder);
    const probe = prefs.source.kind === 'probe' ? new ProbeDetector({ measureRoundTrip: true }) : undefined;
    if (probe) sinks.push(probe);
    // The quality meter needs the session it measures, and the GUI adds meters and the speaker
    // later: frames reach them through this relay.
    const relay: { target?: AudioSink; extra: AudioSink[] } = { extra: [] };
    sinks.push({
      write: (pcm, rate, dir, at) => {
        relay.target?.write(pcm, rate, dir, at);
        for (const x of relay.extra) x.write(pcm, rate, dir, at);
      },
    });
    sinks.push(
      new InbandDtmfSink({ onDigit: (d) => ref.media?.dtmfReceived.push({ digit: d.digit, method: 'inband', atMs: ref.media.rel(ref.media.openedAt + d.atMs) }) }),
    );
    const pcmu = createCodec('PCMU')!;
    const source: AudioSource | { kind: 'echo' } = base === 'echo' ? { kind: 'echo' } : (mixer ?? base);
    const rtp = await RtpSession.open({
      bindAddress: prefs.bindAddress,
      portRange: prefs.portRange,
      rtcpMux: false,
      codec: Object.assign(pcmu, { payloadType: 0 }),
      ptimeMs: prefs.ptime,
      symmetric: prefs.symmetric,
      // Nothing is sent until an answer says where and how.
      direction: 'inactive',
      source,
      sinks,
    });
    const media = new CallMedia(prefs, rtp, { mixer, recorder, probe, relay, slot: base === 'echo' ? undefined : base });
    ref.media = media;
    return media;
  }

  /** ms since the call was answered (since the media opened, before the answer). */
  rel(abs: number): number {
    return Math.round(abs - (this.answeredAt ?? this.openedAt));
  }

  /**
   * Voice-agent timeline marks as absolute times (performance.now()): first RTP from the peer,
   * first speech in it, and — with a played file — the gap from the end of our speech to the
   * peer's reply.
   */
  timelineMarks(): { firstRtpAt: number | null; firstSpeechAt: number | null; replyGapMs: number | null } {
    const q = this.quality;
    const abs = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : this.openedAt + x);
    const ours = q.ourSpeech.segments.filter((g) => g.endMs !== null);
    let replyGapMs: number | null = null;
    if (this.prefs.source.kind === 'wav' && ours.length > 0) {
      const endOfOurs = ours[ours.length - 1]!.endMs!;
      const reply = q.speech.segments.find((g) => g.startMs >= endOfOurs);
      if (reply) replyGapMs = Math.round(reply.startMs - endOfOurs);
    }
    return { firstRtpAt: abs(q.firstReceivedMs), firstSpeechAt: abs(q.speech.firstSpeechMs), replyGapMs };
  }

  markAnswered(): void {
    this.answeredAt ??= performance.now();
    this.quality.answeredAtMs ??= this.rtp.sessionMs();
  }

  // ---- MediaHandler (RFC 3264) ----

  offer(direction: Direction): string {
    const offer = buildOffer({
      address: this.prefs.sdpAddress,
      port: this.rtp.localPort,
      codecs: this.prefs.codecs,
      telephoneEvent: true,
      ptime: this.prefs.ptime,
      direction,
      srtp: this.cryptoLines,
      srtpProfile: this.prefs.srtp === 'require' ? 'RTP/SAVP' : 'RTP/AVP',
      rtcpMux: this.prefs.rtcpMux,
      sessionVersion: ++this.version,
      sessionId: this.sessionId,
      username: 'trunkscope',
    });
    this.lastOffer = offer;
    return offer;
  }

  answer(offerSdp: string): AnswerResult {
    // Best-effort SRTP (RTP/AVP with a=crypto, RFC 4568 §7.1.1) may be declined: only an
    // RTP/SAVP offer insists on it, so only that one can be a mismatch.
    this.lastRemoteOfferHadCrypto = /^a=crypto:/m.test(offerSdp) && /^m=audio \S+ RTP\/SAVP/m.test(offerSdp);
    const n = negotiateAnswer(offerSdp, {
      address: this.prefs.sdpAddress,
      port: this.rtp.localPort,
      codecs: this.prefs.codecs,
      telephoneEvent: true,
      ptime: this.prefs.ptime,
      prefer: 'ours',
      // Accept rtcp-mux whenever it is offered (RFC 5761 §5.1.1); we offer it only with --rtcp-mux.
      rtcpMux: true,
      srtp: this.prefs.srtp === 'off' ? undefined : { required: this.prefs.srtp === 'require' },
      sessionVersion: ++this.version,
      sessionId: this.sessionId,
      username: 'trunkscope',
    });
    if (!n.ok) return { ok: false, status: n.status, reason: n.reason };
    const applied = this.apply(n);
    if (applied) return { ok: false, status: 488, reason: applied };
    return { ok: true, sdp: n.answerSdp };
  }

  onAnswer(answerSdp: string): void {
    if (!this.lastOffer) return;
    const n = parseAnswer(answerSdp, this.lastOffer);
    if (!n.ok) {
      this.error = `unusable SDP answer: ${n.reason}`;
      return;
    }
    if (this.prefs.srtp === 'require' && !n.crypto) {
      this.error = 'SRTP required but the answer has no a=crypto';
      return;
    }
    const e = this.apply(n);
    if (e) this.error = e;
  }

  /** Configure the RTP session from a negotiation result; returns an error text on failure. */
  private apply(n: Negotiated): string | undefined {
    const codec = createCodec(n.codec);
    if (!codec) return `codec ${n.codec} negotiated but not available`;
    this.codecs.push(codec);
    let srtp;
    if (n.crypto) {
      if (!isSrtpSuiteName(n.crypto.suite)) return `unsupported SRTP suite ${n.crypto.suite}`;
      const local = parseCryptoAttribute(`1 ${n.crypto.suite} ${n.crypto.local}`);
      const remote = parseCryptoAttribute(`1 ${n.crypto.suite} ${n.crypto.remote}`);
      if (!local.ok || !remote.ok) return `unreadable a=crypto key: ${local.ok ? (remote as { detail: string }).detail : local.detail}`;
      srtp = { suite: n.crypto.suite, sendKey: local.value.keys[0]!.keySalt, recvKey: remote.value.keys[0]!.keySalt };
    }
    this.rtp.setCodec(Object.assign(codec, { payloadType: n.payloadType }), n.ptime, n.telephoneEventPt);
    this.rtp.setSrtp(srtp);
    this.rtp.setRtcpMux(n.remote.rtcpMux);
    this.rtp.setRemote({ address: n.remote.address, port: n.remote.port, rtcpPort: n.remote.rtcpMux ? n.remote.port : n.remote.rtcpPort });
    this.rtp.setDirection(n.direction);
    this.negotiated = n;
    const te = n.telephoneEventPt;
    this.quality.ctx = {
      codec: n.codec,
      // RFC 3551: the SDP's rtpmap gives dynamic PTs their clock; telephone-event counts as 0.
      clockRateOf: (pt) => (pt === te ? 0 : pt === n.payloadType ? n.clockRate : clockRateOf(pt)),
      ptimeMs: n.ptime,
      decodesAudio: codec.decodesAudio,
      encodesAudio: codec.encodesAudio,
      sdpRemote: { address: n.remote.address, port: n.remote.port },
      signalingRemoteAddress: this.signalingRemoteAddress,
      srtp: { policy: this.prefs.srtp, active: n.crypto !== undefined, offered: this.cryptoOnTheTable(n), answered: n.crypto !== undefined },
    };
    return undefined;
  }

  /**
   * Whether the offer of this negotiation asked for SRTP, for the srtp-mismatch verdict: when we
   * answered, the peer's offer; when we offered, ours — but our best-effort offer ('offer'
   * policy) falling back to plain RTP is by design, not a mismatch.
   */
  private cryptoOnTheTable(n: Negotiated): boolean {
    const weAnswered = 'answerSdp' in n;
    // An 'offer' policy did put a=crypto in the offer: an answer taking it up is no mismatch.
    return weAnswered ? this.lastRemoteOfferHadCrypto : this.prefs.srtp === 'require' || (this.prefs.srtp === 'offer' && n.crypto !== undefined);
  }

  private lastRemoteOfferHadCrypto = false;

  /** More sinks (the GUI's level meter and speaker feed): they see sent and received audio. */
  addSinks(sinks: AudioSink[]): void {
    this.relay.extra.push(...sinks);
  }

  /** Send from `source` from now on (the microphone); in-band DTMF still mixes over it. */
  setSource(source: AudioSource): void {
    if (!this.slot) throw new Error('this call echoes what it receives; it has no source to replace');
    this.slot.set(source);
  }

  // ---- DTMF ----

  onInbandSent(digit: string, offsetMs: number): void {
    this.dtmfSent.push({ digit, method: 'inband', atMs: this.rel(performance.now() + offsetMs) });
  }

  /** Record a digit that arrived by SIP INFO. */
  onInfoDigit(digit: string, durationMs?: number): void {
    this.dtmfReceived.push({ digit, method: 'info', atMs: this.rel(performance.now()), durationMs });
  }

  /** Send digits by RFC 4733 or in-band (INFO is sent by the SIP side, see dtmf.ts). */
  async sendMediaDigit(digit: string, durationMs: number): Promise<void> {
    if (this.prefs.dtmf === 'rfc2833') {
      // Recorded when its first event packet goes out (a digit may wait behind the previous one).
      const onDigitStart = (): void => {
        this.dtmfSent.push({ digit, method: 'rfc2833', atMs: this.rel(performance.now()), durationMs });
      };
      try {
        await this.rtp.sendDtmf(digit, { durationMs, onDigitStart });
      } catch (err) {
        // The usual cause: the peer's SDP has no telephone-event (RFC 4733 §7.1.1), so the
        // events would be an unknown payload type to it. Say so once; the call goes on.
        const why = (err as Error).message;
        const text = /telephone-event/.test(why)
          ? 'RFC 4733 DTMF cannot be sent: the negotiated SDP has no telephone-event (the peer did not offer or accept it); use --dtmf info or inband'
          : `RFC 4733 DTMF ${digit} not sent: ${why}`;
        this.error ??= text;
        throw new Error(text, { cause: err });
      }
    } else if (this.mixer) {
      const codec = this.codecs.at(-1);
      if (codec && !codec.encodesAudio) {
        // G.729 here sends a fixed frame (docs/codecs.md): tones would never reach the wire.
        this.error = `in-band DTMF cannot be sent with ${codec.name}: its encoder sends a fixed frame, not audio (use --dtmf rfc2833 or info)`;
        return;
      }
      this.mixer.sendDigit(digit, durationMs);
      await new Promise((r) => setTimeout(r, durationMs + 100));
    }
  }

  report(): MediaReport {
    return mediaReport(this);
  }

  /** Set when the --record file could not be written at close (the call itself went on). */
  recordingError: string | undefined;

  /** Stop the media; never rejects: a recording that cannot be written sets `recordingError`. */
  async close(): Promise<void> {
    await this.rtp.close();
    try {
      await this.recorder?.close();
    } catch (err) {
      this.recordingError ??= `cannot write the recording ${this.prefs.record}: ${(err as Error).message}`;
    }
    for (const c of this.codecs) c.close();
  }
}

/** An AudioSource whose input can be swapped while the media clock reads it. */
class SourceSlot implements AudioSource {
  private current: AudioSource;

  constructor(source: AudioSource) {
    this.current = source;
  }

  set(source: AudioSource): void {
    const old = this.current;
    this.current = source;
    old.close?.();
  }

  get done(): boolean | undefined {
    return this.current.done;
  }

  read(frame: Int16Array, sampleRate: number): void {
    this.current.read(frame, sampleRate);
  }

  close(): void {
    this.current.close?.();
  }
}
