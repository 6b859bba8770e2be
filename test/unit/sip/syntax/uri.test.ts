import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { formatUri, parseUri, type SipUri } from '../../../../src/main/sip/syntax/uri.ts';
import { SipParseError } from '../../../../src/main/sip/syntax/message.ts';

const uri = (u: Partial<SipUri> & { host: string }): SipUri => ({ scheme: 'sip', params: {}, headers: {}, ...u });

const GOOD: Array<[string, SipUri]> = [
  ['sip:alice@atlanta.com', uri({ user: 'alice', host: 'atlanta.com' })],
  ['SIP:ALICE@AtLanTa.CoM;Transport=UDP', uri({ user: 'ALICE', host: 'AtLanTa.CoM', params: { transport: 'UDP' } })],
  ['sips:bob:secret@biloxi.com:5061', uri({ scheme: 'sips', user: 'bob', password: 'secret', host: 'biloxi.com', port: 5061 })],
  ['sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com', uri({ host: 'atlanta.com', params: { method: 'REGISTER' }, headers: { to: 'alice@atlanta.com' } })],
  ['sip:+1-212-555-1212:1234@gateway.com;user=phone', uri({ user: '+1-212-555-1212', password: '1234', host: 'gateway.com', params: { user: 'phone' } })],
  ['sip:%61lice%20b@example.com', uri({ user: 'alice b', host: 'example.com' })],
  ['sip:user;par=u%40example.net@example.com', uri({ user: 'user;par=u@example.net', host: 'example.com' })],
  ['sip:[2001:db8::10]', uri({ host: '2001:db8::10' })],
  ['sip:[2001:db8::10]:5070', uri({ host: '2001:db8::10', port: 5070 })],
  ['sip:user@[2001:db8::1]:5060;transport=tcp;lr', uri({ user: 'user', host: '2001:db8::1', port: 5060, params: { transport: 'tcp', lr: null } })],
  ['sip:[::ffff:192.0.2.1];maddr=[2001:db8::9]', uri({ host: '::ffff:192.0.2.1', params: { maddr: '[2001:db8::9]' } })],
  ['sip:proxy.example.com;lr;maddr=192.0.2.9;ttl=15;user=ip', uri({ host: 'proxy.example.com', params: { lr: null, maddr: '192.0.2.9', ttl: '15', user: 'ip' } })],
  ['sip:a@b?X-Foo=bar&Subject=x%20y&Empty=', uri({ user: 'a', host: 'b', headers: { 'X-Foo': 'bar', Subject: 'x y', Empty: '' } })],
  ['sip:example.com.', uri({ host: 'example.com.' })],
  ['sip:a@10.0.0.1:0', uri({ user: 'a', host: '10.0.0.1', port: 0 })],
  ['sip:u:@h', uri({ user: 'u', password: '', host: 'h' })],
  ['tel:+1-201-555-0123', { scheme: 'tel', user: '+1-201-555-0123', host: '', params: {}, headers: {} }],
  ['tel:7042;phone-context=example.com', { scheme: 'tel', user: '7042', host: '', params: { 'phone-context': 'example.com' }, headers: {} }],
  ['urn:service:sos', { scheme: 'urn', host: '', params: {}, headers: {}, opaque: 'service:sos' }],
];

const BAD: string[] = [
  '',
  'sip',
  'sip:',
  ':a@b',
  '1sip:a@b',
  'sip:@host',
  'sip:a b@host',
  'sip:a@',
  'sip:a@ho st',
  'sip:a@host:',
  'sip:a@host:65536',
  'sip:a@host:12a',
  'sip:a@[2001:db8::1',
  'sip:a@[zz::1]',
  'sip:a@[2001:db8::1]x',
  'sip:a@host;',
  'sip:a@host;;lr',
  'sip:a@host;transport=',
  'sip:a@host;=x',
  'sip:a@host;x="y"',
  'sip:a@host?',
  'sip:a@host?novalue',
  'sip:a@host?a=b&',
  'sip:a%4@host',
  'sip:a%ZZ@host',
  'sip:a@host<',
  '<sip:a@host>',
  'sip:a@ho..st',
  'tel:',
  'tel:12 34',
  'http://exa mple.com',
  'mailto:<x>',
];

