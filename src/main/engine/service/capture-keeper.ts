/**
 * The captures the GUI opened, kept by the engine so `bundle.make` can build a support bundle from
 * the file itself (its SIP and RTP packets) without the renderer sending it again. Bounded: the
 * most recent MAX_KEPT captures and at most MAX_KEPT_BYTES in all; older ones are dropped, and a
 * bundle of a dropped capture asks the user to open the file again.
 */
import { randomUUID } from 'node:crypto';

/** As many as the GUI keeps open (CAPTURES_MAX in the renderer's captures slice). */
export const MAX_KEPT = 10;
export const MAX_KEPT_BYTES = 128 * 1024 * 1024;

export interface KeptCapture {
  id: string;
  name: string;
  buf: Buffer;
}

export class CaptureKeeper {
  private readonly kept = new Map<string, KeptCapture>();
  private bytes = 0;

  /** Keep a capture; returns its id. */
  keep(name: string, buf: Buffer): string {
    const id = randomUUID();
    this.kept.set(id, { id, name, buf });
    this.bytes += buf.length;
    for (const old of this.kept.values()) {
      if (this.kept.size <= MAX_KEPT && this.bytes <= MAX_KEPT_BYTES) break;
      if (old.id === id) break;
      this.kept.delete(old.id);
      this.bytes -= old.buf.length;
    }
    return id;
  }

  /** The capture, or an error saying it must be opened again. */
  get(id: string): KeptCapture {
    const c = this.kept.get(id);
    if (!c) throw new Error(`capture ${JSON.stringify(id.slice(0, 64))} is no longer kept by the engine (only the ${MAX_KEPT} most recent are): open the file again`);
    return c;
  }

  get size(): number {
    return this.kept.size;
  }
}
