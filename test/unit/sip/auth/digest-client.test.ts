import { describe, expect, it } from 'vitest';
import { parseChallenge } from '../../../../src/main/sip/auth/challenge.ts';
import { DigestClient, selectChallenge } from '../../../../src/main/sip/auth/digest-client.ts';

const CH =
  'Digest realm="sip.example.com", nonce="5f1a2b3c4d5e6f708192a3b4c5d6e7f8", qop="auth", algorithm=MD5';
const fixedCnonce = () => '0a4f113b';

describe('DigestClient', () => {
  it('answers a 401 with Authorization using the separate auth user', () => {
    // From user would be "+15550001111"; the carrier's auth user name differs.
    const client = new DigestClient({
      credentials: { username: 'alice-auth', password: 's3cr3t!' },
      cnonce: fixedCnonce,
    });
    const a = client.answer(CH, false, 'REGISTER', 'sip:sip.example.com');
    expect(a.header).toBe('Authorization');
    expect(a.nc).toBe(1);
    const f = parseChallenge(a.value).params;
    expect(f['username']).toBe('alice-auth');
    expect(f['nc']).toBe('00000001');
    expect(f['response']).toBe('7a8d7489886dd1f57f85b697707b205c');
  });

  it('answers a 407 with Proxy-Authorization', () => {
    const client = new DigestClient({ credentials: { username: 'u', password: 'p' } });
    expect(client.answer(CH, true, 'INVITE', 'sip:bob@sip.example.com').header).toBe(
      'Proxy-Authorization',
    );
  });

  it('increments nc for each reuse of the same nonce and restarts on a new nonce', () => {
    const client = new DigestClient({
      credentials: { username: 'alice-auth', password: 's3cr3t!' },
      cnonce: fixedCnonce,
    });
    expect(client.answer(CH, false, 'REGISTER', 'sip:sip.example.com').nc).toBe(1);
    const [reuse] = client.authorizeCached('REGISTER', 'sip:sip.example.com');
    expect(reuse?.nc).toBe(2);
    expect(parseChallenge(reuse?.value ?? '').params['response']).toBe(
      '44f7e42607068b48d25b18f5b0817ccb',
    );
    expect(client.answer(CH, false, 'REGISTER', 'sip:sip.example.com').nc).toBe(3);
    const fresh = client.answer(
      CH.replace('5f1a2b3c', 'aaaaaaaa'),
      false,
      'REGISTER',
      'sip:sip.example.com',
    );
    expect(fresh.nc).toBe(1);
    client.forget();
    expect(client.authorizeCached('REGISTER', 'sip:sip.example.com')).toEqual([]);
  });

  it('keeps credentials per realm and refuses a realm it has none for', () => {
    const client = new DigestClient({
      realms: {
        'a.example': { username: 'ua', password: 'pa' },
        'b.example': { username: 'ub', password: 'pb' },
      },
    });
    const a = client.answer(
      'Digest realm="a.example", nonce="n"',
      false,
      'REGISTER',
      'sip:a.example',
    );
    const b = client.answer(
      'Digest realm="b.example", nonce="n"',
      true,
      'INVITE',
      'sip:x@b.example',
    );
    expect(parseChallenge(a.value).params['username']).toBe('ua');
    expect(parseChallenge(b.value).params['username']).toBe('ub');
    expect(client.authorizeCached('BYE', 'sip:x@b.example').map((x) => x.header)).toEqual([
      'Authorization',
      'Proxy-Authorization',
    ]);
    expect(() =>
      client.answer('Digest realm="c.example", nonce="n"', false, 'REGISTER', 'sip:c'),
    ).toThrow(/no credentials for realm "c.example"/);
    client.setCredentials('c.example', { username: 'uc', password: 'pc' });
    expect(client.hasCredentials('c.example')).toBe(true);
    expect(
      client.answer('Digest realm="c.example", nonce="n"', false, 'REGISTER', 'sip:c').realm,
    ).toBe('c.example');
  });

  it('uses the new nonce after a stale challenge', () => {
    const client = new DigestClient({ credentials: { username: 'u', password: 'p' } });
    client.answer(CH, false, 'REGISTER', 'sip:sip.example.com');
    const stale = client.answer(
      'Digest realm="sip.example.com", nonce="new-nonce", qop="auth", stale=TRUE',
      false,
      'REGISTER',
      'sip:sip.example.com',
    );
    expect(stale.nonce).toBe('new-nonce');
    expect(stale.nc).toBe(1);
    expect(parseChallenge(stale.value).params['nonce']).toBe('new-nonce');
  });

  it('asks for auth-int when configured and covers the body', () => {
    const opts = {
      credentials: { username: 'u', password: 'p' },
      qop: 'auth-int' as const,
      cnonce: fixedCnonce,
    };
    const ch = 'Digest realm="r", nonce="n", qop="auth,auth-int"';
    const v1 = new DigestClient(opts).answer(
      ch,
      false,
      'INVITE',
      'sip:b@r',
      Buffer.from('a'),
    ).value;
    const v2 = new DigestClient(opts).answer(
      ch,
      false,
      'INVITE',
      'sip:b@r',
      Buffer.from('b'),
    ).value;
    expect(parseChallenge(v1).params['qop']).toBe('auth-int');
    expect(parseChallenge(v1).params['response']).not.toBe(parseChallenge(v2).params['response']);
  });
});

describe('selectChallenge (RFC 8760 §2.4)', () => {
  it('takes the topmost supported algorithm', () => {
    const c = selectChallenge([
      'Digest realm="r", nonce="n1", algorithm=SHA-999',
      'Digest realm="r", nonce="n2", algorithm=SHA-256',
      'Digest realm="r", nonce="n3", algorithm=MD5',
    ]);
    expect(c.nonce).toBe('n2');
  });

  it('explains why nothing is usable', () => {
    expect(() => selectChallenge(['Digest realm="r", nonce="n", algorithm=AKAv1-MD5'])).toThrow(
      /AKAv1-MD5/,
    );
    expect(() => selectChallenge(['Basic realm="r"'])).toThrow(/only Digest/);
    expect(() => selectChallenge([])).toThrow(/no challenge/);
  });
});
