/**
 * Character classes of the RFC 3261 §25.1 grammar as 128-entry lookup tables (ASCII only;
 * every class here excludes non-ASCII), plus %-escaping helpers shared by the URI parser and
 * formatter.
 */
import { isUtf8 } from 'node:buffer';

function table(chars: string, alnum = true): Uint8Array {
  const t = new Uint8Array(128);
  if (alnum) for (let c = 0; c < 128; c++) if (/[A-Za-z0-9]/.test(String.fromCharCode(c))) t[c] = 1;
  for (const ch of chars) t[ch.charCodeAt(0)] = 1;
  return t;
}

/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const TOKEN = table("-.!%*_+`'~");
/** word = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" / "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}") */
export const WORD = table('-.!%*_+`\'~()<>:\\"/[]?{}');
/** unreserved = alphanum / mark; mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")" */
const MARK = "-_.!~*'()";
/** user = 1*( unreserved / escaped / user-unreserved ); user-unreserved = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/" */
export const USER = table(MARK + '&=+$,;?/');
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ) */
export const PASSWORD = table(MARK + '&=+$,');
/** paramchar = param-unreserved / unreserved / escaped; param-unreserved = "[" / "]" / "/" / ":" / "&" / "+" / "$" */
export const PARAMCHAR = table(MARK + '[]/:&+$');
/** hname/hvalue chars: hnv-unreserved / unreserved / escaped; hnv-unreserved = "[" / "]" / "/" / "?" / ":" / "+" / "$" */
export const HNV = table(MARK + '[]/?:+$');
/** uric (RFC 2396, used by absoluteURI in RFC 3261 §25.1): reserved / unreserved / escaped (plus "#" and "[" "]" leniently). */
export const URIC = table(MARK + ';/?:@&=+$,%#[]');
/** Host name characters (hostname / IPv4address); "_" accepted leniently. */
export const HOSTCHAR = table('-._');

export function isIn(t: Uint8Array, code: number): boolean {
  return code < 128 && t[code] === 1;
}

/** True when every character of s is in class t (and s is non-empty). */
export function allIn(t: Uint8Array, s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isIn(t, s.charCodeAt(i))) return false;
  return true;
}

function hexVal(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/**
 * Check s against class t where `%HH` escapes are also allowed (RFC 3261 §25.1 escaped), and
 * return it unescaped. Escapes decode as UTF-8 octets; a sequence that is not valid UTF-8 keeps
 * one character per octet. Returns undefined when s has a character outside the class or a
 * broken escape.
 */
export function unescapeIn(t: Uint8Array, s: string): string | undefined {
  let hasEscape = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 /* % */) {
      if (i + 2 >= s.length) return undefined;
      if (hexVal(s.charCodeAt(i + 1)) < 0 || hexVal(s.charCodeAt(i + 2)) < 0) return undefined;
      hasEscape = true;
      i += 2;
    } else if (!isIn(t, c)) return undefined;
  }
  if (!hasEscape) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      bytes.push(hexVal(s.charCodeAt(i + 1)) * 16 + hexVal(s.charCodeAt(i + 2)));
      i += 2;
    } else bytes.push(c);
  }
  const buf = Buffer.from(bytes);
  return isUtf8(buf) ? buf.toString('utf8') : buf.toString('latin1');
}

const HEX = '0123456789ABCDEF';

/** %-escape every character of s outside class t (and "%" itself), as UTF-8 octets. */
export function escapeOut(t: Uint8Array, s: string): string {
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 || !isIn(t, c)) {
      plain = false;
      break;
    }
  }
  if (plain) return s;
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c !== 37 && isIn(t, c)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += '%' + HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}
