/**
 * Dialer form → `call.place` arguments, validated before anything is sent: the contract's own
 * PlaceCallSchema (so the form and the engine agree) plus the checks a form can make earlier —
 * characters that cannot be in a SIP URI, an unknown scheme, header lines that are not
 * "Name: value". Each error names its field so the form can show it next to that field.
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
  | 'source';
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
  ];
  return (known as string[]).includes(f) ? (f as DialerField) : 'target';
}
