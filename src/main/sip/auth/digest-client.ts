/**
 * The UAC side of SIP digest authentication (RFC 3261 §22.2, §22.3): credentials per realm,
 * nonce counts per nonce, and answers to 401 / 407 challenges.
 *
 * Usage in a UA: on a 401/407, call `answer()` with the WWW-Authenticate / Proxy-Authenticate
 * value(s), add the returned header to a copy of the request (new CSeq, new Via branch;
 * RFC 3261 §22.2), and resend. `classifyAuthFailure()` decides when to stop.
 */
import { canonicalAlgorithm, parseChallenges, type DigestChallenge } from './challenge.ts';
import { buildAuthorization, newCnonce, type Qop } from './digest.ts';

export interface DigestCredentials {
  /** Authentication user name; may differ from the From/To user (RFC 3261 §22.4 "username"). */
  username: string;
  password: string;
}

export interface DigestClientOptions {
  /** Credentials used for any realm without its own entry. */
  credentials?: DigestCredentials;
  /** Credentials per realm (exact, case-sensitive realm string as challenged). */
  realms?: Record<string, DigestCredentials>;
  /** Client-nonce generator (tests inject a fixed one). */
  cnonce?: () => string;
  /** Ask for qop=auth-int when offered (the body is then covered by the digest). */
  qop?: Qop;
}

export interface DigestAnswer {
  header: 'Authorization' | 'Proxy-Authorization';
  value: string;
  realm: string;
  nonce: string;
  nc: number;
}

interface Cached {
  challenge: DigestChallenge;
  isProxy: boolean;
}

export class DigestClient {
  private readonly defaultCreds: DigestCredentials | undefined;
  private readonly perRealm = new Map<string, DigestCredentials>();
  /** realm → last challenge seen, for preemptive reuse of the nonce (RFC 3261 §22.3). */
  private readonly cache = new Map<string, Cached>();
  /** `realm \0 nonce` → last nc sent (RFC 7616 §3.4: incremented for each request with that nonce). */
  private readonly counts = new Map<string, number>();
  private readonly makeCnonce: () => string;
  private readonly qop: Qop | undefined;

  constructor(opts: DigestClientOptions = {}) {
    this.defaultCreds = opts.credentials;
    for (const [realm, creds] of Object.entries(opts.realms ?? {})) this.perRealm.set(realm, creds);
    this.makeCnonce = opts.cnonce ?? newCnonce;
    this.qop = opts.qop;
  }

  setCredentials(realm: string | null, creds: DigestCredentials): void {
    if (realm === null) throw new Error('use the constructor for default credentials');
    this.perRealm.set(realm, creds);
  }

  hasCredentials(realm: string): boolean {
    return this.perRealm.has(realm) || this.defaultCreds !== undefined;
  }

  /**
   * Answer a challenge. With several values (several WWW-Authenticate header fields), the topmost
   * challenge whose algorithm we support is used (RFC 8760 §2.4). Throws when none is usable or
   * when there are no credentials for its realm.
   */
  answer(
    challenge: string | readonly string[],
    isProxy: boolean,
    method: string,
    uri: string,
    body?: Buffer,
  ): DigestAnswer {
    const chosen = selectChallenge(typeof challenge === 'string' ? [challenge] : challenge);
    this.cache.set(chosen.realm, { challenge: chosen, isProxy });
    return this.respond(chosen, isProxy, method, uri, body);
  }

  /**
   * Headers for a new request reusing the cached nonces (one per realm challenged so far), so a
   * re-REGISTER or a request in the same dialog need not wait for a fresh challenge. Each call
   * increments nc for the nonce it reuses.
   */
  authorizeCached(method: string, uri: string, body?: Buffer): DigestAnswer[] {
    return [...this.cache.values()].map((c) =>
      this.respond(c.challenge, c.isProxy, method, uri, body),
    );
  }

  /** Drop cached challenges (e.g. after a final failure or a de-registration). */
  forget(realm?: string): void {
    if (realm === undefined) {
      this.cache.clear();
      this.counts.clear();
      return;
    }
    this.cache.delete(realm);
    this.forgetCounts(realm);
  }

  private respond(
    c: DigestChallenge,
    isProxy: boolean,
    method: string,
    uri: string,
    body?: Buffer,
  ): DigestAnswer {
    const creds = this.perRealm.get(c.realm) ?? this.defaultCreds;
    if (!creds) throw new Error(`no credentials for realm "${c.realm}"`);
    const key = `${c.realm}\0${c.nonce}`;
    // A new nonce for a realm replaces the old one: forget the old counts of that realm.
    if (!this.counts.has(key)) this.forgetCounts(c.realm);
    const nc = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, nc);
    const value = buildAuthorization({
      challenge: c,
      method,
      uri,
      username: creds.username,
      password: creds.password,
      body,
      cnonce: this.makeCnonce(),
      nc,
      qop: this.qop,
    });
    // RFC 3261 §22.2 / §22.3: 401 → Authorization, 407 → Proxy-Authorization.
    return {
      header: isProxy ? 'Proxy-Authorization' : 'Authorization',
      value,
      realm: c.realm,
      nonce: c.nonce,
      nc,
    };
  }

  private forgetCounts(realm: string): void {
    for (const k of this.counts.keys()) if (k.startsWith(`${realm}\0`)) this.counts.delete(k);
  }
}

/** The topmost Digest challenge with a supported algorithm (RFC 8760 §2.4). */
export function selectChallenge(values: readonly string[]): DigestChallenge {
  const errors: string[] = [];
  const seen: string[] = [];
  for (const v of values) {
    let list: DigestChallenge[];
    try {
      list = parseChallenges(v);
    } catch (e) {
      errors.push((e as Error).message);
      continue;
    }
    for (const c of list) {
      if (canonicalAlgorithm(c.algorithm)) return c;
      seen.push(c.algorithm);
    }
  }
  if (seen.length > 0)
    throw new Error(`no supported digest algorithm (offered: ${seen.join(', ')})`);
  throw new Error(errors[0] ?? 'no challenge to answer');
}
