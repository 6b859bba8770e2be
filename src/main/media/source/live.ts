/**
 * Live source: the GUI's microphone. The renderer pushes PCM chunks of any size and rate as they
 * arrive (`push`); the media clock reads fixed frames (`read`). Between the two sits a FIFO that
 * absorbs the renderer's irregular delivery: it waits until `targetMs` of audio is buffered before
 * playing (again after every underrun), fills a shortfall with silence, and drops the oldest
 * audio when more than `maxMs` piles up, so latency stays bounded.
 */
import type { AudioSource } from '../audio.ts';

export interface LiveSourceOptions {
  /** Rate the FIFO stores at until the first read says otherwise, default 8000. */
  sampleRate?: number;
  /** Audio to buffer before playing starts or resumes, default 60 ms. */
  targetMs?: number;
  /** Most audio to hold; beyond it the oldest is dropped back to `targetMs`, default 300 ms. */
  maxMs?: number;
}

export interface LiveSourceStats {
  bufferedMs: number;
  /** Reads that found too little audio and were completed with silence. */
  underruns: number;
  /** Samples discarded because the FIFO overflowed. */
  droppedSamples: number;
  /** Samples of silence inserted. */
  silenceSamples: number;
}

/** Streaming linear-interpolation resampler that keeps its phase across chunks. */
class StreamResampler {
  private pos = 0;
  private last = 0;
  private primed = false;
  readonly from: number;
  readonly to: number;

  constructor(from: number, to: number) {
    this.from = from;
    this.to = to;
  }

  process(input: Int16Array): Int16Array {
    if (this.from === this.to) return input.slice();
    const step = this.from / this.to;
    const out: number[] = [];
    // Position `pos` is measured in input samples where -1 is `last` (the previous chunk's end).
    let pos = this.primed ? this.pos : 0;
    while (pos <= input.length - 1) {
      const k = Math.floor(pos);
      const frac = pos - k;
      const a = k < 0 ? this.last : input[k]!;
      const b = input[k + 1] ?? a;
      out.push(Math.round(a + (b - a) * frac));
      pos += step;
    }
    if (input.length > 0) {
      this.last = input[input.length - 1]!;
      this.pos = pos - input.length;
      this.primed = true;
    }
    return Int16Array.from(out);
  }
}

export class LiveSource implements AudioSource {
  private rate: number;
  private readonly targetMs: number;
  private readonly maxMs: number;
  private readonly chunks: Int16Array[] = [];
  private headOffset = 0;
  private buffered = 0;
  private playing = false;
  private resampler: StreamResampler | undefined;
  private closed = false;
  private readonly counters = { underruns: 0, droppedSamples: 0, silenceSamples: 0 };

  constructor(opts: LiveSourceOptions = {}) {
    this.rate = opts.sampleRate ?? 8000;
    this.targetMs = opts.targetMs ?? 60;
    this.maxMs = Math.max(opts.maxMs ?? 300, this.targetMs);
  }

  /** Microphone audio from the renderer, mono 16-bit at `sampleRate`. */
  push(pcm: Int16Array, sampleRate: number): void {
    if (this.closed || pcm.length === 0) return;
    if (!(sampleRate > 0)) throw new RangeError(`bad sample rate ${sampleRate}`);
    if (this.resampler?.from !== sampleRate || this.resampler.to !== this.rate)
      this.resampler = new StreamResampler(sampleRate, this.rate);
    const chunk = this.resampler.process(pcm);
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const max = this.samples(this.maxMs);
    if (this.buffered > max) {
      const drop = this.buffered - this.samples(this.targetMs);
      this.consume(undefined, drop);
      this.counters.droppedSamples += drop;
    }
  }

  read(frame: Int16Array, sampleRate: number): void {
    if (sampleRate !== this.rate) this.changeRate(sampleRate);
    if (!this.playing && this.buffered >= this.samples(this.targetMs)) this.playing = true;
    if (!this.playing) {
      frame.fill(0);
      this.counters.silenceSamples += frame.length;
      return;
    }
    const got = this.consume(frame, Math.min(frame.length, this.buffered));
    if (got < frame.length) {
      frame.fill(0, got);
      this.counters.underruns++;
      this.counters.silenceSamples += frame.length - got;
      this.playing = false; // re-buffer to the target before playing again
    }
  }

  get stats(): LiveSourceStats {
    return { bufferedMs: (this.buffered * 1000) / this.rate, ...this.counters };
  }

  close(): void {
    this.closed = true;
    this.chunks.length = 0;
    this.buffered = 0;
  }

  private samples(ms: number): number {
    return Math.round((ms * this.rate) / 1000);
  }

  /** Take `n` samples from the head into `into` (or discard them). Returns samples taken. */
  private consume(into: Int16Array | undefined, n: number): number {
    let taken = 0;
    while (taken < n && this.chunks.length > 0) {
      const head = this.chunks[0]!;
      const k = Math.min(n - taken, head.length - this.headOffset);
      into?.set(head.subarray(this.headOffset, this.headOffset + k), taken);
      taken += k;
      this.headOffset += k;
      if (this.headOffset >= head.length) {
        this.chunks.shift();
        this.headOffset = 0;
      }
    }
    this.buffered -= taken;
    return taken;
  }

  /** The codec changed rate: buffered audio is dropped (a few tens of ms) and we re-buffer. */
  private changeRate(sampleRate: number): void {
    this.rate = sampleRate;
    this.chunks.length = 0;
    this.headOffset = 0;
    this.buffered = 0;
    this.resampler = undefined;
    this.playing = false;
  }
}
