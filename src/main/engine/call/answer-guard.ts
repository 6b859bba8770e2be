/**
 * Total failure handling for answering an INVITE (issue 15): whatever throws while an incoming
 * call is set up or answered ends the INVITE with a final response — 500 with a Warning saying
 * what failed (RFC 3261 §21.5.1, §20.43) — and releases the call's media (its RTP ports), instead
 * of a rejected promise that leaves the INVITE unanswered and the ports taken until the listener
 * stops. Bad SDP never gets here: sdp/ refuses it with 488 and a Warning first.
 */
import type { InviteServer } from '../../sip/ua/invite-server.ts';
import type { MediaHandler } from '../../sip/ua/media-handler.ts';
import { warningValue } from '../../sdp/sdp-error.ts';

const why = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 120);

/** Media that owns sockets: closed when the call could not even start. */
function release(media: MediaHandler): void {
  const m = media as MediaHandler & { close?: () => Promise<void> };
  if (typeof m.close === 'function') void m.close().catch(() => undefined);
}

/**
 * Run `start(media)` (build the InviteServer and act on the answer mode); on a throw, reply with
 * `reply(500, reason, [Warning])` and close the media.
 */
export function startGuarded<M extends MediaHandler>(
  start: (media: M) => void,
  media: M,
  reply: (status: number, reason: string, extra: Array<[string, string]>) => void,
): void {
  try {
    start(media);
  } catch (err) {
    release(media);
    reply(500, 'Server Internal Error', [['Warning', warningValue(399, `call setup failed: ${why(err)}`)]]);
  }
}

/** `answer()` of an InviteServer; a throw rejects the call with 500 + Warning (ending it, so its media closes). */
export function answerGuarded(call: InviteServer, answer: () => boolean): boolean {
  try {
    return answer();
  } catch (err) {
    call.reject(500, 'Server Internal Error', [['Warning', warningValue(399, `answer failed: ${why(err)}`)]]);
    return false;
  }
}
