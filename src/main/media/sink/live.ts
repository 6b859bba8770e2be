/**
 * Live sink: the GUI's speaker. Forwards received audio to a callback in 20 ms frames (whatever
 * the codec's ptime), so the renderer's player always gets the same frame size. A frame is
 * emitted as soon as 20 ms have arrived; `atMs` is the time of its first sample.
 */
import type { AudioDirection, AudioSink } from '../audio.ts';

export interface LiveFrame {
  pcm: Int16Array;
  sampleRate: number;
  atMs: number;
}

export interface LiveSinkOptions {
  onFrame: (frame: LiveFrame) => void;
  /** Frame length, default 20 ms. */
  frameMs?: number;
  /** Which audio to forward, default 'received'. */
  direction?: AudioDirection;
}

export class LiveSink implements AudioSink {
  private readonly opts: LiveSinkOptions;
  private readonly frameMs: number;
  private buf: Int16Array = new Int16Array(0);
  private fill = 0;
  private rate = 0;
  private bufAtMs = 0;

  constructor(opts: LiveSinkOptions) {
    this.opts = opts;
    this.frameMs = opts.frameMs ?? 20;
  }

  write(pcm: Int16Array, sampleRate: number, dir: AudioDirection, atMs: number): void {
    if (dir !== (this.opts.direction ?? 'received')) return;
    if (sampleRate !== this.rate) {
      this.flush();
      this.rate = sampleRate;
      this.buf = new Int16Array(Math.round((this.frameMs * sampleRate) / 1000));
      this.fill = 0;
    }
    for (let i = 0; i < pcm.length;) {
      if (this.fill === 0) this.bufAtMs = atMs + (i * 1000) / sampleRate;
      const n = Math.min(pcm.length - i, this.buf.length - this.fill);
      this.buf.set(pcm.subarray(i, i + n), this.fill);
      this.fill += n;
      i += n;
      if (this.fill === this.buf.length) this.emit(this.buf.slice());
    }
  }

  /** Send a partial frame still buffered (padded with silence). */
  flush(): void {
    if (this.fill > 0) {
      const out = new Int16Array(this.buf.length);
      out.set(this.buf.subarray(0, this.fill));
      this.emit(out);
    }
  }

  close(): void {
    this.flush();
  }

  private emit(pcm: Int16Array): void {
    this.fill = 0;
    this.opts.onFrame({ pcm, sampleRate: this.rate, atMs: this.bufAtMs });
  }
}
