/**
 * URIs: SIP and SIPS (RFC 3261 §19.1, grammar §25.1), tel (RFC 3966, minimally), and any other
 * absoluteURI kept opaque (RFC 3261 §25.1 absoluteURI, so unknown schemes in To/From/Contact
 * still parse, as RFC 4475 §3.3.4 requires).
 *
 * Why our own parser and not jssip's PEG grammar (DESIGN.md asks for a proven grammar): jssip
 * 3.13.8's lib/Grammar.js does load in Node ESM through createRequire without browser-only
 * dependencies, and it is kept as a differential oracle in the tests. But wrapping its output
 * would import its defects: the `maddr` rule reuses the host rule, so `sip:a@1.2.3.4;maddr=9.9.9.9`
 * comes back with host 9.9.9.9 (a request would be routed to the wrong place); user and password
 * are merged (`a:pw`); hosts and transport values are lower-cased (no faithful re-serialisation);
 * tel: and other schemes are rejected; some inputs raise TypeError instead of a parse error; and
 * a PEG parse costs far more than this single left-to-right pass. So this module implements the
 * §25.1 productions directly, character class by character class (see chars.ts).
 */
import { SipParseError } from './message.ts';
import { allIn, escapeOut, HNV, HOSTCHAR, PARAMCHAR, PASSWORD, unescapeIn, URIC, USER } from './chars.ts';
import { setOwn } from './params.ts';

export interface SipUri {
  /** Lower case: sip, sips, tel, or any other scheme (then see `opaque`). */
  scheme: string;
  /** Unescaped user part (for tel: the telephone-subscriber number). */
  user?: string;
  /** Unescaped password. */
  password?: string;
  /** Host as written, IPv6 without brackets; '' for tel and opaque URIs. */
  host: string;
  port?: number;
  /** uri-parameters: names lower-cased, names and values unescaped; null when valueless. */
  params: Record<string, string | null>;
  /** URI headers (`?X-Foo=bar&Subject=x`), names as written, unescaped. */
  headers: Record<string, string>;
  /** For schemes other than sip/sips/tel: everything after "scheme:", as written. */
  opaque?: string;
}

function fail(what: string, text: string): never {
  throw new SipParseError(`${what}: ${text.slice(0, 120)}`, 400);
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;
/** hostname = *( domainlabel "." ) toplabel [ "." ] (IPv4address matches too); "_" tolerated. */
const HOSTNAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?$/;
/** IPv6reference = "[" IPv6address "]" (RFC 3261 §25.1); checked loosely here. */
const IPV6 = /^[0-9A-Fa-f:.]+$/;
/** RFC 3966 telephone-subscriber digits, visual separators and global-number prefix. */
const TEL_NUMBER = /^[0-9A-Fa-f*#+\-.()pPwW]+$/;

export function parseUri(text: string): SipUri {
  const colon = text.indexOf(':');
  if (colon <= 0) fail('bad URI (no scheme)', text);
  const schemeText = text.slice(0, colon);
  if (!SCHEME.test(schemeText)) fail('bad URI scheme', text);
  const scheme = schemeText.toLowerCase();
  const rest = text.slice(colon + 1);
  if (scheme === 'sip' || scheme === 'sips') return parseSip(scheme, rest, text);
  if (scheme === 'tel') return parseTel(rest, text);
  // absoluteURI = scheme ":" ( hier-part / opaque-part ): kept as written.
  if (!allIn(URIC, rest)) fail('bad URI', text);
  return { scheme, host: '', params: {}, headers: {}, opaque: rest };
}

// RFC 3261 §19.1.1 / §25.1: SIP-URI = "sip:" [ userinfo ] hostport uri-parameters [ headers ]
function parseSip(scheme: string, rest: string, text: string): SipUri {
  const uri: SipUri = { scheme, host: '', params: {}, headers: {} };
  let hostStart = 0;
  // userinfo = ( user / telephone-subscriber ) [ ":" password ] "@". Neither user nor password
  // may contain a bare "@", so the first "@" is the only possible end of the userinfo.
  const at = rest.indexOf('@');
  if (at >= 0) {
    const info = rest.slice(0, at);
    const pc = info.indexOf(':');
    const user = unescapeIn(USER, pc < 0 ? info : info.slice(0, pc));
    if (user === undefined || user === '') fail('bad URI user part', text);
    uri.user = user;
    if (pc >= 0) {
      const pwText = info.slice(pc + 1);
      const password = pwText === '' ? '' : unescapeIn(PASSWORD, pwText);
      if (password === undefined) fail('bad URI password', text);
      uri.password = password;
    }
    hostStart = at + 1;
  }
  let end = hostStart;
  while (end < rest.length && rest[end] !== ';' && rest[end] !== '?') end++;
  parseHostPort(uri, rest.slice(hostStart, end), text);
  let q = rest.indexOf('?', end);
  if (q < 0) q = rest.length;
  if (end < q) parseUriParams(uri, rest.slice(end + 1, q), text);
  if (q < rest.length) parseUriHeaders(uri, rest.slice(q + 1), text);
  return uri;
}

// hostport = host [ ":" port ]; host = hostname / IPv4address / IPv6reference
function parseHostPort(uri: SipUri, hp: string, text: string): void {
  let portText: string | undefined;
  if (hp.startsWith('[')) {
    const close = hp.indexOf(']');
    if (close < 0) fail('bad IPv6 reference', text);
    uri.host = hp.slice(1, close);
    if (!IPV6.test(uri.host) || !uri.host.includes(':')) fail('bad IPv6 reference', text);
    const after = hp.slice(close + 1);
    if (after.startsWith(':')) portText = after.slice(1);
    else if (after !== '') fail('bad URI host', text);
  } else {
    const pc = hp.indexOf(':');
    uri.host = pc < 0 ? hp : hp.slice(0, pc);
    if (pc >= 0) portText = hp.slice(pc + 1);
    if (!HOSTNAME.test(uri.host) || !allIn(HOSTCHAR, uri.host)) fail('bad URI host', text);
  }
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) fail('bad URI port', text);
    uri.port = Number(portText);
  }
}

