/**
 * ITU-T G.711 µ-law (PCMU) and A-law (PCMA), RFC 3551 §4.5.14.
 *
 * The tables are computed here at load time from the segment algorithm of the reference
 * `g711.c` (Sun Microsystems, public domain), which is bit-exact with CPython `audioop`
 * (PROTOCOL-NOTES §10): encode tables cover all 65 536 linear inputs, decode tables all 256 codes.
 */
import type { Codec } from './codec.ts';

/** µ-law segment ends on the 14-bit biased magnitude (G.711 Table 2a). */
const ULAW_SEG_END = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
/** A-law segment ends on the 13-bit magnitude (G.711 Table 1a). */
const ALAW_SEG_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
const ULAW_BIAS = 0x84;
const ULAW_CLIP = 8159;

function segment(v: number, ends: readonly number[]): number {
  for (let i = 0; i < ends.length; i++) if (v <= ends[i]!) return i;
  return ends.length;
}

function encodeUlawSlow(pcm: number): number {
  let v = pcm >> 2;
  let mask = 0xff;
  if (v < 0) {
    v = -v;
    mask = 0x7f;
  }
  if (v > ULAW_CLIP) v = ULAW_CLIP;
  v += ULAW_BIAS >> 2;
  const seg = segment(v, ULAW_SEG_END);
  if (seg >= 8) return 0x7f ^ mask;
  return ((seg << 4) | ((v >> (seg + 1)) & 0xf)) ^ mask;
}

function decodeUlawSlow(code: number): number {
  const u = ~code & 0xff;
  let t = ((u & 0x0f) << 3) + ULAW_BIAS;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? ULAW_BIAS - t : t - ULAW_BIAS;
}

function encodeAlawSlow(pcm: number): number {
  let v = pcm >> 3;
  let mask: number;
  if (v >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    v = -v - 1;
  }
  const seg = segment(v, ALAW_SEG_END);
  if (seg >= 8) return 0x7f ^ mask;
  const a = (seg << 4) | (seg < 2 ? (v >> 1) & 0x0f : (v >> seg) & 0x0f);
  return a ^ mask;
}

function decodeAlawSlow(code: number): number {
  const a = code ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

function buildEncodeTable(fn: (pcm: number) => number): Uint8Array {
  const table = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) table[i] = fn(i - 32768);
  return table;
}

function buildDecodeTable(fn: (code: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let i = 0; i < 256; i++) table[i] = fn(i);
  return table;
}

const ULAW_ENCODE = buildEncodeTable(encodeUlawSlow);
const ALAW_ENCODE = buildEncodeTable(encodeAlawSlow);
const ULAW_DECODE = buildDecodeTable(decodeUlawSlow);
const ALAW_DECODE = buildDecodeTable(decodeAlawSlow);

/** One 16-bit linear sample → µ-law code. Out-of-range input is clamped to int16. */
export function linearToUlaw(pcm: number): number {
  return ULAW_ENCODE[clamp16(pcm) + 32768]!;
}
export function ulawToLinear(code: number): number {
  return ULAW_DECODE[code & 0xff]!;
}
export function linearToAlaw(pcm: number): number {
  return ALAW_ENCODE[clamp16(pcm) + 32768]!;
}
export function alawToLinear(code: number): number {
  return ALAW_DECODE[code & 0xff]!;
}

function clamp16(v: number): number {
  const i = Math.trunc(v);
  return i > 32767 ? 32767 : i < -32768 ? -32768 : i;
}

function encodeWith(table: Uint8Array, pcm: Int16Array): Buffer {
  const out = Buffer.allocUnsafe(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = table[pcm[i]! + 32768]!;
  return out;
}

function decodeWith(table: Int16Array, payload: Uint8Array): Int16Array {
  const out = new Int16Array(payload.length);
  for (let i = 0; i < payload.length; i++) out[i] = table[payload[i]!]!;
  return out;
}

/** Encode a whole frame of PCM to µ-law bytes. */
export function encodeUlaw(pcm: Int16Array): Buffer {
  return encodeWith(ULAW_ENCODE, pcm);
}
export function decodeUlaw(payload: Uint8Array): Int16Array {
  return decodeWith(ULAW_DECODE, payload);
}
export function encodeAlaw(pcm: Int16Array): Buffer {
  return encodeWith(ALAW_ENCODE, pcm);
}
export function decodeAlaw(payload: Uint8Array): Int16Array {
  return decodeWith(ALAW_DECODE, payload);
}

/** PCMU, static payload type 0, 8000 Hz mono (RFC 3551 Table 4). */
export const pcmuCodec: Codec = {
  name: 'PCMU',
  payloadType: 0,
  clockRate: 8000,
  channels: 1,
  encode: encodeUlaw,
  decode: decodeUlaw,
};

/** PCMA, static payload type 8, 8000 Hz mono (RFC 3551 Table 4). */
export const pcmaCodec: Codec = {
  name: 'PCMA',
  payloadType: 8,
  clockRate: 8000,
  channels: 1,
  encode: encodeAlaw,
  decode: decodeAlaw,
};
