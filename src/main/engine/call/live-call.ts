/**
 * One call the GUI can see and steer: the SIP session (InviteClient or InviteServer), its media,
 * the RTP streams it measures, the level meter, the speaker feed and the microphone. It turns the
 * session's events into snapshots (call.state), its media into stats ticks (call.stats) and
 * 20 ms audio frames (audio.frame), and ends in a CallReport.
 */
import type { CallSnapshot, DirectionStats, StatsTick } from '../../../shared/api/contract.ts';
import type { CallReport } from '../../../shared/model/report.ts';
import { LevelMeter } from '../../media/sink/level-meter.ts';
import { LiveSink, type LiveFrame } from '../../media/sink/live.ts';
import type { LiveSource } from '../../media/source/live.ts';
import { InviteClient } from '../../sip/ua/invite-client.ts';
import type { InviteServer } from '../../sip/ua/invite-server.ts';
import type { CallMedia } from '../media/call-media.ts';
import { sendDigits } from '../media/dtmf-driver.ts';
import type { CallTracker } from './call-tracker.ts';
import { answerGuarded } from './answer-guard.ts';
import { addSinks } from '../media/media-taps.ts';
import { readQuality } from '../report/quality-read.ts';
import { RtpStream } from '../media/rtp-stream.ts';

export interface LiveCallHooks {
  changed(call: LiveCall): void;
  ended(call: LiveCall): void;
  audio(call: LiveCall, frame: LiveFrame): void;
}

export interface LiveCallInit {
  session: InviteClient | InviteServer;
  /** The handle in commands; default the SIP Call-ID. */
  id?: string;
  media: CallMedia | undefined;
  peer: string;
  transport: 'udp' | 'tcp' | 'tls';
  dtmf: 'rfc2833' | 'info' | 'inband';
  mic?: LiveSource;
  /** An incoming call waiting for call.accept / call.reject. */
  awaitingDecision?: boolean;
  /** The call's timeline, events and report (the same tracker the CLI's calls use). */
  tracker: CallTracker;
  hooks: LiveCallHooks;
}

const CLOCK_RATES: Record<string, number> = { opus: 48_000 };

export class LiveCall {
  /** The handle in commands and snapshots. */
  readonly callId: string;
  readonly sipCallId: string;
  readonly direction: 'outbound' | 'inbound';
  readonly session: InviteClient | InviteServer;
  readonly media: CallMedia | undefined;
  readonly mic: LiveSource | undefined;
  readonly startedAt = Date.now();
  readonly sent: RtpStream;
  readonly received: RtpStream;
  private readonly meter = new LevelMeter();
  private readonly init: LiveCallInit;
  private lastReason: string | undefined;
  awaitingDecision: boolean;
  answeredAtWall: number | undefined;
  endedAtWall: number | undefined;
  report: CallReport | undefined;
  /** Renderers listening to this call's audio (audio.listen). */
  audioListeners = 0;
  private dtmfChain: Promise<void> = Promise.resolve();

  constructor(o: LiveCallInit) {
    this.init = o;
    this.session = o.session;
    this.media = o.media;
    this.mic = o.mic;
    this.sipCallId = o.session.callId;
    this.callId = o.id ?? o.session.callId;
    this.direction = o.session instanceof InviteClient ? 'outbound' : 'inbound';
    this.awaitingDecision = o.awaitingDecision ?? false;
    const localRtp = o.media ? `${bracket(o.media.prefs.sdpAddress)}:${o.media.rtp.localPort}` : '';
    // Streams are filed under the SIP Call-ID: the ladder of that Call-ID shows them.
    this.sent = new RtpStream(this.sipCallId, 'sent', localRtp);
    this.received = new RtpStream(this.sipCallId, 'received', localRtp);
    if (o.media) this.wireMedia(o.media);
    this.wireSession();
  }

  private wireMedia(media: CallMedia): void {
    const follow = (s: RtpStream): RtpStream => {
      s.clockRate = CLOCK_RATES[media.negotiated?.codec ?? ''] ?? 8000;
      s.telephoneEventPt = media.negotiated?.telephoneEventPt ?? undefined;
      return s;
    };
    media.rtp.on('packet', (p) => follow(this.received).add(p));
    media.rtp.on('sent', (p) => follow(this.sent).add(p));
    const speaker = new LiveSink({
      onFrame: (f) => this.audioListeners > 0 && this.init.hooks.audio(this, f),
    });
    addSinks(media, [this.meter, speaker]);
  }

  private wireSession(): void {
    const s = this.session;
    s.on('provisional', (res) => {
      this.lastReason = `${res.status} ${res.reason}`;
      this.init.hooks.changed(this);
    });
    s.on('state', () => this.init.hooks.changed(this));
    s.on('hold', () => this.init.hooks.changed(this));
    s.once('connected', () => {
      this.answeredAtWall = Date.now();
      this.awaitingDecision = false;
    });
    s.once('ended', () => {
      this.finish().catch(() => this.init.hooks.ended(this));
    });
  }

  get state(): CallSnapshot['state'] {
    if (this.session.state !== 'terminated' && this.awaitingDecision) return 'incoming';
    return this.session.state;
  }