// uri-parameters = *( ";" uri-parameter ); other-param = pname [ "=" pvalue ] (1*paramchar each)
function parseUriParams(uri: SipUri, text: string, whole: string): void {
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    const name = unescapeIn(PARAMCHAR, eq < 0 ? part : part.slice(0, eq));
    if (name === undefined || name === '') fail('bad URI parameter', whole);
    let value: string | null = null;
    if (eq >= 0) {
      value = unescapeIn(PARAMCHAR, part.slice(eq + 1)) ?? null;
      if (value === null || value === '') fail('bad URI parameter value', whole);
    }
    const key = name.toLowerCase();
    if (!Object.prototype.hasOwnProperty.call(uri.params, key)) setOwn(uri.params, key, value);
  }
}

// headers = "?" header *( "&" header ); header = hname "=" hvalue
function parseUriHeaders(uri: SipUri, text: string, whole: string): void {
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) fail('bad URI header', whole);
    const name = unescapeIn(HNV, part.slice(0, eq));
    const valueText = part.slice(eq + 1);
    const value = valueText === '' ? '' : unescapeIn(HNV, valueText);
    if (name === undefined || name === '' || value === undefined) fail('bad URI header', whole);
    if (!Object.prototype.hasOwnProperty.call(uri.headers, name)) setOwn(uri.headers, name, value);
  }
}

// RFC 3966 §3: telephone-uri = "tel:" telephone-subscriber *par (kept minimal: number + params)
function parseTel(rest: string, text: string): SipUri {
  const semi = rest.indexOf(';');
  const number = semi < 0 ? rest : rest.slice(0, semi);
  if (!TEL_NUMBER.test(number)) fail('bad tel URI', text);
  const uri: SipUri = { scheme: 'tel', user: number, host: '', params: {}, headers: {} };
  if (semi >= 0) parseUriParams(uri, rest.slice(semi + 1), text);
  return uri;
}

function formatParamsOf(params: Record<string, string | null>): string {
  let s = '';
  for (const [k, v] of Object.entries(params)) s += `;${escapeOut(PARAMCHAR, k)}${v === null ? '' : `=${escapeOut(PARAMCHAR, v)}`}`;
  return s;
}

/** Serialize a URI, %-escaping whatever its part does not allow literally (RFC 3261 §19.1.2). */
export function formatUri(u: SipUri): string {
  if (u.opaque !== undefined) return `${u.scheme}:${u.opaque}`;
  if (u.scheme === 'tel') return `tel:${u.user ?? ''}${formatParamsOf(u.params)}`;
  let s = `${u.scheme}:`;
  if (u.user !== undefined) {
    s += escapeOut(USER, u.user);
    if (u.password !== undefined) s += `:${escapeOut(PASSWORD, u.password)}`;
    s += '@';
  }
  s += u.host.includes(':') ? `[${u.host}]` : u.host;
  if (u.port !== undefined) s += `:${u.port}`;
  s += formatParamsOf(u.params);
  const hs = Object.entries(u.headers);
  if (hs.length > 0) s += '?' + hs.map(([k, v]) => `${escapeOut(HNV, k)}=${escapeOut(HNV, v)}`).join('&');
  return s;
}
