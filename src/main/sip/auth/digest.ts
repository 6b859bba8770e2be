/**
 * Digest response computation and the Authorization / Proxy-Authorization header value.
 *
 * RFC 2617 §3.2.2 and RFC 7616 §3.4: response, A1/A2, -sess variants, qop auth / auth-int;
 * RFC 8760 §2 makes SHA-256 and SHA-512/256 available to SIP; RFC 3261 §22.4 for SIP usage
 * (the digest-uri is the Request-URI, the method is the SIP method).
 */
import { createHash, randomBytes } from 'node:crypto';
import { canonicalAlgorithm, type DigestAlgorithm, type DigestChallenge } from './challenge.ts';

export type Qop = 'auth' | 'auth-int';

const HASH_NAME: Record<string, string> = {
  MD5: 'md5',
  'SHA-256': 'sha256',
  'SHA-512-256': 'sha512-256',
};

function baseOf(alg: DigestAlgorithm): { hash: string; sess: boolean } {
  const sess = alg.endsWith('-sess');
  const base = sess ? alg.slice(0, -'-sess'.length) : alg;
  return { hash: HASH_NAME[base] as string, sess };
}

function h(hash: string, data: string | Buffer): string {
  return createHash(hash).update(data).digest('hex');
}

export interface DigestInput {
  algorithm: string;
  username: string;
  realm: string;
  password: string;
  nonce: string;
  method: string;
  /** digest-uri: the Request-URI as sent (RFC 3261 §22.4). */
  uri: string;
  /** Omit for RFC 2069 compatibility (no qop in the challenge). */
  qop?: Qop;
  /** Required with qop or with a -sess algorithm. */
  cnonce?: string;
  /** Nonce count, 1-based; required with qop. */
  nc?: number;
  /** Message body, hashed into A2 for qop=auth-int (RFC 7616 §3.4.3); absent = empty body. */
  body?: Buffer;
}

/** nc-value: 8 lower-case hex digits (RFC 7616 §3.4). */
export function formatNc(nc: number): string {
  if (!Number.isInteger(nc) || nc < 1 || nc > 0xffffffff)
    throw new Error(`nonce count out of range: ${nc}`);
  return nc.toString(16).padStart(8, '0');
}

/** The request-digest (the `response` parameter), lower-case hex. */
export function computeDigestResponse(i: DigestInput): string {
  const alg = canonicalAlgorithm(i.algorithm);
  if (!alg) throw new Error(`unsupported digest algorithm "${i.algorithm}"`);
  const { hash, sess } = baseOf(alg);
  // RFC 7616 §3.4.2: A1 = username ":" realm ":" passwd; for -sess,
  // A1 = H(username ":" realm ":" passwd) ":" nonce ":" cnonce.
  let ha1 = h(hash, `${i.username}:${i.realm}:${i.password}`);
  if (sess) {
    if (i.cnonce === undefined) throw new Error(`${alg} needs a cnonce (RFC 7616 §3.4.2)`);
    ha1 = h(hash, `${ha1}:${i.nonce}:${i.cnonce}`);
  }
  // RFC 7616 §3.4.3: A2 = Method ":" request-uri; for auth-int, A2 = Method ":" request-uri ":" H(entity-body).
  const a2 =
    i.qop === 'auth-int'
      ? `${i.method}:${i.uri}:${h(hash, i.body ?? Buffer.alloc(0))}`
      : `${i.method}:${i.uri}`;
  const ha2 = h(hash, a2);
  if (i.qop === undefined) {
    // RFC 2617 §3.2.2.1 (RFC 2069 compatibility): response = KD(H(A1), nonce ":" H(A2)).
    return h(hash, `${ha1}:${i.nonce}:${ha2}`);
  }
  if (i.cnonce === undefined || i.nc === undefined)
    throw new Error('qop needs cnonce and nc (RFC 7616 §3.4)');
  // RFC 7616 §3.4.1: response = KD(H(A1), nonce ":" nc ":" cnonce ":" qop ":" H(A2)).
  return h(hash, `${ha1}:${i.nonce}:${formatNc(i.nc)}:${i.cnonce}:${i.qop}:${ha2}`);
}

/**
 * qop selection: prefer "auth" when offered; "auth-int" when it is the only known option or when
 * the caller asks for it and the server offers it. undefined when the challenge has no qop.
 */
export function chooseQop(offered: readonly string[], preferred?: Qop): Qop | undefined {
  if (offered.length === 0) return undefined;
  if (preferred && offered.includes(preferred)) return preferred;
  if (offered.includes('auth')) return 'auth';
  if (offered.includes('auth-int')) return 'auth-int';
  throw new Error(`no supported qop in challenge (offered: ${offered.join(', ')})`);
}

/** quoted-string with quoted-pairs for '"' and '\' (RFC 3261 §25.1). */
export function quote(s: string): string {
  return `"${s.replace(/(["\\])/g, '\\$1')}"`;
}

export function newCnonce(): string {
  return randomBytes(16).toString('hex');
}

export interface AuthorizationOptions {
  challenge: DigestChallenge;
  method: string;
  uri: string;
  /** The authentication user name; may differ from the From user (RFC 3261 §22.4). */
  username: string;
  password: string;
  body?: Buffer;
  /** Client nonce; a random 128-bit hex string when omitted. */
  cnonce?: string;
  nc: number;
  /** Use this realm instead of the challenge's (for servers that expect a configured realm). */
  realmOverride?: string;
  /** Ask for qop=auth-int when the server offers it. */
  qop?: Qop;
}

/** The header value (`Digest username="…", …`) answering `challenge`. */
export function buildAuthorization(o: AuthorizationOptions): string {
  const c = o.challenge;
  const realm = o.realmOverride ?? c.realm;
  const qop = chooseQop(c.qop, o.qop);
  const alg = canonicalAlgorithm(c.algorithm);
  if (!alg) throw new Error(`unsupported digest algorithm "${c.algorithm}"`);
  // RFC 2617 §3.2.2: cnonce MUST NOT be sent without qop; -sess needs one for A1 regardless.
  const needCnonce = qop !== undefined || alg.endsWith('-sess');
  const cnonce = needCnonce ? (o.cnonce ?? newCnonce()) : undefined;
  const response = computeDigestResponse({
    algorithm: alg,
    username: o.username,
    realm,
    password: o.password,
    nonce: c.nonce,
    method: o.method,
    uri: o.uri,
    qop,
    cnonce,
    nc: o.nc,
    body: o.body,
  });
  // RFC 3261 §25.1 dig-resp / RFC 7616 §3.4: qop, nc and algorithm are tokens, the rest quoted.
  const parts = [
    `username=${quote(o.username)}`,
    `realm=${quote(realm)}`,
    `nonce=${quote(c.nonce)}`,
    `uri=${quote(o.uri)}`,
    `response=${quote(response)}`,
  ];
  // Echo the algorithm as the server spelled it (RFC 7616 §3.4); absent in the challenge = MD5.
  if (c.algorithmRaw !== undefined) parts.push(`algorithm=${c.algorithmRaw}`);
  if (cnonce !== undefined) parts.push(`cnonce=${quote(cnonce)}`);
  // RFC 7616 §3.4: opaque MUST be returned unchanged.
  if (c.opaque !== undefined) parts.push(`opaque=${quote(c.opaque)}`);
  if (qop !== undefined) parts.push(`qop=${qop}`, `nc=${formatNc(o.nc)}`);
  return `Digest ${parts.join(', ')}`;
}
