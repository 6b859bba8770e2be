/**
 * Dialer form → `call.place` arguments, validated before anything is sent: the contract's own
 * PlaceCallSchema (so the form and the engine agree) plus the checks a form can make earlier —
 * characters that cannot be in a SIP URI, an unknown scheme, a proxy or From without a host, a
 * number with no proxy to send it to, header lines that are not "Name: value". Each error names
 * its field so the form can show it next to that field.
 */
import {
  HeaderSchema,
  PlaceCallSchema,
  type PlaceCallArgs,
} from '../../../../shared/api/contract.ts';

export interface DialerForm {
  target: string;
  transport: string;
  codecs: string[];
  dtmf: string;
  srtp: string;
  headersText: string;
  user: string;
  password: string;
  authUser: string;
  source: string;
  /** Outbound proxy / trunk host: a number target is sent to it. */
  proxy: string;
  /** From URI. */
  from: string;
}

export type DialerField =
  | 'target'
  | 'transport'
  | 'codecs'
  | 'dtmf'
  | 'srtp'
  | 'headers'
  | 'user'
  | 'password'
  | 'authUser'
  | 'source'
  | 'proxy'
  | 'from';
export type DialerErrors = Partial<Record<DialerField, string>>;

export type Validation = { ok: true; args: PlaceCallArgs } | { ok: false; errors: DialerErrors };

/** Characters allowed in a SIP URI or dialled number (RFC 3261 §25.1, plus # for dial strings). */
const URI_CHAR = /[A-Za-z0-9\-_.!~*'()%&=+$,;?/:@[\]#]/;
const KNOWN_SCHEMES = ['sip', 'sips', 'tel'];

export function targetError(raw: string): string | undefined {
  const t = raw.trim();
  if (!t) return 'enter a SIP URI or number';
  if (/\s/.test(t)) return 'no spaces in a SIP URI or number';
  for (const ch of t) {
    if (!URI_CHAR.test(ch)) return `"${ch}" is not allowed in a SIP URI`;
  }
  if (/%(?![0-9A-Fa-f]{2})/.test(t)) return '"%" must be followed by two hex digits';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):(?!\d)/.exec(t);
  if (scheme && !KNOWN_SCHEMES.includes(scheme[1]!.toLowerCase())) {
    return `unknown URI scheme "${scheme[1]}:" (use sip:, sips: or tel:)`;
  }
  if (scheme && t.length === scheme[0].length) return `nothing after "${scheme[0]}"`;
  if (/@$/.test(t)) return 'host missing after "@"';
  if (/^@/.test(t) || /:@/.test(t)) return 'user missing before "@"';
  return undefined;
}

/**
 * A proxy or From address: a sip:/sips: URI, or user@host / host[:port] (the engine adds "sip:").
 * Empty is fine (the field is optional).
 */
export function sipAddressError(raw: string): string | undefined {
  const t = raw.trim();
  if (!t) return undefined;
  if (/\s/.test(t)) return 'no spaces in a SIP URI';
  for (const ch of t) {
    if (!URI_CHAR.test(ch) || ch === '#') return `"${ch}" is not allowed in a SIP URI`;
  }
  if (/%(?![0-9A-Fa-f]{2})/.test(t)) return '"%" must be followed by two hex digits';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):(?!\d)/.exec(t);
  if (scheme && !['sip', 'sips'].includes(scheme[1]!.toLowerCase())) {
    return `unknown URI scheme "${scheme[1]}:" (use sip: or sips:)`;
  }
  const rest = scheme ? t.slice(scheme[0].length) : t;
  if (!rest) return `nothing after "${scheme![0]}"`;
  const at = rest.lastIndexOf('@');
  if (at === 0) return 'user missing before "@"';
  const hostPort = rest.slice(at + 1).split(/[;?]/)[0]!;
  if (!hostPort) return at > 0 ? 'host missing after "@"' : 'no host';
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(hostPort);
  if (!m) return `"${hostPort}" is not a host or host:port`;
  if (m[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 65535)) {
    return `port ${m[2]} is out of range (1-65535)`;
  }
  return undefined;
}

/** A target the engine can only send to a proxy: a number / tel: URI with no host. */
export function isHostless(target: string): boolean {
  const t = target.trim();
  if (/^sips?:/i.test(t)) return false;
  return /^tel:/i.test(t) || !/[@.:]|^localhost$/i.test(t);
}

/** "Name: value" lines → header tuples; the first bad line is reported with its number. */
export function parseHeaders(
  text: string,
): { headers: Array<[string, string]> } | { error: string } {
  const headers: Array<[string, string]> = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { error: `line ${i + 1}: expected "Name: value"` };
    const pair: [string, string] = [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    const r = HeaderSchema.safeParse(pair);
    if (!r.success) return { error: `line ${i + 1}: invalid header name "${pair[0]}"` };
    headers.push(pair);
  }
  return { headers };
}

export function validateDialer(form: DialerForm): Validation {
  const errors: DialerErrors = {};
  const te = targetError(form.target);
  if (te) errors.target = te;
  else if (!form.proxy.trim() && isHostless(form.target)) {
    errors.target = 'a number needs a Proxy (or enter user@host or a SIP URI)';
  }
  const pe = sipAddressError(form.proxy);
  if (pe) errors.proxy = pe;
  const fe = sipAddressError(form.from);
  if (fe) errors.from = fe;
  const h = parseHeaders(form.headersText);
  if ('error' in h) errors.headers = h.error;
  const args: PlaceCallArgs = {
    target: form.target.trim(),
    transport: form.transport as PlaceCallArgs['transport'],
    codecs: form.codecs as PlaceCallArgs['codecs'],
    dtmf: form.dtmf as PlaceCallArgs['dtmf'],
    srtp: form.srtp as PlaceCallArgs['srtp'],
    headers: 'headers' in h ? h.headers : [],
    source: form.source as PlaceCallArgs['source'],
  };
  if (form.user.trim()) args.user = form.user.trim();
  if (form.password) args.password = form.password;
  if (form.authUser.trim()) args.authUser = form.authUser.trim();
  if (form.proxy.trim()) args.proxy = form.proxy.trim();
  if (form.from.trim()) args.from = form.from.trim();
  const r = PlaceCallSchema.safeParse(args);
  if (!r.success) {
    for (const issue of r.error.issues) {
      const field = fieldOf(issue.path);
      if (errors[field]) continue;
      errors[field] =
        field === 'codecs' && issue.code === 'invalid_value'
          ? `unknown codec "${String(form.codecs[Number(issue.path[1])])}"`
          : issue.message;
    }
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, args };
}

/**
 * The errors of every field a profile keeps (all but the target): the same checks as a call,
 * with a stand-in target.
 */
export function profileFieldErrors(form: Omit<DialerForm, 'target'>): DialerErrors {
  const v = validateDialer({ ...form, target: 'sip:profile@example.invalid' });
  return v.ok ? {} : v.errors;
}

function fieldOf(path: ReadonlyArray<PropertyKey>): DialerField {
  const f = String(path[0] ?? 'target');
  const known: DialerField[] = [
    'target',
    'transport',
    'codecs',
    'dtmf',
    'srtp',
    'headers',
    'user',
    'password',
    'authUser',
    'source',
    'proxy',
    'from',
  ];
  return (known as string[]).includes(f) ? (f as DialerField) : 'target';
}
