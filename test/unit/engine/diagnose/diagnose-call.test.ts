import { describe, expect, it } from 'vitest';
import { diagnoseCall } from '../../../../src/main/engine/diagnose/diagnose-call.ts';
import { CATALOG } from '../../../../src/main/engine/diagnose/catalog.ts';
import type { CauseCode } from '../../../../src/shared/model/diagnosis.ts';
import { answered, failedCall, media, sipMsg } from './report-fixtures.ts';

const codes = (d: ReturnType<typeof diagnoseCall>): string[] => d.causes.map((c) => c.code);

describe('diagnoseCall: negative cases', () => {
  it('a clean answered call is ok with no causes', () => {
    const d = diagnoseCall(answered());
    expect(d).toEqual({ verdict: 'ok', causes: [] });
  });

  it('a registration and an OPTIONS ping that worked are ok', () => {
    expect(diagnoseCall(failedCall(200, '200 OK', { command: 'register', outcome: 'registered' })).verdict).toBe('ok');
    expect(diagnoseCall(failedCall(200, '200 OK', { command: 'options', outcome: 'ok' })).verdict).toBe('ok');
  });

  it('a lossy call is degraded, not failed, with the figures and the bandwidth', () => {
    const r = answered({ media: media({}, { lost: 10, lostPercent: 4, expected: 260, jitterMeanMs: 45, jitterMaxMs: 80 }) });
    const d = diagnoseCall(r);
    expect(d.verdict).toBe('degraded');
    expect(codes(d)).toEqual(['poor-quality']);
    const c = d.causes[0]!;
    expect(c.severity).toBe('warning');
    expect(c.summary).toContain('received loss 4 %');
    expect(c.summary).toContain('jitter 45 ms');
    // (250 × 160 + 250 × 40) bytes × 8 / 5 s = 80 kbps
    expect(c.evidence.map((e) => e.text).join(' ')).toContain('bandwidth 80 kbps');
  });

  it('every cause carries the documented checklist item and fix', () => {
    const d = diagnoseCall(failedCall(486, '486 Busy Here', { outcome: 'busy' }));
    expect(d.causes[0]).toMatchObject({ code: 'busy', severity: 'error', checklist: CATALOG.busy.checklist, fix: CATALOG.busy.fix });
  });
});

