/**
 * name-addr / addr-spec values of From, To, Contact, Route, Record-Route, Refer-To and friends
 * (RFC 3261 §20.10, §20.20, §20.39, grammar §25.1):
 *
 *   ( name-addr / addr-spec ) *( SEMI generic-param )
 *   name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
 *   display-name = *(token LWS) / quoted-string
 *
 * One value per call: split comma lists first (Headers.getAll does). `Contact: *` is not a
 * name-addr; test it with isStarContact.
 */
import { SipParseError } from './message.ts';
import { formatParams, parseParamsStrict } from './params.ts';
import { formatUri, parseUri, type SipUri } from './uri.ts';
import { isIn, TOKEN } from './chars.ts';

export interface NameAddr {
  /** Display name: quotes removed and quoted-pairs unescaped, or the tokens joined by one SP. */
  displayName?: string;
  uri: SipUri;
  /** Header parameters (after ">" or after a bare URI), names lower-cased. */
  params: Record<string, string | null>;
}

function fail(what: string, value: string): never {
  throw new SipParseError(`${what}: ${value.slice(0, 120)}`, 400);
}

function isWs(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 10;
}

export function parseNameAddr(value: string): NameAddr {
  let i = 0;
  const n = value.length;
  while (i < n && isWs(value.charCodeAt(i))) i++;
  let displayName: string | undefined;
  if (value.charCodeAt(i) === 34 /* " */) {
    // quoted-string = SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE
    let j = i + 1;
    let text = '';
    for (;;) {
      if (j >= n) fail('unterminated quoted display name', value);
      const c = value.charCodeAt(j);
      if (c === 34) break;
      if (c === 92 /* \ */) {
        // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
        const next = value.charCodeAt(j + 1);
        if (j + 1 >= n || next === 10 || next === 13) fail('bad quoted-pair in display name', value);
        text += value[j + 1];
        j += 2;
      } else {
        text += value[j];
        j++;
      }
    }
    displayName = text;
    i = j + 1;
    while (i < n && isWs(value.charCodeAt(i))) i++;
    if (value.charCodeAt(i) !== 60 /* < */) fail('quoted display name not followed by <addr-spec>', value);
  }
  const lt = value.indexOf('<', i);
  let uri: SipUri;
  let paramsText: string;
  if (lt >= 0) {
    if (displayName === undefined) {
      // display-name = *(token LWS); RFC 4475 §3.1.1.6 accepts no LWS before "<".
      const raw = value.slice(i, lt);
      for (let k = 0; k < raw.length; k++) {
        const c = raw.charCodeAt(k);
        if (!isWs(c) && !isIn(TOKEN, c)) fail('display name needs quotes', value);
      }
      const words = raw.split(/[ \t\r\n]+/).filter((w) => w !== '');
      if (words.length > 0) displayName = words.join(' ');
    }
    const gt = value.indexOf('>', lt + 1);
    if (gt < 0) fail('missing > in name-addr', value);
    // LAQUOT = SWS "<" and RAQUOT = ">" SWS: no whitespace inside the brackets (RFC 4475 §3.1.2.14).
    const spec = value.slice(lt + 1, gt);
    if (/[ \t\r\n]/.test(spec)) fail('whitespace inside <addr-spec>', value);
    uri = parseUri(spec);
    paramsText = value.slice(gt + 1);
  } else {
    // RFC 3261 §20.10: without angle brackets every ";" parameter is a header parameter, and a
    // URI with a comma, question mark or semicolon must be enclosed in angle brackets.
    let end = i;
    while (end < n && value[end] !== ';') end++;
    let uriEnd = end;
    while (uriEnd > i && isWs(value.charCodeAt(uriEnd - 1))) uriEnd--;
    const spec = value.slice(i, uriEnd);
    if (spec.includes('?') || spec.includes(',')) fail('addr-spec with "?" or "," must be in <>', value);
    uri = parseUri(spec);
    paramsText = value.slice(end);
  }
  const params = parseParamsStrict(paramsText);
  return displayName === undefined ? { uri, params } : { displayName, uri, params };
}

/** `Contact: *` (RFC 3261 §10.2.2, §20.10): STAR, optionally followed by parameters. */
export function isStarContact(value: string): boolean {
  return /^[ \t]*\*[ \t]*(?:;.*)?$/s.test(value);
}

/** Serialize as name-addr: always in angle brackets, display name always quoted. */
export function formatNameAddr(na: NameAddr): string {
  const dn = na.displayName;
  const prefix = dn !== undefined && dn !== '' ? `"${dn.replace(/(["\\])/g, '\\$1')}" ` : '';
  return `${prefix}<${formatUri(na.uri)}>${formatParams(na.params)}`;
}
