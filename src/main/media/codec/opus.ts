/**
 * Opus (RFC 6716) through `opusscript`: libopus 1.4 compiled to WebAssembly, so it runs in Node
 * and in Electron's main process without a native rebuild. Synchronous encode/decode.
 *
 * RTP (RFC 7587): dynamic payload type, `a=rtpmap:<pt> opus/48000/2` — the clock rate is always
 * 48000 and the channel count always 2 in SDP (§7), whatever is actually sent; we send mono and
 * say so with `sprop-stereo=0`. PCM defaults to 48 kHz so one PCM sample = one RTP timestamp
 * unit (20 ms = 960 samples); `sampleRate` may ask libopus for 8/12/16/24 kHz PCM instead, in
 * which case the timestamp still advances by 960 per 20 ms.
 */
import OpusScript from 'opusscript';
import type { MediaCodec } from './registry.ts';

export type OpusSampleRate = 8000 | 12000 | 16000 | 24000 | 48000;

export interface OpusOptions {
  /** PCM rate of encode input and decode output, default 48000. */
  sampleRate?: OpusSampleRate;
  /** Target bitrate in bit/s, default 32000 (wideband speech, RFC 7587 §3.1.1 range 6–510 kbit/s). */
  bitrate?: number;
}

export const OPUS_CLOCK_RATE = 48000;
export const OPUS_DEFAULT_BITRATE = 32000;
const VALID_RATES: readonly number[] = [8000, 12000, 16000, 24000, 48000];
/** Frame durations libopus encodes, in ms (RFC 6716 §2.1.4). */
const FRAME_MS: readonly number[] = [2.5, 5, 10, 20, 40, 60];

/** Frees the WebAssembly memory of codecs that were dropped without close(). */
const leaks = new FinalizationRegistry<OpusScript>((o) => o.delete());

export function createOpusCodec(opts: OpusOptions = {}): MediaCodec {
  const sampleRate = opts.sampleRate ?? 48000;
  if (!VALID_RATES.includes(sampleRate))
    throw new RangeError(`Opus PCM rate ${sampleRate} Hz: use one of ${VALID_RATES.join(', ')}`);
  const bitrate = opts.bitrate ?? OPUS_DEFAULT_BITRATE;
  if (!(bitrate >= 6000 && bitrate <= 510000))
    throw new RangeError(`Opus bitrate ${bitrate} bit/s is outside 6000–510000`);
  let opus: OpusScript | undefined = new OpusScript(
    sampleRate as 48000,
    1,
    OpusScript.Application.VOIP,
  );
  opus.setBitrate(bitrate);
  let lastFrame = (sampleRate * 20) / 1000;

  const codec: MediaCodec & { decodeErrors: number } = {
    name: 'opus',
    clockRate: OPUS_CLOCK_RATE,
    channels: 2,
    sampleRate,
    encodesAudio: true,
    decodesAudio: true,
    decodeErrors: 0,
    frameSamples: (ptimeMs) => Math.round((sampleRate * ptimeMs) / 1000),
    encode(pcm: Int16Array): Buffer {
      if (!opus) throw new Error('Opus codec is closed');
      const ms = (pcm.length * 1000) / sampleRate;
      if (!FRAME_MS.includes(ms))
        throw new RangeError(
          `Opus frames must last ${FRAME_MS.join('/')} ms; got ${pcm.length} samples (${ms} ms)`,
        );
      return opus.encode(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength), pcm.length);
    },
    decode(payload: Buffer): Int16Array {
      // A bad packet from the network is counted and played as silence, never thrown.
      if (!opus || payload.length === 0) return new Int16Array(lastFrame);
      let bytes: Buffer;
      try {
        bytes = opus.decode(payload);
      } catch {
        codec.decodeErrors++;
        return new Int16Array(lastFrame);
      }
      const out = new Int16Array(bytes.length >> 1);
      new Uint8Array(out.buffer).set(bytes.subarray(0, out.length * 2));
      lastFrame = out.length;
      return out;
    },
    close(): void {
      if (!opus) return;
      leaks.unregister(codec);
      opus.delete();
      opus = undefined;
    },
  };
  leaks.register(codec, opus, codec);
  return codec;
}
