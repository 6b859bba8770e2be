/**
 * SRTP/SRTCP protect and unprotect (RFC 3711 §3, §4) for one direction and one master key.
 * Use one context for what we send (our key) and one for what we receive (the peer's key).
 * Per-SSRC state (rollover counter, highest sequence, replay windows) lives inside.
 *
 * SRTP packet:  RTP header | encrypted payload (incl. RTP padding) | [MKI] | auth tag
 * SRTCP packet: header + SSRC (8) | encrypted rest | E(1) SRTCP index(31) | [MKI] | auth tag
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { rtpHeaderLength } from '../rtp/rtp-packet.ts';
import { aesCmXor, srtpIv } from './aes-cm.ts';
import { deriveSessionKeys, type SessionKeys } from './kdf.ts';
import { ReplayWindow } from './replay-window.ts';
import { SRTP_SUITES, type SrtpSuite, type SrtpSuiteName } from './suites.ts';

export type SrtpFailure =
  'malformed' | 'auth-failed' | 'replay' | 'replay-too-old' | 'mki-mismatch';

export type UnprotectResult =
  { ok: true; packet: Buffer; index: number } | { ok: false; reason: SrtpFailure; detail: string };

export interface SrtpContextOptions {
  suite: SrtpSuiteName;
  masterKey: Uint8Array;
  masterSalt: Uint8Array;
  /** MKI carried in every packet (RFC 3711 §3.1), if the key was signalled with one. */
  mki?: Uint8Array;
  replayWindowSize?: number;
}

interface RtpState {
  roc: number;
  /** Highest sequence number seen (s_l), or -1 before the first packet. */
  sl: number;
  window: ReplayWindow;
}

interface RtcpState {
  /** Next SRTCP index to send. */
  nextIndex: number;
  window: ReplayWindow;
}

const SRTCP_E_BIT = 0x80000000;

export class SrtpContext {
  readonly suite: SrtpSuite;
  private readonly rtpKeys: SessionKeys;
  private readonly rtcpKeys: SessionKeys;
  private readonly mki: Buffer;
  private readonly windowSize: number;
  private readonly rtp = new Map<number, RtpState>();
  private readonly rtcp = new Map<number, RtcpState>();

  constructor(opts: SrtpContextOptions) {
    this.suite = SRTP_SUITES[opts.suite];
    if (opts.masterKey.length !== this.suite.keyLength) {
      throw new RangeError(`${opts.suite} needs a ${this.suite.keyLength}-byte master key`);
    }
    if (opts.masterSalt.length !== this.suite.saltLength) {
      throw new RangeError(`${opts.suite} needs a ${this.suite.saltLength}-byte master salt`);
    }
    const keys = deriveSessionKeys(opts.masterKey, opts.masterSalt, this.suite.authKeyLength);
    this.rtpKeys = keys.rtp;
    this.rtcpKeys = keys.rtcp;
    this.mki = Buffer.from(opts.mki ?? []);
    this.windowSize = opts.replayWindowSize ?? 64;
  }

  private rtpState(ssrc: number): RtpState {
    let s = this.rtp.get(ssrc);
    if (!s) {
      s = { roc: 0, sl: -1, window: new ReplayWindow(this.windowSize) };
      this.rtp.set(ssrc, s);
    }
    return s;
  }

  /** RFC 3711 §3.3.1 / Appendix A: guess the ROC of `seq` relative to s_l. */
  private estimate(s: RtpState, seq: number): number {
    if (s.sl < 0) return s.roc;
    if (s.sl < 32768) return seq - s.sl > 32768 ? s.roc - 1 : s.roc;
    return s.sl - 32768 > seq ? s.roc + 1 : s.roc;
  }

  /** §3.3.1: update ROC and s_l after a packet with rollover `v` was accepted. */
  private update(s: RtpState, v: number, seq: number): void {
    if (s.sl < 0 || v > s.roc) {
      s.roc = v;
      s.sl = seq;
    } else if (v === s.roc && seq > s.sl) {
      s.sl = seq;
    }
  }

  private rtpTag(authPortion: Uint8Array, roc: number): Buffer {
    const rocBytes = Buffer.alloc(4);
    rocBytes.writeUInt32BE(roc >>> 0);
    const h = createHmac('sha1', this.rtpKeys.authKey)
      .update(authPortion)
      .update(rocBytes)
      .digest();
    return h.subarray(0, this.suite.rtpTagLength);
  }

  /** Encrypt and authenticate an RTP packet. Throws RangeError on a packet that is not RTP. */
  protectRtp(packet: Uint8Array): Buffer {
    const hl = rtpHeaderLength(packet);
    if (!hl.ok) throw new RangeError(`cannot protect: ${hl.detail}`);
    const buf = Buffer.from(packet);
    const seq = buf.readUInt16BE(2);
    const ssrc = buf.readUInt32BE(8);
    const s = this.rtpState(ssrc);
    const v = Math.max(0, this.estimate(s, seq));
    this.update(s, v, seq);
    const index = v * 65536 + seq;
    const enc = aesCmXor(
      this.rtpKeys.encKey,
      srtpIv(this.rtpKeys.salt, ssrc, index),
      buf.subarray(hl.value),
    );
    const authed = Buffer.concat([buf.subarray(0, hl.value), enc]);
    return Buffer.concat([authed, this.mki, this.rtpTag(authed, v)]);
  }

