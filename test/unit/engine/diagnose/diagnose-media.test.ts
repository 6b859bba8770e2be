import { describe, expect, it } from 'vitest';
import { diagnoseCall } from '../../../../src/main/engine/diagnose/diagnose-call.ts';
import type { OneWayAudio } from '../../../../src/shared/model/report.ts';
import { answered, direction, failedCall, media, sipMsg } from './report-fixtures.ts';

const codes = (d: ReturnType<typeof diagnoseCall>): string[] => d.causes.map((c) => c.code);
const owa = (verdict: OneWayAudio['verdict'], dir: OneWayAudio['direction'], evidence: string, others: OneWayAudio['others'] = [], sinceMs = 0): OneWayAudio => ({ verdict, direction: dir, sinceMs, evidence: [evidence], others });

describe('diagnoseCall: RTP each way', () => {
  it('no-media when neither side sent RTP', () => {
    const m = media({ sent: direction(0), oneWayAudio: owa('no-inbound-rtp', 'both', 'no RTP from 203.0.113.5:40000 (SDP)', [{ verdict: 'no-outbound-rtp', direction: 'both', evidence: ['we sent no RTP'] }]) }, { ...direction(0), malformed: 0 });
    const d = diagnoseCall(answered({ media: m }));
    expect(d.verdict).toBe('failed');
    expect(codes(d)).toEqual(['no-media']);
    expect(d.causes[0]!.evidence.map((e) => e.text).join('\n')).toContain('sent 0 packets');
  });

  it('one-way-audio inbound names the direction, packets each way and RTCP', () => {
    const m = media({ oneWayAudio: owa('no-inbound-rtp', 'inbound', 'no RTP from 203.0.113.5:40000 (SDP) in the 5.0 s since answer; 250 packets sent to it'), peerReport: { atMs: 4000, fractionLostPercent: 0, cumulativeLost: 0, jitterMs: 1, rttMs: 20, packetsReceived: 200 } }, { ...direction(0), malformed: 0 });
    const d = diagnoseCall(answered({ media: m }));
    expect(codes(d)).toEqual(['one-way-audio']);
    const text = d.causes[0]!.evidence.map((e) => `${e.ref} ${e.text}`).join('\n');
    expect(d.causes[0]!.summary).toContain('inbound');
    expect(text).toContain('sent 250 packets');
    expect(text).toContain('received 0 packets');
    expect(text).toContain("the peer's RTCP: 200 of our packets received");
  });

  it('one-way-audio outbound when our audio stopped mid-call', () => {
    const m = media({ oneWayAudio: owa('outbound-stopped', 'outbound', "the peer's RTCP reports stopped counting our packets", [], 2000) });
    const d = diagnoseCall(answered({ media: m }));
    expect(codes(d)).toEqual(['one-way-audio']);
    expect(d.causes[0]!.summary).toContain('our audio stopped mid-call (outbound');
  });

  it('media-timeout: the far end hung up after our RTP stopped reaching it', () => {
    const m = media({ oneWayAudio: owa('outbound-stopped', 'outbound', 'stopped counting', [], 1000) });
    const messages = [sipMsg('in', 'BYE sip:us@x SIP/2.0', ['Reason: Q.850;cause=16;text="RTP timeout"'])];
    const d = diagnoseCall(answered({ endedBy: 'remote', reason: '200 OK; remote hangup (BYE)', durationMs: 31000, media: m }), { messages });
    expect(codes(d)).toContain('media-timeout');
    const c = d.causes.find((x) => x.code === 'media-timeout')!;
    expect(c.summary).toBe('the far end hung up 30.0 s after our RTP stopped reaching it');
    expect(c.evidence[0]).toEqual({ ref: 'msg 1', text: 'BYE sip:us@x SIP/2.0; Reason: Q.850;cause=16;text="RTP timeout"' });
  });

  it('private-media-address: an error when no audio arrived, a warning when it did', () => {
    const priv = owa('private-sdp-address', 'outbound', "the peer's SDP names 10.0.0.5:4000 (RFC 1918 private)");
    const withNoIn = owa('no-inbound-rtp', 'inbound', 'no RTP', [{ verdict: 'private-sdp-address', direction: 'outbound', evidence: ['10.0.0.5'] }]);
    const hurt = diagnoseCall(answered({ media: media({ sdpRemote: '10.0.0.5:4000', oneWayAudio: withNoIn }, { ...direction(0), malformed: 0 }) }));
    expect(hurt.causes.find((c) => c.code === 'private-media-address')!.severity).toBe('error');
    const fine = diagnoseCall(answered({ media: media({ sdpRemote: '10.0.0.5:4000', oneWayAudio: priv }) }));
    expect(fine).toMatchObject({ verdict: 'degraded', causes: [{ code: 'private-media-address', severity: 'warning' }] });
  });

  it('nat-mismatch is a warning', () => {
    const d = diagnoseCall(answered({ media: media({ oneWayAudio: owa('nat-mismatch', 'outbound', 'RTP arrives from 203.0.113.9:5000 but the SDP named 203.0.113.5:40000') }) }));
    expect(d).toMatchObject({ verdict: 'degraded', causes: [{ code: 'nat-mismatch', severity: 'warning' }] });
  });

  it('local-drops from the socket counter', () => {
    const d = diagnoseCall(answered(), { localDrops: 12 });
    expect(d).toMatchObject({ verdict: 'degraded', causes: [{ code: 'local-drops', summary: 'this host dropped 12 packet(s) the network delivered' }] });
  });

  it('poor-quality from the peer RTCP view of our stream', () => {
    const d = diagnoseCall(answered({ media: media({ peerReport: { atMs: 4000, fractionLostPercent: 5, cumulativeLost: 12, jitterMs: 40, rttMs: 30, packetsReceived: 238 } }) }));
    expect(codes(d)).toEqual(['poor-quality']);
    expect(d.causes[0]!.summary).toContain('the peer reports 5 % of our packets lost');
  });
});

