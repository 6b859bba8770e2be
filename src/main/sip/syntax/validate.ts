/**
 * What a UAS must refuse in a request that could be framed (RFC 3261 §8.2, the mandatory header
 * fields of §8.1.1, the header grammar of §20/§25), and what a UAC must drop in a response
 * (§8.1.3). The RFC 4475 torture messages are the test corpus.
 */
import { SipParseError, type SipRequest, type SipResponse } from './message.ts';
import { parseCSeq } from './cseq.ts';
import { parseVia } from './via.ts';
import { parseParamsStrict } from './params.ts';
import { parseUri, type SipUri } from './uri.ts';
import { isStarContact, parseNameAddr, type NameAddr } from './name-addr.ts';
import { allIn, WORD } from './chars.ts';

/** A refusal: the response status the RFC calls for (400, 416, 505) and a human reason. */
export interface Rejection {
  status: number;
  reason: string;
}

export interface ValidateOptions {
  /**
   * Accept RFC 2543-style requests that lack Max-Forwards (RFC 4475 §3.4.1). Off by default:
   * RFC 3261 §8.1.1 makes Max-Forwards mandatory.
   */
  rfc2543?: boolean;
}

const MAX_32 = 0xffffffff;
const DIGITS = /^\d+$/;
/** RFC 3261 §20.17 / §25.1 SIP-date = rfc1123-date, and only "GMT" is allowed. */
const SIP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

class Refused extends Error {
  readonly status: number;
  constructor(reason: string, status = 400) {
    super(reason);
    this.status = status;
  }
}

function why(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Run a header parser; its SipParseError becomes a 400 naming the header. */
function parsed<T>(header: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SipParseError) throw new Refused(`unparseable ${header}: ${e.message}`);
    throw e;
  }
}

/**
 * Values that parsed before parse the same way again (the parsers are pure), so a peer that
 * repeats the same Contact, Route or Request-URI call after call is parsed once. Only values that
 * parsed are kept; the cache is cleared when it grows past its cap.
 */
const known = { nameAddr: new Map<string, NameAddr>(), uri: new Map<string, SipUri>() };
const MAX_KNOWN = 512;

function remember<T>(cache: Map<string, T>, header: string, value: string, parse: (v: string) => T): T {
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  const result = parsed(header, () => parse(value));
  if (cache.size >= MAX_KNOWN) cache.clear();
  cache.set(value, result);
  return result;
}

const nameAddrOf = (header: string, value: string): NameAddr => remember(known.nameAddr, header, value, parseNameAddr);

function count(msg: SipRequest | SipResponse, key: string): number {
  let n = 0;
  for (const f of msg.headers.fields) if (f.key === key) n++;
  return n;
}

function firstLine(raw: Buffer): string {
  let i = 0;
  while (i < raw.length && (raw[i] === 13 || raw[i] === 10)) i++;
  let end = raw.indexOf(10, i);
  if (end < 0) end = raw.length;
  if (end > i && raw[end - 1] === 13) end--;
  return raw.toString('latin1', i, end);
}

/** A Via value parses and its parameters are well formed (RFC 3261 §20.42, §25.1 via-params). */
function checkVia(value: string): void {
  const via = parsed('Via', () => parseVia(value));
  if (via.protocol !== 'SIP/2.0') throw new Refused(`unsupported Via protocol ${via.protocol}`);
  const semi = value.indexOf(';');
  if (semi >= 0) parsed('Via', () => parseParamsStrict(value.slice(semi)));
}

function checkDelta(header: string, value: string): void {
  if (!DIGITS.test(value) || Number(value) > MAX_32) throw new Refused(`bad ${header} value: ${value.slice(0, 40)}`);
}

function checkContentLength(msg: SipRequest | SipResponse): void {
  if (count(msg, 'content-length') > 1) throw new Refused('more than one Content-Length (RFC 4475 §3.3.9)');
  const cl = msg.headers.get('content-length');
  if (cl === undefined) return;
  if (!DIGITS.test(cl)) throw new Refused(`invalid Content-Length: ${cl.slice(0, 40)} (RFC 3261 §20.14)`);
  if (Number(cl) > msg.body.length) throw new Refused(`Content-Length ${cl} larger than the ${msg.body.length}-octet body (RFC 3261 §18.3)`);
}

