/** Issue 15 item 7: redacted exports leaked URI passwords and unknown X-* headers. */
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../src/main/engine/trace/redact.ts';

const msg = [
  'INVITE sip:bob:BobPass1@carrier.example.com SIP/2.0',
  'Via: SIP/2.0/UDP 203.0.113.9:5060;branch=z9hG4bK1',
  'From: "Alice" <sip:alice:S3CRETPW@pbx.example.com>;tag=1',
  'To: <sips:bob:an0ther@carrier.example.com>',
  'Contact: <sip:alice:S3CRETPW@198.51.100.4:5060>',
  'X-Credentials: user=alice;pass=hunter2',
  'X-Customer-Ref: ACME-991',
  'X-Keep-Me: routing-a',
  'Call-ID: 1@h',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

describe('redaction', () => {
  it('removes URI passwords everywhere', () => {
    const out = new Redactor().message(msg);
    for (const secret of ['S3CRETPW', 'BobPass1', 'an0ther']) expect(out).not.toContain(secret);
    expect(out).toMatch(/<sip:user\d+:password-redacted-\d+@/);
  });
  it('treats unknown X-* header values as sensitive unless kept', () => {
    const out = new Redactor({ keepHeaders: ['x-keep-me'] }).message(msg);
    expect(out).not.toContain('hunter2');
    expect(out).not.toContain('ACME-991');
    expect(out).toContain('X-Keep-Me: routing-a');
    expect(out).toMatch(/X-Credentials: header-redacted-\d+/);
  });
});