describe('diagnoseCall: reachability and authentication', () => {
  const cases: Array<[CauseCode, ReturnType<typeof failedCall>]> = [
    ['dns-failure', failedCall(null, 'cannot resolve sip:x@nowhere.invalid: queryA ENOTFOUND nowhere.invalid', { outcome: 'unreachable', messages: { sent: 0, received: 0 } })],
    ['connection-refused', failedCall(null, 'transport error: TCP connection to 127.0.0.1:5999 refused (ECONNREFUSED)', { outcome: 'unreachable', transport: 'tcp' })],
    ['tls-failure', failedCall(null, 'transport error: TLS handshake with 127.0.0.1:5061 failed: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)', { outcome: 'unreachable', transport: 'tls' })],
    ['no-response', failedCall(408, 'no final response to INVITE (timer B)', { outcome: 'timeout', messages: { sent: 7, received: 0 } })],
    ['wrong-credentials', failedCall(401, '401 Unauthorized: wrong-credentials (second challenge with the same nonce)', { outcome: 'auth-failed', authFailure: 'wrong-credentials' })],
    ['realm-mismatch', failedCall(401, '401 Unauthorized: realm-mismatch (realm "b" not "a")', { outcome: 'auth-failed', authFailure: 'realm-mismatch' })],
    ['forbidden-ip', failedCall(403, '403 Forbidden', { authFailure: 'forbidden' })],
    ['forbidden', failedCall(403, '403 Forbidden: forbidden (after credentials)', { authFailure: 'forbidden' })],
    ['number-not-found', failedCall(404, '404 Not Found')],
    ['busy', failedCall(486, '486 Busy Here', { outcome: 'busy' })],
    ['no-answer', failedCall(487, 'no answer within 30 s (CANCEL)', { outcome: 'no-answer' })],
    ['service-unavailable', failedCall(503, '503 Service Unavailable')],
    ['cancelled', failedCall(487, 'cancelled by caller (CANCEL)', { command: 'listen', outcome: 'cancelled' })],
  ];
  for (const [code, report] of cases) {
    it(`${code}: ${report.reason}`, () => {
      const d = diagnoseCall(report);
      expect(d.verdict).toBe('failed');
      expect(codes(d)[0]).toBe(code);
      expect(d.causes[0]!.evidence.length).toBeGreaterThan(0);
    });
  }

  it('484 and 604 are number-not-found too', () => {
    expect(codes(diagnoseCall(failedCall(484, '484 Address Incomplete')))).toEqual(['number-not-found']);
    expect(codes(diagnoseCall(failedCall(604, '604 Does Not Exist Anywhere')))).toEqual(['number-not-found']);
  });

  it('a 403 after a challenge whose phrase names the IP is forbidden-ip; evidence points at the message', () => {
    const messages = [sipMsg('out', 'INVITE sip:1@x SIP/2.0'), sipMsg('in', 'SIP/2.0 401 Unauthorized'), sipMsg('out', 'INVITE sip:1@x SIP/2.0'), sipMsg('in', 'SIP/2.0 403 IP Address Not Allowed')];
    const d = diagnoseCall(failedCall(403, '403 IP Address Not Allowed: forbidden (x)', { authFailure: 'forbidden' }), { messages });
    expect(codes(d)).toEqual(['forbidden-ip']);
    expect(d.causes[0]!.evidence[0]).toEqual({ ref: 'msg 4', text: 'SIP/2.0 403 IP Address Not Allowed' });
  });

  it('clock-skew from a Date header far from our clock: error beside an auth failure, warning alone', () => {
    const at = Date.parse('2026-01-01T00:00:00Z');
    const skewed = { ...sipMsg('in', 'SIP/2.0 401 Unauthorized', ['Date: Thu, 01 Jan 2026 00:10:00 GMT']), at };
    const failed = diagnoseCall(failedCall(401, '401 Unauthorized: wrong-credentials (x)', { authFailure: 'wrong-credentials' }), { messages: [skewed] });
    expect(codes(failed)).toContain('clock-skew');
    expect(failed.causes.find((c) => c.code === 'clock-skew')).toMatchObject({ severity: 'error', summary: expect.stringContaining('600 s') });
    const ok = diagnoseCall(answered(), { messages: [{ ...sipMsg('in', 'SIP/2.0 200 OK', ['Date: Thu, 01 Jan 2026 00:10:00 GMT']), at }] });
    expect(ok.verdict).toBe('degraded');
    expect(codes(ok)).toEqual(['clock-skew']);
  });

  it('503 says whether a failover target existed and was tried', () => {
    const d = diagnoseCall(failedCall(503, '503 Service Unavailable'), { failover: { targets: 2, tried: 1 } });
    expect(d.causes[0]!.summary).toContain('2 target(s) known, 1 tried; the others were not tried');
    expect(diagnoseCall(failedCall(503, '503 Service Unavailable')).causes[0]!.summary).toContain('no failover target');
  });

  it('any other final status is rejected, so a failed call always has a cause', () => {
    const d = diagnoseCall(failedCall(500, '500 Server Internal Error'));
    expect(d).toMatchObject({ verdict: 'failed', causes: [{ code: 'rejected' }] });
  });
});

describe('diagnoseCall: SDP negotiation', () => {
  const offer = 'v=0\r\nc=IN IP4 198.51.100.2\r\nm=audio 20000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\n';
  it('488 names both codec lists', () => {
    const answerSdp = 'v=0\r\nm=audio 30000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n';
    const messages = [sipMsg('out', 'INVITE sip:1@x SIP/2.0', ['Content-Type: application/sdp'], offer), sipMsg('in', 'SIP/2.0 488 Not Acceptable Here', [], answerSdp)];
    const d = diagnoseCall(failedCall(488, '488 Not Acceptable Here'), { messages });
    expect(codes(d)).toEqual(['no-common-codec']);
    expect(d.causes[0]!.summary).toContain('offered PCMU, PCMA; the peer accepts G729');
  });
  it('488 to an SRTP offer is srtp-mismatch', () => {
    const savp = offer.replace('RTP/AVP', 'RTP/SAVP') + 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:xyz\r\n';
    const d = diagnoseCall(failedCall(488, '488 Not Acceptable Here'), { messages: [sipMsg('out', 'INVITE sip:1@x SIP/2.0', [], savp), sipMsg('in', 'SIP/2.0 488 Not Acceptable Here')] });
    expect(codes(d)).toEqual(['srtp-mismatch']);
  });
  it('an answered call whose SRTP does not match', () => {
    const owa = { verdict: 'srtp-mismatch' as const, direction: 'both' as const, sinceMs: 0, evidence: ['we offered SRTP (a=crypto) but the answer has none'], others: [] };
    const d = diagnoseCall(answered({ media: media({ srtp: { policy: 'require', active: false, suite: null }, oneWayAudio: owa }) }));
    expect(codes(d)).toEqual(['srtp-mismatch']);
    expect(d.causes[0]!.evidence[0]!.text).toContain('a=crypto');
  });
});