function checkCallId(value: string): void {
  // RFC 3261 §25.1: callid = word [ "@" word ]
  const parts = value.split('@');
  if (parts.length > 2 || !parts.every((p) => allIn(WORD, p))) throw new Refused(`bad Call-ID: ${value.slice(0, 80)}`);
}

/** RFC 3261 §8.1.1: header fields every request carries (key, name for messages). */
const REQUIRED: ReadonlyArray<readonly [string, string]> = [
  ['to', 'To'],
  ['from', 'From'],
  ['cseq', 'CSeq'],
  ['call-id', 'Call-ID'],
  ['max-forwards', 'Max-Forwards'],
  ['via', 'Via'],
];

/** How many fields of each REQUIRED header the request has (has() counts them the same way). */
function countRequired(req: SipRequest): number[] {
  const n = [0, 0, 0, 0, 0, 0];
  for (const f of req.headers.fields) {
    for (let i = 0; i < REQUIRED.length; i++) {
      if (f.key === REQUIRED[i]![0]) {
        n[i]!++;
        break;
      }
    }
  }
  return n;
}

function checkRequestOrThrow(req: SipRequest, opts: ValidateOptions): void {
  // RFC 3261 §7.1: Method SP Request-URI SP SIP-Version, single SPs, nothing after the version
  // (RFC 4475 §3.1.2.9 lwsstart, §3.1.2.10 trws).
  const line = req.raw !== undefined ? firstLine(req.raw) : `${req.method} ${req.uri} ${req.version}`;
  if (!/^[^ \t]+ [^ \t]+ [^ \t]+$/.test(line)) throw new Refused('malformed Request-Line: Method SP Request-URI SP SIP-Version (RFC 3261 §7.1)');
  // RFC 3261 §8.2 (§21.5.6): a version we do not speak gets 505.
  if (req.version.toUpperCase() !== 'SIP/2.0') throw new Refused(`SIP version not supported: ${req.version}`, 505);

  // RFC 3261 §8.1.1: the mandatory header fields, counted in one pass.
  const seen = countRequired(req);
  for (let i = 0; i < REQUIRED.length; i++) {
    const [key, name] = REQUIRED[i]!;
    if (key === 'max-forwards' && opts.rfc2543) continue;
    if (seen[i] === 0) throw new Refused(`missing ${name} header (RFC 3261 §8.1.1)`);
  }
  // Single-valued header fields appear once (RFC 4475 §3.3.8).
  for (let i = 0; i < REQUIRED.length; i++) {
    const [key, name] = REQUIRED[i]!;
    if (key !== 'via' && seen[i]! > 1) throw new Refused(`more than one ${name} header (RFC 3261 §7.3.1)`);
  }

  // From and To carry per-call tags: parsed every time, not remembered.
  const to = parsed('To', () => parseNameAddr(req.headers.get('to') ?? ''));
  parsed('From', () => parseNameAddr(req.headers.get('from') ?? ''));
  checkCallId(req.headers.get('call-id') ?? '');
  const cseq = parsed('CSeq', () => parseCSeq(req.headers.get('cseq') ?? ''));
  // RFC 3261 §8.1.1.5 / RFC 4475 §3.1.2.17: the CSeq method matches the request method.
  if (cseq.method !== req.method) throw new Refused(`CSeq method ${cseq.method} does not match ${req.method}`);
  for (const v of req.headers.getAll('via')) checkVia(v);
  const mf = req.headers.get('max-forwards');
  // RFC 3261 §20.22: Max-Forwards = 1*DIGIT, an integer 0-255.
  if (mf !== undefined && (!DIGITS.test(mf) || Number(mf) > 255)) throw new Refused(`bad Max-Forwards: ${mf.slice(0, 40)}`);
  checkContentLength(req);
  // RFC 3261 §7.4.1 / §20.15: a non-empty body comes with Content-Type.
  if (req.body.length > 0 && !req.headers.has('content-type')) throw new Refused('body without Content-Type (RFC 3261 §20.15)');

  const expires = req.headers.get('expires');
  if (count(req, 'expires') > 1) throw new Refused('more than one Expires header');
  // RFC 3261 §20.19: delta-seconds, at most 2**32-1 (RFC 4475 §3.1.2.4).
  if (expires !== undefined) checkDelta('Expires', expires);
  const date = req.headers.get('date');
  if (date !== undefined && !SIP_DATE.test(date)) throw new Refused(`bad Date (RFC 3261 §20.17 allows only GMT): ${date.slice(0, 60)}`);

  const contacts = req.headers.getAll('contact');
  if (contacts.some(isStarContact)) {
    // RFC 3261 §10.2.2 / §10.3 step 6: "*" only in REGISTER, alone, with Expires: 0.
    if (req.method !== 'REGISTER' || contacts.length !== 1 || expires !== '0') throw new Refused('Contact "*" only alone in a REGISTER with Expires: 0');
  } else {
    for (const c of contacts) {
      const na = nameAddrOf('Contact', c);
      const exp = na.params['expires'];
      if (exp !== undefined && exp !== null) checkDelta('Contact expires', exp);
      else if (exp === null) throw new Refused('Contact expires parameter without value');
    }
  }
  for (const key of ['route', 'record-route']) {
    for (const v of req.headers.getAll(key)) nameAddrOf(key === 'route' ? 'Route' : 'Record-Route', v);
  }
  // RFC 3261 §10.2: the address-of-record in To of a REGISTER is a SIP or SIPS URI (RFC 4475 §3.3.4).
  if (req.method === 'REGISTER' && to.uri.scheme !== 'sip' && to.uri.scheme !== 'sips') {
    throw new Refused(`REGISTER To is not a SIP or SIPS URI: ${to.uri.scheme}`);
  }

  const ruri = remember(known.uri, 'Request-URI', req.uri, parseUri);
  // RFC 3261 §8.2.2.1: a Request-URI scheme we do not understand gets 416.
  if (ruri.scheme !== 'sip' && ruri.scheme !== 'sips' && ruri.scheme !== 'tel') {
    throw new Refused(`unsupported URI scheme: ${ruri.scheme}`, 416);
  }
  // RFC 3261 §19.1.1 Table 1: no headers in a Request-URI (RFC 4475 §3.1.2.11).
  if (Object.keys(ruri.headers).length > 0) throw new Refused('headers in the Request-URI (RFC 3261 §19.1.1)');
}

