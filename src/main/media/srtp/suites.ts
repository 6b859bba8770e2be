/**
 * SRTP crypto suites we implement (RFC 4568 §6.2): AES Counter Mode with a 128-bit key and
 * HMAC-SHA1. `_32` shortens only the SRTP tag; SRTCP always uses the 80-bit tag (§6.2.2).
 */
export type SrtpSuiteName = 'AES_CM_128_HMAC_SHA1_80' | 'AES_CM_128_HMAC_SHA1_32';

export interface SrtpSuite {
  name: SrtpSuiteName;
  /** Master (and session) encryption key length, bytes. */
  keyLength: number;
  /** Master (and session) salt length, bytes. */
  saltLength: number;
  /** Session authentication key length, bytes (HMAC-SHA1: 160 bits). */
  authKeyLength: number;
  rtpTagLength: number;
  rtcpTagLength: number;
}

export const SRTP_SUITES: Readonly<Record<SrtpSuiteName, SrtpSuite>> = {
  AES_CM_128_HMAC_SHA1_80: {
    name: 'AES_CM_128_HMAC_SHA1_80',
    keyLength: 16,
    saltLength: 14,
    authKeyLength: 20,
    rtpTagLength: 10,
    rtcpTagLength: 10,
  },
  AES_CM_128_HMAC_SHA1_32: {
    name: 'AES_CM_128_HMAC_SHA1_32',
    keyLength: 16,
    saltLength: 14,
    authKeyLength: 20,
    rtpTagLength: 4,
    rtcpTagLength: 10,
  },
};

export function isSrtpSuiteName(s: string): s is SrtpSuiteName {
  return Object.hasOwn(SRTP_SUITES, s);
}
