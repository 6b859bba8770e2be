/**
 * The SIP message model shared by every layer of the stack (RFC 3261 §7).
 *
 * Headers are kept as an ordered list of raw fields (name as received, value unparsed) so a
 * message can be re-serialized byte-faithfully and any header parsed only when it is used.
 * Lookup is case-insensitive and understands compact forms (RFC 3261 §7.3.3).
 */

/** RFC 3261 §7.3.3 compact forms (plus RFC 3515/3891/4028/3265 ones), compact → full, lower case. */
export const COMPACT_FORMS: Readonly<Record<string, string>> = {
  i: 'call-id',
  m: 'contact',
  e: 'content-encoding',
  l: 'content-length',
  c: 'content-type',
  f: 'from',
  s: 'subject',
  k: 'supported',
  t: 'to',
  v: 'via',
  o: 'event',
  u: 'allow-events',
  r: 'refer-to',
  x: 'session-expires',
  b: 'referred-by',
  a: 'accept-contact',
  j: 'reject-contact',
  d: 'request-disposition',
  y: 'identity',
};

/**
 * Headers whose values are comma-separated lists (RFC 3261 §7.3.1) and so may be split.
 * Headers such as WWW-Authenticate, Authorization, Date or Subject must never be split.
 */
export const LIST_HEADERS: ReadonlySet<string> = new Set([
  'via',
  'route',
  'record-route',
  'contact',
  'allow',
  'supported',
  'require',
  'proxy-require',
  'unsupported',
  'accept',
  'accept-encoding',
  'accept-language',
  'allow-events',
  'content-encoding',
  'in-reply-to',
  'path',
  'service-route',
  'p-asserted-identity',
]);

/** Canonical lower-case full name of a header, expanding compact forms. */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.length === 1 ? (COMPACT_FORMS[lower] ?? lower) : lower;
}

export interface HeaderField {
  /** The name exactly as received or as given by the caller. */
  name: string;
  /** Canonical lower-case full name (see canonicalName). */
  key: string;
  /** Raw value, folding already unfolded, surrounding whitespace trimmed. */
  value: string;
}

/** An ordered, case-insensitive header list. */
export class Headers {
  readonly fields: HeaderField[] = [];

  constructor(fields?: Iterable<[string, string]>) {
    if (fields) for (const [n, v] of fields) this.append(n, v);
  }

  /** First field value of `name` (whole field, not comma-split), or undefined. */
  get(name: string): string | undefined {
    const key = canonicalName(name);
    for (const f of this.fields) if (f.key === key) return f.value;
    return undefined;
  }

  /** All field values of `name`, in order; list headers are split on top-level commas. */
  getAll(name: string): string[] {
    const key = canonicalName(name);
    const out: string[] = [];
    for (const f of this.fields) {
      if (f.key !== key) continue;
      if (LIST_HEADERS.has(key)) {
        for (const part of splitComma(f.value)) if (part !== '') out.push(part);
      } else out.push(f.value);
    }
    return out;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  append(name: string, value: string): this {
    this.fields.push({ name, key: canonicalName(name), value });
    return this;
  }

  prepend(name: string, value: string): this {
    this.fields.unshift({ name, key: canonicalName(name), value });
    return this;
  }

  /** Replace every field of `name` with one field (appended where the first one stood). */
  set(name: string, value: string): this {
    const key = canonicalName(name);
    const at = this.fields.findIndex((f) => f.key === key);
    this.remove(name);
    const field = { name, key, value };
    if (at < 0 || at > this.fields.length) this.fields.push(field);
    else this.fields.splice(at, 0, field);
    return this;
  }

  remove(name: string): this {
    const key = canonicalName(name);
    for (let i = this.fields.length - 1; i >= 0; i--) if (this.fields[i]!.key === key) this.fields.splice(i, 1);
    return this;
  }

  /** Remove only the first value of a list header (e.g. the top Via), keeping the rest. */
  removeFirstValue(name: string): this {
    const key = canonicalName(name);
    const i = this.fields.findIndex((f) => f.key === key);
    if (i < 0) return this;
    const f = this.fields[i]!;
    const parts = LIST_HEADERS.has(key) ? splitComma(f.value) : [f.value];
    if (parts.length <= 1) this.fields.splice(i, 1);
    else f.value = parts.slice(1).join(', ');
    return this;
  }

  clone(): Headers {
    const h = new Headers();
    for (const f of this.fields) h.fields.push({ ...f });
    return h;
  }
}

/**
 * Split a header value on commas that are not inside double quotes or angle brackets
 * (RFC 3261 §7.3.1). Parts are trimmed.
 */
export function splitComma(value: string): string[] {
  const out: string[] = [];
  let depthAngle = 0;
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value.charCodeAt(i);
    if (inQuote) {
      if (ch === 0x5c /* \ */) i++;
      else if (ch === 0x22 /* " */) inQuote = false;
    } else if (ch === 0x22) inQuote = true;
    else if (ch === 0x3c /* < */) depthAngle++;
    else if (ch === 0x3e /* > */) depthAngle = Math.max(0, depthAngle - 1);
    else if (ch === 0x2c /* , */ && depthAngle === 0) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out;
}

interface MessageBase {
  headers: Headers;
  body: Buffer;
  /** The exact bytes received (parsed messages only); never modified. */
  raw?: Buffer;
}

export interface SipRequest extends MessageBase {
  type: 'request';
  method: string;
  /** Request-URI as text (parse with parseUri when needed). */
  uri: string;
  version: string;
}

export interface SipResponse extends MessageBase {
  type: 'response';
  status: number;
  reason: string;
  version: string;
}

export type SipMessage = SipRequest | SipResponse;

export function isRequest(m: SipMessage): m is SipRequest {
  return m.type === 'request';
}

export function createRequest(method: string, uri: string, headers: Headers = new Headers(), body?: Buffer): SipRequest {
  return { type: 'request', method, uri, version: 'SIP/2.0', headers, body: body ?? Buffer.alloc(0) };
}

export function createResponse(status: number, reason: string, headers: Headers = new Headers(), body?: Buffer): SipResponse {
  return { type: 'response', status, reason, version: 'SIP/2.0', headers, body: body ?? Buffer.alloc(0) };
}

/** An error found while reading a message off the wire. */
export class SipParseError extends Error {
  /** Response status the RFC calls for when a request is this malformed (usually 400), if any. */
  readonly status: number | undefined;
  constructor(reason: string, status?: number) {
    super(reason);
    this.name = 'SipParseError';
    this.status = status;
  }
}
