/**
 * WAV file source: plays a prompt into a call. `load` reads the file, mixes it to mono and
 * resamples it to the codec's rate before the call starts, so a missing or invalid file is a
 * clear error naming the file and the problem, never a failure mid-call.
 */
import { readFile } from 'node:fs/promises';
import type { AudioSource } from '../audio.ts';
import { resample, type ResampleMethod } from '../resample.ts';
import { WavError, mixToMono, readWav } from '../wav.ts';

export type WavFileErrorReason =
  'not-found' | 'permission-denied' | 'is-directory' | 'unreadable' | 'invalid-wav' | 'no-audio' | 'bad-sample-rate';

/** WAV sample rates accepted (issue 15: a header saying 1 Hz cost 46 s of CPU and 199 MB to resample). */
export const WAV_RATE_RANGE = { min: 8000, max: 192_000 } as const;

export class WavFileError extends Error {
  readonly path: string;
  readonly reason: WavFileErrorReason;
  constructor(path: string, reason: WavFileErrorReason, detail: string, cause?: unknown) {
    super(`cannot play "${path}": ${detail}`, cause === undefined ? undefined : { cause });
    this.name = 'WavFileError';
    this.path = path;
    this.reason = reason;
  }
}

export interface WavFileOptions {
  /** Start again at the end instead of finishing (default false). */
  loop?: boolean;
  resampler?: ResampleMethod;
}

export class WavFileSource implements AudioSource {
  readonly path: string;
  readonly loop: boolean;
  /** Non-fatal problems found while loading (e.g. a truncated data chunk). */
  readonly warnings: readonly string[];
  /** The file's own rate and length. */
  readonly fileSampleRate: number;
  readonly durationMs: number;
  private readonly mono: Int16Array;
  private readonly resampler: ResampleMethod;
  private pcm: Int16Array;
  private rate: number;
  private pos = 0;
  private finished = false;

  private constructor(
    path: string,
    mono: Int16Array,
    fileRate: number,
    rate: number,
    opts: WavFileOptions,
    warnings: string[],
  ) {
    this.path = path;
    this.loop = opts.loop ?? false;
    this.resampler = opts.resampler ?? 'sinc';
    this.mono = mono;
    this.fileSampleRate = fileRate;
    this.durationMs = (mono.length * 1000) / fileRate;
    this.warnings = warnings;
    this.rate = rate;
    this.pcm = resample(mono, fileRate, rate, this.resampler);
  }

  /** Read and prepare `path` for playing at `sampleRate`. Rejects with a WavFileError. */
  static async load(
    path: string,
    sampleRate: number,
    opts: WavFileOptions = {},
  ): Promise<WavFileSource> {
    if (!(sampleRate > 0)) throw new RangeError(`bad sample rate ${sampleRate}`);
    let buf: Buffer;
    try {
      buf = await readFile(path);
    } catch (err) {
      throw fileError(path, err);
    }
    return WavFileSource.fromBuffer(path, buf, sampleRate, opts);
  }

  /** Same as `load` for bytes already in memory; `name` is used in messages. */
  static fromBuffer(
    name: string,
    buf: Buffer,
    sampleRate: number,
    opts: WavFileOptions = {},
  ): WavFileSource {
    let wav;
    try {
      wav = readWav(buf);
    } catch (err) {
      if (err instanceof WavError) throw new WavFileError(name, 'invalid-wav', err.message, err);
      throw err;
    }
    if (!(wav.sampleRate >= WAV_RATE_RANGE.min && wav.sampleRate <= WAV_RATE_RANGE.max))
      throw new WavFileError(
        name,
        'bad-sample-rate',
        `sample rate ${wav.sampleRate} Hz is outside ${WAV_RATE_RANGE.min}-${WAV_RATE_RANGE.max} Hz; convert it first (e.g. sox in.wav -r 8000 out.wav)`,
      );
    const mono = mixToMono(wav.channels);
    if (mono.length === 0)
      throw new WavFileError(name, 'no-audio', 'the WAV data chunk holds no complete sample');
    const warnings = wav.truncated
      ? [
          `"${name}" is truncated: the data chunk ends early; playing the ${mono.length} samples present`,
        ]
      : [];
    return new WavFileSource(name, mono, wav.sampleRate, sampleRate, opts, warnings);
  }

  get done(): boolean {
    return this.finished;
  }

  read(frame: Int16Array, sampleRate: number): void {
    if (sampleRate !== this.rate) this.switchRate(sampleRate);
    let at = 0;
    while (at < frame.length) {
      if (this.pos >= this.pcm.length) {
        if (!this.loop) {
          this.finished = true;
          frame.fill(0, at);
          return;
        }
        this.pos = 0;
      }
      const n = Math.min(frame.length - at, this.pcm.length - this.pos);
      frame.set(this.pcm.subarray(this.pos, this.pos + n), at);
      this.pos += n;
      at += n;
    }
  }

  /** Back to the start (and not done). */
  rewind(): void {
    this.pos = 0;
    this.finished = false;
  }

  /** The codec changed rate mid-call: resample again and keep the playing position in time. */
  private switchRate(sampleRate: number): void {
    const fraction = this.pcm.length === 0 ? 0 : this.pos / this.pcm.length;
    this.pcm = resample(this.mono, this.fileSampleRate, sampleRate, this.resampler);
    this.pos = Math.round(fraction * this.pcm.length);
    this.rate = sampleRate;
  }
}

function fileError(path: string, err: unknown): WavFileError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new WavFileError(path, 'not-found', 'file not found', err);
    case 'EACCES':
    case 'EPERM':
      return new WavFileError(path, 'permission-denied', 'permission denied', err);
    case 'EISDIR':
      return new WavFileError(path, 'is-directory', 'is a directory, not a WAV file', err);
    default:
      return new WavFileError(
        path,
        'unreadable',
        `cannot read the file (${err instanceof Error ? err.message : String(err)})`,
        err,
      );
  }
}
