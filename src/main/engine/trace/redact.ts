/**
 * Redaction for sharing a trace: digest responses, nonces and cnonces, passwords, tokens, SRTP
 * keys, user parts and phone numbers, display names, host names and IP addresses are replaced by
 * placeholders. One Redactor serves a whole export, so the same input always becomes the same
 * placeholder and the flow still reads (the INVITE's caller is the BYE's caller). Placeholders
 * keep the syntax valid: addresses become documentation addresses (RFC 5737 / RFC 3849), numbers
 * keep their length as digits, so a redacted pcap still decodes and SDP still parses.
 */

const IPV4 =
  /(?<![\w.])(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?![\w.])/g;
/** Candidates only; each is checked by isIpv6. */
const IPV6 =
  /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|(?:\d{1,3}\.){3}\d{1,3})(?![\w:])/g;
const DIGEST_PARAMS =
  /\b(response|nonce|cnonce|opaque|nextnonce|rspauth)(\s*=\s*)("[^"]*"|[^\s,;]+)/gi;
const SECRET_PARAMS =
  /\b(password|passwd|pwd|secret|token|access_token|auth_token|api_key|apikey|key)(\s*[=:]\s*)("[^"]*"|[^\s,;&"]+)/gi;
const BEARER = /\b(Bearer|Basic)(\s+)([A-Za-z0-9\-._~+/]+=*)/g;
const INLINE_KEY = /\b(inline:)([A-Za-z0-9+/=]+)/g;
const SECRET_HEADER =
  /^((?:X-[\w-]*(?:token|secret|key|auth|password)[\w-]*|Authorization-Token)\s*:\s*)(.+)$/gim;
