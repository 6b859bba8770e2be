/**
 * SRTP key derivation (RFC 3711 §4.3) with key_derivation_rate 0 (the only rate SDES and
 * DTLS-SRTP use in practice: r = index DIV 0 is defined as 0, §4.3.1).
 *
 *   key_id = <label> || r        (r: 48 bits for SRTP, 0 here)
 *   x      = key_id XOR master_salt
 *   key    = AES-CM(master_key, IV = x · 2^16) keystream, truncated
 */
import { aesCmKeystream } from './aes-cm.ts';

/** RFC 3711 §4.3.2 labels. */
export const KDF_LABEL = {
  rtpEncryption: 0x00,
  rtpAuth: 0x01,
  rtpSalt: 0x02,
  rtcpEncryption: 0x03,
  rtcpAuth: 0x04,
  rtcpSalt: 0x05,
} as const;

export function deriveKey(
  masterKey: Uint8Array,
  masterSalt: Uint8Array,
  label: number,
  length: number,
): Buffer {
  if (masterSalt.length !== 14)
    throw new RangeError(`master salt must be 14 bytes, got ${masterSalt.length}`);
  const iv = Buffer.alloc(16);
  iv.set(masterSalt, 0);
  // key_id (label || 48-bit r=0) is 7 bytes, right-aligned against the 14-byte salt: byte 7.
  iv[7] = iv[7]! ^ label;
  return aesCmKeystream(masterKey, iv, length);
}

export interface SessionKeys {
  encKey: Buffer;
  authKey: Buffer;
  salt: Buffer;
}

export function deriveSessionKeys(
  masterKey: Uint8Array,
  masterSalt: Uint8Array,
  authKeyLength = 20,
): { rtp: SessionKeys; rtcp: SessionKeys } {
  const n = masterKey.length;
  const d = (label: number, len: number) => deriveKey(masterKey, masterSalt, label, len);
  return {
    rtp: {
      encKey: d(KDF_LABEL.rtpEncryption, n),
      authKey: d(KDF_LABEL.rtpAuth, authKeyLength),
      salt: d(KDF_LABEL.rtpSalt, 14),
    },
    rtcp: {
      encKey: d(KDF_LABEL.rtcpEncryption, n),
      authKey: d(KDF_LABEL.rtcpAuth, authKeyLength),
      salt: d(KDF_LABEL.rtcpSalt, 14),
    },
  };
}
