import { describe, expect, it } from 'vitest';
import { diagnoseCall } from '../../../../src/main/engine/diagnose/diagnose-call.ts';
import { exitCodeFor, parseFailOn } from '../../../../src/main/engine/diagnose/exit-code.ts';
import { formatDiagnosis, mosText } from '../../../../src/main/engine/diagnose/format.ts';
import { withDiagnosis } from '../../../../src/main/engine/diagnose/trace-messages.ts';
import { answered, failedCall, media } from './report-fixtures.ts';

const silentAudio = { decoded: true, activeMs: 0, silentMs: 5000, cnMs: 0, undecodable: 0, peakDbfs: -120, meanDbfs: -120 };

describe('exit code follows the verdict', () => {
  it('answered and ok → 0; answered but failed → 1; degraded → 0 unless --fail-on degraded', () => {
    expect(exitCodeFor(withDiagnosis(answered()))).toBe(0);
    expect(exitCodeFor(withDiagnosis(answered({ media: media({}, { audio: silentAudio }) })))).toBe(1);
    const lossy = withDiagnosis(answered({ media: media({}, { lostPercent: 3 }) }));
    expect(lossy.diagnosis!.verdict).toBe('degraded');
    expect(exitCodeFor(lossy, 'failed')).toBe(0);
    expect(exitCodeFor(lossy, 'degraded')).toBe(1);
    expect(exitCodeFor(withDiagnosis(failedCall(486, '486 Busy Here', { outcome: 'busy' })))).toBe(1);
    expect(exitCodeFor(withDiagnosis(answered()), 'failed', false)).toBe(1);
  });
  it('--fail-on takes failed or degraded only', () => {
    expect(parseFailOn(undefined)).toBe('failed');
    expect(parseFailOn('degraded')).toBe('degraded');
    expect(parseFailOn('warning')).toBeUndefined();
  });
});

describe('text output', () => {
  it('shows codec, packets each way, loss, jitter, MOS and the verdict', () => {
    const lines = formatDiagnosis(withDiagnosis(answered()));
    expect(lines).toEqual(['media PCMU/0  sent 250 pkts  received 250 pkts  loss 0 %  jitter 1 ms  MOS 4.40', 'verdict ok']);
  });
  it('silent or unverified instead of a MOS, and each cause with evidence and fix', () => {
    const r = withDiagnosis(answered({ media: media({}, { audio: silentAudio }) }));
    const lines = formatDiagnosis(r);
    expect(lines[0]).toContain('MOS silent');
    expect(lines[1]).toBe('verdict failed: silent-audio');
    expect(lines[2]).toBe("  error   silent-audio: RTP arrives but the peer's audio is silent");
    expect(lines[3]).toContain('media.received: 250 packets');
    expect(lines[4]).toMatch(/^ {10}fix: /);
    expect(mosText(media({}, { audio: { ...silentAudio, decoded: false, silentMs: 0, undecodable: 250 } }))).toBe('unverified');
  });
  it('withDiagnosis reads the trace records it is given', () => {
    const raw = (s: string): Buffer => Buffer.from(s, 'latin1');
    const ep = { address: '127.0.0.1', port: 5060 };
    const trace = [
      { dir: 'out' as const, at: 1, proto: 'udp' as const, local: ep, remote: ep, raw: raw('INVITE sip:1@x SIP/2.0\r\nCSeq: 1 INVITE\r\n\r\n') },
      { dir: 'in' as const, at: 2, proto: 'udp' as const, local: ep, remote: ep, raw: raw('SIP/2.0 403 Forbidden\r\nCSeq: 1 INVITE\r\n\r\n') },
    ];
    const r = withDiagnosis(failedCall(403, '403 Forbidden', { authFailure: 'forbidden' }), { trace });
    expect(r.diagnosis!.causes[0]).toMatchObject({ code: 'forbidden-ip', evidence: [{ ref: 'msg 2', text: 'SIP/2.0 403 Forbidden' }] });
    expect(diagnoseCall(r).causes[0]!.evidence[0]!.ref).toBe('finalStatus');
  });
});
