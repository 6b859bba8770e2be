/**
 * The codec registry: creates a fresh codec instance per call by its SDP encoding name, and says
 * for each codec we negotiate whether we encode, decode, or only negotiate and carry it.
 *
 * `MediaCodec` adds what the RTP session needs beyond `Codec`: the PCM sample rate, which can
 * differ from the RTP clock rate (G.722: 16 kHz PCM, 8000 Hz clock, RFC 3551 §4.5.2; Opus may run
 * at 48 kHz PCM with a 48000 Hz clock, RFC 7587 §4.1), and the frame size for a ptime. PCM is
 * always mono 16-bit; the RTP timestamp advances by `clockRate · ptime / 1000` per frame.
 */
import type { Codec } from './codec.ts';
import { pcmaCodec, pcmuCodec } from './g711.ts';
import { createG722Codec } from './g722.ts';
import { createG729Codec } from './g729.ts';
import { createOpusCodec, OPUS_DEFAULT_BITRATE, type OpusOptions } from './opus.ts';

export interface MediaCodec extends Codec {
  /** Rate of the PCM `encode` takes and `decode` returns (mono), in Hz. */
  readonly sampleRate: number;
  /** False when `encode` ignores its input and sends a fixed pattern (G.729). */
  readonly encodesAudio: boolean;
  /** False when `decode` returns silence of the right length instead of the audio (G.729). */
  readonly decodesAudio: boolean;
  /** PCM samples in one frame of `ptimeMs`. */
  frameSamples(ptimeMs: number): number;
  /** Release codec memory (Opus state lives in a WebAssembly heap). Idempotent. */
  close(): void;
}

/** Options for `createCodec`; only Opus takes any today. */
export type CodecOptions = OpusOptions;

export interface CodecCapability {
  /** Encoding name as in `a=rtpmap`. */
  name: string;
  payloadType?: number;
  clockRate: number;
  /** Channel count for `a=rtpmap` (Opus: always 2, RFC 7587 §7; we send mono). */
  channels: number;
  /** PCM rate the codec works at (default options). */
  sampleRate: number;
  /** We can encode the source's audio into this codec. */
  encode: boolean;
  /** We can decode received payloads into audio. */
  decode: boolean;
  /** We can negotiate it and send/receive its RTP packets (always true: statistics need no decoding). */
  carry: true;
  /** What we send when `encode` is false. */
  sends: 'audio' | 'fixed-pattern';
  /** A suggested `a=fmtp` value for our offers, when the codec has parameters. */
  fmtp?: string;
  /** Where the implementation comes from. */
  implementation: string;
}

interface Entry {
  capability: CodecCapability;
  create(opts: CodecOptions): MediaCodec;
}

/** Wrap a stateless G.711 codec as a MediaCodec. */
function g711(codec: Codec): MediaCodec {
  return {
    ...codec,
    sampleRate: codec.clockRate,
    encodesAudio: true,
    decodesAudio: true,
    frameSamples: (ptimeMs) => Math.round((codec.clockRate * ptimeMs) / 1000),
    encode: (pcm) => codec.encode(pcm),
    decode: (payload) => codec.decode(payload),
    close: () => {},
  };
}

const ENTRIES: readonly Entry[] = [
  {
    capability: cap('PCMU', 0, 8000, 1, 8000, true, true, 'own tables (ITU-T G.711)'),
    create: () => g711(pcmuCodec),
  },
  {
    capability: cap('PCMA', 8, 8000, 1, 8000, true, true, 'own tables (ITU-T G.711)'),
    create: () => g711(pcmaCodec),
  },
  {
    capability: cap('G722', 9, 8000, 1, 16000, true, true, 'own SB-ADPCM (ITU-T G.722, 64 kbit/s)'),
    create: () => createG722Codec(),
  },
  {
    capability: {
      ...cap(
        'opus',
        undefined,
        48000,
        2,
        48000,
        true,
        true,
        'opusscript (libopus 1.4, WebAssembly)',
      ),
      fmtp: `minptime=10;stereo=0;sprop-stereo=0;maxaveragebitrate=${OPUS_DEFAULT_BITRATE}`,
    },
    create: (opts) => createOpusCodec(opts),
  },
  {
    capability: {
      ...cap('G729', 18, 8000, 1, 8000, false, false, 'none: negotiate and carry only'),
      sends: 'fixed-pattern',
      fmtp: 'annexb=no',
    },
    create: () => createG729Codec(),
  },
];

function cap(
  name: string,
  payloadType: number | undefined,
  clockRate: number,
  channels: number,
  sampleRate: number,
  encode: boolean,
  decode: boolean,
  implementation: string,
): CodecCapability {
  return {
    name,
    ...(payloadType === undefined ? {} : { payloadType }),
    clockRate,
    channels,
    sampleRate,
    encode,
    decode,
    carry: true,
    sends: 'audio',
    implementation,
  };
}

function find(name: string): Entry | undefined {
  const key = name
    .trim()
    .toUpperCase()
    .replace(/[.\-_ ]/g, '');
  return ENTRIES.find((e) => e.capability.name.toUpperCase() === key);
}

/**
 * A new codec instance for one call, by SDP encoding name (case-insensitive; `G.722` and
 * `g722` both work). Undefined for a codec we do not know. Stateful codecs (G.722, Opus) keep
 * encoder and decoder state per instance; call `close()` when the call ends.
 */
export function createCodec(name: string, opts: CodecOptions = {}): MediaCodec | undefined {
  return find(name)?.create(opts);
}

/** What we can do with each codec we negotiate, in a stable order (PCMU, PCMA, G722, opus, G729). */
export function codecCapabilities(): CodecCapability[] {
  return ENTRIES.map((e) => ({ ...e.capability }));
}

/** The capability of one codec by name, or undefined. */
export function codecCapability(name: string): CodecCapability | undefined {
  const e = find(name);
  return e ? { ...e.capability } : undefined;
}
