import { describe, expect, it } from 'vitest';
import { parseChallenge, parseChallenges } from '../../../../src/main/sip/auth/challenge.ts';

describe('parseChallenge', () => {
  it('parses the RFC 3261 §22.4 / RFC 2617 §3.5 challenge', () => {
    const c = parseChallenge(
      'Digest realm="testrealm@host.com", qop="auth,auth-int", ' +
        'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    expect(c.scheme).toBe('Digest');
    expect(c.realm).toBe('testrealm@host.com');
    expect(c.nonce).toBe('dcd98b7102dd2f0e8b11d0f600bfb0c093');
    expect(c.opaque).toBe('5ccc069c403ebaf9f0171e9517f40e41');
    expect(c.qop).toEqual(['auth', 'auth-int']);
    expect(c.algorithm).toBe('MD5');
    expect(c.algorithmRaw).toBeUndefined();
    expect(c.stale).toBe(false);
  });

  it('is case-insensitive in scheme and names, canonicalises algorithm, reads stale', () => {
    const c = parseChallenge(
      'DIGEST REALM="a" , Nonce="n1",ALGORITHM=sha-256-SESS,Stale=TRUE,QOP="Auth"',
    );
    expect(c.realm).toBe('a');
    expect(c.nonce).toBe('n1');
    expect(c.algorithm).toBe('SHA-256-sess');
    expect(c.algorithmRaw).toBe('sha-256-SESS');
    expect(c.stale).toBe(true);
    expect(c.qop).toEqual(['auth']);
  });

  it('unescapes quoted-pairs and keeps commas inside quotes', () => {
    const c = parseChallenge('Digest realm="a \\"quoted\\" realm, with comma", nonce="x\\\\y"');
    expect(c.realm).toBe('a "quoted" realm, with comma');
    expect(c.nonce).toBe('x\\y');
  });

  it('keeps unknown parameters and domain', () => {
    const c = parseChallenge(
      'Digest realm="r", nonce="n", domain="sip:a.example sip:b.example", charset=UTF-8, x-foo="bar"',
    );
    expect(c.domain).toBe('sip:a.example sip:b.example');
    expect(c.params['charset']).toBe('UTF-8');
    expect(c.params['x-foo']).toBe('bar');
  });

  it('keeps an unsupported algorithm as sent', () => {
    expect(parseChallenge('Digest realm="r", nonce="n", algorithm=AKAv1-MD5').algorithm).toBe(
      'AKAv1-MD5',
    );
  });

  it('rejects non-Digest schemes with a clear error', () => {
    expect(() => parseChallenge('Basic realm="x"')).toThrow(
      /unsupported authentication scheme Basic.*only Digest/,
    );
    expect(() => parseChallenge('')).toThrow(/only Digest/);
  });

  it('rejects a challenge without realm or nonce, or with an unterminated quote', () => {
    expect(() => parseChallenge('Digest nonce="n"')).toThrow(/no realm/);
    expect(() => parseChallenge('Digest realm="r"')).toThrow(/no nonce/);
    expect(() => parseChallenge('Digest realm="r, nonce=n')).toThrow(/unterminated/);
  });

  it('splits folded challenges and skips other schemes', () => {
    const all = parseChallenges(
      'Basic realm="b", Digest realm="r1", nonce="n1", Digest realm="r2", nonce="n2", algorithm=SHA-256',
    );
    expect(all.map((c) => [c.realm, c.algorithm])).toEqual([
      ['r1', 'MD5'],
      ['r2', 'SHA-256'],
    ]);
  });
});
