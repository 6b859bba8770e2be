/**
 * One header's value read straight from a message's text without a regular expression: a single
 * pass over the header lines, so the cost is linear in the bytes looked at, whatever a remote peer
 * puts in them (the old `/^(?:call-id|i)[ \t]*:[ \t]*(.+?)[ \t]*$/im` took 257 ms on an `i:` line
 * with 16 000 spaces). For records the parser refused (the trace still files them by Call-ID) and
 * for the ladder. Names compare case-insensitively; compact forms are passed in `names`
 * (RFC 3261 §7.3.3).
 */

/** Longest Call-ID used as a key in a table (longer ones are cut here; RFC 3261 sets no limit). */
export const MAX_CALL_ID_KEY = 256;

/** How far into a message a header is looked for. */
const SCAN_LIMIT = 16_384;

/**
 * The first value of a header named one of `names` (lower case) in the header section of `text`
 * (up to the blank line or `limit` characters), trimmed, or undefined.
 */
export function scanHeader(text: string, names: readonly string[], limit = SCAN_LIMIT): string | undefined {
  const end = Math.min(text.length, limit);
  let pos = text.indexOf('\n');
  if (pos < 0 || pos >= end) return undefined;
  pos++; // skip the start line
  while (pos < end) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0 || eol > end) eol = end;
    let lineEnd = eol > pos && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
    if (lineEnd === pos) return undefined; // blank line: end of headers
    const colon = text.indexOf(':', pos);
    if (colon >= 0 && colon < lineEnd) {
      let nameEnd = colon;
      while (nameEnd > pos && isWsp(text.charCodeAt(nameEnd - 1))) nameEnd--;
      const name = text.slice(pos, nameEnd).toLowerCase();
      if (names.includes(name)) {
        let v = colon + 1;
        while (v < lineEnd && isWsp(text.charCodeAt(v))) v++;
        while (lineEnd > v && isWsp(text.charCodeAt(lineEnd - 1))) lineEnd--;
        if (lineEnd > v) return text.slice(v, lineEnd);
      }
    }
    pos = eol + 1;
  }
  return undefined;
}

function isWsp(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * A Call-ID made safe to use as a table key: at most MAX_CALL_ID_KEY characters, and a copy of its
 * own. V8 keeps a slice of 13 characters or more as a view that holds its whole parent string
 * alive, so a key cut from a 60 KB datagram kept all 60 KB in the table (3000 stray responses:
 * +180 MB of heap for good while the table counted 1.6 MB of keys).
 */
export function callIdKey(id: string): string {
  const cut = id.length > MAX_CALL_ID_KEY ? id.slice(0, MAX_CALL_ID_KEY) : id;
  return cut.length < 13 ? cut : cut.split('').join('');
}

const CALL_ID_NAMES = ['call-id', 'i'] as const;

/** The Call-ID of a message's bytes (parsed or not), cut to MAX_CALL_ID_KEY. Linear time. */
export function scanCallId(raw: Buffer | string): string | undefined {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1', 0, Math.min(raw.length, SCAN_LIMIT));
  const v = scanHeader(text, CALL_ID_NAMES);
  return v === undefined ? undefined : callIdKey(v);
}
