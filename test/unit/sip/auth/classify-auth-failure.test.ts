import { describe, expect, it } from 'vitest';
import { classifyAuthFailure } from '../../../../src/main/sip/auth/classify-auth-failure.ts';

const ch = (realm: string, extra = '') => `Digest realm="${realm}", nonce="n", qop="auth"${extra}`;

describe('classifyAuthFailure', () => {
  it('a first challenge is not a failure (answer it)', () => {
    expect(classifyAuthFailure({ status: 401, challenges: [ch('r')] })).toBeNull();
    expect(
      classifyAuthFailure({ status: 407, challenges: [ch('r')], answeredRealms: [] }),
    ).toBeNull();
  });

  it('success and unrelated final responses are not auth failures', () => {
    expect(classifyAuthFailure({ status: 200 })).toBeNull();
    expect(classifyAuthFailure({ status: 486 })).toBeNull();
  });

  it('a second challenge for an answered realm means wrong credentials', () => {
    expect(classifyAuthFailure({ status: 401, challenges: [ch('r')], answeredRealms: ['r'] })).toBe(
      'wrong-credentials',
    );
    expect(
      classifyAuthFailure({
        status: 401,
        challenges: [ch('r', ', stale=false')],
        answeredRealms: ['r'],
      }),
    ).toBe('wrong-credentials');
  });

  it('a challenge for a new realm after answering another is answered, not a failure', () => {
    expect(
      classifyAuthFailure({ status: 407, challenges: [ch('proxy')], answeredRealms: ['r'] }),
    ).toBeNull();
  });

  it('stale=true after answering → stale-nonce', () => {
    expect(
      classifyAuthFailure({
        status: 401,
        challenges: [ch('r', ', stale=TRUE')],
        answeredRealms: ['r'],
      }),
    ).toBe('stale-nonce');
    // stale on a first challenge is just a challenge
    expect(classifyAuthFailure({ status: 401, challenges: [ch('r', ', stale=true')] })).toBeNull();
  });

  it('403 → forbidden; timeouts and 408 → no-response; transport errors → unreachable', () => {
    expect(classifyAuthFailure({ status: 403, answeredRealms: ['r'] })).toBe('forbidden');
    expect(classifyAuthFailure({ status: 'timeout' })).toBe('no-response');
    expect(classifyAuthFailure({ status: 408 })).toBe('no-response');
    expect(classifyAuthFailure({ status: 'transport-error' })).toBe('unreachable');
  });

  it('realm differing from the expected realm → realm-mismatch', () => {
    expect(
      classifyAuthFailure({
        status: 401,
        challenges: [ch('asterisk')],
        expectedRealm: 'sip.example.com',
      }),
    ).toBe('realm-mismatch');
    expect(
      classifyAuthFailure({
        status: 401,
        challenges: [ch('sip.example.com')],
        expectedRealm: 'sip.example.com',
      }),
    ).toBeNull();
  });

  it('401 without a usable Digest challenge → unsupported-challenge', () => {
    expect(classifyAuthFailure({ status: 401, challenges: ['Basic realm="r"'] })).toBe(
      'unsupported-challenge',
    );
    expect(
      classifyAuthFailure({ status: 401, challenges: [ch('r', ', algorithm=AKAv1-MD5')] }),
    ).toBe('unsupported-challenge');
    expect(classifyAuthFailure({ status: 401 })).toBe('unsupported-challenge');
  });
});
