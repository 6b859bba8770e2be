/**
 * RFC 4733 digit sending, one media frame at a time (§2.5.1). While an event plays its packets
 * replace the audio packets of the stream: the first packet carries the marker bit, every packet
 * of the event carries the RTP timestamp of the frame the event started in, the duration grows by
 * one ptime per packet, and the final packet (E bit set) goes out three times (§2.5.1.4). Events
 * longer than 0xFFFF units are split into segments (§2.5.1.3). Queued digits follow each other
 * with at least `gapMs` of audio between the last end packet and the next event.
 */
import { digitToEvent, type DtmfDigit } from '../dtmf/digits.ts';
import { encodeTelephoneEvent, planDtmfPackets, type PlannedEventPacket } from '../dtmf/rfc4733.ts';

export interface DtmfFrameOutput {
  marker: boolean;
  timestamp: number;
  payload: Buffer;
}

export interface DtmfSenderOptions {
  ptimeMs: number;
  /** RTP clock of the telephone-event payload type. */
  clockRate: number;
  /** Minimum audio between digits, default 50 ms. */
  gapMs?: number;
}

interface Job {
  digit: DtmfDigit;
  durationMs: number;
  volume: number;
  resolve: () => void;
  reject: (err: Error) => void;
  onStart?: () => void;
}

interface Playing {
  job: Job;
  timestamp: number;
  /** Packets grouped by frame offset from the event start. */
  byFrame: PlannedEventPacket[][];
  frame: number;
}

export const DEFAULT_DTMF_DURATION_MS = 100;
export const DEFAULT_DTMF_VOLUME = 10;
export const DEFAULT_DTMF_GAP_MS = 50;

export class DtmfSender {
  private ptimeMs: number;
  private clockRate: number;
  private readonly gapMs: number;
  private readonly queue: Job[] = [];
  private playing: Playing | undefined;
  /** Frames of audio still owed before the next event may start. */
  private gapFrames = 0;

  constructor(opts: DtmfSenderOptions) {
    this.ptimeMs = opts.ptimeMs;
    this.clockRate = opts.clockRate;
    this.gapMs = opts.gapMs ?? DEFAULT_DTMF_GAP_MS;
  }

  /** True while an event is playing (its frames carry no audio). */
  get active(): boolean {
    return this.playing !== undefined;
  }

  /** Digits queued or playing. */
  get pending(): number {
    return this.queue.length + (this.playing ? 1 : 0);
  }

  /** New packet time / clock (re-INVITE); applies from the next event. */
  configure(ptimeMs: number, clockRate: number): void {
    this.ptimeMs = ptimeMs;
    this.clockRate = clockRate;
  }

  /**
   * Queue one digit; resolves after its last end packet went out. `onStart` is called in the
   * frame its first packet is built (the digit's send time, not its queueing time).
   */
  enqueue(
    digit: string,
    durationMs = DEFAULT_DTMF_DURATION_MS,
    volume = DEFAULT_DTMF_VOLUME,
    onStart?: () => void,
  ): Promise<void> {
    if (digitToEvent(digit) === undefined) {
      return Promise.reject(new RangeError(`not a DTMF digit: ${JSON.stringify(digit)}`));
    }
    if (!(durationMs > 0) || !Number.isInteger(volume) || volume < 0 || volume > 63) {
      return Promise.reject(
        new RangeError(`bad DTMF duration ${durationMs} ms or volume ${volume}`),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({
        digit: digit.toUpperCase() as DtmfDigit,
        durationMs,
        volume,
        resolve,
        reject,
        onStart,
      });
    });
  }

  /**
   * Called once per media frame with the RTP timestamp that frame's audio would carry. Returns
   * the event packets of this frame (an empty array during an event frame without packets), or
   * undefined when the frame is audio.
   */
  frame(audioTimestamp: number): DtmfFrameOutput[] | undefined {
    if (!this.playing) {
      if (this.gapFrames > 0) {
        this.gapFrames--;
        return undefined;
      }
      const job = this.queue.shift();
      if (!job) return undefined;
      this.playing = this.start(job, audioTimestamp);
      job.onStart?.();
    }
    const p = this.playing;
    const out = (p.byFrame[p.frame] ?? []).map((pk) => ({
      marker: pk.marker,
      timestamp: (p.timestamp + pk.timestampOffset) >>> 0,
      payload: encodeTelephoneEvent(pk.payload),
    }));
    p.frame++;
    if (p.frame >= p.byFrame.length) {
      this.playing = undefined;
      this.gapFrames = Math.ceil(this.gapMs / this.ptimeMs);
      p.job.resolve();
    }
    return out;
  }

  /** Reject every queued and playing digit (session closed, direction stopped sending). */
  cancel(reason: string): void {
    const jobs = [...(this.playing ? [this.playing.job] : []), ...this.queue.splice(0)];
    this.playing = undefined;
    this.gapFrames = 0;
    for (const j of jobs) j.reject(new Error(`DTMF ${j.digit} not sent: ${reason}`));
  }

  private start(job: Job, timestamp: number): Playing {
    const plan = planDtmfPackets({
      digit: job.digit,
      durationMs: job.durationMs,
      ptimeMs: this.ptimeMs,
      clockRate: this.clockRate,
      volume: job.volume,
    });
    // Packet planned at `atMs` after the event start goes out in frame ceil(atMs/ptime) - 1: the
    // first update (one ptime of tone) rides in the event's first frame.
    const byFrame: PlannedEventPacket[][] = [];
    for (const pk of plan) {
      const f = Math.max(0, Math.ceil(pk.atMs / this.ptimeMs - 1e-9) - 1);
      while (byFrame.length <= f) byFrame.push([]);
      byFrame[f]!.push(pk);
    }
    return { job, timestamp, byFrame, frame: 0 };
  }
}
