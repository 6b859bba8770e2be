// RFC 4475 §3.1.2 (invalid messages), §3.2, §3.3 and §3.4 (they parse; the verdict is above the parser).
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../../../src/main/sip/syntax/parser.ts';
import { SipParseError } from '../../../../src/main/sip/syntax/message.ts';
import { checkRequest, validateRequest, validateResponse } from '../../../../src/main/sip/syntax/validate.ts';
import { parseNameAddr } from '../../../../src/main/sip/syntax/name-addr.ts';
import { parseVia } from '../../../../src/main/sip/syntax/via.ts';
import { topVia } from '../../../../src/main/sip/syntax/accessors.ts';
import { allTortureNames, request, response, torture } from './fixtures.ts';

function parseError(name: string): SipParseError {
  try {
    parseMessage(torture(name));
  } catch (e) {
    if (e instanceof SipParseError) return e;
    throw e;
  }
  throw new Error(`${name} parsed`);
}

// §3.1.2: every one is refused, by the parser or by validation, with a reason.
const REFUSED_REQUESTS: Array<[string, string, number, RegExp]> = [
  ['badinv01', '3.1.2.1', 400, /Via.*bad parameter/],
  ['ncl', '3.1.2.3', 400, /invalid Content-Length: -999/],
  ['scalar02', '3.1.2.4', 400, /CSeq/],
  ['quotbal', '3.1.2.6', 400, /To: unterminated quoted display name/],
  ['ltgtruri', '3.1.2.7', 400, /Request-URI/],
  ['lwsruri', '3.1.2.8', 400, /Request-Line/],
  ['lwsstart', '3.1.2.9', 400, /Request-Line/],
  ['trws', '3.1.2.10', 400, /Request-Line/],
  ['escruri', '3.1.2.11', 400, /headers in the Request-URI/],
  ['baddate', '3.1.2.12', 400, /Date/],
  ['regbadct', '3.1.2.13', 400, /Contact: .*must be in <>/],
  ['badaspec', '3.1.2.14', 400, /To: whitespace inside <addr-spec>/],
  ['baddn', '3.1.2.15', 400, /display name needs quotes/],
  ['badvers', '3.1.2.16', 505, /SIP version not supported: SIP\/7.0/],
  ['mismatch01', '3.1.2.17', 400, /CSeq method INVITE does not match OPTIONS/],
  ['mismatch02', '3.1.2.18', 400, /CSeq method INVITE does not match NEWMETHOD/],
];

describe('RFC 4475 §3.1.2 invalid messages', () => {
  it.each(REFUSED_REQUESTS)('%s (§%s) parses but is refused with %i', (name, _section, status, reason) => {
    const req = request(name);
    const r = checkRequest(req);
    expect(r?.status).toBe(status);
    expect(r?.reason).toMatch(reason);
    expect(validateRequest(req)).toBe(r?.reason);
  });

  it('§3.1.2.2 clerr: Content-Length beyond the datagram is a parse error with 400', () => {
    const e = parseError('clerr');
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/Content-Length 9999 larger/);
  });

  it('§3.1.2.5 scalarlg: a response with an overlarge CSeq is dropped', () => {
    expect(validateResponse(response('scalarlg'))).toMatch(/CSeq/);
  });

  it('§3.1.2.19 bigcode: a status code above 699 is a parse error', () => {
    const e = parseError('bigcode');
    expect(e.message).toMatch(/bad status code/);
    expect(e.status).toBeUndefined();
  });

  it('§3.1.2.4 scalar02 is refused for the CSeq even though Max-Forwards and Expires are also out of range', () => {
    const req = request('scalar02');
    req.headers.set('CSeq', '1 REGISTER');
    expect(validateRequest(req)).toMatch(/Max-Forwards: 300/);
    req.headers.set('Max-Forwards', '70');
    expect(validateRequest(req)).toMatch(/Expires/);
    req.headers.set('Expires', '3600');
    expect(validateRequest(req)).toMatch(/Contact expires/);
  });
});

