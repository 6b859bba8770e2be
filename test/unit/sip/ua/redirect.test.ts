import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../../../src/main/sip/syntax/parser.ts';
import type { SipResponse } from '../../../../src/main/sip/syntax/message.ts';
import { redirectTargets } from '../../../../src/main/sip/ua/redirect.ts';
import { finalReason } from '../../../../src/main/sip/ua/final-reason.ts';

function response(status: string, headers: string[]): SipResponse {
  const text = [
    `SIP/2.0 ${status}`,
    'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1',
    'From: <sip:a@x>;tag=1',
    'To: <sip:b@y>;tag=2',
    'Call-ID: c1',
    'CSeq: 1 INVITE',
    ...headers,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  return parseMessage(Buffer.from(text)) as SipResponse;
}

describe('redirect targets (RFC 3261 §8.1.3.4)', () => {
  it('orders Contacts by q (none = 1), then as given; skips tel: and unparsable ones', () => {
    const res = response('300 Multiple Choices', [
      'Contact: <sip:low@10.0.0.2>;q=0.1, <tel:+15551234>',
      'Contact: <sip:first@10.0.0.3>, <sip:high@10.0.0.4>;q=0.9',
      'Contact: <sip:bad@[::1>',
      'Contact: <sips:second@10.0.0.5>',
    ]);
    expect(redirectTargets(res)).toEqual(['sip:first@10.0.0.3', 'sips:second@10.0.0.5', 'sip:high@10.0.0.4', 'sip:low@10.0.0.2']);
  });

  it('a 3xx without Contact has no target', () => {
    expect(redirectTargets(response('302 Moved Temporarily', []))).toEqual([]);
  });

  it('the reason names the targets and why they were not followed', () => {
    const res = response('302 Moved Temporarily', ['Contact: <sip:x@10.0.0.9>', 'Reason: SIP;cause=302']);
    expect(finalReason(res)).toBe('302 Moved Temporarily; redirect to <sip:x@10.0.0.9> (not followed); Reason: SIP;cause=302');
    expect(finalReason(res, 'no redirects left')).toContain('(no redirects left)');
    // Contact on a 4xx/5xx is not a redirect.
    expect(finalReason(response('503 Service Unavailable', ['Contact: <sip:x@10.0.0.9>']))).toBe('503 Service Unavailable');
  });
});
