/**
 * Wire bytes → SipMessage (RFC 3261 §7). One complete message per call: a UDP datagram or one
 * message cut from a stream by the framer.
 *
 * Only framing is done here: start line, header fields (names and raw values), body. Header
 * values are parsed lazily by their accessors (via.ts, cseq.ts, name-addr.ts, uri.ts), and what
 * a UAS must refuse although the message can be framed is left to validate.ts, so a 400 can
 * still be answered with the message's own Via, From, To, Call-ID and CSeq.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { canonicalName, Headers, SipParseError, type HeaderField, type SipMessage } from './message.ts';
import { TOKEN } from './chars.ts';

const LF_LF = Buffer.from('\n\n');
const LF_CRLF = Buffer.from('\n\r\n');
const SIP_VERSION = /^SIP\/\d+\.\d+$/i;
const DIGITS = /^\d+$/;

/** Header text: UTF-8 when it is valid UTF-8 (RFC 3261 §7.3.1 TEXT-UTF8), else one char per octet. */
function decode(data: Buffer, start: number, end: number): string {
  const part = data.subarray(start, end);
  if (isAscii(part)) return data.toString('latin1', start, end);
  return data.toString(isUtf8(part) ? 'utf8' : 'latin1', start, end);
}

function isTokenString(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TOKEN[c] !== 1) return false;
  }
  return true;
}

/** Trim SP / HTAB (and CR, LF) from both ends of s[from, to). */
function trimmed(s: string, from: number, to: number): string {
  while (from < to) {
    const c = s.charCodeAt(from);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) break;
    from++;
  }
  while (to > from) {
    const c = s.charCodeAt(to - 1);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) break;
    to--;
  }
  return s.slice(from, to);
}