  unprotectRtp(packet: Uint8Array): UnprotectResult {
    const buf = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
    const hl = rtpHeaderLength(buf);
    if (!hl.ok) return { ok: false, reason: 'malformed', detail: hl.detail };
    const trailer = this.mki.length + this.suite.rtpTagLength;
    if (buf.length < hl.value + trailer) {
      return {
        ok: false,
        reason: 'malformed',
        detail: `SRTP packet of ${buf.length} bytes has no room for its tag`,
      };
    }
    const seq = buf.readUInt16BE(2);
    const ssrc = buf.readUInt32BE(8);
    const s = this.rtpState(ssrc);
    const v = this.estimate(s, seq);
    if (v < 0)
      return {
        ok: false,
        reason: 'replay-too-old',
        detail: `seq ${seq} is before the first packet`,
      };
    const index = v * 65536 + seq;
    const check = s.window.check(index);
    if (check !== 'ok') return replayFailure(check, index);
    const authEnd = buf.length - trailer;
    if (this.mki.length && !buf.subarray(authEnd, authEnd + this.mki.length).equals(this.mki)) {
      return { ok: false, reason: 'mki-mismatch', detail: 'MKI does not match the context key' };
    }
    const tag = buf.subarray(buf.length - this.suite.rtpTagLength);
    if (!timingSafeEqual(tag, this.rtpTag(buf.subarray(0, authEnd), v))) {
      return {
        ok: false,
        reason: 'auth-failed',
        detail: `SRTP auth tag mismatch (SSRC ${ssrc >>> 0}, seq ${seq})`,
      };
    }
    const plain = aesCmXor(
      this.rtpKeys.encKey,
      srtpIv(this.rtpKeys.salt, ssrc, index),
      buf.subarray(hl.value, authEnd),
    );
    this.update(s, v, seq);
    s.window.accept(index);
    return { ok: true, packet: Buffer.concat([buf.subarray(0, hl.value), plain]), index };
  }

  private rtcpTag(authPortion: Uint8Array): Buffer {
    const h = createHmac('sha1', this.rtcpKeys.authKey).update(authPortion).digest();
    return h.subarray(0, this.suite.rtcpTagLength);
  }

  private rtcpState(ssrc: number): RtcpState {
    let s = this.rtcp.get(ssrc);
    if (!s) {
      s = { nextIndex: 0, window: new ReplayWindow(this.windowSize) };
      this.rtcp.set(ssrc, s);
    }
    return s;
  }

  /**
   * Encrypt (unless `encrypt` is false: E=0) and authenticate a compound RTCP packet.
   * The SRTCP index starts at 0 per sender SSRC and wraps at 2^31 (RFC 3711 §3.4).
   */
  protectRtcp(packet: Uint8Array, encrypt = true): Buffer {
    if (packet.length < 8)
      throw new RangeError(`cannot protect an RTCP packet of ${packet.length} bytes`);
    const buf = Buffer.from(packet);
    const ssrc = buf.readUInt32BE(4);
    const s = this.rtcpState(ssrc);
    const index = s.nextIndex;
    s.nextIndex = (index + 1) % 0x80000000;
    const body = encrypt
      ? aesCmXor(this.rtcpKeys.encKey, srtpIv(this.rtcpKeys.salt, ssrc, index), buf.subarray(8))
      : buf.subarray(8);
    const eIndex = Buffer.alloc(4);
    eIndex.writeUInt32BE(((encrypt ? SRTCP_E_BIT : 0) | index) >>> 0);
    const authed = Buffer.concat([buf.subarray(0, 8), body, eIndex]);
    return Buffer.concat([authed, this.mki, this.rtcpTag(authed)]);
  }

  unprotectRtcp(packet: Uint8Array): UnprotectResult {
    const buf = Buffer.from(packet.buffer, packet.byteOffset, packet.byteLength);
    const trailer = 4 + this.mki.length + this.suite.rtcpTagLength;
    if (buf.length < 8 + trailer) {
      return {
        ok: false,
        reason: 'malformed',
        detail: `SRTCP packet of ${buf.length} bytes is too short`,
      };
    }
    if (buf[0]! >> 6 !== 2)
      return { ok: false, reason: 'malformed', detail: 'RTCP version is not 2' };
    const ssrc = buf.readUInt32BE(4);
    const authEnd = buf.length - this.mki.length - this.suite.rtcpTagLength;
    const eIndex = buf.readUInt32BE(authEnd - 4);
    const encrypted = (eIndex & SRTCP_E_BIT) !== 0;
    const index = eIndex & 0x7fffffff;
    const s = this.rtcpState(ssrc);
    const check = s.window.check(index);
    if (check !== 'ok') return replayFailure(check, index);
    if (this.mki.length && !buf.subarray(authEnd, authEnd + this.mki.length).equals(this.mki)) {
      return { ok: false, reason: 'mki-mismatch', detail: 'MKI does not match the context key' };
    }
    const tag = buf.subarray(buf.length - this.suite.rtcpTagLength);
    if (!timingSafeEqual(tag, this.rtcpTag(buf.subarray(0, authEnd)))) {
      return {
        ok: false,
        reason: 'auth-failed',
        detail: `SRTCP auth tag mismatch (SSRC ${ssrc >>> 0}, index ${index})`,
      };
    }
    const body = buf.subarray(8, authEnd - 4);
    const plain = encrypted
      ? aesCmXor(this.rtcpKeys.encKey, srtpIv(this.rtcpKeys.salt, ssrc, index), body)
      : body;
    s.window.accept(index);
    return { ok: true, packet: Buffer.concat([buf.subarray(0, 8), plain]), index };
  }
}

function replayFailure(check: 'replay' | 'too-old', index: number): UnprotectResult {
  return check === 'replay'
    ? { ok: false, reason: 'replay', detail: `index ${index} was already received` }
    : { ok: false, reason: 'replay-too-old', detail: `index ${index} is behind the replay window` };
}
