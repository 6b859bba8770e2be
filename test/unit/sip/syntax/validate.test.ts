import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../../../src/main/sip/syntax/parser.ts';
import { createRequest, createResponse, Headers, type SipRequest, type SipResponse } from '../../../../src/main/sip/syntax/message.ts';
import { checkRequest, validateRequest, validateResponse } from '../../../../src/main/sip/syntax/validate.ts';

function req(method: string, extra: Array<[string, string]> = [], body?: string, uri = 'sip:bob@example.com'): SipRequest {
  const h = new Headers([
    ['Via', 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc;rport'],
    ['Max-Forwards', '70'],
    ['To', '<sip:bob@example.com>'],
    ['From', '"Alice" <sip:alice@example.com>;tag=1'],
    ['Call-ID', 'abc@192.0.2.1'],
    ['CSeq', `1 ${method}`],
  ]);
  for (const [n, v] of extra) h.set(n, v);
  return createRequest(method, uri, h, body === undefined ? undefined : Buffer.from(body));
}

function res(extra: Array<[string, string]> = [], drop: string[] = []): SipResponse {
  const h = new Headers([
    ['Via', 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc'],
    ['To', '<sip:bob@example.com>;tag=2'],
    ['From', '<sip:alice@example.com>;tag=1'],
    ['Call-ID', 'abc@192.0.2.1'],
    ['CSeq', '1 INVITE'],
  ]);
  for (const [n, v] of extra) h.set(n, v);
  for (const n of drop) h.remove(n);
  return createResponse(200, 'OK', h);
}

describe('validateRequest', () => {
  it('accepts a well-formed request, built or parsed', () => {
    expect(validateRequest(req('OPTIONS'))).toBeUndefined();
    expect(validateRequest(req('INVITE', [['Content-Type', 'application/sdp']], 'v=0\r\n'))).toBeUndefined();
    const parsed = parseMessage(Buffer.from('OPTIONS sip:b@h SIP/2.0\r\nVia: SIP/2.0/TCP h\r\nMax-Forwards: 1\r\nTo: <sip:b@h>\r\nFrom: <sip:a@h>;tag=1\r\nCall-ID: x\r\nCSeq: 2 OPTIONS\r\n\r\n'));
    expect(parsed.type === 'request' && validateRequest(parsed)).toBeUndefined();
  });

  it.each(['To', 'From', 'CSeq', 'Call-ID', 'Max-Forwards', 'Via'])('refuses a request without %s (RFC 3261 §8.1.1)', (name) => {
    const r = req('OPTIONS');
    r.headers.remove(name);
    expect(checkRequest(r)).toEqual({ status: 400, reason: `missing ${name} header (RFC 3261 §8.1.1)` });
  });

  const CASES: Array<[string, SipRequest, number, RegExp]> = [
    ['CSeq method mismatch', req('BYE', [['CSeq', '1 INVITE']]), 400, /CSeq method INVITE does not match BYE/],
    ['CSeq above 2**32-1', req('BYE', [['CSeq', '4294967296 BYE']]), 400, /CSeq/],
    ['Max-Forwards 256', req('BYE', [['Max-Forwards', '256']]), 400, /Max-Forwards/],
    ['Max-Forwards negative', req('BYE', [['Max-Forwards', '-1']]), 400, /Max-Forwards/],
    ['Call-ID with space', req('BYE', [['Call-ID', 'a b']]), 400, /Call-ID/],
    ['Call-ID with two @', req('BYE', [['Call-ID', 'a@b@c']]), 400, /Call-ID/],
    ['unparseable From', req('BYE', [['From', 'Alice Smith, Jr <sip:a@b>']]), 400, /From/],
    ['unparseable Via', req('BYE', [['Via', 'SIP/2.0 192.0.2.1']]), 400, /Via/],
    ['Via of another protocol', req('BYE', [['Via', 'SIP/3.0/UDP h;branch=z9hG4bK1']]), 400, /Via protocol/],
    ['Content-Length larger than body', req('MESSAGE', [['Content-Type', 'text/plain'], ['Content-Length', '10']], 'hi'), 400, /Content-Length 10 larger/],
    ['Content-Length not a number', req('MESSAGE', [['Content-Type', 'text/plain'], ['Content-Length', 'five']], 'hi'), 400, /invalid Content-Length/],
    ['body without Content-Type', req('MESSAGE', [], 'hi'), 400, /Content-Type/],
    ['Expires not delta-seconds', req('REGISTER', [['Expires', 'soon']]), 400, /Expires/],
    ['Contact expires without value', req('REGISTER', [['Contact', '<sip:a@h>;expires']]), 400, /expires/],
    ['Contact * outside REGISTER', req('INVITE', [['Contact', '*']]), 400, /Contact "\*"/],
    ['Contact * with Expires 3600', req('REGISTER', [['Contact', '*'], ['Expires', '3600']]), 400, /Contact "\*"/],
    ['Contact * among others', req('REGISTER', [['Contact', '*, <sip:a@h>'], ['Expires', '0']]), 400, /Contact "\*"/],
    ['bad Route', req('INVITE', [['Route', '<sip:p1@h;lr>, sip:p2@h?x=y']]), 400, /Route/],
    ['Date not GMT', req('INVITE', [['Date', 'Sat, 13 Nov 2010 23:29:00 UTC']]), 400, /Date/],
    ['Request-URI with spaces', req('INVITE', [], undefined, 'sip:a b@h'), 400, /Request-Line|Request-URI/],
    ['Request-URI scheme http', req('INVITE', [], undefined, 'http://example.com/'), 416, /unsupported URI scheme: http/],
    ['Request-URI with headers', req('INVITE', [], undefined, 'sip:a@h?Subject=x'), 400, /headers in the Request-URI/],
  ];
  it.each(CASES)('refuses %s', (_name, r, status, reason) => {
    const got = checkRequest(r);
    expect(got?.status).toBe(status);
    expect(got?.reason).toMatch(reason);
  });

  it('accepts Contact * in a REGISTER with Expires: 0, tel Request-URIs, and a valid Date', () => {
    expect(validateRequest(req('REGISTER', [['Contact', '*'], ['Expires', '0']]))).toBeUndefined();
    expect(validateRequest(req('INVITE', [], undefined, 'tel:+14155550123'))).toBeUndefined();
    expect(validateRequest(req('INVITE', [['Date', 'Sat, 13 Nov 2010 23:29:00 GMT']]))).toBeUndefined();
  });

  it('answers 505 for another SIP version', () => {
    const r = req('OPTIONS');
    r.version = 'SIP/3.0';
    expect(checkRequest(r)?.status).toBe(505);
  });
});

describe('validateResponse', () => {
  it('accepts a complete response', () => {
    expect(validateResponse(res())).toBeUndefined();
  });

  it.each(['Via', 'CSeq', 'Call-ID', 'From', 'To'])('drops a response without %s', (name) => {
    expect(validateResponse(res([], [name]))).toBe(`missing ${name} header`);
  });

  it.each([
    ['CSeq', 'x INVITE', /CSeq/],
    ['Via', 'garbage', /Via/],
    ['From', '"broken <sip:a@b>', /From/],
    ['Content-Length', '12', /Content-Length 12 larger/],
  ])('drops a response with a bad %s', (name, value, reason) => {
    expect(validateResponse(res([[name, value]]))).toMatch(reason);
  });

  it('drops another SIP version', () => {
    const r = res();
    r.version = 'SIP/1.0';
    expect(validateResponse(r)).toMatch(/version/);
  });
});
