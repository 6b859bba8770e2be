/**
 * AES in Counter Mode as SRTP uses it (RFC 3711 §4.1.1), with node:crypto's aes-128-ctr (which
 * increments the whole 128-bit block big-endian: the same as IV + j for the ≤ 2^16 blocks of
 * one packet).
 */
import { createCipheriv } from 'node:crypto';

/**
 * IV = (k_s · 2^16) XOR (SSRC · 2^64) XOR (i · 2^16)   (RFC 3711 §4.1.1)
 * `index` is the 48-bit SRTP packet index or the 31-bit SRTCP index.
 */
export function srtpIv(salt: Uint8Array, ssrc: number, index: number): Buffer {
  const iv = Buffer.alloc(16);
  iv.set(salt.subarray(0, 14), 0);
  iv.writeUInt32BE((iv.readUInt32BE(4) ^ ssrc) >>> 0, 4);
  const hi = Math.floor(index / 0x100000000);
  const lo = index >>> 0;
  iv.writeUInt16BE((iv.readUInt16BE(8) ^ hi) & 0xffff, 8);
  iv.writeUInt32BE((iv.readUInt32BE(10) ^ lo) >>> 0, 10);
  return iv;
}

/** XOR `data` with the AES-CM keystream for `iv` (encrypt and decrypt are the same). */
export function aesCmXor(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  const cipher = createCipheriv(`aes-${key.length * 8}-ctr`, key, iv);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** `length` bytes of raw keystream (for tests and key derivation). */
export function aesCmKeystream(key: Uint8Array, iv: Uint8Array, length: number): Buffer {
  return aesCmXor(key, iv, new Uint8Array(length));
}
