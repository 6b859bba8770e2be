// RFC 4475 §3.1.1: valid messages. Each must parse, pass validation, and read back as the RFC says.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../../../src/main/sip/syntax/parser.ts';
import { checkRequest, validateResponse } from '../../../../src/main/sip/syntax/validate.ts';
import { parseNameAddr } from '../../../../src/main/sip/syntax/name-addr.ts';
import { formatUri, parseUri } from '../../../../src/main/sip/syntax/uri.ts';
import { parseVia } from '../../../../src/main/sip/syntax/via.ts';
import { parseCSeq } from '../../../../src/main/sip/syntax/cseq.ts';
import { tagOf } from '../../../../src/main/sip/syntax/accessors.ts';
import { request, response, torture } from './fixtures.ts';

// SHA-256 of the decodes of the RFC's Appendix A archive: the fixtures are those exact bytes.
const DIGESTS: Record<string, string> = {
  wsinv: 'd6f6cdee99cd0a1f8e3d9a0fdd67c877700e19ab86d8186dada06f61260e3e61',
  intmeth: 'b957a8292c1c0a9851fe94705b90f94320738f43aacde64998e401f742ef688d',
  esc01: 'be3a316d4ce5f69cad474646191e390dd4b50fc8371e44b5197fe1237781973e',
  escnull: '263fe2ecd12a5ccbb6c67b3174e9211d11da9b600e7d69666a86d2ee42873e90',
  esc02: '9a9c59449f00327b02071feafc8e5c2a261c98c818044167894cc17809a12199',
  lwsdisp: 'd1b36b6316c12824f6f04bf6b1fd1f021cade9b74871693b9c3474cd9fa7f4e6',
  longreq: '185739292bc676760e5b1cca77c87705aa570240171c506ad76f8c35af0ecdaa',
  dblreq: 'a6be48426565c2a705389c4ce2ea17e57b891cb13f80490a2cb9392c797b46ef',
  semiuri: '87bbaed6b4b354dbd3c5c7a20e66686303c63e43a0aa19b89de1ac75231611a2',
  transports: '33b4553a3b9418121b099ff07882535151edd6a1e81898c63a916aad2cbf90bc',
  mpart01: '92147c8e24997bac59629e1b163767697d0d6d499af87f89e325d69968bec3ba',
  unreason: '4f939d6ebf4817eea70f011d3209e83732872ffc20ffd304b244084dc392f4d7',
  noreason: '07e11e470a69fffa3674de805e5165d1351a9439a91045ee70c9570ea24ab4fe',
};

describe('RFC 4475 §3.1.1 fixtures', () => {
  it.each(Object.keys(DIGESTS))('%s is byte-exact', (name) => {
    expect(createHash('sha256').update(torture(name)).digest('hex')).toBe(DIGESTS[name]);
  });

  it.each(Object.keys(DIGESTS))('%s parses and is acceptable', (name) => {
    const m = parseMessage(torture(name));
    if (m.type === 'request') expect(checkRequest(m)).toBeUndefined();
    else expect(validateResponse(m)).toBeUndefined();
  });
});

