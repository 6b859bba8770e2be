/**
 * The server side of SIP digest (RFC 3261 §22.1–22.3, RFC 7616 §3.3–3.4): challenge a request
 * (401 WWW-Authenticate from a UAS/registrar, 407 Proxy-Authenticate as LiveKit's inbound trunk
 * does), then check the Authorization / Proxy-Authorization the client answers with.
 *
 * Nonces are stateless: base64url(issued-ms ‖ HMAC-SHA256(secret, issued-ms ‖ realm)[0..16]), so
 * a forged nonce is refused and an expired one gets a new challenge with stale=true (RFC 7616
 * §3.3). Nonce counts are remembered for recent nonces: a replayed nc is refused (RFC 7616 §3.4).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { canonicalAlgorithm, parseAuthParams } from './challenge.ts';
import { computeDigestResponse, quote, type Qop } from './digest.ts';
import { parseUri } from '../syntax/uri.ts';

export interface DigestServerOptions {
  realm: string;
  username: string;
  password: string;
  /** MD5 (LiveKit's choice and the widest supported) or SHA-256 (RFC 8760). Default MD5. */
  algorithm?: 'MD5' | 'SHA-256';
  /** A nonce older than this is stale (default 5 min). */
  nonceTtlMs?: number;
  /** Offer qop=auth (default true; false = RFC 2069 style, as some old PBXes). */
  qop?: boolean;
  now?: () => number;
}

export type DigestVerdict =
  | { ok: true; username: string }
  | { ok: false; reason: 'no-credentials' | 'malformed' | 'wrong-user' | 'wrong-realm' | 'bad-nonce' | 'stale' | 'replay' | 'wrong-response' | 'uri-mismatch'; detail: string };

const MAX_TRACKED = 4096;

export class DigestServer {
  readonly o: Required<Omit<DigestServerOptions, 'now'>> & { now: () => number };
  private readonly secret = randomBytes(32);
  /** Highest nc seen per nonce (insertion order = age). */
  private readonly seen = new Map<string, number>();

  constructor(o: DigestServerOptions) {
    this.o = { algorithm: 'MD5', nonceTtlMs: 300_000, qop: true, now: Date.now, ...o };
  }

  newNonce(): string {
    const ts = Buffer.alloc(8);
    ts.writeBigUInt64BE(BigInt(Math.floor(this.o.now())));
    return Buffer.concat([ts, this.mac(ts)]).toString('base64url');
  }

  private mac(ts: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(ts).update(this.o.realm).digest().subarray(0, 16);
  }

  /** The WWW-/Proxy-Authenticate value (RFC 3261 §22.1, RFC 7616 §3.3). */
  challenge(stale = false): string {
    const parts = [`Digest realm=${quote(this.o.realm)}`, `nonce=${quote(this.newNonce())}`, `algorithm=${this.o.algorithm}`];
    if (this.o.qop) parts.push('qop="auth"');
    if (stale) parts.push('stale=true');
    return parts.join(', ');
  }

  /** Check nonce authenticity and age: 'ok', 'stale' or 'bad'. */
  private nonceState(nonce: string): 'ok' | 'stale' | 'bad' {
    let raw: Buffer;
    try {
      raw = Buffer.from(nonce, 'base64url');
    } catch {
      return 'bad';
    }
    if (raw.length !== 24) return 'bad';
    const ts = raw.subarray(0, 8);
    if (!timingSafeEqual(raw.subarray(8), this.mac(ts))) return 'bad';
    const age = this.o.now() - Number(ts.readBigUInt64BE());
    return age < -5000 || age > this.o.nonceTtlMs ? 'stale' : 'ok';
  }

