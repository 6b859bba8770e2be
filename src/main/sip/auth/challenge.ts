/**
 * Digest challenges: the value of a WWW-Authenticate (401) or Proxy-Authenticate (407) header.
 *
 * RFC 3261 §25.1: challenge = ("Digest" LWS digest-cln *(COMMA digest-cln)) / other-challenge;
 * digest-cln = realm / domain / nonce / opaque / stale / algorithm / qop-options / auth-param.
 * Parameter names are case-insensitive (RFC 7616 §3.3); values are tokens or quoted strings with
 * backslash quoted-pairs (RFC 3261 §25.1 quoted-pair).
 */

/** Algorithms we can compute (RFC 7616 §6.1 registry; RFC 8760 §2.2 for SIP). */
export const SUPPORTED_ALGORITHMS = [
  'MD5',
  'MD5-sess',
  'SHA-256',
  'SHA-256-sess',
  'SHA-512-256',
  'SHA-512-256-sess',
] as const;
export type DigestAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];

export interface DigestChallenge {
  scheme: 'Digest';
  realm: string;
  nonce: string;
  opaque?: string;
  domain?: string;
  /**
   * Canonical spelling when supported (e.g. 'SHA-256-sess'), otherwise the raw token.
   * 'MD5' when the challenge names none (RFC 2617 §3.2.1: "If this is not present it is assumed
   * to be MD5").
   */
  algorithm: string;
  /** The algorithm token exactly as the server sent it; undefined when absent. */
  algorithmRaw?: string;
  /** qop-options, lower-cased (RFC 7616 §3.3: "auth", "auth-int"); empty = RFC 2069 mode. */
  qop: string[];
  /** RFC 7616 §3.3 stale: the previous response was valid but its nonce has expired. */
  stale: boolean;
  /** Every parameter, names lower-cased, values unquoted; unknown parameters are kept here. */
  params: Record<string, string>;
}

export function canonicalAlgorithm(token: string): DigestAlgorithm | undefined {
  const t = token.trim().toLowerCase();
  return SUPPORTED_ALGORITHMS.find((a) => a.toLowerCase() === t);
}

const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\r' || c === '\n';

interface ParsedParams {
  params: Record<string, string>;
  /** Index where a following challenge (a new scheme) starts, or the text length. */
  end: number;
}

/** Parse `name=value, name="quoted"` from `start` until the end or the next scheme token. */
export function parseAuthParams(text: string, start: number): ParsedParams {
  const params: Record<string, string> = {};
  const n = text.length;
  let i = start;
  for (;;) {
    while (i < n && (isSpace(text[i]) || text[i] === ',')) i++;
    if (i >= n) return { params, end: n };
    const nameStart = i;
    while (i < n && text[i] !== '=' && text[i] !== ',' && !isSpace(text[i])) i++;
    const name = text.slice(nameStart, i).toLowerCase();
    let j = i;
    while (j < n && isSpace(text[j])) j++;
    if (text[j] !== '=') {
      // A bare token: the scheme of the next challenge (RFC 7235 §4.1 lists) — stop here.
      return { params, end: nameStart };
    }
    j++;
    while (j < n && isSpace(text[j])) j++;
    let value = '';
    if (text[j] === '"') {
      j++;
      let closed = false;
      while (j < n) {
        const c = text[j];
        if (c === '\\' && j + 1 < n) {
          value += text[j + 1];
          j += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          j++;
          break;
        }
        value += c;
        j++;
      }
      if (!closed) throw new Error(`Digest challenge: unterminated quoted string in "${name}"`);
    } else {
      const vStart = j;
      while (j < n && text[j] !== ',' && !isSpace(text[j])) j++;
      value = text.slice(vStart, j);
    }
    if (name) params[name] = value;
    i = j;
  }
}

function toChallenge(params: Record<string, string>): DigestChallenge {
  const realm = params['realm'];
  const nonce = params['nonce'];
  if (realm === undefined) throw new Error('Digest challenge has no realm (RFC 7616 §3.3)');
  if (nonce === undefined) throw new Error('Digest challenge has no nonce (RFC 7616 §3.3)');
  const algorithmRaw = params['algorithm'];
  const algorithm =
    algorithmRaw === undefined ? 'MD5' : (canonicalAlgorithm(algorithmRaw) ?? algorithmRaw);
  const qop = (params['qop'] ?? '')
    .split(',')
    .map((q) => q.trim().toLowerCase())
    .filter((q) => q !== '');
  const c: DigestChallenge = {
    scheme: 'Digest',
    realm,
    nonce,
    algorithm,
    qop,
    stale: (params['stale'] ?? '').toLowerCase() === 'true',
    params,
  };
  if (algorithmRaw !== undefined) c.algorithmRaw = algorithmRaw;
  if (params['opaque'] !== undefined) c.opaque = params['opaque'];
  if (params['domain'] !== undefined) c.domain = params['domain'];
  return c;
}

/**
 * Every challenge in one header value (RFC 7235 §4.1 allows a comma-separated list; SIP sends one
 * per header field, but some servers fold them). Non-Digest challenges are skipped.
 * Throws when there is no Digest challenge or one is malformed.
 */
export function parseChallenges(headerValue: string): DigestChallenge[] {
  const text = headerValue.trim();
  const out: DigestChallenge[] = [];
  const schemes: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && (isSpace(text[i]) || text[i] === ',')) i++;
    if (i >= text.length) break;
    const sStart = i;
    while (i < text.length && !isSpace(text[i]) && text[i] !== ',') i++;
    const scheme = text.slice(sStart, i);
    schemes.push(scheme);
    const { params, end } = parseAuthParams(text, i);
    if (scheme.toLowerCase() === 'digest') out.push(toChallenge(params));
    if (end <= i) i++;
    else i = end;
  }
  if (out.length === 0) {
    const got = schemes.length > 0 ? schemes.join(', ') : '(empty)';
    throw new Error(
      `unsupported authentication scheme ${got}: only Digest is supported (RFC 3261 §22.4)`,
    );
  }
  return out;
}

/** Parse a single Digest challenge (the first one in the value). */
export function parseChallenge(headerValue: string): DigestChallenge {
  const all = parseChallenges(headerValue);
  return all[0] as DigestChallenge;
}
