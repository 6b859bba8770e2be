/**
 * E.164 normalisation for number matching: `+14155550100`, `14155550100`, `0014155550100`,
 * `011 1 415 555 0100`, `tel:+1-415-555-0100` and `sip:+14155550100@host;user=phone` all become
 * `+14155550100` (RFC 3966 §5.1.1 visual separators dropped; `00` and `011` international
 * prefixes read as `+`). A value that is not a number (letters, `*`, `#`) is returned unchanged
 * but for the tel:/sip: wrapping, so it can still match exactly.
 */

/** The user part of a SIP/SIPS URI or the number of a tel: URI; other text is returned as is. */
export function userPart(uri: string): string {
  let s = uri.trim();
  const angle = /<([^>]*)>/.exec(s);
  if (angle) s = angle[1]!;
  const tel = /^tel:([^;]*)/i.exec(s);
  if (tel) return tel[1]!;
  const sip = /^sips?:([^@;]*)@/i.exec(s);
  if (sip) return decodeURIComponentSafe(sip[1]!);
  return s;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function normaliseE164(value: string): string {
  const raw = userPart(value);
  // RFC 3966 §5.1.1: visual separators carry no meaning.
  const s = raw.replace(/[\s\-.()]/g, '');
  if (/^\+\d+$/.test(s)) return s;
  if (!/^\d+$/.test(s)) return raw;
  if (s.startsWith('011')) return `+${s.slice(3)}`;
  if (s.startsWith('00')) return `+${s.slice(2)}`;
  if (s.startsWith('0')) return s; // a national number: no country code to assume
  return `+${s}`;
}

/** True when `value` reads as a phone number (digits with an optional + and separators). */
export function looksLikeNumber(value: string): boolean {
  return /^\+?[\d\s\-.()]{1,32}$/.test(userPart(value)) && /\d/.test(value);
}