  /**
   * Verify the credentials of a request: the Authorization / Proxy-Authorization values it
   * carries (the one for our realm is used), its method and Request-URI.
   */
  verify(values: readonly string[], method: string, requestUri: string): DigestVerdict {
    if (values.length === 0) return { ok: false, reason: 'no-credentials', detail: 'no credentials' };
    let params: Record<string, string> | undefined;
    for (const v of values) {
      const m = /^\s*Digest\s+/i.exec(v);
      if (!m) continue;
      try {
        const p = parseAuthParams(v, m[0].length).params;
        if (!params || p['realm'] === this.o.realm) params = p;
      } catch {
        return { ok: false, reason: 'malformed', detail: 'unparsable credentials' };
      }
    }
    if (!params) return { ok: false, reason: 'malformed', detail: 'no Digest credentials' };
    const { username, realm, nonce, uri, response } = params;
    if (!username || realm === undefined || !nonce || !uri || !response) return { ok: false, reason: 'malformed', detail: 'credentials lack username, realm, nonce, uri or response' };
    // RFC 3261 §22.4: the realm must be ours.
    if (realm !== this.o.realm) return { ok: false, reason: 'wrong-realm', detail: `realm "${realm}" is not "${this.o.realm}"` };
    if (username !== this.o.username) return { ok: false, reason: 'wrong-user', detail: `unknown user "${username}"` };
    const state = this.nonceState(nonce);
    if (state === 'bad') return { ok: false, reason: 'bad-nonce', detail: 'nonce not issued by us' };
    const alg = canonicalAlgorithm(params['algorithm'] ?? 'MD5');
    if (alg !== this.o.algorithm) return { ok: false, reason: 'malformed', detail: `algorithm ${params['algorithm'] ?? 'MD5'} not offered` };
    // RFC 3261 §22.4 / RFC 7616 §3.4.6: the digest-uri names the request's target.
    if (!sameUri(uri, requestUri)) return { ok: false, reason: 'uri-mismatch', detail: `digest uri "${uri}" is not the Request-URI` };
    const qop = params['qop'] as Qop | undefined;
    if (this.o.qop && qop !== 'auth') return { ok: false, reason: 'malformed', detail: 'qop=auth expected' };
    const nc = params['nc'] !== undefined ? parseInt(params['nc'], 16) : undefined;
    if (qop && (nc === undefined || !Number.isFinite(nc) || nc < 1 || !params['cnonce'])) return { ok: false, reason: 'malformed', detail: 'qop without nc/cnonce' };
    const expected = computeDigestResponse({
      algorithm: alg,
      username,
      realm,
      password: this.o.password,
      nonce,
      method,
      uri,
      qop,
      cnonce: params['cnonce'],
      nc,
    });
    const a = Buffer.from(expected);
    const b = Buffer.from(response.toLowerCase());
    if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: 'wrong-response', detail: 'wrong password (digest response does not match)' };
    // A correct response on an expired nonce: challenge again with stale=true (RFC 7616 §3.3).
    if (state === 'stale') return { ok: false, reason: 'stale', detail: 'nonce expired' };
    if (qop && nc !== undefined) {
      const last = this.seen.get(nonce) ?? 0;
      if (nc <= last) return { ok: false, reason: 'replay', detail: `nonce count ${nc} already used` };
      this.seen.delete(nonce);
      this.seen.set(nonce, nc);
      if (this.seen.size > MAX_TRACKED) this.seen.delete(this.seen.keys().next().value!);
    }
    return { ok: true, username };
  }
}

/**
 * The digest-uri names the request's target (RFC 7616 §3.4.6): the same URI, or — as SIPp and
 * some PBXes send it — the same scheme, host and port without the user part.
 */
function sameUri(a: string, b: string): boolean {
  if (a.trim().toLowerCase() === b.trim().toLowerCase()) return true;
  try {
    const x = parseUri(a);
    const y = parseUri(b);
    const port = (u: ReturnType<typeof parseUri>): number => u.port ?? (u.scheme.toLowerCase() === 'sips' ? 5061 : 5060);
    return x.scheme.toLowerCase() === y.scheme.toLowerCase() && x.host.toLowerCase() === y.host.toLowerCase() && port(x) === port(y);
  } catch {
    return false;
  }
}