describe('RFC 4475 §3.2-§3.4: parse, then the layers above decide', () => {
  it('§3.2.1 badbranch: a bare magic cookie is accepted', () => {
    const req = request('badbranch');
    expect(checkRequest(req)).toBeUndefined();
    expect(topVia(req).params['branch']).toBe('z9hG4bK');
  });

  it('§3.3.1 insuf: missing To, From, Call-ID, Max-Forwards → 400', () => {
    expect(checkRequest(request('insuf'))).toEqual({ status: 400, reason: 'missing To header (RFC 3261 §8.1.1)' });
  });

  it.each([
    ['unkscm', 'nobodyknowsthisscheme'],
    ['novelsc', 'soap.beep'],
  ])('§3.3.2-3 %s: Request-URI scheme not understood → 416', (name, scheme) => {
    expect(checkRequest(request(name))).toEqual({ status: 416, reason: `unsupported URI scheme: ${scheme}` });
  });

  it('§3.3.4 unksm2: unknown schemes in To/From/Contact parse; a REGISTER To must be SIP → 400', () => {
    const req = request('unksm2');
    expect(parseNameAddr(req.headers.get('to')!).uri).toMatchObject({ scheme: 'isbn', opaque: '2983792873' });
    expect(parseNameAddr(req.headers.get('from')!).uri).toMatchObject({ scheme: 'http', opaque: '//www.example.com' });
    expect(parseNameAddr(req.headers.get('contact')!).uri).toMatchObject({ scheme: 'name', opaque: 'John_Smith' });
    expect(checkRequest(req)).toEqual({ status: 400, reason: 'REGISTER To is not a SIP or SIPS URI: isbn' });
  });

  it.each(['bext01', 'invut', 'regaut01', 'zeromf', 'sdp01'])('§3.3 %s is syntactically acceptable', (name) => {
    expect(checkRequest(request(name))).toBeUndefined();
  });

  it('§3.3.5-7 details survive: Require list, unknown body, unknown Authorization scheme', () => {
    expect(request('bext01').headers.getAll('require')).toEqual(['nothingSupportsThis', 'nothingSupportsThisEither']);
    expect(request('invut').body.toString()).toBe('<audio>\r\n <pcmu port="443"/>\r\n</audio>\r\n');
    expect(request('regaut01').headers.getAll('authorization')).toEqual(['NoOneKnowsThisScheme opaque-data=here']);
    expect(request('zeromf').headers.get('max-forwards')).toBe('0');
  });

  it('§3.3.8 multi01: repeated single-value headers → 400', () => {
    expect(validateRequest(request('multi01'))).toMatch(/more than one (To|CSeq|Call-ID|From|Max-Forwards)/);
  });

  it('§3.3.9 mcl01: conflicting Content-Length values → body left whole, request refused', () => {
    const req = request('mcl01');
    expect(req.body.toString()).toBe("There's no way to know how many octets are supposed to be here.\r\n\r\n");
    expect(validateRequest(req)).toMatch(/more than one Content-Length/);
  });

  it('§3.3.10 bcast: a response with a broadcast Via parses and is not dropped by syntax', () => {
    const res = response('bcast');
    expect(validateResponse(res)).toBeUndefined();
    expect(parseVia(res.headers.getAll('via')[1]!).host).toBe('255.255.255.255');
  });

  it('§3.3.12-13 cparam01/02: header parameter vs URI parameter', () => {
    const c1 = parseNameAddr(request('cparam01').headers.get('contact')!);
    expect(c1.params).toEqual({ unknownparam: null });
    expect(c1.uri.params).toEqual({});
    const c2 = parseNameAddr(request('cparam02').headers.get('contact')!);
    expect(c2.params).toEqual({});
    expect(c2.uri.params).toEqual({ unknownparam: null });
    expect(checkRequest(request('cparam01'))).toBeUndefined();
    expect(checkRequest(request('cparam02'))).toBeUndefined();
  });

  it('§3.3.14 regescrt: an escaped header in a bracketed Contact URI is fine', () => {
    const req = request('regescrt');
    expect(parseNameAddr(req.headers.get('contact')!).uri.headers).toEqual({ Route: '<sip:sip.example.com>' });
    expect(checkRequest(req)).toBeUndefined();
  });

  it('§3.4.1 inv2543: RFC 2543 syntax is refused by default and accepted in compatibility mode', () => {
    const req = request('inv2543');
    expect(validateRequest(req)).toBe('missing Max-Forwards header (RFC 3261 §8.1.1)');
    expect(checkRequest(req, { rfc2543: true })).toBeUndefined();
    expect(req.body.length).toBe(105);
    expect(parseNameAddr(req.headers.get('record-route')!).uri.params['maddr']).toBe('ss1.example.com');
  });

  it('every RFC 4475 message has a verdict here or in the valid-message tests', () => {
    const covered = new Set([
      ...REFUSED_REQUESTS.map(([n]) => n),
      ...['clerr', 'scalarlg', 'bigcode', 'badbranch', 'insuf', 'unkscm', 'novelsc', 'unksm2', 'bext01', 'invut'],
      ...['regaut01', 'zeromf', 'sdp01', 'multi01', 'mcl01', 'bcast', 'cparam01', 'cparam02', 'regescrt', 'inv2543'],
      ...['wsinv', 'intmeth', 'esc01', 'escnull', 'esc02', 'lwsdisp', 'longreq', 'dblreq', 'semiuri', 'transports'],
      ...['mpart01', 'unreason', 'noreason'],
    ]);
    expect(allTortureNames()).toEqual([...covered].sort());
  });
});
