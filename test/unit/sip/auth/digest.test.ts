import { describe, expect, it } from 'vitest';
import { parseChallenge } from '../../../../src/main/sip/auth/challenge.ts';
import {
  buildAuthorization,
  chooseQop,
  computeDigestResponse,
  formatNc,
} from '../../../../src/main/sip/auth/digest.ts';

/** Parse our own header output back (names → unquoted values) to check what we sent. */
function fields(value: string): Record<string, string> {
  expect(value.startsWith('Digest ')).toBe(true);
  // The challenge parser reads the same auth-param syntax; realm/nonce are always present.
  return parseChallenge(value).params;
}

describe('computeDigestResponse — published vectors', () => {
  it('RFC 2617 §3.5 (Mufasa / "Circle Of Life")', () => {
    expect(
      computeDigestResponse({
        algorithm: 'MD5',
        username: 'Mufasa',
        realm: 'testrealm@host.com',
        password: 'Circle Of Life',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        method: 'GET',
        uri: '/dir/index.html',
        qop: 'auth',
        cnonce: '0a4f113b',
        nc: 1,
      }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  const rfc7616 = {
    username: 'Mufasa',
    realm: 'http-auth@example.org',
    password: 'Circle of Life',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    method: 'GET',
    uri: '/dir/index.html',
    qop: 'auth' as const,
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    nc: 1,
  };

  it('RFC 7616 §3.9.1 MD5', () => {
    expect(computeDigestResponse({ ...rfc7616, algorithm: 'MD5' })).toBe(
      '8ca523f5e9506fed4657c9700eebdbec',
    );
  });

  it('RFC 7616 §3.9.1 SHA-256', () => {
    expect(computeDigestResponse({ ...rfc7616, algorithm: 'SHA-256' })).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });
});

// SIP REGISTER vectors computed independently with coreutils/openssl, e.g.
//   HA1=$(printf 'alice-auth:sip.example.com:s3cr3t!' | md5sum) …
//   printf "$HA1:$NONCE:00000001:0a4f113b:auth:$HA2" | md5sum
describe('computeDigestResponse — SIP vectors (shell-computed)', () => {
  const reg = {
    username: 'alice-auth',
    realm: 'sip.example.com',
    password: 's3cr3t!',
    nonce: '5f1a2b3c4d5e6f708192a3b4c5d6e7f8',
    method: 'REGISTER',
    uri: 'sip:sip.example.com',
    cnonce: '0a4f113b',
    nc: 1,
  };

  it('REGISTER MD5 qop=auth, nc 1 and 2', () => {
    expect(computeDigestResponse({ ...reg, algorithm: 'MD5', qop: 'auth' })).toBe(
      '7a8d7489886dd1f57f85b697707b205c',
    );
    expect(computeDigestResponse({ ...reg, algorithm: 'MD5', qop: 'auth', nc: 2 })).toBe(
      '44f7e42607068b48d25b18f5b0817ccb',
    );
  });

  it('REGISTER MD5 without qop (RFC 2069 mode)', () => {
    expect(computeDigestResponse({ ...reg, algorithm: 'MD5' })).toBe(
      '424fdad9258df92ae658b3de522e86b7',
    );
  });

  it('REGISTER MD5-sess', () => {
    expect(computeDigestResponse({ ...reg, algorithm: 'MD5-sess', qop: 'auth' })).toBe(
      '85e063f304d4a89f32308dd4b7ff29bb',
    );
  });

  it('REGISTER SHA-256, SHA-256-sess and SHA-512-256 (RFC 8760)', () => {
    expect(computeDigestResponse({ ...reg, algorithm: 'SHA-256', qop: 'auth' })).toBe(
      '5a19586d5499ddbc3a930d8881ccf961823f22e5c20bd5e566462828ff44cfdc',
    );
    expect(computeDigestResponse({ ...reg, algorithm: 'sha-256-sess', qop: 'auth' })).toBe(
      '89b7ce6769a335233126c1ffb0c52f4389b1ed8466e173b25ace988eda442c94',
    );
    expect(computeDigestResponse({ ...reg, algorithm: 'SHA-512-256', qop: 'auth' })).toBe(
      'da9d30c0cd3da53aaa630870a9ccc6a8b071efd7a0c591aa7edc356fae6d16aa',
    );
  });

  it('INVITE qop=auth-int hashes the body into A2 (empty body = H(""))', () => {
    const body = Buffer.from('v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n');
    const invite = {
      ...reg,
      algorithm: 'MD5',
      method: 'INVITE',
      uri: 'sip:bob@sip.example.com',
      qop: 'auth-int' as const,
    };
    expect(computeDigestResponse({ ...invite, body })).toBe('b3611dbfa22c0b1ca62b8a716ba49c03');
    expect(computeDigestResponse(invite)).toBe('581cc97080493fc90ee47e64fed48a03');
  });

  it('rejects unknown algorithms and missing cnonce', () => {
    expect(() => computeDigestResponse({ ...reg, algorithm: 'AKAv1-MD5', qop: 'auth' })).toThrow(
      /unsupported/,
    );
    expect(() =>
      computeDigestResponse({ ...reg, algorithm: 'MD5-sess', cnonce: undefined }),
    ).toThrow(/cnonce/);
  });
});

describe('formatNc / chooseQop', () => {
  it('formats nc as 8 lower-case hex digits', () => {
    expect(formatNc(1)).toBe('00000001');
    expect(formatNc(255)).toBe('000000ff');
    expect(() => formatNc(0)).toThrow(/range/);
  });

  it('prefers auth, uses auth-int when alone or asked', () => {
    expect(chooseQop(['auth-int', 'auth'])).toBe('auth');
    expect(chooseQop(['auth-int'])).toBe('auth-int');
    expect(chooseQop(['auth', 'auth-int'], 'auth-int')).toBe('auth-int');
    expect(chooseQop(['auth'], 'auth-int')).toBe('auth');
    expect(chooseQop([])).toBeUndefined();
    expect(() => chooseQop(['x-token'])).toThrow(/no supported qop/);
  });
});

describe('buildAuthorization', () => {
  it('reproduces the RFC 7616 §3.9.1 SHA-256 Authorization header', () => {
    const challenge = parseChallenge(
      'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, ' +
        'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    );
    const value = buildAuthorization({
      challenge,
      method: 'GET',
      uri: '/dir/index.html',
      username: 'Mufasa',
      password: 'Circle of Life',
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
      nc: 1,
    });
    expect(value).toBe(
      'Digest username="Mufasa", realm="http-auth@example.org", ' +
        'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", uri="/dir/index.html", ' +
        'response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", algorithm=SHA-256, ' +
        'cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", ' +
        'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", qop=auth, nc=00000001',
    );
  });

  it('omits cnonce/qop/nc and algorithm when the challenge has neither', () => {
    const challenge = parseChallenge(
      'Digest realm="sip.example.com", nonce="5f1a2b3c4d5e6f708192a3b4c5d6e7f8"',
    );
    const value = buildAuthorization({
      challenge,
      method: 'REGISTER',
      uri: 'sip:sip.example.com',
      username: 'alice-auth',
      password: 's3cr3t!',
      cnonce: 'ignored',
      nc: 1,
    });
    const f = fields(value);
    expect(f['response']).toBe('424fdad9258df92ae658b3de522e86b7');
    expect(f).not.toHaveProperty('cnonce');
    expect(f).not.toHaveProperty('qop');
    expect(f).not.toHaveProperty('nc');
    expect(f).not.toHaveProperty('algorithm');
  });

  it('uses auth-int with the body when only auth-int is offered', () => {
    const challenge = parseChallenge(
      'Digest realm="sip.example.com", nonce="5f1a2b3c4d5e6f708192a3b4c5d6e7f8", qop="auth-int", algorithm=MD5',
    );
    const value = buildAuthorization({
      challenge,
      method: 'INVITE',
      uri: 'sip:bob@sip.example.com',
      username: 'alice-auth',
      password: 's3cr3t!',
      body: Buffer.from('v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n'),
      cnonce: '0a4f113b',
      nc: 1,
    });
    const f = fields(value);
    expect(f['qop']).toBe('auth-int');
    expect(f['algorithm']).toBe('MD5');
    expect(f['response']).toBe('b3611dbfa22c0b1ca62b8a716ba49c03');
  });

  it('applies realmOverride to the hash and the header; escapes quotes in the user name', () => {
    const challenge = parseChallenge(
      'Digest realm="other", nonce="5f1a2b3c4d5e6f708192a3b4c5d6e7f8", qop="auth"',
    );
    const value = buildAuthorization({
      challenge,
      method: 'REGISTER',
      uri: 'sip:sip.example.com',
      username: 'alice-auth',
      password: 's3cr3t!',
      cnonce: '0a4f113b',
      nc: 1,
      realmOverride: 'sip.example.com',
    });
    const f = fields(value);
    expect(f['realm']).toBe('sip.example.com');
    expect(f['response']).toBe('7a8d7489886dd1f57f85b697707b205c');
    const odd = buildAuthorization({
      challenge,
      method: 'REGISTER',
      uri: 'sip:x',
      username: 'a"b\\c',
      password: 'p',
      nc: 1,
    });
    expect(odd).toContain('username="a\\"b\\\\c"');
    expect(fields(odd)['username']).toBe('a"b\\c');
    expect(fields(odd)['cnonce']).toMatch(/^[0-9a-f]{32}$/);
  });
});
