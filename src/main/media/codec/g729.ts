/**
 * G.729 / G.729A (ITU-T G.729, RFC 3551 §4.5.6): negotiated and carried, not transcoded. No
 * maintained G.729 implementation runs in Node without a native build, and RTP statistics,
 * one-way-audio verdicts and DTMF by RFC 4733 or INFO need no decoding.
 *
 * Sending: `encode` ignores its PCM and emits one fixed, valid 10-byte frame per 10 ms, chosen
 * to decode to near silence. All-zero frames are not an option: decoders treat them as erased
 * frames (FFmpeg) or decode them as loud noise (bcg729). The frame's fields (G.729's bit allocation
 * table: L0-L3, P1, P0, C1, S1, GA1, GB1, P2, C2, S2, GA2, GB2; 80 bits, MSB first) are all 0 except the pitch parity P0 = 1 (the parity bit over P1's six MSBs, which
 * counts from 1) and the gain codebook indices GA = 5, GB = 6 in both subframes (smallest gains).
 * Decoded with FFmpeg 5.1 it gives RMS 0 after the first frame (peak 2); with bcg729 1.1, RMS 5.5
 * (≈ −69 dBm0, peak 12). We offer `annexb=no` (RFC 4856 registers `annexb`; absent means yes),
 * and send no SID frames either way.
 *
 * Receiving: `decode` returns silence of the payload's duration (10-byte speech frames, a 2-byte
 * Annex B SID frame at the end counts as 10 ms); `decodesAudio` is false so sinks can tell.
 */
import type { MediaCodec } from './registry.ts';

export const G729_FRAME_BYTES = 10;
export const G729_FRAME_SAMPLES = 80;
/** The fixed frame we send (see above). */
export const G729_COMFORT_FRAME: Readonly<Buffer> = Buffer.from('00000020000ac0000056', 'hex');

/** Number of 10 ms frames in a received G.729 payload (speech frames, then an optional SID). */
export function g729FrameCount(payloadLength: number): number {
  const speech = Math.floor(payloadLength / G729_FRAME_BYTES);
  return speech + (payloadLength % G729_FRAME_BYTES >= 2 ? 1 : 0);
}

export function createG729Codec(): MediaCodec {
  /** PCM samples received by encode() but not yet covered by a whole frame. */
  let carry = 0;
  return {
    name: 'G729',
    payloadType: 18,
    clockRate: 8000,
    channels: 1,
    sampleRate: 8000,
    encodesAudio: false,
    decodesAudio: false,
    frameSamples: (ptimeMs) => Math.round((8000 * ptimeMs) / 1000),
    encode(pcm: Int16Array): Buffer {
      const total = carry + pcm.length;
      const frames = Math.floor(total / G729_FRAME_SAMPLES);
      carry = total - frames * G729_FRAME_SAMPLES;
      const out = Buffer.allocUnsafe(frames * G729_FRAME_BYTES);
      for (let f = 0; f < frames; f++) G729_COMFORT_FRAME.copy(out, f * G729_FRAME_BYTES);
      return out;
    },
    decode(payload: Buffer): Int16Array {
      return new Int16Array(g729FrameCount(payload.length) * G729_FRAME_SAMPLES);
    },
    close: () => {},
  };
}
