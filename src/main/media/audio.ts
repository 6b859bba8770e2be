/**
 * The audio ports of the media engine. A call's RTP session pulls 16-bit mono PCM from one
 * source (at the codec's sample rate, one ptime frame at a time) and pushes decoded audio, sent
 * and received, to any number of sinks. Sources and sinks never see RTP.
 */

/** Produces the audio we send. */
export interface AudioSource {
  /** Fill `frame` (length = samples per ptime at `sampleRate`); called by the media clock. */
  read(frame: Int16Array, sampleRate: number): void;
  /** True once a finite source (a WAV file) has played to its end. */
  readonly done?: boolean;
  close?(): void;
}

export type AudioDirection = 'sent' | 'received';

/** Consumes audio: recorders, level meters, detectors, the GUI's speaker. */
export interface AudioSink {
  /**
   * One frame of decoded audio. `atMs` is ms since the session started (media clock time of the
   * frame for sent audio, arrival time for received audio).
   */
  write(pcm: Int16Array, sampleRate: number, dir: AudioDirection, atMs: number): void;
  /** Flush and release (e.g. write the WAV header). */
  close?(): Promise<void> | void;
}