describe('parseUri', () => {
  it.each(GOOD)('%s', (text, expected) => {
    expect(parseUri(text)).toEqual(expected);
  });

  it.each(BAD)('refuses %j with SipParseError 400', (text) => {
    let err: unknown;
    try {
      parseUri(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SipParseError);
    expect((err as SipParseError).status).toBe(400);
  });

  it('keeps the first of duplicate parameters and stores odd names as own properties', () => {
    const u = parseUri('sip:h;transport=tcp;Transport=udp;__proto__=x;constructor');
    expect(u.params['transport']).toBe('tcp');
    expect(Object.keys(u.params)).toEqual(['transport', '__proto__', 'constructor']);
    expect(Object.getPrototypeOf(u.params)).toBe(Object.prototype);
    expect('toString' in parseUri('sip:h').params && Object.keys(parseUri('sip:h').params)).toEqual([]);
  });
});

describe('formatUri', () => {
  it.each([
    'sip:alice@atlanta.com',
    'sips:bob:secret@biloxi.com:5061',
    'sip:user@[2001:db8::1]:5060;transport=tcp;lr',
    'sip:a@b?X-Foo=bar&Subject=x%20y',
    'sip:user;par=u%40example.net@example.com',
    'sip:proxy.example.com;lr;maddr=192.0.2.9',
    'tel:7042;phone-context=example.com',
    'urn:service:sos',
  ])('formats %s back to itself', (text) => {
    expect(formatUri(parseUri(text))).toBe(text);
  });

  it('re-escapes what a part does not allow, once', () => {
    const u = uri({ user: 'sips:user@example.com', password: 'p@ss:w', host: 'example.net', params: { name: 'value%41', 'a b': null }, headers: { Subject: 'hi there&more=1' } });
    const text = formatUri(u);
    expect(text).toBe('sip:sips%3Auser%40example.com:p%40ss%3Aw@example.net;name=value%2541;a%20b?Subject=hi%20there%26more%3D1');
    expect(parseUri(text)).toEqual(u);
  });

  it('escapes NUL and non-ASCII as UTF-8 octets', () => {
    expect(formatUri(uri({ user: 'null-\0-é', host: 'h' }))).toBe('sip:null-%00-%C3%A9@h');
    expect(parseUri('sip:null-%00-%C3%A9@h').user).toBe('null-\0-é');
  });

  it('brackets IPv6 hosts', () => {
    expect(formatUri(uri({ host: '2001:db8::10', port: 5060 }))).toBe('sip:[2001:db8::10]:5060');
  });
});

// jssip's PEG grammar (RFC 3261 §25.1 transcribed) as a differential oracle on URIs where it is
// known to be right (see uri.ts for the cases where it is not: maddr, passwords, case).
describe('agrees with the jssip grammar', () => {
  const require = createRequire(import.meta.url);
  const Grammar = require('jssip/lib/Grammar.js') as { parse(input: string, rule: string): unknown };
  interface JsUri {
    _scheme: string;
    _user?: string;
    _host: string;
    _port?: number;
    _parameters: Record<string, string | null>;
    _headers: Record<string, string[]>;
  }
  it.each([
    'sip:alice@atlanta.com',
    'sips:bob@Biloxi.COM:5061',
    'sip:%61lice%20b@example.com;lr',
    'sip:user;par=u%40example.net@example.com',
    'sip:a@[2001:db8::1]:5060;foo=bar;baz',
    'sip:host.example.com;transport=tls;x=3',
    'sip:a@b?X-Foo=bar&Subject=x',
    "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com",
  ])('%s', (text) => {
    const theirs = Grammar.parse(text, 'SIP_URI') as JsUri;
    const ours = parseUri(text);
    expect(ours.scheme).toBe(theirs._scheme);
    expect(ours.user).toBe(theirs._user);
    expect(ours.host.toLowerCase()).toBe(theirs._host.replace(/^\[|\]$/g, ''));
    expect(ours.port).toBe(theirs._port);
    expect(Object.keys(ours.params)).toEqual(Object.keys(theirs._parameters));
    expect(Object.fromEntries(Object.entries(theirs._headers).map(([k, v]) => [k, v[0]]))).toEqual(ours.headers);
  });

  it.each(['sip:a b@c', 'sip:a@b;', 'sip:a@[zz::1]', 'sip:@h', 'sip:a@h:port'])('both refuse %s', (text) => {
    expect(Grammar.parse(text, 'SIP_URI')).toBe(-1);
    expect(() => parseUri(text)).toThrow(SipParseError);
  });
});
