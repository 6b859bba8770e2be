import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../../../src/main/sip/syntax/parser.ts';
import { serializeMessage } from '../../../../src/main/sip/syntax/serializer.ts';
import { createRequest, Headers, SipParseError, type SipMessage } from '../../../../src/main/sip/syntax/message.ts';
import { parseNameAddr } from '../../../../src/main/sip/syntax/name-addr.ts';
import { torture } from './fixtures.ts';

const crlf = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n'));

const OPTIONS = [
  'OPTIONS sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa1',
  'Max-Forwards: 70',
  'To: <sip:bob@example.com>',
  'From: "Alice" <sip:alice@example.com>;tag=1',
  'Call-ID: abc@192.0.2.1',
  'CSeq: 1 OPTIONS',
  'Content-Length: 0',
  '',
  '',
];

function errorOf(data: Buffer): SipParseError {
  try {
    parseMessage(data);
  } catch (e) {
    if (e instanceof SipParseError) return e;
    throw e;
  }
  throw new Error('parsed');
}

describe('parseMessage', () => {
  it('reads start line, headers in order and keeps raw as the same buffer', () => {
    const data = crlf(OPTIONS);
    const m = parseMessage(data);
    expect(m.type).toBe('request');
    if (m.type !== 'request') return;
    expect([m.method, m.uri, m.version]).toEqual(['OPTIONS', 'sip:bob@example.com', 'SIP/2.0']);
    expect(m.headers.fields.map((f) => f.name)).toEqual(['Via', 'Max-Forwards', 'To', 'From', 'Call-ID', 'CSeq', 'Content-Length']);
    expect(m.raw).toBe(data);
    expect(m.body.length).toBe(0);
  });

  it('accepts bare LF line ends and ignores CRLFs before the start line (RFC 3261 §7.5)', () => {
    const m = parseMessage(Buffer.from('\r\n\r\n' + OPTIONS.join('\n') + 'body'));
    expect(m.type === 'request' && m.method).toBe('OPTIONS');
    expect(m.headers.get('cseq')).toBe('1 OPTIONS');
    expect(m.body.length).toBe(0); // Content-Length: 0 truncates "body"
  });

  it('unfolds continuation lines (RFC 3261 §7.3.1), with SP or HTAB', () => {
    const m = parseMessage(crlf(['INVITE sip:a@b SIP/2.0', 'Subject: one', '\t two', '   three', 'X-Empty:', ' later', '', '']));
    expect(m.headers.get('subject')).toBe('one two three');
    expect(m.headers.get('x-empty')).toBe('later');
  });

  it('names are case-insensitive, compact forms expand, whitespace before the colon is allowed', () => {
    const m = parseMessage(
      crlf(['MESSAGE sip:a@b SIP/2.0', 'v : SIP/2.0/UDP h1', 'i:x', 'f: <sip:a@b>', 't: <sip:b@c>', 'm: <sip:c@d>', 'c: text/plain', 'k: 100rel', 'l: 2', '', 'hi']),
    );
    expect(m.headers.get('VIA')).toBe('SIP/2.0/UDP h1');
    expect(m.headers.get('Call-Id')).toBe('x');
    expect(m.headers.get('from')).toBe('<sip:a@b>');
    expect(m.headers.get('to')).toBe('<sip:b@c>');
    expect(m.headers.get('contact')).toBe('<sip:c@d>');
    expect(m.headers.get('content-type')).toBe('text/plain');
    expect(m.headers.get('supported')).toBe('100rel');
    expect(m.body.toString()).toBe('hi');
  });

  it('splits list headers on top-level commas only, across lines and compact forms', () => {
    const m = parseMessage(
      crlf([
        'INVITE sip:a@b SIP/2.0',
        'Via: SIP/2.0/UDP h1;branch=z9hG4bK1, SIP/2.0/TCP h2;branch=z9hG4bK2',
        'v: SIP/2.0/UDP h3',
        'Contact: "Doe, John" <sip:j@d>;x="a,b";q=0.5, <sip:k@d>',
        'Subject: a, b',
        '',
        '',
      ]),
    );
    expect(m.headers.getAll('via')).toEqual(['SIP/2.0/UDP h1;branch=z9hG4bK1', 'SIP/2.0/TCP h2;branch=z9hG4bK2', 'SIP/2.0/UDP h3']);
    const contacts = m.headers.getAll('contact').map(parseNameAddr);
    expect(contacts.map((c) => c.displayName)).toEqual(['Doe, John', undefined]);
    expect(contacts[0]!.params).toEqual({ x: 'a,b', q: '0.5' });
    expect(m.headers.getAll('subject')).toEqual(['a, b']);
  });

  it('Content-Length: truncates a datagram (RFC 3261 §18.3), keeps all octets when absent', () => {
    const head = 'SIP/2.0 200 OK\r\nContent-Length: 3\r\n\r\n';
    expect(parseMessage(Buffer.from(head + 'abcdef')).body.toString()).toBe('abc');
    expect(parseMessage(Buffer.from('SIP/2.0 200 OK\r\n\r\nabcdef')).body.toString()).toBe('abcdef');
    expect(errorOf(Buffer.from(head + 'ab')).message).toMatch(/Content-Length 3 larger than the 2 octets/);
  });

  it('reads responses: status, reason (UTF-8), empty reason, no trailing SP', () => {
    const m = parseMessage(Buffer.from('SIP/2.0 486 Besetzt – bitte später\r\n\r\n'));
    expect(m.type === 'response' && [m.status, m.reason]).toEqual([486, 'Besetzt – bitte später']);
    const n = parseMessage(Buffer.from('SIP/2.0 180\r\n\r\n'));
    expect(n.type === 'response' && [n.status, n.reason]).toEqual([180, '']);
  });

  it('decodes header text as UTF-8, or octet by octet when it is not UTF-8', () => {
    const utf8 = parseMessage(Buffer.from('SIP/2.0 200 OK\r\nFrom: "Jürgen" <sip:j@example.de>\r\n\r\n'));
    expect(parseNameAddr(utf8.headers.get('from')!).displayName).toBe('Jürgen');
    const latin1 = Buffer.concat([Buffer.from('SIP/2.0 200 OK\r\nX-Name: J'), Buffer.from([0xfc]), Buffer.from('rgen\r\n\r\n')]);
    expect(Buffer.from(parseMessage(latin1).headers.get('x-name')!, 'latin1')).toEqual(Buffer.from([0x4a, 0xfc, 0x72, 0x67, 0x65, 0x6e]));
  });

  it('tolerates extra SP in the Request-Line for validation to refuse (RFC 4475 §3.1.2.9)', () => {
    const m = parseMessage(Buffer.from('INVITE  sip:a@b  SIP/2.0  \r\n\r\n'));
    expect(m.type === 'request' && [m.method, m.uri, m.version]).toEqual(['INVITE', 'sip:a@b', 'SIP/2.0']);
  });

  const BAD: Array<[string, string, number | undefined, RegExp]> = [
    ['empty', '\r\n\r\n', undefined, /empty message/],
    ['no empty line', 'OPTIONS sip:a@b SIP/2.0\r\nVia: x', 400, /not terminated/],
    ['response without empty line', 'SIP/2.0 200 OK\r\nVia: x', undefined, /not terminated/],
    ['one word', 'INVITE\r\n\r\n', 400, /bad start line/],
    ['status line of one word', 'SIP/2.0\r\n\r\n', undefined, /bad start line/],
    ['no version', 'INVITE sip:a@b\r\n\r\n', 400, /bad request line/],
    ['HTTP version', 'INVITE sip:a@b HTTP/1.1\r\n\r\n', 400, /bad SIP version/],
    ['method not a token', 'IN<VITE sip:a@b SIP/2.0\r\n\r\n', 400, /invalid method/],
    ['HTTP response', 'HTTP/1.1 200 OK\r\n\r\n', 400, /invalid method/],
    ['two-digit status', 'SIP/2.0 99 Low\r\n\r\n', undefined, /bad status code/],
    ['status 700', 'SIP/2.0 700 High\r\n\r\n', undefined, /bad status code/],
    ['four-digit status', 'SIP/2.0 1000 x\r\n\r\n', undefined, /bad status code/],
    ['response version', 'SIP/2.x 200 OK\r\n\r\n', undefined, /bad SIP version/],
    ['header without colon', 'OPTIONS sip:a@b SIP/2.0\r\nVia SIP/2.0/UDP h\r\n\r\n', 400, /without colon/],
    ['space in header name', 'OPTIONS sip:a@b SIP/2.0\r\nMax Forwards: 70\r\n\r\n', 400, /invalid header name/],
    ['empty header name', 'OPTIONS sip:a@b SIP/2.0\r\n: 70\r\n\r\n', 400, /invalid header name/],
    ['continuation first', 'OPTIONS sip:a@b SIP/2.0\r\n  folded\r\n\r\n', 400, /continuation/],
    ['bare CR', 'OPTIONS sip:a@b SIP/2.0\r\nSubject: a\rb\r\n\r\n', 400, /bare CR/],
    ['response bad header', 'SIP/2.0 200 OK\r\nBad\r\n\r\n', undefined, /without colon/],
  ];
  it.each(BAD)('refuses %s with SipParseError', (_name, text, status, reason) => {
    const e = errorOf(Buffer.from(text));
    expect(e.status).toBe(status);
    expect(e.message).toMatch(reason);
  });
});

