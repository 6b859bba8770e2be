/**
 * Why did authentication fail? A verdict a support engineer can act on ("REGISTER gets 401/403").
 *
 * A UA calls `classifyAuthFailure()` after each final response (or local timeout / transport
 * error) to a request it may have to authenticate:
 *
 *   const kind = classifyAuthFailure({
 *     status: res.status,                      // or 'timeout' / 'transport-error'
 *     challenges: [...res.headers('WWW-Authenticate'), ...res.headers('Proxy-Authenticate')],
 *     answeredRealms: realmsWeSentCredentialsFor, // [] on the first attempt
 *     expectedRealm: profile.realm,             // optional
 *   });
 *   null                → no auth failure: a 2xx, a first challenge (answer it and resend), or a
 *                         non-auth final response the UA handles itself
 *   'stale-nonce'       → RFC 7616 §3.3 stale=true: resend once with the new nonce; if the
 *                         retry is answered stale again, stop and report 'stale-nonce'
 *   anything else       → stop and report it
 */

import { canonicalAlgorithm, parseChallenges, type DigestChallenge } from './challenge.ts';

export type AuthFailureKind =
  /** Re-challenged for a realm we already answered, not stale: user name or password wrong. */
  | 'wrong-credentials'
  /** stale=true: our digest was right but the nonce expired; retry once with the new nonce. */
  | 'stale-nonce'
  /** 403: the server refuses without a challenge (IP ACL, account disabled, wrong domain). */
  | 'forbidden'
  /** The challenge's realm differs from the configured expected realm. */
  | 'realm-mismatch'
  /** No response (Timer B/F fired, RFC 3261 §17.1.1.2 / §17.1.2.2) or a 408 from a proxy. */
  | 'no-response'
  /** Transport error or no usable DNS target (RFC 3261 §8.1.3.1). */
  | 'unreachable'
  /** 401/407 without a Digest challenge we can parse or compute (e.g. Basic, unknown algorithm). */
  | 'unsupported-challenge';

export interface AuthOutcome {
  /** Final response status, or what happened instead of one. */
  status: number | 'timeout' | 'transport-error';
  /** WWW-Authenticate / Proxy-Authenticate values of this response (raw header values). */
  challenges?: readonly string[];
  /** Realms our request carried credentials for; empty or absent on the first attempt. */
  answeredRealms?: readonly string[];
  /** The realm the profile expects (optional); compared exactly. */
  expectedRealm?: string;
}

function parseAll(values: readonly string[]): DigestChallenge[] | undefined {
  const out: DigestChallenge[] = [];
  for (const v of values) {
    try {
      out.push(...parseChallenges(v).filter((c) => canonicalAlgorithm(c.algorithm) !== undefined));
    } catch {
      // Non-Digest or malformed; ignored here, judged below if nothing usable remains.
    }
  }
  return out.length > 0 ? out : undefined;
}

export function classifyAuthFailure(o: AuthOutcome): AuthFailureKind | null {
  if (o.status === 'timeout' || o.status === 408) return 'no-response';
  if (o.status === 'transport-error') return 'unreachable';
  if (o.status === 403) return 'forbidden';
  if (o.status !== 401 && o.status !== 407) return null;

  const challenges = parseAll(o.challenges ?? []);
  if (!challenges) return 'unsupported-challenge';
  if (o.expectedRealm !== undefined && challenges.every((c) => c.realm !== o.expectedRealm)) {
    return 'realm-mismatch';
  }
  const answered = new Set(o.answeredRealms ?? []);
  const again = challenges.filter((c) => answered.has(c.realm));
  if (again.length === 0) return null; // first challenge for these realms: answer it
  // RFC 7616 §3.3: stale=TRUE means the credentials were right and only the nonce was old.
  if (again.every((c) => c.stale)) return 'stale-nonce';
  return 'wrong-credentials';
}
