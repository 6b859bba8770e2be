/** Issue 15 item 7 (CLI part): a password in a URI's userinfo is never sent; it becomes the digest password. */
import { describe, expect, it } from 'vitest';
import { moveUriPasswords, takeUriPassword } from '../../../../src/main/shells/cli/uri-password.ts';

describe('takeUriPassword', () => {
  it('splits sip:user:password@host and keeps the rest of the URI', () => {
    expect(takeUriPassword('sip:alice:S3CRET@pbx.example.com:5070;transport=tcp')).toEqual({ uri: 'sip:alice@pbx.example.com:5070;transport=tcp', user: 'alice', password: 'S3CRET' });
    expect(takeUriPassword('SIPS:bob:p%40ss%3Aw@[::1]')).toEqual({ uri: 'SIPS:bob@[::1]', user: 'bob', password: 'p@ss:w' });
    expect(takeUriPassword('sip:+15551234567:pw@trunk')).toMatchObject({ uri: 'sip:+15551234567@trunk', password: 'pw' });
    expect(takeUriPassword('sip:alice:@host')).toEqual({ uri: 'sip:alice@host', user: 'alice', password: '' });
  });

  it('leaves URIs without a password alone (a port is not a password)', () => {
    for (const u of ['sip:alice@host', 'sip:host:5060', 'sip:echo@127.0.0.1:5060', 'tel:+1555', 'sip:a@b;x=c:d@e', 'sip:[::1]:5060']) expect(takeUriPassword(u)).toEqual({ uri: u });
  });
});

describe('moveUriPasswords', () => {
  it('fills the digest password and user from the URI, and says so without the password', () => {
    const warned: string[] = [];
    const o: { password?: string; user?: string; from?: string } = {};
    expect(moveUriPasswords('sip:alice:S3CRET@h', o, (t) => warned.push(t))).toBe('sip:alice@h');
    expect(o).toEqual({ password: 'S3CRET', user: 'alice' });
    expect(warned.join()).toMatch(/RFC 3261 §19\.1\.1/);
    expect(warned.join()).not.toContain('S3CRET');
  });

  it('a password flag wins; --user and --auth-user are kept; --from and --proxy are cleaned too', () => {
    const o: { password?: string; user?: string; authUser?: string; from?: string; proxy?: string } = { password: 'flag', authUser: 'digest', from: 'sip:caller:x@h', proxy: 'sip:p:y@proxy' };
    expect(moveUriPasswords('sip:alice:uri@h', o, () => undefined)).toBe('sip:alice@h');
    expect(o).toEqual({ password: 'flag', authUser: 'digest', from: 'sip:caller@h', proxy: 'sip:p@proxy' });
  });
});
