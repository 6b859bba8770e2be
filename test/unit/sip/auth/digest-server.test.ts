import { describe, expect, it } from 'vitest';
import { DigestServer } from '../../../../src/main/sip/auth/digest-server.ts';
import { buildAuthorization } from '../../../../src/main/sip/auth/digest.ts';
import { parseChallenge } from '../../../../src/main/sip/auth/challenge.ts';

const uri = 'sip:agent@127.0.0.1:5060';

function answer(server: DigestServer, o: { password?: string; nc?: number; realm?: string; challenge?: string; uri?: string } = {}): string {
  const challenge = parseChallenge(o.challenge ?? server.challenge());
  return buildAuthorization({ challenge, method: 'INVITE', uri: o.uri ?? uri, username: 'alice', password: o.password ?? 'pw', nc: o.nc ?? 1, realmOverride: o.realm });
}

describe('digest server (RFC 3261 §22, RFC 7616)', () => {
  it('challenges with realm, nonce, MD5 and qop=auth', () => {
    const s = new DigestServer({ realm: 'trunkscope', username: 'alice', password: 'pw' });
    const c = parseChallenge(s.challenge());
    expect(c).toMatchObject({ realm: 'trunkscope', algorithm: 'MD5', qop: ['auth'], stale: false });
    expect(c.nonce.length).toBeGreaterThan(20);
  });

  it('accepts the right answer (our own digest client), refuses a wrong password, user, realm, uri', () => {
    const s = new DigestServer({ realm: 'trunkscope', username: 'alice', password: 'pw' });
    expect(s.verify([answer(s)], 'INVITE', uri)).toEqual({ ok: true, username: 'alice' });
    expect(s.verify([answer(s, { password: 'nope' })], 'INVITE', uri)).toMatchObject({ ok: false, reason: 'wrong-response' });
    expect(s.verify([answer(s, { realm: 'other' })], 'INVITE', uri)).toMatchObject({ ok: false, reason: 'wrong-realm' });
    expect(s.verify([answer(s, { uri: 'sip:agent@192.0.2.1:5060' })], 'INVITE', uri)).toMatchObject({ ok: false, reason: 'uri-mismatch' });
    // SIPp's form: the Request-URI's host and port without the user part.
    expect(s.verify([answer(s, { uri: 'sip:127.0.0.1:5060' })], 'INVITE', uri).ok).toBe(true);
    expect(s.verify([answer(s).replace('username="alice"', 'username="bob"')], 'INVITE', uri)).toMatchObject({ ok: false, reason: 'wrong-user' });
    expect(s.verify([], 'INVITE', uri)).toMatchObject({ reason: 'no-credentials' });
    expect(s.verify(['Basic abc'], 'INVITE', uri)).toMatchObject({ reason: 'malformed' });
  });

  it('refuses a forged nonce and a replayed nonce count; an expired nonce is stale', () => {
    let now = 1_000_000;
    const s = new DigestServer({ realm: 'r', username: 'alice', password: 'pw', now: () => now });
    const other = new DigestServer({ realm: 'r', username: 'alice', password: 'pw', now: () => now });
    expect(s.verify([answer(s, { challenge: other.challenge() })], 'INVITE', uri)).toMatchObject({ reason: 'bad-nonce' });
    const ch = s.challenge();
    expect(s.verify([answer(s, { challenge: ch, nc: 1 })], 'INVITE', uri).ok).toBe(true);
    expect(s.verify([answer(s, { challenge: ch, nc: 1 })], 'INVITE', uri)).toMatchObject({ reason: 'replay' });
    expect(s.verify([answer(s, { challenge: ch, nc: 2 })], 'INVITE', uri).ok).toBe(true);
    now += 301_000;
    expect(s.verify([answer(s, { challenge: ch, nc: 3 })], 'INVITE', uri)).toMatchObject({ reason: 'stale' });
    expect(parseChallenge(s.challenge(true)).stale).toBe(true);
  });
});
