/**
 * Stereo WAV recording of a call: left = sent, right = received. Each frame lands at the offset
 * its `atMs` gives, so silence, gaps (lost packets, one-way audio) and late starts keep their
 * timing: what was heard at 2.5 s into the call is at 2.5 s in the file. Written with writeWav
 * (16-bit PCM) on close.
 */
import { writeFile } from 'node:fs/promises';
import type { AudioDirection, AudioSink } from '../audio.ts';
import { resample } from '../resample.ts';
import { writeWav } from '../wav.ts';

export interface WavRecorderOptions {
  /** File rate; default the rate of the first frame written (the codec's rate). */
  sampleRate?: number;
  /** Longest recording kept, default 2 h; later audio is counted in `droppedMs`, not stored. */
  maxDurationMs?: number;
}

const CHUNK = 1 << 16;

/** A growable mono track addressed by sample index, allocated in chunks as audio arrives. */
class Track {
  private readonly chunks: (Int16Array | undefined)[] = [];
  length = 0;

  write(at: number, pcm: Int16Array): void {
    for (let i = 0; i < pcm.length;) {
      const pos = at + i;
      const c = Math.floor(pos / CHUNK);
      const off = pos % CHUNK;
      const n = Math.min(pcm.length - i, CHUNK - off);
      (this.chunks[c] ??= new Int16Array(CHUNK)).set(pcm.subarray(i, i + n), off);
      i += n;
    }
    this.length = Math.max(this.length, at + pcm.length);
  }

  toArray(length: number): Int16Array {
    const out = new Int16Array(length);
    this.chunks.forEach((c, i) => {
      if (c) out.set(c.subarray(0, Math.max(0, Math.min(CHUNK, length - i * CHUNK))), i * CHUNK);
    });
    return out;
  }
}

export class WavRecorder implements AudioSink {
  readonly path: string | undefined;
  private rate: number | undefined;
  private readonly maxSamples: (rate: number) => number;
  private readonly tracks: Record<AudioDirection, Track> = {
    sent: new Track(),
    received: new Track(),
  };
  private closed: Promise<void> | undefined;
  /** Audio (ms) not stored: beyond the maximum duration or with a negative time. */
  droppedMs = 0;

  /** `path` undefined keeps the recording in memory only (see `toWav`). */
  constructor(path: string | undefined, opts: WavRecorderOptions = {}) {
    this.path = path;
    this.rate = opts.sampleRate;
    const maxMs = opts.maxDurationMs ?? 2 * 3600_000;
    this.maxSamples = (rate) => Math.round((maxMs * rate) / 1000);
  }

  write(pcm: Int16Array, sampleRate: number, dir: AudioDirection, atMs: number): void {
    if (this.closed) return;
    this.rate ??= sampleRate;
    const rate = this.rate;
    const samples = sampleRate === rate ? pcm : resample(pcm, sampleRate, rate, 'linear');
    const at = Math.round((atMs * rate) / 1000);
    const room = this.maxSamples(rate) - at;
    if (at < 0 || room <= 0) {
      this.droppedMs += (pcm.length * 1000) / sampleRate;
      return;
    }
    const keep = Math.min(samples.length, room);
    this.droppedMs += ((samples.length - keep) * 1000) / rate;
    this.tracks[dir].write(at, samples.subarray(0, keep));
  }

  /** Recorded length so far, in ms. */
  get durationMs(): number {
    const n = Math.max(this.tracks.sent.length, this.tracks.received.length);
    return this.rate ? (n * 1000) / this.rate : 0;
  }

  /** The recording as a stereo WAV file (8 kHz silence if nothing was written). */
  toWav(): Buffer {
    const n = Math.max(this.tracks.sent.length, this.tracks.received.length);
    return writeWav(
      [this.tracks.sent.toArray(n), this.tracks.received.toArray(n)],
      this.rate ?? 8000,
    );
  }

  /** Write the file (once); later writes are ignored. */
  close(): Promise<void> {
    this.closed ??=
      this.path === undefined ? Promise.resolve() : writeFile(this.path, this.toWav());
    return this.closed;
  }
}