export function parseMessage(data: Buffer): SipMessage {
  try {
    return parse(data);
  } catch (e) {
    if (e instanceof SipParseError) throw e;
    // Safety net: a bug must not crash the stack on hostile input. Tests assert it never fires.
    throw new SipParseError(`internal parser error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function parse(data: Buffer): SipMessage {
  const len = data.length;
  let start = 0;
  // RFC 3261 §7.5: CRLFs before the start-line are ignored.
  while (start < len && (data[start] === 13 || data[start] === 10)) start++;
  if (start >= len) throw new SipParseError('empty message');
  // Until the start line is read: anything not starting like a Status-Line is taken as a request.
  const early = data.toString('latin1', start, start + 4).toUpperCase() === 'SIP/' ? undefined : 400;

  // End of the header section: the first empty line, CRLF CRLF or (leniently) bare LF LF.
  let headEnd: number;
  let bodyStart: number;
  const a = data.indexOf(LF_CRLF, start);
  const b = data.indexOf(LF_LF, start);
  if (a >= 0 && (b < 0 || a < b)) [headEnd, bodyStart] = [a + 1, a + 3];
  else if (b >= 0) [headEnd, bodyStart] = [b + 1, b + 2];
  else if (data[len - 1] === 10) [headEnd, bodyStart] = [len, len];
  else throw new SipParseError('header section not terminated by an empty line (RFC 3261 §7)', early);

  // Start line and header lines, each ending in LF.
  const text = decode(data, start, headEnd);
  const lineEnd = text.indexOf('\n');
  const lineStop = lineEnd > 0 && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
  const msg = parseStartLine(text, lineStop, early);
  const status = msg.type === 'request' ? 400 : undefined;

  // A CR that does not end a line is no valid SIP text (RFC 3261 §7.3.1 / §25.1).
  if (/\r(?!\n)/.test(text)) throw new SipParseError('bare CR in header section', status);

  const fields = msg.headers.fields;
  let last: HeaderField | undefined;
  let pos = lineEnd + 1;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    const c0 = text.charCodeAt(pos);
    if (c0 === 32 || c0 === 9) {
      // RFC 3261 §7.3.1: a line starting with SP/HTAB continues the previous field; the
      // line break and the leading whitespace are equivalent to a single SP.
      if (last === undefined) throw new SipParseError('continuation line before any header', status);
      const more = trimmed(text, pos, end);
      if (more !== '') last.value = last.value === '' ? more : `${last.value} ${more}`;
    } else {
      const colon = text.indexOf(':', pos);
      if (colon < 0 || colon >= end) throw new SipParseError(`header line without colon: ${text.slice(pos, Math.min(end, pos + 60))}`, status);
      // HCOLON = *( SP / HTAB ) ":" SWS
      let nameEnd = colon;
      while (nameEnd > pos && (text.charCodeAt(nameEnd - 1) === 32 || text.charCodeAt(nameEnd - 1) === 9)) nameEnd--;
      if (!isTokenString(text, pos, nameEnd)) throw new SipParseError(`invalid header name: ${text.slice(pos, Math.min(colon, pos + 60))}`, status);
      const name = text.slice(pos, nameEnd);
      last = { name, key: canonicalName(name), value: trimmed(text, colon + 1, end) };
      fields.push(last);
    }
    pos = nl + 1;
  }

  // RFC 3261 §18.3: octets beyond Content-Length are discarded; fewer is an error. An invalid
  // or conflicting Content-Length leaves the remaining octets as the body for validate.ts.
  let contentLength: string | undefined;
  let clConflict = false;
  for (const f of fields) {
    if (f.key !== 'content-length') continue;
    if (contentLength !== undefined && f.value !== contentLength) clConflict = true;
    contentLength = f.value;
  }
  let bodyEnd = len;
  if (contentLength !== undefined && !clConflict && DIGITS.test(contentLength)) {
    const cl = Number(contentLength);
    if (cl > len - bodyStart) throw new SipParseError(`Content-Length ${contentLength} larger than the ${len - bodyStart} octets received`, status);
    bodyEnd = bodyStart + cl;
  }
  msg.body = data.subarray(bodyStart, bodyEnd);
  msg.raw = data;
  return msg;
}

// RFC 3261 §7.1 Request-Line = Method SP Request-URI SP SIP-Version CRLF
// RFC 3261 §7.2 Status-Line  = SIP-Version SP Status-Code SP Reason-Phrase CRLF
function parseStartLine(text: string, stop: number, status: number | undefined): SipMessage {
  const sp = text.indexOf(' ', 0);
  if (sp < 0 || sp >= stop) throw new SipParseError(`bad start line: ${text.slice(0, Math.min(stop, 80))}`, status);
  if (text.startsWith('SIP/') || text.startsWith('sip/')) {
    const version = text.slice(0, sp);
    if (!SIP_VERSION.test(version)) throw new SipParseError(`bad SIP version: ${version.slice(0, 40)}`);
    const codeEnd = sp + 4;
    const code = text.slice(sp + 1, Math.min(codeEnd, stop));
    if (!/^[1-6]\d\d$/.test(code) || (codeEnd < stop && text.charCodeAt(codeEnd) !== 32)) {
      throw new SipParseError(`bad status code: ${text.slice(sp + 1, Math.min(stop, sp + 20))}`);
    }
    const reason = codeEnd < stop ? text.slice(codeEnd + 1, stop) : '';
    return { type: 'response', status: Number(code), reason, version, headers: new Headers(), body: EMPTY };
  }
  if (!isTokenString(text, 0, sp)) throw new SipParseError(`invalid method: ${text.slice(0, Math.min(sp, 40))}`, 400);
  const method = text.slice(0, sp);
  // Extra SP between the elements and trailing whitespace (RFC 4475 §3.1.2.9-10) are tolerated
  // here so the request can still be answered; validate.ts rejects them from msg.raw.
  let vEnd = stop;
  while (vEnd > sp && (text.charCodeAt(vEnd - 1) === 32 || text.charCodeAt(vEnd - 1) === 9)) vEnd--;
  const lastSp = text.lastIndexOf(' ', vEnd - 1);
  if (lastSp <= sp) throw new SipParseError(`bad request line: ${text.slice(0, Math.min(stop, 80))}`, 400);
  const version = text.slice(lastSp + 1, vEnd);
  if (!SIP_VERSION.test(version)) throw new SipParseError(`bad SIP version: ${version.slice(0, 40)}`, 400);
  const uri = trimmed(text, sp + 1, lastSp);
  if (uri === '') throw new SipParseError('empty Request-URI', 400);
  return { type: 'request', method, uri, version, headers: new Headers(), body: EMPTY };
}

const EMPTY = Buffer.alloc(0);
