import { describe, expect, it } from 'vitest';
import { formatNameAddr, isStarContact, parseNameAddr } from '../../../../src/main/sip/syntax/name-addr.ts';
import { SipParseError } from '../../../../src/main/sip/syntax/message.ts';
import { parseParams, parseParamsStrict } from '../../../../src/main/sip/syntax/params.ts';

describe('parseNameAddr', () => {
  it.each([
    ['<sip:a@b>', { user: 'a', display: undefined, params: {} }],
    ['"Display \\"quoted\\"" <sip:a@b;lr>;tag=x', { user: 'a', display: 'Display "quoted"', params: { tag: 'x' } }],
    ['Bob Smith <sip:bob@b>;tag=1', { user: 'bob', display: 'Bob Smith', params: { tag: '1' } }],
    ['  Bob \t  Smith   <sip:bob@b>', { user: 'bob', display: 'Bob Smith', params: {} }],
    ['caller<sip:caller@b>', { user: 'caller', display: 'caller', params: {} }],
    ['"" <sip:a@b>', { user: 'a', display: '', params: {} }],
    ['"a \\\\ b"<sip:a@b>', { user: 'a', display: 'a \\ b', params: {} }],
    ['"Jürgen 日本" <sip:j@b>', { user: 'j', display: 'Jürgen 日本', params: {} }],
    ['sip:a@b;tag=x', { user: 'a', display: undefined, params: { tag: 'x' } }],
    ['sip:a@b ;  TAG = x ; q=0.5;expires=60', { user: 'a', display: undefined, params: { tag: 'x', q: '0.5', expires: '60' } }],
    ['<sip:a@b>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>";reg-id=1', { user: 'a', display: undefined, params: { '+sip.instance': '<urn:uuid:00000000-0000-1000-8000-000A95A0E128>', 'reg-id': '1' } }],
    ['<sip:a@b>;received=[2001:db8::1]', { user: 'a', display: undefined, params: { received: '[2001:db8::1]' } }],
  ])('%s', (value, want) => {
    const na = parseNameAddr(value);
    expect(na.uri.user).toBe(want.user);
    expect(na.displayName).toBe(want.display);
    expect(na.params).toEqual(want.params);
  });

  it('URI parameters inside <> stay on the URI; after a bare URI they are header parameters (RFC 3261 §20.10)', () => {
    expect(parseNameAddr('<sip:a@b;transport=tcp>;tag=1')).toMatchObject({ uri: { params: { transport: 'tcp' } }, params: { tag: '1' } });
    expect(parseNameAddr('sip:a@b;transport=tcp;tag=1')).toMatchObject({ uri: { params: {} }, params: { transport: 'tcp', tag: '1' } });
  });

  it('reads IPv6 and escaped URIs inside name-addr', () => {
    const na = parseNameAddr('"v6" <sip:%61lice@[2001:db8::10]:5060;maddr=[2001:db8::9]?Subject=hi%20there>;tag=9');
    expect(na.uri).toEqual({ scheme: 'sip', user: 'alice', host: '2001:db8::10', port: 5060, params: { maddr: '[2001:db8::9]' }, headers: { Subject: 'hi there' } });
  });

  it.each([
    ['', /bad URI/],
    ['"unterminated <sip:a@b>', /unterminated/],
    ['"x" sip:a@b', /not followed by <addr-spec>/],
    ['Bell, Alexander <sip:a@b>', /needs quotes/],
    ['<sip:a@b', /missing >/],
    ['< sip:a@b >', /whitespace inside/],
    ['sip:a@b?Subject=x', /must be in <>/],
    ['sip:a@b, sip:c@d', /must be in <>/],
    ['<sip:a@b>;;;', /bad parameter name/],
    ['<sip:a@b>;tag=', /bad parameter value/],
    ['<sip:a@b>;tag="x', /unterminated quoted parameter/],
    ['<sip:a@b> junk', /bad parameter list/],
    ['*', /bad URI/],
    ['"a\\', /bad quoted-pair|unterminated/],
  ])('refuses %j', (value, reason) => {
    let err: unknown;
    try {
      parseNameAddr(value);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SipParseError);
    expect((err as Error).message).toMatch(reason);
  });
});

describe('isStarContact', () => {
  it.each([
    ['*', true],
    [' * ', true],
    ['*;expires=0', true],
    ['<sip:*@b>', false],
    ['sip:a@b', false],
    ['**', false],
  ])('%j → %s', (value, star) => {
    expect(isStarContact(value)).toBe(star);
  });
});

describe('formatNameAddr', () => {
  it('always brackets the URI, quotes and escapes the display name', () => {
    expect(formatNameAddr(parseNameAddr('sip:a@b;tag=x'))).toBe('<sip:a@b>;tag=x');
    expect(formatNameAddr(parseNameAddr('"J Rosenberg \\\\\\"" <sip:jdrosen@example.com>;tag=98'))).toBe('"J Rosenberg \\\\\\"" <sip:jdrosen@example.com>;tag=98');
    expect(formatNameAddr(parseNameAddr('Bob <sip:b@h;lr>;q=0.5;x'))).toBe('"Bob" <sip:b@h;lr>;q=0.5;x');
  });

  it('round-trips through parse', () => {
    for (const v of ['"A \\"B\\"" <sip:%00@h;lr>;tag=1', '<sips:[2001:db8::1]:5061>;expires=0', 'tok`en <tel:+123;phone-context=x>']) {
      const na = parseNameAddr(v);
      expect(parseNameAddr(formatNameAddr(na))).toEqual(na);
    }
  });
});

describe('params', () => {
  it('parseParamsStrict accepts LWS around ; and = and quoted values', () => {
    expect(parseParamsStrict(' ;  a = 1 ;b;C="x;\\"y"')).toEqual({ a: '1', b: null, c: 'x;"y' });
    expect(parseParamsStrict('')).toEqual({});
  });

  it('parseParams stays lenient for callers that want it', () => {
    expect(parseParams(';;a=1;;')).toEqual({ a: '1' });
    expect(() => parseParamsStrict(';;a=1;;')).toThrow(SipParseError);
  });
});