function shape(m: SipMessage): unknown {
  const start = m.type === 'request' ? [m.method, m.uri, m.version] : [m.version, m.status, m.reason];
  return { start, fields: m.headers.fields.map((f) => [f.name, f.value]), body: m.body.toString('hex') };
}

describe('serializeMessage', () => {
  it('writes start line, fields as given, Content-Length, empty line, body', () => {
    const req = createRequest('MESSAGE', 'sip:bob@example.com', new Headers([['Via', 'SIP/2.0/UDP h;branch=z9hG4bK1'], ['To', '<sip:bob@example.com>']]), Buffer.from('héllo'));
    expect(serializeMessage(req).toString()).toBe(
      'MESSAGE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nTo: <sip:bob@example.com>\r\nContent-Length: 6\r\n\r\nhéllo',
    );
  });

  it('rewrites the first Content-Length in place (compact name kept) and drops the others', () => {
    const req = createRequest('INFO', 'sip:a@b', new Headers([['l', '99'], ['X', 'y'], ['Content-Length', '5']]), Buffer.from('abc'));
    expect(serializeMessage(req).toString()).toBe('INFO sip:a@b SIP/2.0\r\nl: 3\r\nX: y\r\n\r\nabc');
  });

  it.each(['wsinv', 'intmeth', 'esc01', 'escnull', 'esc02', 'lwsdisp', 'longreq', 'dblreq', 'semiuri', 'transports', 'mpart01', 'unreason', 'noreason'])(
    'round-trips %s: parse(serialize(parse(x))) equals parse(x)',
    (name) => {
      const first = parseMessage(torture(name));
      const again = parseMessage(serializeMessage(first));
      expect(shape(again)).toEqual(shape(first));
    },
  );

  it('is byte-exact for a message without folding or odd spacing', () => {
    const data = crlf(OPTIONS);
    expect(serializeMessage(parseMessage(data)).equals(data)).toBe(true);
  });

  it('drops octets beyond Content-Length (dblreq) when re-serialized', () => {
    const out = serializeMessage(parseMessage(torture('dblreq'))).toString();
    expect(out.endsWith('Content-Length: 0\r\n\r\n')).toBe(true);
    expect(out).not.toContain('INVITE');
  });
});