/** The status and reason a UAS must answer this request with, or undefined if acceptable. */
export function checkRequest(req: SipRequest, opts: ValidateOptions = {}): Rejection | undefined {
  try {
    checkRequestOrThrow(req, opts);
    return undefined;
  } catch (e) {
    if (e instanceof Refused) return { status: e.status, reason: e.message };
    return { status: 400, reason: `malformed request: ${why(e)}` };
  }
}

/**
 * Why a UAS must refuse this request (400 for most reasons; see checkRequest for the exact
 * status: 416 for an unsupported Request-URI scheme, 505 for an unsupported version), or
 * undefined when it is acceptable.
 */
export function validateRequest(req: SipRequest, opts: ValidateOptions = {}): string | undefined {
  return checkRequest(req, opts)?.reason;
}

/**
 * Why a UAC must drop this response (RFC 3261 §8.1.3: it cannot be matched to a transaction
 * without Via, CSeq, Call-ID, From and To), or undefined when it is acceptable. A second Via
 * (§8.1.3.3, a SHOULD) is left to the transaction user.
 */
export function validateResponse(res: SipResponse): string | undefined {
  try {
    if (res.version.toUpperCase() !== 'SIP/2.0') return `SIP version not supported: ${res.version}`;
    for (const [key, name] of [
      ['via', 'Via'],
      ['cseq', 'CSeq'],
      ['call-id', 'Call-ID'],
      ['from', 'From'],
      ['to', 'To'],
    ] as const) {
      if (!res.headers.has(key)) return `missing ${name} header`;
      if (key !== 'via' && count(res, key) > 1) return `more than one ${name} header`;
    }
    checkVia(res.headers.getAll('via')[0] ?? '');
    parsed('CSeq', () => parseCSeq(res.headers.get('cseq') ?? ''));
    checkCallId(res.headers.get('call-id') ?? '');
    parsed('From', () => parseNameAddr(res.headers.get('from') ?? ''));
    parsed('To', () => parseNameAddr(res.headers.get('to') ?? ''));
    checkContentLength(res);
    return undefined;
  } catch (e) {
    return e instanceof Refused ? e.message : `malformed response: ${why(e)}`;
  }
}
