/**
 * SRTP for a session (RFC 3711; keys from SDES a=crypto, RFC 4568): one context protects what we
 * send with our key, another unprotects what arrives with the peer's key. Failures are counted
 * per kind and never thrown.
 */
import { SrtpContext, type SrtpFailure } from '../srtp/srtp-context.ts';
import { SRTP_SUITES } from '../srtp/suites.ts';
import type { SrtpKeys } from './types.ts';

export interface SrtpCounters {
  authFailures: number;
  replays: number;
  malformed: number;
}

function context(keySalt: Buffer, keys: SrtpKeys, which: string): SrtpContext {
  const suite = SRTP_SUITES[keys.suite];
  const need = suite.keyLength + suite.saltLength;
  if (keySalt.length !== need) {
    throw new RangeError(
      `SRTP ${which} key must be ${need} bytes (key ‖ salt), got ${keySalt.length}`,
    );
  }
  return new SrtpContext({
    suite: keys.suite,
    masterKey: keySalt.subarray(0, suite.keyLength),
    masterSalt: keySalt.subarray(suite.keyLength),
  });
}

export class SrtpGlue {
  readonly rtp: SrtpCounters = { authFailures: 0, replays: 0, malformed: 0 };
  readonly rtcp: SrtpCounters = { authFailures: 0, replays: 0, malformed: 0 };
  private readonly send: SrtpContext;
  private readonly recv: SrtpContext;

  constructor(keys: SrtpKeys) {
    this.send = context(keys.sendKey, keys, 'send');
    this.recv = context(keys.recvKey, keys, 'receive');
  }

  protectRtp(packet: Buffer): Buffer {
    return this.send.protectRtp(packet);
  }

  protectRtcp(packet: Buffer): Buffer {
    return this.send.protectRtcp(packet);
  }

  /** The plain RTP packet, or undefined (counted). */
  unprotectRtp(packet: Buffer): Buffer | undefined {
    const r = this.recv.unprotectRtp(packet);
    if (r.ok) return r.packet;
    count(this.rtp, r.reason);
    return undefined;
  }

  unprotectRtcp(packet: Buffer): Buffer | undefined {
    const r = this.recv.unprotectRtcp(packet);
    if (r.ok) return r.packet;
    count(this.rtcp, r.reason);
    return undefined;
  }
}

function count(c: SrtpCounters, reason: SrtpFailure): void {
  switch (reason) {
    case 'auth-failed':
    case 'mki-mismatch':
      c.authFailures++;
      break;
    case 'replay':
    case 'replay-too-old':
      c.replays++;
      break;
    case 'malformed':
      c.malformed++;
      break;
  }
}
