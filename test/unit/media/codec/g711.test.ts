import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  alawToLinear,
  decodeAlaw,
  decodeUlaw,
  encodeAlaw,
  encodeUlaw,
  linearToAlaw,
  linearToUlaw,
  pcmaCodec,
  pcmuCodec,
  ulawToLinear,
} from '../../../../src/main/media/codec/g711.ts';

// PROTOCOL-NOTES §10 (bit-exact with Sun g711.c / CPython audioop).
const VECTORS: Array<[number, number, number, number, number]> = [
  // pcm, µ-law, A-law, µ→lin, A→lin
  [0, 0xff, 0xd5, 0, 8],
  [-1, 0x7e, 0x55, -8, -8],
  [100, 0xf2, 0xd3, 104, 104],
  [1000, 0xce, 0xfa, 988, 1008],
  [-1000, 0x4e, 0x7a, -988, -1008],
  [4096, 0xaf, 0x85, 4092, 4224],
  [32767, 0x80, 0xaa, 32124, 32256],
  [-32768, 0x00, 0x2a, -32124, -32256],
];

describe('G.711 reference vectors', () => {
  it.each(VECTORS)('pcm %i → µ %i, A %i, back %i / %i', (pcm, mu, a, muLin, aLin) => {
    expect(linearToUlaw(pcm)).toBe(mu);
    expect(linearToAlaw(pcm)).toBe(a);
    expect(ulawToLinear(mu)).toBe(muLin);
    expect(alawToLinear(a)).toBe(aLin);
  });

  it('clamps out-of-range samples to full scale', () => {
    expect(linearToUlaw(40000)).toBe(0x80);
    expect(linearToAlaw(-40000)).toBe(0x2a);
  });
});

describe('G.711 properties over every input', () => {
  it('matches CPython audioop on all 65 536 inputs and 256 codes (SHA-256 of the tables)', () => {
    // Digests of audioop.lin2ulaw/lin2alaw over -32768..32767 (int16 LE) and ulaw2lin/alaw2lin over 0..255.
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    const pcm = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
    const codes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const le = (a: Int16Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    expect(sha(encodeUlaw(pcm))).toBe(
      '81d633c9e6972a18c74a58720b96cb8ca0bdd096d4060b646dd708c3b846019a',
    );
    expect(sha(encodeAlaw(pcm))).toBe(
      '38488f6fd710f4686360edc4d38639f96c491595ef93f8eb8d62d5e07ca6ce7b',
    );
    expect(sha(le(decodeUlaw(codes)))).toBe(
      '3dab54339e520bb2c924826e3b72a917a2b612e9fd12fc867500f1d983a75827',
    );
    expect(sha(le(decodeAlaw(codes)))).toBe(
      'e04788d110e58ff8c70c93b8480190d973e3b67876b6119abbaec766cc75c174',
    );
  });

  it('decode is monotonic in magnitude per sign and symmetric', () => {
    for (let code = 0; code < 128; code++) {
      // µ-law: codes 0x00..0x7F negative, 0x80..0xFF positive (inverted bits)
      expect(ulawToLinear(code)).toBe(-ulawToLinear(code | 0x80) + 0);
      if (code > 0)
        expect(Math.abs(ulawToLinear(code))).toBeLessThan(Math.abs(ulawToLinear(code - 1)));
    }
  });

  it('encode(decode(code)) is the identity, except µ-law negative zero', () => {
    for (let code = 0; code < 256; code++) {
      if (code === 0x7f) {
        expect(linearToUlaw(ulawToLinear(code))).toBe(0xff);
        continue;
      }
      expect(linearToUlaw(ulawToLinear(code))).toBe(code);
      expect(linearToAlaw(alawToLinear(code))).toBe(code);
    }
  });

  it('round-trip lands in the quantisation cell of the decoded level (≤ 1/30 relative error)', () => {
    for (const [enc, dec, top] of [
      [linearToUlaw, ulawToLinear, 32124],
      [linearToAlaw, alawToLinear, 32256],
    ] as const) {
      const levels = [...new Set(Array.from({ length: 256 }, (_, c) => dec(c)))].sort(
        (a, b) => a - b,
      );
      const index = new Map(levels.map((l, i) => [l, i]));
      for (let x = -32768; x <= 32767; x++) {
        const level = dec(enc(x));
        const k = index.get(level)!;
        const below = k > 0 ? level - levels[k - 1]! : Infinity;
        const above = k + 1 < levels.length ? levels[k + 1]! - level : Infinity;
        const halfCell = Math.min(Math.max(below, above), 2048) / 2;
        const err = Math.abs(level - x);
        if (Math.abs(x) <= top) {
          // The reference encoder truncates 2 (µ) or 3 (A) low bits before quantising.
          expect(err).toBeLessThanOrEqual(halfCell + 8);
          expect(err).toBeLessThanOrEqual(Math.abs(x) / 30 + 16);
        }
      }
    }
  });
});

describe('G.711 codecs', () => {
  it('encode and decode frames, matching the per-sample functions', () => {
    const pcm = Int16Array.from([0, -1, 100, 1000, -1000, 4096, 32767, -32768]);
    expect([...encodeUlaw(pcm)]).toEqual(VECTORS.map((v) => v[1]));
    expect([...encodeAlaw(pcm)]).toEqual(VECTORS.map((v) => v[2]));
    expect([...decodeUlaw(Buffer.from(VECTORS.map((v) => v[1])))]).toEqual(
      VECTORS.map((v) => v[3]),
    );
    expect([...decodeAlaw(Buffer.from(VECTORS.map((v) => v[2])))]).toEqual(
      VECTORS.map((v) => v[4]),
    );
  });

  it('describe PCMU/PCMA as static payload types 0 and 8 at 8000 Hz', () => {
    expect(pcmuCodec).toMatchObject({ name: 'PCMU', payloadType: 0, clockRate: 8000, channels: 1 });
    expect(pcmaCodec).toMatchObject({ name: 'PCMA', payloadType: 8, clockRate: 8000, channels: 1 });
    const frame = new Int16Array(160).map((_, i) => Math.round(8000 * Math.sin(i / 3)));
    const back = pcmaCodec.decode(pcmaCodec.encode(frame));
    expect(back).toHaveLength(160);
    frame.forEach((v, i) => expect(Math.abs(back[i]! - v)).toBeLessThanOrEqual(256));
  });
});
