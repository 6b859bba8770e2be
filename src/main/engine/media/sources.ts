/** Build the audio source a call sends from its description (see MediaPrefs.source). */
import type { AudioSource } from '../../media/audio.ts';
import { ProbeSource } from '../../media/source/probe.ts';
import { SilenceSource } from '../../media/source/silence.ts';
import { ToneAudioSource } from '../../media/source/tone-audio-source.ts';
import { WavFileSource } from '../../media/source/wav-file.ts';
import type { SourceSpec } from './media-prefs.ts';

/** 'echo' is not an AudioSource: the RTP session returns received payloads itself. */
export async function createSource(spec: SourceSpec): Promise<AudioSource | 'echo'> {
  switch (spec.kind) {
    case 'echo':
      return 'echo';
    case 'silence':
      return new SilenceSource();
    case 'tone':
      return new ToneAudioSource({ frequency: spec.hz, levelDbm0: spec.levelDbm0 });
    case 'probe':
      return new ProbeSource();
    case 'wav':
      // Loaded (and validated) now, resampled to the negotiated codec's rate on first read.
      return WavFileSource.load(spec.path, 8000, { loop: spec.loop });
  }
}