  get live(): boolean {
    return this.session.state !== 'terminated';
  }

  snapshot(): CallSnapshot {
    const s = this.session;
    const snap: CallSnapshot = {
      callId: this.callId,
      direction: this.direction,
      state: this.state,
      peer: this.init.peer,
      transport: s.flow?.proto ?? this.init.transport,
      startedAt: this.startedAt,
      onHold: s.localDirection !== 'sendrecv',
      dtmfMethod: this.init.dtmf,
    };
    if (this.sipCallId !== this.callId) snap.sipCallId = this.sipCallId;
    if (this.answeredAtWall !== undefined) snap.answeredAt = this.answeredAtWall;
    if (this.endedAtWall !== undefined) snap.endedAt = this.endedAtWall;
    const reason = s.end?.reason ?? this.lastReason;
    if (reason) snap.reason = reason;
    const status = s.end ? (this.report?.finalStatus ?? s.end.status) : undefined;
    if (status !== undefined && status !== null) snap.finalStatus = status;
    if (this.media?.negotiated) snap.codec = this.media.negotiated.codec;
    if (this.report) snap.report = this.report;
    return snap;
  }

  /** One second of figures for the live charts. */
  tick(): StatsTick {
    const q = readQuality(this.media?.report());
    const peer = this.media?.rtp.stats().rtcp.lastPeerReport?.reports[0];
    const sentLost = q.sent.lost ?? peer?.cumulativeLost ?? 0;
    const sentJitter = q.sent.jitterMs ?? (peer ? (peer.jitter * 1000) / this.sent.clockRate : 0);
    const sentExpected = this.sent.packets + Math.max(0, sentLost);
    const tick: StatsTick = {
      callId: this.callId,
      atMs: this.answeredAtWall !== undefined ? Date.now() - this.answeredAtWall : 0,
      sent: this.direction_(
        this.sent.packets,
        sentLost,
        sentExpected > 0 ? (sentLost * 100) / sentExpected : 0,
        sentJitter,
        'sent',
      ),
      // Loss as Wireshark counts it (the measurement's figures); jitter live (RFC 3550 A.8).
      received: this.direction_(
        this.received.packets,
        q.received.lost ?? this.received.lost,
        q.received.lostPercent ?? this.received.lostPercent,
        this.received.jitterMs,
        'received',
      ),
      mos: q.mos,
    };
    if (q.oneWayAudio) tick.oneWayAudio = q.oneWayAudio;
    return tick;
  }

  private direction_(
    packets: number,
    lost: number,
    pct: number,
    jitter: number,
    dir: 'sent' | 'received',
  ): DirectionStats {
    const lv = this.meter.levels(dir);
    const rms = lv.last1s.rmsDbfs;
    return {
      packets,
      lost,
      lostPercent: round(pct, 2),
      jitterMs: round(jitter, 2),
      levelDb: lv.atMs === null ? null : Number.isFinite(rms) ? round(rms, 1) : -120,
    };
  }

  // ---- controls ----

  async hangup(): Promise<void> {
    const s = this.session;
    if (s.state === 'terminated') return;
    if (s.state === 'connected') return s.hangup('hung up from the GUI');
    if (s instanceof InviteClient) return s.cancel('cancelled from the GUI');
    (s as InviteServer).reject(603, 'Decline');
  }

  async hold(on: boolean): Promise<boolean> {
    if (this.session.state !== 'connected')
      throw new Error(`the call is ${this.state}, not connected`);
    return this.session.hold(on);
  }

  dtmf(digits: string): Promise<void> {
    if (this.session.state !== 'connected')
      return Promise.reject(new Error(`the call is ${this.state}, not connected`));
    const media = this.media;
    if (!media) return Promise.reject(new Error('the call has no media'));
    const run = this.dtmfChain.then(() => sendDigits(this.session, media, digits.toUpperCase()));
    this.dtmfChain = run.catch(() => undefined);
    return run;
  }

  accept(): boolean {
    const s = this.session;
    if (
      this.direction !== 'inbound' ||
      s.state === 'terminated' ||
      s.state === 'connected' ||
      s.answeredAt !== undefined
    )
      return false;
    const ok = answerGuarded(s as InviteServer, () => (s as InviteServer).answer());
    if (ok) {
      this.awaitingDecision = false;
      this.init.hooks.changed(this);
    }
    return ok;
  }

  reject(status: number): boolean {
    const s = this.session;
    if (this.direction !== 'inbound' || s.state === 'terminated' || s.answeredAt !== undefined)
      return false;
    (s as InviteServer).reject(status);
    return true;
  }

  private async finish(): Promise<void> {
    this.endedAtWall = Date.now();
    this.awaitingDecision = false;
    this.sent.close();
    this.received.close();
    this.report = this.init.tracker.report();
    this.mic?.close();
    try {
      await this.media?.close();
    } catch {
      // Closing media never fails a call that already ended.
    }
    this.init.hooks.ended(this);
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function bracket(a: string): string {
  return a.includes(':') ? `[${a}]` : a;
}