describe('diagnoseCall: audio presence (issue 17)', () => {
  const silent = { decoded: true, activeMs: 0, silentMs: 5000, cnMs: 0, undecodable: 0, peakDbfs: -120, meanDbfs: -120 };
  it('silent-audio is an error with packets, level, codec and recording', () => {
    const d = diagnoseCall(answered({ media: media({ recording: '/tmp/r.wav' }, { audio: silent }) }));
    expect(d.verdict).toBe('failed');
    expect(codes(d)).toEqual(['silent-audio']);
    const text = d.causes[0]!.evidence.map((e) => e.text).join('\n');
    expect(text).toContain('250 packets, 40000 bytes of PCMU (PT 0)');
    expect(text).toContain('peak -120 dBFS');
    expect(text).toContain('recording: /tmp/r.wav');
  });
  it('comfort noise only is silent-audio too', () => {
    const d = diagnoseCall(answered({ media: media({}, { audio: { ...silent, silentMs: 0, cnMs: 4800 } }) }));
    expect(d.causes[0]).toMatchObject({ code: 'silent-audio', summary: 'the peer sent only comfort noise (RFC 3389), no audio' });
  });
  it('the silent-inbound verdict alone is enough', () => {
    const d = diagnoseCall(answered({ media: media({ oneWayAudio: owa('silent-inbound', 'inbound', 'carries silence for the last 5.0 s') }, { audio: undefined }) }));
    expect(codes(d)).toEqual(['silent-audio']);
  });
  it('--expect-silence: silence is what the test wanted', () => {
    expect(diagnoseCall(answered({ media: media({}, { audio: silent }) }), { expectSilence: true }).verdict).toBe('ok');
  });
  it('audio that could not be decoded is unverified, never ok', () => {
    const d = diagnoseCall(answered({ media: media({ codec: 'G729', payloadType: 18 }, { audio: { ...silent, decoded: false, silentMs: 0, undecodable: 250, reason: 'G729 is carried without a decoder' } }) }));
    expect(d).toMatchObject({ verdict: 'degraded', causes: [{ code: 'audio-unverified', severity: 'warning' }] });
    expect(d.causes[0]!.summary).toContain('G729 is carried without a decoder');
  });
});

describe('diagnoseCall: DTMF, timers, early media', () => {
  it('dtmf-not-sent when digits were asked for and not all sent', () => {
    const d = diagnoseCall(answered(), { expectDtmf: '12#' });
    expect(d).toMatchObject({ verdict: 'failed', causes: [{ code: 'dtmf-not-sent', summary: '0 of 3 DTMF digit(s) sent (12#) by rfc2833' }] });
    const sent = media({ dtmf: { sent: ['1', '2', '#'].map((digit) => ({ digit, method: 'rfc2833' as const, atMs: 1000 })), received: [] } });
    expect(diagnoseCall(answered({ media: sent }), { expectDtmf: '1,2#' }).verdict).toBe('ok');
  });
  it('dtmf-method-mismatch: RFC 4733 without telephone-event', () => {
    const d = diagnoseCall(answered({ media: media({ telephoneEventPt: null }) }), { expectDtmf: '1' });
    expect(codes(d)).toEqual(['dtmf-method-mismatch', 'dtmf-not-sent']);
  });
  it('dtmf-method-mismatch: INFO refused by the peer', () => {
    const messages = [sipMsg('out', 'INFO sip:x SIP/2.0', ['CSeq: 3 INFO']), sipMsg('in', 'SIP/2.0 415 Unsupported Media Type', ['CSeq: 3 INFO'])];
    const m = media({ dtmfMethod: 'info', dtmf: { sent: [{ digit: '1', method: 'info', atMs: 1 }], received: [] } });
    const d = diagnoseCall(answered({ media: m }), { messages, expectDtmf: '1' });
    expect(d.causes[0]).toMatchObject({ code: 'dtmf-method-mismatch', evidence: [{ ref: 'msg 2' }] });
  });
  it('dtmf-method-mismatch warning: the peer sends events on a PT never negotiated', () => {
    const d = diagnoseCall(answered({ media: media({}, { unknownPayloadTypes: { '96': 14 } }) }));
    expect(d).toMatchObject({ verdict: 'degraded', causes: [{ code: 'dtmf-method-mismatch', severity: 'warning' }] });
  });
  it('session-timer-expiry: the peer did not refresh', () => {
    const d = diagnoseCall(answered({ reason: '200 OK; session expired (RFC 4028)', events: [{ atMs: 45000, event: 'ended', detail: 'session expired (RFC 4028)' }] }));
    expect(d).toMatchObject({ verdict: 'failed', causes: [{ code: 'session-timer-expiry' }] });
    expect(d.causes[0]!.summary).toContain('no refresh happened');
  });
  it('session-timer-expiry: our refresh was refused', () => {
    const d = diagnoseCall(answered({ reason: '200 OK; session refresh by UPDATE failed (481)', events: [{ atMs: 1, event: 'refresh', detail: 'UPDATE by uac' }] }));
    expect(d.causes[0]!.summary).toContain('our session refresh was refused');
  });
  it('early-media-only beside the failure that ended the call', () => {
    const r = failedCall(487, 'no answer within 30 s (CANCEL)', { outcome: 'no-answer', media: media({ sent: direction(0), oneWayAudio: null }) });
    const d = diagnoseCall(r);
    expect(codes(d)).toEqual(['no-answer', 'early-media-only']);
    expect(d.verdict).toBe('failed');
  });
});
