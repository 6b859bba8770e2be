/**
 * `a=crypto` values at the SDP level (RFC 4568 §9.1): split into tag, suite, key parameters and
 * session parameters, and create fresh inline keys for the suites we answer with. Key material
 * is interpreted by media/srtp (sdes-crypto.ts); here it only travels.
 */
import { randomBytes } from 'node:crypto';

export interface CryptoLine {
  tag: number;
  suite: string;
  /** `inline:<base64>[|lifetime][|mki:len]`, possibly several separated by `;`. */
  keyParams: string;
  sessionParams: string[];
}

/** Master key + salt lengths (bytes) of the SDES suites we can answer (RFC 4568 §6.2). */
export const SDES_KEY_SALT_LENGTH: Readonly<Record<string, number>> = {
  AES_CM_128_HMAC_SHA1_80: 30,
  AES_CM_128_HMAC_SHA1_32: 30,
};

export const DEFAULT_SRTP_SUITES = ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'];

export function parseCryptoLine(value: string): CryptoLine | undefined {
  const parts = value
    .replace(/^a=crypto:/i, '')
    .trim()
    .split(/[ \t]+/);
  if (parts.length < 3 || !/^\d{1,9}$/.test(parts[0]!) || !/^inline:/i.test(parts[2]!))
    return undefined;
  return {
    tag: Number(parts[0]),
    suite: parts[1]!,
    keyParams: parts[2]!,
    sessionParams: parts.slice(3),
  };
}

export function formatCryptoLine(c: CryptoLine): string {
  return [String(c.tag), c.suite, c.keyParams, ...c.sessionParams].join(' ');
}

/** `inline:<base64 key||salt>` with fresh random material for `suite`. */
export function randomInlineKey(suite: string): string {
  const n = SDES_KEY_SALT_LENGTH[suite];
  if (n === undefined) throw new RangeError(`no key length known for crypto suite ${suite}`);
  return `inline:${randomBytes(n).toString('base64')}`;
}
