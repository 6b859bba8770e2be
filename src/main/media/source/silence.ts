/** Silence source: all-zero frames, forever (a muted call still sends RTP). */
import type { AudioSource } from '../audio.ts';

export class SilenceSource implements AudioSource {
  read(frame: Int16Array): void {
    frame.fill(0);
  }
}
