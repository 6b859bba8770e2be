/**
 * RTCP of one session (RFC 3550 §6): a compound report every interval (§6.2: 5 s minimum,
 * the first after half of it; each randomised to 0.5–1.5×, §6.3.1) — an SR when we sent RTP
 * since the last report, an RR otherwise (§6.4), with one report block for the peer's SSRC, then
 * SDES CNAME (§6.5.1; every compound carries it, §6.1) — and BYE on close (§6.6). Incoming
 * compounds are parsed; the peer's last SR/RR, CNAME and BYE are kept or reported.
 */
import type { Clock, TimerHandle } from '../../../shared/clock.ts';
import { parseRtcp, cnameOf, type RtcpPacket } from '../rtp/rtcp-packet.ts';
import { serializeRtcp } from '../rtp/rtcp-serialize.ts';
import type { RtpReceiver } from './rtp-receiver.ts';
import type { RtpSender } from './rtp-sender.ts';
import type { PeerReport, RtpSessionEvents } from './types.ts';

/** Seconds between 1900-01-01 (NTP epoch) and 1970-01-01 (RFC 3550 §4). */
const NTP_UNIX_OFFSET = 2208988800;

export interface RtcpReporterOptions {
  cname: string;
  intervalMs: number;
  timers: Clock;
  sender: RtpSender;
  receiver: RtpReceiver;
  /** RTP timestamp of "now" on our sending timeline (SR, §6.4.1). */
  rtpNow: () => number;
  /** ms since the session opened. */
  sessionMs: () => number;
  /** Send one compound (the session adds SRTCP and picks the destination). */
  transmit: (compound: Buffer, done?: () => void) => boolean;
  onReport: (r: PeerReport) => void;
  onBye: (b: RtpSessionEvents['bye']) => void;
  random?: () => number;
}

export function ntpNow(): { seconds: number; fraction: number } {
  const ms = performance.timeOrigin + performance.now();
  const seconds = Math.floor(ms / 1000);
  const fraction = Math.floor(((ms - seconds * 1000) / 1000) * 0x100000000);
  return { seconds: (seconds + NTP_UNIX_OFFSET) >>> 0, fraction: fraction >>> 0 };
}

export class RtcpReporter {
  readonly counters = { sent: 0, received: 0, malformed: 0 };
  peerCname: string | undefined;
  lastPeerReport: PeerReport | undefined;
  private readonly opts: RtcpReporterOptions;
  private readonly random: () => number;
  private timer: TimerHandle | undefined;
  /** LSR (middle 32 bits of the peer's last SR NTP time) and when it arrived (session ms). */
  private lastSr: { lsr: number; atMs: number } | undefined;

  constructor(opts: RtcpReporterOptions) {
    this.opts = opts;
    this.random = opts.random ?? Math.random;
  }

  start(): void {
    this.schedule(this.opts.intervalMs / 2);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Send a report now (also used by tests). */
  sendReport(): boolean {
    return this.send(this.report());
  }

  /** Send the final compound: report, SDES, BYE (RFC 3550 §6.6); `done` after it left. */
  sendBye(reason: string | undefined, done: () => void): boolean {
    const packets = this.report();
    packets.push({ type: 'bye', ssrcs: [this.opts.sender.ssrc], reason });
    return this.send(packets, done);
  }

  /** One plain (already unprotected) RTCP compound from the peer. */
  handle(buf: Buffer): void {
    const parsed = parseRtcp(buf);
    if (!parsed.ok) {
      this.counters.malformed++;
      return;
    }
    this.counters.received++;
    const atMs = this.opts.sessionMs();
    for (const p of parsed.value) {
      if (p.type === 'sr') {
        this.lastSr = { lsr: ((p.ntpSeconds & 0xffff) << 16) | (p.ntpFraction >>> 16), atMs };
        const { ntpSeconds, ntpFraction, rtpTimestamp, packetCount, octetCount } = p;
        this.peerReport({
          atMs,
          type: 'sr',
          ssrc: p.ssrc,
          reports: p.reports,
          sender: { ntpSeconds, ntpFraction, rtpTimestamp, packetCount, octetCount },
        });
      } else if (p.type === 'rr') {
        this.peerReport({ atMs, type: 'rr', ssrc: p.ssrc, reports: p.reports });
      } else if (p.type === 'sdes') {
        const name = p.chunks.map(cnameOf).find((c) => c !== undefined);
        if (name !== undefined) this.peerCname = name;
      } else if (p.type === 'bye') {
        this.opts.onBye({ ssrcs: p.ssrcs, reason: p.reason });
      }
    }
  }

  private peerReport(r: PeerReport): void {
    this.lastPeerReport = r;
    this.opts.onReport(r);
  }

  private schedule(baseMs: number): void {
    const delay = baseMs * (0.5 + this.random());
    this.timer = this.opts.timers.setTimer(delay, () => {
      this.sendReport();
      this.schedule(this.opts.intervalMs);
    });
  }

  private report(): RtcpPacket[] {
    const { sender, receiver } = this.opts;
    const source = receiver.source;
    const reports = [];
    if (source) {
      let lsr = 0;
      let dlsr = 0;
      if (this.lastSr) {
        lsr = this.lastSr.lsr >>> 0;
        dlsr = Math.round(((this.opts.sessionMs() - this.lastSr.atMs) / 1000) * 65536) >>> 0;
      }
      reports.push(source.reportBlock(lsr, dlsr));
    }
    const out: RtcpPacket[] = [];
    if (sender.sentSinceReport) {
      const ntp = ntpNow();
      out.push({
        type: 'sr',
        ssrc: sender.ssrc,
        ntpSeconds: ntp.seconds,
        ntpFraction: ntp.fraction,
        rtpTimestamp: this.opts.rtpNow(),
        packetCount: sender.counters.packets >>> 0,
        octetCount: sender.counters.bytes >>> 0,
        reports,
      });
    } else {
      out.push({ type: 'rr', ssrc: sender.ssrc, reports });
    }
    sender.sentSinceReport = false;
    out.push({
      type: 'sdes',
      chunks: [{ ssrc: sender.ssrc, items: [{ type: 1, value: this.opts.cname }] }],
    });
    return out;
  }

  private send(packets: RtcpPacket[], done?: () => void): boolean {
    const ok = this.opts.transmit(serializeRtcp(packets), done);
    if (ok) this.counters.sent++;
    return ok;
  }
}
