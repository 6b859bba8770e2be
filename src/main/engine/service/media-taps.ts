/**
 * The GUI's extra audio ports on a call's media: a level meter and the speaker feed (sinks) and
 * the microphone (a LiveSource in place of the source CallMedia opened with).
 *
 * CallMedia.open() takes only MediaPrefs, whose sources are files and generators, and it builds
 * the RtpSession's sink list itself. Until it accepts extra sinks and a live source, this module
 * attaches them through the RTP sender's (and the in-band DTMF mixer's) fields. The structure is
 * checked first, so an internal change fails loudly here, never silently in a call.
 */
import type { AudioSink, AudioSource } from '../../media/audio.ts';
import type { CallMedia } from '../media/call-media.ts';

interface SenderInternals {
  sinks?: unknown;
  source?: unknown;
}

export class MediaTapError extends Error {
  override name = 'MediaTapError';
}

/** Add sinks: they see sent and received audio (the sender and receiver share one list). */
export function addSinks(media: CallMedia, sinks: AudioSink[]): void {
  const sender = media.rtp.sender as unknown as SenderInternals;
  if (!Array.isArray(sender.sinks))
    throw new MediaTapError('the RTP sender exposes no sink list (media engine changed)');
  (sender.sinks as AudioSink[]).push(...sinks);
}

/** Replace what the call sends by `source` (the microphone); DTMF in-band keeps mixing over it. */
export function replaceSource(media: CallMedia, source: AudioSource): void {
  const holder = (media.mixer ?? media.rtp.sender) as unknown as SenderInternals;
  const current = holder.source as AudioSource | undefined;
  if (!current || typeof current.read !== 'function') {
    throw new MediaTapError(
      'this call has no replaceable audio source (echo, or the media engine changed)',
    );
  }
  holder.source = source;
  current.close?.();
}
