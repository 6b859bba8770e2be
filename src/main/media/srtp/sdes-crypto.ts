/**
 * SDP Security Descriptions `a=crypto` (RFC 4568 §9.1 grammar, §6 SRTP key parameters):
 *
 *   a=crypto:<tag> <crypto-suite> inline:<base64 key||salt>[|<lifetime>][|<MKI>:<length>][;inline:…] [<session-params>]
 *   a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4
 */
import { randomBytes } from 'node:crypto';
import { fail, ok, type ParseResult } from '../result.ts';
import { SRTP_SUITES, isSrtpSuiteName, type SrtpSuiteName } from './suites.ts';

export interface CryptoKeyParam {
  /** Master key || master salt, decoded. */
  keySalt: Buffer;
  /** As written: `2^31` or a decimal number of packets. */
  lifetime?: string;
  mki?: { value: number; length: number };
}

export interface CryptoAttribute {
  tag: number;
  suite: string;
  keys: CryptoKeyParam[];
  sessionParams: string[];
}

export type CryptoParseError = 'bad-syntax' | 'bad-tag' | 'bad-key-param' | 'bad-key-length';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Parse the value of an `a=crypto:` attribute (with or without the `a=crypto:` prefix). */
export function parseCryptoAttribute(text: string): ParseResult<CryptoAttribute, CryptoParseError> {
  const value = text.replace(/^a=crypto:/i, '').trim();
  const parts = value.split(/[ \t]+/);
  if (parts.length < 3)
    return fail('bad-syntax', `a=crypto needs "<tag> <suite> <key-params>": "${value}"`);
  const [tagText, suite, keyParams, ...sessionParams] = parts as [
    string,
    string,
    string,
    ...string[],
  ];
  if (!/^\d{1,9}$/.test(tagText))
    return fail('bad-tag', `crypto tag "${tagText}" is not 1-9 digits`);
  const keys: CryptoKeyParam[] = [];
  for (const kp of keyParams.split(';')) {
    const m = /^inline:([^|]+)(?:\|([^|]+))?(?:\|([^|]+))?$/i.exec(kp);
    if (!m)
      return fail(
        'bad-key-param',
        `key parameter "${kp}" is not inline:<key>[|lifetime][|mki:len]`,
      );
    const b64 = m[1]!;
    if (!BASE64.test(b64)) return fail('bad-key-param', `key "${b64}" is not base64`);
    const key: CryptoKeyParam = { keySalt: Buffer.from(b64, 'base64') };
    // The two optional fields are told apart by the ':' of MKI (§9.1: lifetime then MKI).
    for (const field of [m[2], m[3]]) {
      if (field === undefined) continue;
      const mki = /^(\d+):(\d+)$/.exec(field);
      if (mki) {
        const length = Number(mki[2]);
        if (length < 1 || length > 128)
          return fail('bad-key-param', `MKI length ${length} is not 1..128`);
        key.mki = { value: Number(mki[1]), length };
      } else if (/^(2\^)?\d+$/.test(field) && key.mki === undefined) {
        key.lifetime = field;
      } else {
        return fail('bad-key-param', `"${field}" is neither a lifetime nor MKI:length`);
      }
    }
    if (isSrtpSuiteName(suite)) {
      const need = SRTP_SUITES[suite].keyLength + SRTP_SUITES[suite].saltLength;
      if (key.keySalt.length !== need) {
        return fail(
          'bad-key-length',
          `${suite} key||salt must be ${need} bytes, got ${key.keySalt.length}`,
        );
      }
    }
    keys.push(key);
  }
  return ok({ tag: Number(tagText), suite, keys, sessionParams });
}

/** Format the attribute value (without `a=crypto:`). */
export function formatCryptoAttribute(a: CryptoAttribute): string {
  const keys = a.keys
    .map((k) => {
      let s = `inline:${k.keySalt.toString('base64')}`;
      if (k.lifetime !== undefined) s += `|${k.lifetime}`;
      if (k.mki) s += `|${k.mki.value}:${k.mki.length}`;
      return s;
    })
    .join(';');
  return [String(a.tag), a.suite, keys, ...a.sessionParams].join(' ');
}

/** A fresh attribute with a random master key and salt for one of our suites. */
export function createCryptoAttribute(
  tag: number,
  suite: SrtpSuiteName,
  random: (n: number) => Buffer = randomBytes,
): CryptoAttribute {
  const s = SRTP_SUITES[suite];
  return { tag, suite, keys: [{ keySalt: random(s.keyLength + s.saltLength) }], sessionParams: [] };
}

/** Split key||salt for a supported suite. */
export function splitKeySalt(
  suite: SrtpSuiteName,
  keySalt: Buffer,
): { masterKey: Buffer; masterSalt: Buffer } {
  const s = SRTP_SUITES[suite];
  return {
    masterKey: keySalt.subarray(0, s.keyLength),
    masterSalt: keySalt.subarray(s.keyLength, s.keyLength + s.saltLength),
  };
}

/** MKI bytes as carried in packets: the value big-endian in `length` bytes (RFC 4568 §6.1). */
export function mkiBytes(mki: { value: number; length: number }): Buffer {
  const out = Buffer.alloc(mki.length);
  let v = mki.value;
  for (let i = mki.length - 1; i >= 0 && v > 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return out;
}
