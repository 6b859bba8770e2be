import { describe, expect, it } from 'vitest';
import { createRequest, Headers, SipParseError } from '../../../../src/main/sip/syntax/message.ts';
import { stampReceived } from '../../../../src/main/sip/transport/inbound-via.ts';

function req(...vias: string[]) {
  const h = new Headers();
  for (const v of vias) h.append('Via', v);
  h.append('CSeq', '1 OPTIONS');
  return createRequest('OPTIONS', 'sip:a@b', h);
}

describe('stampReceived (RFC 3261 §18.2.1, RFC 3581 §4)', () => {
  it('leaves the Via alone when sent-by equals the source address and there is no rport', () => {
    const r = req('SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1');
    stampReceived(r, { address: '192.0.2.1', port: 40000 });
    expect(r.headers.get('via')).toBe('SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1');
  });

  it('adds received when the sent-by host differs (address or host name)', () => {
    const r = req('SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1');
    stampReceived(r, { address: '192.0.2.7', port: 5060 });
    expect(r.headers.get('via')).toBe('SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;received=192.0.2.7');
    const n = req('SIP/2.0/TCP pbx.example.com;branch=z9hG4bK2');
    stampReceived(n, { address: '192.0.2.7', port: 5060 });
    expect(n.headers.get('via')).toContain(';received=192.0.2.7');
  });

  it('fills an empty rport and always adds received with it', () => {
    const r = req('SIP/2.0/UDP 192.0.2.1:5060;rport;branch=z9hG4bK1');
    stampReceived(r, { address: '192.0.2.1', port: 34567 });
    expect(r.headers.get('via')).toBe('SIP/2.0/UDP 192.0.2.1:5060;rport=34567;branch=z9hG4bK1;received=192.0.2.1');
  });

  it('keeps an rport that already has a value', () => {
    const r = req('SIP/2.0/UDP 192.0.2.1;rport=1111;branch=z9hG4bK1');
    stampReceived(r, { address: '192.0.2.1', port: 2222 });
    expect(r.headers.get('via')).toBe('SIP/2.0/UDP 192.0.2.1;rport=1111;branch=z9hG4bK1');
  });

  it('edits only the top Via value of a comma-joined field, and only the first field', () => {
    const r = req('SIP/2.0/UDP 10.0.0.1;rport;branch=z9hG4bKa, SIP/2.0/UDP 10.0.0.2;rport;branch=z9hG4bKb', 'SIP/2.0/UDP 10.0.0.3;rport;branch=z9hG4bKc');
    stampReceived(r, { address: '192.0.2.9', port: 5062 });
    expect(r.headers.getAll('via')).toEqual([
      'SIP/2.0/UDP 10.0.0.1;rport=5062;branch=z9hG4bKa;received=192.0.2.9',
      'SIP/2.0/UDP 10.0.0.2;rport;branch=z9hG4bKb',
      'SIP/2.0/UDP 10.0.0.3;rport;branch=z9hG4bKc',
    ]);
  });

  it('compares IPv6 spellings canonically and writes received without brackets (RFC 5118 §4.5)', () => {
    const same = req('SIP/2.0/UDP [0:0:0:0:0:0:0:1]:5060;branch=z9hG4bK1');
    stampReceived(same, { address: '::1', port: 5060 });
    expect(same.headers.get('via')).not.toContain('received');
    const mapped = req('SIP/2.0/UDP 127.0.0.1;rport;branch=z9hG4bK1');
    stampReceived(mapped, { address: '::ffff:127.0.0.1', port: 7000 });
    expect(mapped.headers.get('via')).toBe('SIP/2.0/UDP 127.0.0.1;rport=7000;branch=z9hG4bK1;received=127.0.0.1');
    const v6 = req('SIP/2.0/UDP [2001:db8::1];rport;branch=z9hG4bK1');
    stampReceived(v6, { address: '2001:db8::2', port: 7000 });
    expect(v6.headers.get('via')).toBe('SIP/2.0/UDP [2001:db8::1];rport=7000;branch=z9hG4bK1;received=2001:db8::2');
  });

  it('does not touch raw', () => {
    const r = req('SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1');
    r.raw = Buffer.from('original');
    stampReceived(r, { address: '192.0.2.1', port: 5060 });
    expect(r.raw.toString()).toBe('original');
  });

  it('throws SipParseError without a Via or with a broken one', () => {
    expect(() => stampReceived(req(), { address: '192.0.2.1', port: 1 })).toThrow(SipParseError);
    expect(() => stampReceived(req('garbage'), { address: '192.0.2.1', port: 1 })).toThrow(SipParseError);
  });
});
