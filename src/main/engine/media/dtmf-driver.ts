/**
 * Sending DTMF by the call's method and hearing digits sent by SIP INFO. RFC 4733 and in-band
 * digits travel in the media (CallMedia); INFO digits travel in the dialog (RFC 6086 with the
 * de-facto application/dtmf-relay body).
 */
import { buildDtmfRelay, parseDtmfInfo } from '../../media/dtmf/info.ts';
import { isDtmfDigit } from '../../media/dtmf/digits.ts';
import type { InviteSession } from '../../sip/ua/invite-session.ts';
import type { CallMedia } from './call-media.ts';

export const DTMF_DURATION_MS = 100;
/** Pause between digits (ITU-T Q.24 asks at least 40 ms). */
export const DTMF_GAP_MS = 100;
/** A ',' in the digit string waits this long. */
export const DTMF_PAUSE_MS = 500;

/** Send `digits` one after another; resolves when the last one is out. */
export async function sendDigits(session: InviteSession, media: CallMedia, digits: string, durationMs = DTMF_DURATION_MS): Promise<void> {
  for (const d of digits) {
    // Not after our BYE: the session is over for us then (RFC 3261 §15.1.1).
    if (session.state !== 'connected' || session.byeSentAt !== undefined) return;
    if (d === ',') {
      await sleep(DTMF_PAUSE_MS);
      continue;
    }
    if (!isDtmfDigit(d)) continue;
    if (media.prefs.dtmf === 'info') {
      const body = buildDtmfRelay(d, durationMs);
      const entry = { digit: d, method: 'info' as const, atMs: media.rel(performance.now()), durationMs };
      media.dtmfSent.push(entry);
      const out = await session.inDialog('INFO', { body: body.body, contentType: body.contentType });
      const status = out.response?.status;
      if (status === undefined || status >= 300) {
        // The peer refused the INFO (405, 415, 501 from a UA that does not take INFO or this
        // body) or never answered it: the digit did not get through, nor would the next ones.
        media.dtmfSent.splice(media.dtmfSent.indexOf(entry), 1);
        const got = status !== undefined ? `${status} ${out.response!.reason}` : (out.errorText ?? out.error ?? 'no response');
        media.error ??= `SIP INFO DTMF ${d} not accepted by the peer (${got}); digits after it not sent; try --dtmf rfc2833`;
        return;
      }
      await sleep(DTMF_GAP_MS);
    } else {
      await media.sendMediaDigit(d, durationMs);
    }
  }
}

/** Digits arriving by INFO in this session are recorded in the media's DTMF log. */
export function listenForInfoDigits(session: InviteSession, media: CallMedia): void {
  session.on('info', (req) => {
    const r = parseDtmfInfo(req.headers.get('content-type') ?? '', req.body.toString());
    if (r.ok) media.onInfoDigit(r.digit, r.durationMs);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
