/**
 * Which sources a call's RTP and RTCP are taken from (issue 15, "RTP bleed"): a hardened media
 * stack accepts media only from a source consistent with the signaling, and packets from anyone
 * else are counted apart and never reach statistics, DTMF, recordings or verdicts.
 *
 * The rule (as Asterisk's strictrtp and rtpengine's strict-source do):
 * - A source whose IP is the SDP c= address (RFC 4566 §5.7) or the SIP peer's signaling address
 *   is consistent with the signaling: the first valid packet from it latches the call.
 * - Otherwise, during a learning window after the SDP arrives (LEARN_WINDOW_MS), a source is
 *   learned only after LEARN_PACKETS consecutive packets from it (same SSRC, consecutive sequence
 *   numbers) with nothing else latched; a spray of random packets never qualifies.
 * - Once latched, only the latched source and sources consistent with the signaling are accepted
 *   (the session's symmetric-RTP destination stays the first latched one); a new SDP (re-INVITE,
 *   setRemote with a different address) starts the rule again. Never a re-latch mid-call without it.
 * - An offerer (expectSdp) accepts nothing until the answer names the peer; a session told
 *   nothing at all (a bare RtpSession) accepts every source, having nothing to check against.
 * RTCP is accepted from the latched RTP source's IP, or from a source consistent with signaling.
 */
import type { RemoteAddress } from './types.ts';

export const LEARN_WINDOW_MS = 5000;
export const LEARN_PACKETS = 4;
/** Foreign sources listed by address in the report (the count covers them all). */
const MAX_LISTED = 8;

export class SourceLatch {
  private sdpAddress: string | undefined;
  private signalingAddress: string | undefined;
  private latched: RemoteAddress | undefined;
  private windowFrom: number;
  /** Refuse everything until an SDP names the peer (we offered: the answer will say who it is). */
  private waitForSdp = false;
  private candidate: { from: RemoteAddress; ssrc: number; seq: number; count: number } | undefined;
  /** RTP packets refused because of their source. */
  foreign = 0;
  foreignRtcp = 0;
  readonly foreignSources: string[] = [];

  constructor(nowMs: number, sdpAddress?: string) {
    this.windowFrom = nowMs;
    this.sdpAddress = sdpAddress;
  }

  /** The SDP named a (new) address: forget the latch and learn again. */
  reset(nowMs: number, sdpAddress: string | undefined): void {
    this.sdpAddress = sdpAddress;
    this.latched = undefined;
    this.candidate = undefined;
    this.windowFrom = nowMs;
  }

  /** We sent an offer: until its answer names the peer, no source is accepted. */
  expectSdp(): void {
    this.waitForSdp = true;
  }

  private get nothingKnown(): boolean {
    return this.sdpAddress === undefined && this.signalingAddress === undefined && !this.waitForSdp;
  }

  /** The SIP peer's address (where its INVITE or answer came from), also consistent with signaling. */
  setSignalingAddress(address: string | undefined): void {
    this.signalingAddress = address;
  }

  get source(): RemoteAddress | undefined {
    return this.latched;
  }

  private consistent(from: RemoteAddress): boolean {
    const a = norm(from.address);
    return (this.sdpAddress !== undefined && a === norm(this.sdpAddress)) || (this.signalingAddress !== undefined && a === norm(this.signalingAddress));
  }

  /**
   * Whether an RTP datagram from `from` is the peer's. `header` is the datagram (its SSRC and
   * sequence number are read in the clear, SRTP included: RFC 3711 §3.1 leaves the header
   * unencrypted). `onLatch` is told when this packet latched the call.
   */
  acceptRtp(buf: Buffer, from: RemoteAddress, nowMs: number, onLatch?: (a: RemoteAddress) => void): boolean {
    if (this.latched && from.address === this.latched.address && from.port === this.latched.port) return true;
    // Before any SDP there is nothing to check against (an offerer's early packets racing the answer).
    if (this.nothingKnown) return true;
    if (this.consistent(from)) {
      if (!this.latched) this.latch(from, onLatch);
      return true;
    }
    if (this.latched) return this.refuse(from);
    // Waiting for the answer: nothing to learn against yet.
    if (this.sdpAddress === undefined && this.signalingAddress === undefined) return this.refuse(from);
    if (buf.length < 12 || buf[0]! >> 6 !== 2) return this.refuse(from);
    if (nowMs - this.windowFrom > LEARN_WINDOW_MS) return this.refuse(from);
    const ssrc = buf.readUInt32BE(8);
    const seq = buf.readUInt16BE(2);
    const c = this.candidate;
    if (c && c.from.address === from.address && c.from.port === from.port && c.ssrc === ssrc && seq === ((c.seq + 1) & 0xffff)) {
      c.seq = seq;
      c.count++;
    } else this.candidate = { from, ssrc, seq, count: 1 };
    if (this.candidate!.count >= LEARN_PACKETS) {
      this.latch(from, onLatch);
      return true;
    }
    return this.refuse(from);
  }

  acceptRtcp(from: RemoteAddress): boolean {
    if (this.nothingKnown) return true;
    if (this.consistent(from) || (this.latched !== undefined && norm(from.address) === norm(this.latched.address))) return true;
    this.foreignRtcp++;
    this.list(from);
    return false;
  }

  private latch(from: RemoteAddress, onLatch?: (a: RemoteAddress) => void): void {
    this.latched = from;
    this.candidate = undefined;
    onLatch?.(from);
  }

  private refuse(from: RemoteAddress): false {
    this.foreign++;
    this.list(from);
    return false;
  }

  private list(from: RemoteAddress): void {
    if (this.foreignSources.length >= MAX_LISTED) return;
    const text = from.address.includes(':') ? `[${from.address}]:${from.port}` : `${from.address}:${from.port}`;
    if (!this.foreignSources.includes(text)) this.foreignSources.push(text);
  }
}

/** IPv4-mapped IPv6 compares equal to its IPv4 form. */
function norm(a: string): string {
  return a.toLowerCase().replace(/^::ffff:/, '');
}
