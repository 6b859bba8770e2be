/**
 * Answers digest challenges for one request stream (a registration, a call) and says why
 * authentication failed when it does (RFC 3261 §22.2–22.3; stale retry RFC 2617 §3.2.1).
 */
import { buildAuthorization } from '../auth/digest.ts';
import { parseChallenge, type DigestChallenge } from '../auth/challenge.ts';
import type { SipRequest, SipResponse } from '../syntax/message.ts';
import type { AuthFailureKind, Credentials } from './types.ts';

interface Held {
  challenge: DigestChallenge;
  proxy: boolean;
  nc: number;
}

export type ChallengeVerdict = { kind: 'retry' } | { kind: 'fail'; failure: AuthFailureKind; detail: string };

export class Authenticator {
  private readonly creds: Credentials;
  /** Current challenge per realm (and header kind). */
  private readonly held = new Map<string, Held>();
  /** Realms we already answered with a given nonce. */
  private readonly answered = new Map<string, string>();

  constructor(creds: Credentials) {
    this.creds = creds;
  }

  /** Take the challenges of a 401/407; decide whether retrying can help. */
  onChallenge(res: SipResponse, _req: SipRequest): ChallengeVerdict {
    const proxy = res.status === 407;
    const values = res.headers.getAll(proxy ? 'proxy-authenticate' : 'www-authenticate');
    const digests: DigestChallenge[] = [];
    for (const v of values) {
      try {
        digests.push(parseChallenge(v));
      } catch {
        // Non-Digest schemes are skipped; if none is left we fail below.
      }
    }
    if (digests.length === 0) return { kind: 'fail', failure: 'wrong-credentials', detail: `${res.status} without a usable Digest challenge` };
    for (const ch of digests) {
      if (this.creds.realm !== undefined && ch.realm !== this.creds.realm) {
        return { kind: 'fail', failure: 'realm-mismatch', detail: `server realm "${ch.realm}", configured "${this.creds.realm}"` };
      }
      const key = `${proxy ? 'p' : 'w'}:${ch.realm}`;
      const prevNonce = this.answered.get(key);
      // A second challenge for a realm we answered means the credentials were refused,
      // unless the server says our nonce merely went stale (RFC 2617 §3.2.1).
      if (prevNonce !== undefined && !ch.stale) {
        return { kind: 'fail', failure: 'wrong-credentials', detail: `challenged again for realm "${ch.realm}" after answering it` };
      }
      if (prevNonce !== undefined && ch.stale && prevNonce === ch.nonce) {
        return { kind: 'fail', failure: 'wrong-credentials', detail: `stale=true with the same nonce for realm "${ch.realm}"` };
      }
      this.held.set(key, { challenge: ch, proxy, nc: 0 });
    }
    return { kind: 'retry' };
  }

  /** Add Authorization / Proxy-Authorization for every held challenge (nonce count per nonce). */
  authorize(req: SipRequest): void {
    req.headers.remove('authorization').remove('proxy-authorization');
    for (const [key, h] of this.held) {
      h.nc++;
      const value = buildAuthorization({
        challenge: h.challenge,
        method: req.method,
        uri: req.uri,
        username: this.creds.authUser ?? this.creds.username,
        password: this.creds.password,
        body: req.body,
        nc: h.nc,
      });
      req.headers.append(h.proxy ? 'Proxy-Authorization' : 'Authorization', value);
      this.answered.set(key, h.challenge.nonce);
    }
  }

  /** True once a challenge has been seen (refreshes then authorize pre-emptively). */
  get hasChallenge(): boolean {
    return this.held.size > 0;
  }

  /** Forget that we answered (after a success, a later challenge is a fresh one). */
  settle(): void {
    this.answered.clear();
  }
}
