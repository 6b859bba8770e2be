/**
 * The GUI's extra audio ports on a call's media: a level meter and the speaker feed (sinks) and
 * the microphone (a LiveSource in place of the source CallMedia opened with).
 */
import type { AudioSink, AudioSource } from '../../media/audio.ts';
import type { CallMedia } from './call-media.ts';

/** Add sinks: they see sent and received audio. */
export function addSinks(media: CallMedia, sinks: AudioSink[]): void {
  media.addSinks(sinks);
}

/** Replace what the call sends by `source` (the microphone); DTMF in-band keeps mixing over it. */
export function replaceSource(media: CallMedia, source: AudioSource): void {
  media.setSource(source);
}
