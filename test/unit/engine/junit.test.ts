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