/** Any other X-* header: its value is sensitive unless the user keeps that header (issue 15). */
const X_HEADER = /^(X-[\w-]+)([ \t]*:[ \t]*)([^\r\n]+)$/gim;
/** The password of a URI userinfo, `sip:alice:S3CRET@host` (RFC 3261 §19.1.1 deprecates it). */
const URI_PASSWORD = /\b(sips?:[^@\s;>:?"]+:)([^@\s;>?"]+)(?=@)/gi;
const DISPLAY_NAME = /(^|[:,]\s*)"((?:[^"\\]|\\.)*)"(\s*<)/gm;
const URI_USER = /\b(sips?:)([^@\s;>:?"]+)(?=(?::[^@\s;>?"]*)?@)/gi;
const TEL_USER = /\b(tel:)([^\s;>?"]+)/gi;
/** Host names after "@", "sip:" or a Via's protocol, and digest realms (IP addresses: below). */
const HOST_NAME =
  /(@|\bsips?:(?![^@\s>;]*@)|SIP\/2\.0\/[A-Za-z]+[ \t]+|\brealm\s*=\s*")([A-Za-z0-9-]*[A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*)/gi;
const USERNAME = /\b(username\s*=\s*)("[^"]*"|[^\s,;]+)/gi;
const LONG_NUMBER = /(?<![\w.])(\+?)(\d{6,})(?![\w.])/g;

export interface RedactorOptions {
  /** X-* headers whose values stay as they are (case-insensitive names); every other X-* value is redacted. */
  keepHeaders?: string[];
  /**
   * Only secrets (digest responses and nonces, passwords, tokens, SRTP keys, secret headers):
   * addresses, users, numbers and host names stay, as a support bundle needs them (issue 11).
   */
  secretsOnly?: boolean;
  /** Literal secrets (a password the user typed) replaced wherever they occur. */
  literals?: string[];
}

export class Redactor {
  private readonly keepHeaders: Set<string>;
  private readonly secretsOnly: boolean;
  private readonly literals: string[];
  private readonly maps = new Map<string, Map<string, string>>();
  private readonly reservedIps = new Set<string>();
  /** Every placeholder handed out (never redacted twice). */
  private readonly produced = new Set<string>();

  constructor(o: RedactorOptions = {}) {
    this.keepHeaders = new Set((o.keepHeaders ?? []).map((h) => h.toLowerCase()));
    this.secretsOnly = o.secretsOnly ?? false;
    // Longest first, so a password that contains another is replaced whole.
    this.literals = [...new Set(o.literals ?? [])].filter((l) => l.length >= 3).sort((a, b) => b.length - a.length);
  }

  /** Addresses that occur in the material: placeholders never collide with them. */
  reserve(text: string): void {
    for (const m of text.matchAll(IPV4)) this.reservedIps.add(m[0]);
  }

  private placeholder(kind: string, value: string, make: (n: number) => string): string {
    let map = this.maps.get(kind);
    if (!map) this.maps.set(kind, (map = new Map()));
    let p = map.get(value);
    if (p === undefined) {
      p = make(map.size + 1);
      map.set(value, p);
    }
    return p;
  }

  ipv4(ip: string): string {
    return this.placeholder('ip4', ip, (n) => {
      const used = new Set(this.maps.get('ip4')?.values());
      // RFC 5737 documentation networks first, then 198.18.0.0/15; never an address of the material.
      for (let k = n; ; k++) {
        const cand =
          k <= 762
            ? `${['192.0.2', '198.51.100', '203.0.113'][Math.floor((k - 1) / 254)]!}.${((k - 1) % 254) + 1}`
            : `198.${18 + (Math.floor((k - 763) / 65_024) % 2)}.${Math.floor((k - 763) / 254) % 256}.${((k - 763) % 254) + 1}`;
        if (!this.reservedIps.has(cand) && !used.has(cand)) return cand;
      }
    });
  }

  ipv6(ip: string): string {
    return this.placeholder('ip6', ip.toLowerCase(), (n) => `2001:db8::${n.toString(16)}`);
  }

  number(digits: string): string {
    const plus = digits.startsWith('+') ? '+' : '';
    const body = digits.slice(plus.length);
    return plus + this.placeholder('num', body, (n) => String(n).padStart(body.length, '0'));
  }

  user(u: string): string {
    if (/^\+?\d[\d\-.()]*$/.test(u) && u.replace(/\D/g, '').length >= 3)
      return this.number(u.replace(/[-.()]/g, ''));
    return this.placeholder('user', u, (n) => `user${n}`);
  }

  /** A host name (IP literals are left to the address pass). */
  host(h: string): string {
    return this.placeholder('host', h.toLowerCase(), (n) => `host${n}.example.invalid`);
  }

  secret(kind: string, v: string): string {
    const quoted = v.startsWith('"') && v.endsWith('"') && v.length >= 2;
    const p = this.placeholder(
      kind.toLowerCase(),
      quoted ? v.slice(1, -1) : v,
      (n) => `${kind.toLowerCase()}-redacted-${n}`,
    );
    return quoted ? `"${p}"` : p;
  }

  /** A SIP message (or any text): headers and body, Content-Length corrected. */
  message(text: string): string {
    const split = text.indexOf('\r\n\r\n');
    if (split < 0) return this.text(text);
    const head = this.text(text.slice(0, split));
    const body = this.text(text.slice(split + 4));
    const len = Buffer.byteLength(body);
    const fixed = head.replace(/^((?:content-length|l)[ \t]*:[ \t]*)\d+/im, `$1${len}`);
    return `${fixed}\r\n\r\n${body}`;
  }

  text(t: string): string {
    // Each pass skips what an earlier pass produced, so a placeholder is never replaced again.
    const keep = (m: string, f: () => string): string =>
      this.produced.has(m) ? m : this.mark(f());
    const quoted = (v: string, f: (inner: string) => string): string =>
      v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? `"${f(v.slice(1, -1))}"` : f(v);
    let s = t;
    for (const l of this.literals) s = s.split(l).join(this.mark(this.secret('password', l)));
    s = s.replace(
      DIGEST_PARAMS,
      (_m, k: string, eq: string, v: string) =>
        `${k}${eq}${quoted(v, (x) => keep(x, () => this.secret(k, x)))}`,
    );
    s = s.replace(
      SECRET_PARAMS,
      (_m, k: string, eq: string, v: string) =>
        `${k}${eq}${quoted(v, (x) => keep(x, () => this.secret('secret', x)))}`,
    );
    s = s.replace(
      BEARER,
      (_m, k: string, sp: string, v: string) =>
        `${k}${sp}${keep(v, () => this.secret('token', v))}`,
    );
    s = s.replace(
      INLINE_KEY,
      (_m, k: string, v: string) => `${k}${keep(v, () => this.secret('key', v))}`,
    );
    s = s.replace(
      URI_PASSWORD,
      (_m, pre: string, pw: string) => `${pre}${keep(pw, () => this.secret('password', pw))}`,
    );
    s = s.replace(
      SECRET_HEADER,
      (_m, k: string, v: string) => `${k}${keep(v, () => this.secret('secret', v))}`,
    );
    if (this.secretsOnly) return s;
    s = s.replace(X_HEADER, (m, name: string, sep: string, v: string) =>
      this.keepHeaders.has(name.toLowerCase()) || this.produced.has(v.trim())
        ? m
        : `${name}${sep}${keep(v, () => this.secret('header', v))}`,
    );
    s = s.replace(
      USERNAME,
      (_m, k: string, v: string) => `${k}${quoted(v, (x) => keep(x, () => this.user(x)))}`,
    );
    s = s.replace(
      DISPLAY_NAME,
      (_m, pre: string, name: string, lt: string) =>
        `${pre}"${keep(name, () => this.placeholder('name', name, (n) => `Name ${n}`))}"${lt}`,
    );
    s = s.replace(
      URI_USER,
      (_m, scheme: string, user: string) => `${scheme}${keep(user, () => this.user(user))}`,
    );
    s = s.replace(
      TEL_USER,
      (_m, scheme: string, user: string) => `${scheme}${keep(user, () => this.user(user))}`,
    );
    s = s.replace(
      HOST_NAME,
      (_m, pre: string, host: string) => `${pre}${keep(host, () => this.host(host))}`,
    );
    s = s.replace(IPV6, (m) => (isIpv6(m) ? keep(m, () => this.ipv6(m)) : m));
    s = s.replace(IPV4, (m) => keep(m, () => this.ipv4(m)));
    s = s.replace(LONG_NUMBER, (m, plus: string, d: string) =>
      keep(m, () => this.number(plus + d)),
    );
    return s;
  }

  private mark(p: string): string {
    this.produced.add(p);
    return p;
  }
}

/** A textual IPv6 address (RFC 4291 §2.2), with an optional embedded IPv4 tail. */
export function isIpv6(s: string): boolean {
  if (!s.includes(':')) return false;
  let t = s;
  let extra = 0;
  const v4 = /(\d{1,3}\.){3}\d{1,3}$/.exec(t);
  if (v4) {
    if (!v4[0].split('.').every((o) => Number(o) <= 255)) return false;
    t = `${t.slice(0, v4.index)}0:0`;
    extra = 0;
  }
  const dbl = t.split('::');
  if (dbl.length > 2) return false;
  const groups = (x: string): string[] => (x === '' ? [] : x.split(':'));
  const parts = dbl.flatMap(groups);
  if (!parts.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const n = parts.length + extra;
  return dbl.length === 2 ? n <= 7 : n === 8;
}
