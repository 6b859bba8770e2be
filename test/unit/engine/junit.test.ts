import { describe, expect, it } from 'vitest';
import { junitXml } from '../../../src/main/engine/report/junit.ts';
import type { CallReport } from '../../../src/shared/model/report.ts';

const base: CallReport = {
  command: 'call',
  outcome: 'answered',
  finalStatus: 200,
  reason: '200 OK',
  callId: 'abc',
  setupMs: 10,
  durationMs: 1000,
  transport: 'udp',
  local: '127.0.0.1:5070',
  remote: '127.0.0.1:5060',
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: '2026-01-01T00:00:01.500Z',
  messages: { sent: 3, received: 3 },
};

describe('JUnit XML from reports', () => {
  it('an answered call is a passing test case with its duration', () => {
    const xml = junitXml(base, 'sip:echo@127.0.0.1');
    expect(xml).toContain('<testsuite name="trunkscope call" tests="1" failures="0"');
    expect(xml).toContain('time="1.500"');
    expect(xml).not.toContain('<failure');
  });

  it('a busy call fails with the reason, escaped', () => {
    const xml = junitXml({ ...base, outcome: 'busy', finalStatus: 486, reason: '486 Busy <Here> & "now"' }, 'x');
    expect(xml).toContain('failures="1"');
    expect(xml).toContain('<failure message="busy: 486 Busy &lt;Here&gt; &amp; &quot;now&quot;" type="busy">');
  });

  it('a listener run has one case per call it handled, with one-way audio evidence in failures', () => {
    const call = {
      ...base,
      command: 'listen' as const,
      outcome: 'rejected' as const,
      media: { oneWayAudio: { verdict: 'no-inbound-rtp', direction: 'inbound', evidence: ['no RTP from 1.2.3.4:5'], others: [] } },
    } as unknown as CallReport;
    const xml = junitXml({ ...base, command: 'listen', outcome: 'ok', calls: [call, { ...base, command: 'listen' }] }, 'udp 0.0.0.0:5060');
    expect(xml).toContain('tests="3" failures="1"');
    expect(xml).toContain('one-way audio: no-inbound-rtp (inbound) — no RTP from 1.2.3.4:5');
  });
});

describe('JUnit XML follows the diagnosis (issue 11)', () => {
  const silent = {
    code: 'silent-audio' as const,
    severity: 'error' as const,
    checklist: 'Media: audio present',
    summary: "RTP arrives but the peer's audio is silent",
    evidence: [{ ref: 'media.received', text: '250 packets, 40000 bytes of PCMU (PT 0)' }],
    fix: 'check the far end',
  };
  it('an answered call with error causes fails, one <failure> per error cause with its evidence', () => {
    const noDtmf = { ...silent, code: 'dtmf-not-sent' as const, summary: '0 of 2 DTMF digit(s) sent', evidence: [{ ref: 'media.dtmf.sent', text: 'sent: none' }] };
    const xml = junitXml({ ...base, diagnosis: { verdict: 'failed', causes: [silent, noDtmf] } }, 'x');
    expect(xml).toContain('tests="1" failures="1"');
    expect(xml).toContain(`<failure message="silent-audio: RTP arrives but the peer&apos;s audio is silent" type="silent-audio">`);
    expect(xml).toContain('[media.received] 250 packets, 40000 bytes of PCMU (PT 0)');
    expect(xml).toContain('type="dtmf-not-sent"');
    expect(xml.match(/<failure /g)).toHaveLength(2);
  });
  it('a degraded call passes, its warnings in system-out', () => {
    const warn = { ...silent, code: 'poor-quality' as const, severity: 'warning' as const, summary: 'received loss 4 %' };
    const xml = junitXml({ ...base, diagnosis: { verdict: 'degraded', causes: [warn] } }, 'x');
    expect(xml).toContain('failures="0"');
    expect(xml).not.toContain('<failure');
    expect(xml).toContain('warning poor-quality: received loss 4 %');
  });
});
