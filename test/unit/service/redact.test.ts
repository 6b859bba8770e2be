import { describe, expect, it } from 'vitest';
import { Redactor, isIpv6 } from '../../../src/main/engine/trace/redact.ts';

const INVITE = [
  'INVITE sip:+15551230000@trunk.example.com SIP/2.0',
  'Via: SIP/2.0/UDP 10.1.2.3:5060;branch=z9hG4bK776asdhds;rport',
  'From: "Alice Smith" <sip:alice@10.1.2.3>;tag=1928301774',
  'To: <sip:+15551230000@trunk.example.com>',
  'Call-ID: a84b4c76e66710@pc33.example.com',
  'CSeq: 2 INVITE',
  'Authorization: Digest username="alice", realm="trunk.example.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="sip:+15551230000@trunk.example.com", response="6629fae49393a05397450978507c4ef1", cnonce="0a4f113b", qop=auth, nc=00000001',
  'P-Asserted-Identity: <tel:+15551230000>',
  'X-Api-Token: sk_live_abc',
  'Contact: <sip:alice@[2001:db8:85a3::8a2e:370:7334]:5060>',
  'Content-Type: application/sdp',
  'Content-Length: 999',
  '',
  'v=0',
  'o=- 1234567 1 IN IP4 10.1.2.3',
  'c=IN IP4 10.1.2.3',
  'm=audio 40000 RTP/AVP 0',
  'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz',
  '',
].join('\r\n');

const CHALLENGE =
  'SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: Digest realm="trunk.example.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093"\r\nContent-Length: 0\r\n\r\n';

describe('Redactor', () => {
  it('removes secrets, numbers, names, hosts and addresses', () => {
    const r = new Redactor();
    r.reserve(INVITE);
    const out = r.message(INVITE);
    for (const secret of [
      '15551230000',
      'alice',
      'Alice Smith',
      'trunk.example.com',
      '10.1.2.3',
      '8a2e:370:7334',
      'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      '6629fae49393a05397450978507c4ef1',
      '0a4f113b',
      'sk_live_abc',
      'WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz',
      'pc33.example.com',
    ]) {
      expect(out, secret).not.toContain(secret);
    }
    expect(out).toContain('nonce="nonce-redacted-1"');
    expect(out).toContain('response="response-redacted-1"');
    expect(out).toMatch(/^INVITE sip:\+0{10}1@host1\.example\.invalid SIP\/2\.0/);
    expect(out).toContain('c=IN IP4 192.0.2.1');
    expect(out).toContain('Contact: <sip:user1@[2001:db8::1]:5060>');
  });

  it('replaces consistently across messages, so the flow still reads', () => {
    const r = new Redactor();
    r.reserve(INVITE + CHALLENGE);
    const a = r.message(INVITE);
    const b = r.message(CHALLENGE);
    const nonceA = /nonce="([^"]+)"/.exec(a)![1];
    const nonceB = /nonce="([^"]+)"/.exec(b)![1];
    expect(nonceA).toBe(nonceB);
    expect(/realm="([^"]+)"/.exec(a)![1]).toBe(/realm="([^"]+)"/.exec(b)![1]);
    // The same number in the request line, To and P-Asserted-Identity.
    const nums = a.match(/\+0+1\b/g)!;
    expect(nums.length).toBeGreaterThanOrEqual(3);
    // Same address in Via, From and SDP; never re-redacted.
    expect(a.match(/192\.0\.2\.1\b/g)!.length).toBe(4);
    expect(r.ipv4('10.1.2.3')).toBe('192.0.2.1');
  });

  it('fixes Content-Length to the redacted body', () => {
    const r = new Redactor();
    const out = r.message(INVITE);
    const body = out.slice(out.indexOf('\r\n\r\n') + 4);
    expect(out).toContain(`Content-Length: ${Buffer.byteLength(body)}\r\n`);
  });

  it('never hands out a placeholder that is an address of the material', () => {
    const r = new Redactor();
    r.reserve('192.0.2.1 and 10.0.0.1');
    expect(r.ipv4('10.0.0.1')).toBe('192.0.2.2');
    expect(r.ipv4('192.0.2.1')).toBe('192.0.2.3');
  });

  it('recognises IPv6 addresses', () => {
    for (const a of ['::1', '2001:db8::1', 'fe80::1:2:3:4', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8'])
      expect(isIpv6(a), a).toBe(true);
    for (const a of ['1:2', 'a:b:c', '1::2::3', '12345::1', 'sip:user'])
      expect(isIpv6(a), a).toBe(false);
  });
});
