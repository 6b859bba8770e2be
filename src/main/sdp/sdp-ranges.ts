/**
 * Values of an offer checked against what can be honoured before anything is set up (issue 15:
 * `a=ptime:5000` reached the RTP session as a RangeError, the INVITE never got a final response
 * and its RTP ports were never freed). Out of range → 488 Not Acceptable Here with a Warning
 * naming the field (RFC 3261 §20.43 codes 306 / 307), so the caller's engineer sees what to fix.
 */
import type { SdpMedia } from 'sdp-transform';
import type { SdpFormat } from './codecs.ts';
import { outOfRange, type SdpFailure } from './sdp-error.ts';

/** Packet time we can send and receive, ms (RFC 4566 §6 a=ptime / a=maxptime; the media clock's range). */
export const PTIME_RANGE = { min: 1, max: 1000 } as const;
/** RTP clock rates accepted in a=rtpmap, Hz (RFC 4566 §6; G.711/telephone-event 8000 … L16 192000). */
export const CLOCK_RATE_RANGE = { min: 1000, max: 192_000 } as const;
/** Channels accepted in a=rtpmap (RFC 4566 §6 encoding parameters). */
export const CHANNELS_RANGE = { min: 1, max: 8 } as const;

const inRange = (v: number, r: { min: number; max: number }): boolean => Number.isFinite(v) && v >= r.min && v <= r.max;

/** The first value of one m= section out of range, as a 488 failure; undefined when all are fine. */
export function checkMediaRanges(m: SdpMedia, formats: SdpFormat[], lines: string[]): SdpFailure | undefined {
  const where = `m=${String(m.type)}`;
  if (m.port !== undefined && !(Number.isInteger(m.port) && m.port >= 0 && m.port <= 65535))
    return outOfRange(`${where} port ${m.port} (0-65535)`, 307);
  for (const attr of ['ptime', 'maxptime'] as const) {
    const raw = m[attr];
    if (raw === undefined) continue;
    const v = Number(raw);
    if (!inRange(v, PTIME_RANGE)) return outOfRange(`a=${attr}:${String(raw)} (${PTIME_RANGE.min}-${PTIME_RANGE.max} ms)`, 306);
  }
  // sdp-transform drops an a=ptime it cannot read as a number; an explicit bad one is refused too.
  const badPtime = lines.find((l) => /^a=(?:max)?ptime:/.test(l) && !/^a=(?:max)?ptime:\d{1,4}(?:\.\d{1,3})?$/.test(l));
  if (badPtime !== undefined) return outOfRange(`${badPtime.slice(0, 40)} is not a packet time in ms`, 306);
  for (const f of formats) {
    if (f.clockRate !== undefined && !inRange(f.clockRate, CLOCK_RATE_RANGE))
      return outOfRange(`a=rtpmap:${f.pt} clock rate ${f.clockRate} Hz (${CLOCK_RATE_RANGE.min}-${CLOCK_RATE_RANGE.max})`, 306);
    if (f.channels !== undefined && !(Number.isInteger(f.channels) && inRange(f.channels, CHANNELS_RANGE)))
      return outOfRange(`a=rtpmap:${f.pt} channels ${f.channels} (${CHANNELS_RANGE.min}-${CHANNELS_RANGE.max})`, 306);
  }
  const rtpmapOf = (pt: number): string | undefined => lines.find((l) => l.startsWith(`a=rtpmap:${pt} `));
  for (const f of formats) {
    const line = rtpmapOf(f.pt);
    if (line !== undefined && f.clockRate === undefined && f.name !== undefined)
      return outOfRange(`${line.slice(0, 60)} has no usable clock rate`, 306);
  }
  if (m.rtcp !== undefined && !(Number.isInteger(m.rtcp.port) && m.rtcp.port >= 1 && m.rtcp.port <= 65535))
    return outOfRange(`a=rtcp:${m.rtcp.port} (1-65535)`, 306);
  return undefined;
}
