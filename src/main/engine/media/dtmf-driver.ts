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
    if (session.state !== 'connected') return;
    if (d === ',') {
      await sleep(DTMF_PAUSE_MS);
      continue;
    }
    if (!isDtmfDigit(d)) continue;
    if (media.prefs.dtmf === 'info') {
      const body = buildDtmfRelay(d, durationMs);
      media.dtmfSent.push({ digit: d, method: 'info', atMs: media.rel(performance.now()), durationMs });
      await session.inDialog('INFO', { body: body.body, contentType: body.contentType });
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