describe('RFC 4475 §3.1.1 valid messages', () => {
  it('§3.1.1.1 wsinv: folding, compact forms, escaped quotes, odd whitespace', () => {
    const m = request('wsinv');
    expect(m.method).toBe('INVITE');
    expect(parseUri(m.uri).params).toEqual({ unknownparam: null });
    // TO :<CRLF> sip:... — folded value unfolded, HCOLON with whitespace before it.
    expect(m.headers.get('to')).toBe('sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n');
    expect(tagOf(m.headers.get('To'))).toBe('1918181833n');
    const from = parseNameAddr(m.headers.get('from')!);
    expect(from.displayName).toBe('J Rosenberg \\"');
    expect(from.params).toEqual({ tag: '98asjd8' });
    expect(m.headers.get('max-forwards')).toBe('0068');
    expect(m.headers.get('cseq')).toBe('0009 INVITE');
    expect(parseCSeq(m.headers.get('cseq')!)).toEqual({ seq: 9, method: 'INVITE' });
    // Via, then compact v: with two comma-separated values: three in order.
    const vias = m.headers.getAll('via').map(parseVia);
    expect(vias.map((v) => [v.transport, v.host, v.params['branch']])).toEqual([
      ['UDP', '192.0.2.2', '390skdjuw'],
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    expect(m.headers.get('subject')).toBe('');
    expect(m.headers.get('NewFangledHeader')).toBe('newfangled value continued newfangled value');
    expect(m.headers.get('unknownheaderwithunusualvalue')).toBe(';;,,;;,;');
    expect(parseNameAddr(m.headers.get('route')!).uri.params).toEqual({ lr: null, unknownwith: 'value', 'unknown-no-value': null });
    const contact = parseNameAddr(m.headers.getAll('contact')[0]!);
    expect(contact.displayName).toBe('Quoted string ""');
    expect(contact.params).toEqual({ newparam: 'newvalue', secondparam: null, q: '0.33' });
    expect(m.body.length).toBe(150);
    expect(m.body.toString().startsWith('v=0\r\n')).toBe(true);
  });

  it('§3.1.1.2 intmeth: the full token, word and quoted-pair character ranges', () => {
    const m = request('intmeth');
    expect(m.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
    const ruri = parseUri(m.uri);
    expect(ruri.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(ruri.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    expect(ruri.host).toBe('example.com');
    expect(parseVia(m.headers.get('via')!).params['branch']).toBe("z9hG4bK-.!%66*_+`'~");
    expect(parseNameAddr(m.headers.get('to')!).displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
    const from = parseNameAddr(m.headers.get('from')!);
    expect(from.displayName).toBe("token1~` token2'+_ token3*%!.-");
    expect(from.params).toEqual({ "fromparam''~+*_!.-%": 'работающий', tag: "_token~1'+`*%!-." });
    expect(m.headers.get('call-id')).toBe("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
    expect(parseCSeq(m.headers.get('cseq')!)).toEqual({ seq: 139122385, method: m.method });
    expect(m.headers.get("extensionHeader-!.%*+_`'~")).toBe('\ufeff大停電');
  });

  it('§3.1.1.3 esc01: %-escapes in user parts and URI parameters', () => {
    const m = request('esc01');
    const ruri = parseUri(m.uri);
    expect(ruri.user).toBe('sips:user@example.com');
    expect(ruri.host).toBe('example.net');
    expect(formatUri(ruri)).toBe('sip:sips%3Auser%40example.com@example.net');
    expect(parseNameAddr(m.headers.get('to')!).uri.user).toBe('user');
    expect(parseNameAddr(m.headers.get('from')!).uri.user).toBe('I have spaces');
    const contact = parseNameAddr(m.headers.get('contact')!).uri;
    expect(contact.user).toBe('caller');
    // "value%41" is not "valueA": unescaping is done once (RFC 3986).
    expect(contact.params).toEqual({ lr: null, name: 'value%41' });
    expect(m.headers.get('call-id')).toBe('esc01.239409asdfakjkn23onasd0-3234');
    expect(m.headers.get('content-type')).toBe('application/sdp');
  });

  it('§3.1.1.4 escnull: escaped NULs stay in the user part', () => {
    const m = request('escnull');
    expect(parseNameAddr(m.headers.get('to')!).uri.user).toBe('null-\0-null');
    expect(parseNameAddr(m.headers.get('from')!).uri.user).toBe('null-\0-null');
    const contacts = m.headers.getAll('contact').map((c) => parseNameAddr(c).uri);
    expect(contacts.map((u) => u.user)).toEqual(['\0', '\0\0']);
    expect(formatUri(contacts[1]!)).toBe('sip:%00%00@host5.example.com');
    expect(m.headers.get('content-length')).toBe('0');
  });

  it('§3.1.1.5 esc02: % where it is no escape', () => {
    const m = request('esc02');
    expect(m.method).toBe('RE%47IST%45R');
    expect(parseNameAddr(m.headers.get('to')!).displayName).toBe('%Z%45');
    expect(parseNameAddr(m.headers.get('from')!).displayName).toBe('%Z%45');
    expect(m.headers.getAll('contact').map((c) => parseNameAddr(c).uri.user)).toEqual(['alias1', 'alias3']);
    expect(m.headers.get('C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
    expect(parseVia(m.headers.get('via')!).params['branch']).toBe('z9hG4bK209%fzsnel234');
  });

  it('§3.1.1.6 lwsdisp: no LWS between display name and <', () => {
    const from = parseNameAddr(request('lwsdisp').headers.get('from')!);
    expect(from.displayName).toBe('caller');
    expect(from.uri.user).toBe('caller');
    expect(from.params).toEqual({ tag: '323' });
  });

  it('§3.1.1.7 longreq: long values and 34 Via values in many spellings', () => {
    const m = request('longreq');
    const to = parseNameAddr(m.headers.get('to')!);
    expect(to.displayName).toBe(`I have a user name of ${'extreme'.repeat(10)} proportion`);
    expect(to.uri.port).toBe(6000);
    expect(to.uri.params).toEqual({
      unknownparam1: `very${'long'.repeat(20)}value`,
      [`longparam${'name'.repeat(25)}`]: 'shortvalue',
      [`very${'long'.repeat(25)}parameternamewithnovalue`]: null,
    });
    const from = parseNameAddr(m.headers.get('f')!);
    expect(from.uri.user).toBe('amazinglylongcallername'.repeat(5));
    expect(from.params['tag']).toBe(`12${'982'.repeat(50)}424`);
    expect(from.params[`unknownvalueless${'paramname'.repeat(10)}`]).toBeNull();
    expect(m.headers.get('call-id')).toBe(`longreq.one${'really'.repeat(20)}longcallid`);
    const vias = m.headers.getAll('via').map(parseVia);
    expect(vias).toHaveLength(34);
    expect(vias.slice(0, 33).map((v) => v.host)).toEqual(Array.from({ length: 33 }, (_, i) => `sip${33 - i}.example.com`));
    expect(vias[33]!.params['branch']).toBe(`very${'long'.repeat(50)}branchvalue`);
    expect(m.body.length).toBe(150);
  });

  it('§3.1.1.8 dblreq: octets after Content-Length in a datagram are ignored', () => {
    const m = request('dblreq');
    expect(m.method).toBe('REGISTER');
    expect(m.body.length).toBe(0);
    expect(m.raw!.length).toBeGreaterThan(400);
    expect(m.headers.getAll('contact')).toEqual(['sip:j.user@host.example.com']);
  });

  it('§3.1.1.9 semiuri: ; in the user part of the Request-URI', () => {
    const m = request('semiuri');
    const ruri = parseUri(m.uri);
    expect(ruri.user).toBe('user;par=u@example.net');
    expect(ruri.host).toBe('example.com');
    expect(ruri.params).toEqual({});
    expect(m.headers.getAll('accept')).toEqual([
      'application/sdp',
      'application/pkcs7-mime',
      'multipart/mixed',
      'multipart/signed',
      'message/sip',
      'message/sipfrag',
    ]);
  });

  it('§3.1.1.10 transports: known and unknown transports in Via', () => {
    const m = request('transports');
    expect(m.headers.getAll('via').map((v) => parseVia(v).transport)).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
    expect(m.headers.get('call-id')).toBe('transports.kijh4akdnaqjkwendsasfdj');
  });

  it('§3.1.1.11 mpart01: a binary multipart body is framed by Content-Length', () => {
    const m = request('mpart01');
    expect(m.body.length).toBe(553);
    expect(m.body.includes(0)).toBe(true);
    expect(m.body.subarray(-22).toString()).toBe('--7a9cbec02ceef655--\r\n');
    expect(parseVia(m.headers.get('via')!).params).toEqual({ branch: 'z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-', rport: null });
  });

  it('§3.1.1.12 unreason: UTF-8 reason phrase', () => {
    const m = response('unreason');
    expect(m.status).toBe(200);
    expect(m.reason).toBe('= 2**3 * 5**2 но сто девяносто девять - простое');
  });

  it('§3.1.1.13 noreason: empty reason phrase', () => {
    const m = response('noreason');
    expect(m.status).toBe(100);
    expect(m.reason).toBe('');
  });
});
