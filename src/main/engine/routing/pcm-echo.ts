/**
 * Echo for routed calls: what the caller says comes back, through the call's source slot (so a
 * call can move from an IVR prompt to echo and back). Also the pipe of a forward's bridge: the
 * sink on one leg's media, the source of the other's. Decoded frames go into a short queue
 * (bounded: at most ~1 s is kept) and are read out one frame per ptime by the media clock.
 */
import type { AudioDirection, AudioSink, AudioSource } from '../../media/audio.ts';
import { resample } from '../../media/resample.ts';

const MAX_FRAMES = 50;

export class PcmEcho implements AudioSink, AudioSource {
  private readonly queue: Array<{ pcm: Int16Array; rate: number }> = [];
  private pending: Int16Array | undefined;
  private pendingAt = 0;
  private stopped = false;

  write(pcm: Int16Array, rate: number, dir: AudioDirection): void {
    if (this.stopped || dir !== 'received') return;
    this.queue.push({ pcm: pcm.slice(), rate });
    if (this.queue.length > MAX_FRAMES) this.queue.shift();
  }

  read(frame: Int16Array, sampleRate: number): void {
    let filled = 0;
    while (filled < frame.length) {
      if (!this.pending || this.pendingAt >= this.pending.length) {
        const next = this.queue.shift();
        this.pendingAt = 0;
        // A bridge between legs of different codecs (G.722 and PCMU): resampled on the way.
        this.pending = next && next.rate !== sampleRate ? resample(next.pcm, next.rate, sampleRate, 'linear') : next?.pcm;
        if (!this.pending) break;
      }
      const n = Math.min(frame.length - filled, this.pending.length - this.pendingAt);
      frame.set(this.pending.subarray(this.pendingAt, this.pendingAt + n), filled);
      filled += n;
      this.pendingAt += n;
    }
    frame.fill(0, filled);
  }

  /** The source slot replaced us: stop queueing (the sink stays attached but idle). */
  close(): void {
    this.stopped = true;
    this.queue.length = 0;
  }
}
