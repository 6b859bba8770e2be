/**
 * DTMF over SIP INFO (vendor conventions, no RFC; PROTOCOL-NOTES §8):
 *  - `application/dtmf-relay`: `Signal=5\r\nDuration=160\r\n` (Duration in ms; `*`/`#` literal,
 *    some senders use 10/11);
 *  - `application/dtmf`: the body is the digit (some send the event number).
 * Unknown content types are answered 415, unreadable bodies 400 (by the SIP layer).
 */
import { digitToEvent, eventToDigit, type DtmfDigit } from './digits.ts';

export const DTMF_RELAY_TYPE = 'application/dtmf-relay';
export const DTMF_TYPE = 'application/dtmf';

export type DtmfInfoParse =
  | { ok: true; digit: DtmfDigit; durationMs?: number }
  | { ok: false; status: 400 | 415; reason: string };

export interface DtmfInfoBody {
  contentType: string;
  body: string;
}

/** `5`, `*`, `#`, `a`…`d`, or an event number `0`…`15`. */
function readSignal(raw: string): DtmfDigit | undefined {
  const s = raw.trim();
  if (s.length === 1) {
    const ev = digitToEvent(s);
    return ev === undefined ? undefined : eventToDigit(ev);
  }
  if (/^\d{1,2}$/.test(s)) return eventToDigit(Number(s));
  return undefined;
}

/** Media type without parameters, lower case (`Application/DTMF-Relay; x=y` → `application/dtmf-relay`). */
function mediaType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

export function parseDtmfInfo(contentType: string, body: string): DtmfInfoParse {
  const type = mediaType(contentType);
  if (type === DTMF_RELAY_TYPE) {
    let digit: DtmfDigit | undefined;
    let durationMs: number | undefined;
    for (const line of body.split(/\r?\n/)) {
      const eq = line.indexOf('=');
      if (eq < 0) continue;
      const name = line.slice(0, eq).trim().toLowerCase();
      const value = line.slice(eq + 1).trim();
      if (name === 'signal') {
        digit = readSignal(value);
        if (digit === undefined)
          return { ok: false, status: 400, reason: `bad Signal value "${value}"` };
      } else if (name === 'duration') {
        if (!/^\d{1,7}$/.test(value))
          return { ok: false, status: 400, reason: `bad Duration value "${value}"` };
        durationMs = Number(value);
      }
    }
    if (digit === undefined)
      return { ok: false, status: 400, reason: 'dtmf-relay body has no Signal line' };
    return { ok: true, digit, durationMs };
  }
  if (type === DTMF_TYPE) {
    const digit = readSignal(body);
    if (digit === undefined)
      return { ok: false, status: 400, reason: `bad application/dtmf body "${body.trim()}"` };
    return { ok: true, digit };
  }
  return { ok: false, status: 415, reason: `unsupported DTMF INFO content type "${type}"` };
}

/** `application/dtmf-relay` body (Duration in ms, default 160 as most PBXs send). */
export function buildDtmfRelay(digit: DtmfDigit, durationMs = 160): DtmfInfoBody {
  if (!Number.isInteger(durationMs) || durationMs <= 0)
    throw new RangeError(`bad duration ${durationMs}`);
  return { contentType: DTMF_RELAY_TYPE, body: `Signal=${digit}\r\nDuration=${durationMs}\r\n` };
}

/** `application/dtmf` body: the digit alone. */
export function buildDtmfBody(digit: DtmfDigit): DtmfInfoBody {
  return { contentType: DTMF_TYPE, body: digit };
}
