/**
 * In-band DTMF receiver sink: runs the Goertzel detector (dtmf/inband-detector.ts, ITU-T Q.24
 * limits) over received audio and reports each digit with the time its tone started on the
 * session's `atMs` clock. The detector counts samples, so the sink keeps a short map from sample
 * index to `atMs` to place digits correctly across gaps in the received stream.
 */
import type { AudioDirection, AudioSink } from '../audio.ts';
import type { DtmfDigit } from '../dtmf/digits.ts';
import { InbandDtmfDetector, type InbandDetectorOptions } from '../dtmf/inband-detector.ts';

export interface InbandDigit {
  digit: DtmfDigit;
  method: 'inband';
  /** When the tone started (`atMs` clock). */
  atMs: number;
}

export interface InbandDtmfSinkOptions extends Omit<InbandDetectorOptions, 'sampleRate'> {
  onDigit: (d: InbandDigit) => void;
  /** Called when a digit's tone ends, with its measured duration. */
  onDigitEnd?: (d: InbandDigit & { durationMs: number }) => void;
  /** Which audio to listen to, default 'received'. */
  direction?: AudioDirection;
}

interface FrameMark {
  /** Detector sample index of the frame's first sample. */
  start: number;
  atMs: number;
}

const MARKS = 64;

export class InbandDtmfSink implements AudioSink {
  private readonly opts: InbandDtmfSinkOptions;
  private detector: InbandDtmfDetector | undefined;
  private samples = 0;
  private readonly marks: FrameMark[] = [];
  readonly digits: InbandDigit[] = [];

  constructor(opts: InbandDtmfSinkOptions) {
    this.opts = opts;
  }

  write(pcm: Int16Array, sampleRate: number, dir: AudioDirection, atMs: number): void {
    if (dir !== (this.opts.direction ?? 'received')) return;
    if (this.detector?.sampleRate !== sampleRate) {
      const { onDigit: _a, onDigitEnd: _b, direction: _c, ...detectorOpts } = this.opts;
      this.detector = new InbandDtmfDetector({ ...detectorOpts, sampleRate });
      this.samples = 0;
      this.marks.length = 0;
    }
    this.marks.push({ start: this.samples, atMs });
    if (this.marks.length > MARKS) this.marks.shift();
    this.samples += pcm.length;
    for (const ev of this.detector.process(pcm)) {
      const d: InbandDigit = {
        digit: ev.digit,
        method: 'inband',
        atMs: this.toAtMs(ev.startMs, sampleRate),
      };
      if (ev.type === 'digit') {
        this.digits.push(d);
        this.opts.onDigit(d);
      } else {
        this.opts.onDigitEnd?.({ ...d, durationMs: ev.durationMs });
      }
    }
  }

  /** Report a digit still sounding when the call ends. */
  close(): void {
    if (!this.detector) return;
    for (const ev of this.detector.flush()) {
      if (ev.type === 'end') {
        this.opts.onDigitEnd?.({
          digit: ev.digit,
          method: 'inband',
          atMs: this.toAtMs(ev.startMs, this.detector.sampleRate),
          durationMs: ev.durationMs,
        });
      }
    }
  }

  private toAtMs(detectorMs: number, sampleRate: number): number {
    const idx = Math.round((detectorMs * sampleRate) / 1000);
    let mark = this.marks[0]!;
    for (const m of this.marks) if (m.start <= idx) mark = m;
    return mark.atMs + ((idx - mark.start) * 1000) / sampleRate;
  }
}
