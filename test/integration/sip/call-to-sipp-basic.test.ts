/**
 * `trunkscope call` against SIPp callees: a normal answer (UDP and TCP), busy, and ringing until
 * our --timeout makes us CANCEL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { stopAllStarted } from '../../support/processes.ts';
import { freePort } from '../../support/ports.ts';
import { explainSipp, startSipp } from '../../support/sipp.ts';
import { callSippUas, finishSipp, type SipTransport } from '../../support/sip-flows.ts';

afterEach(stopAllStarted);

describe('call → SIPp UAS', () => {
  for (const transport of ['udp', 'tcp'] as SipTransport[]) {
    it(`uas-basic over ${transport}: answered, BYE after --duration`, async () => {
      const { cli, sipp, port, why } = await callSippUas('uas-basic', transport, ['--duration', '1']);
      expect(sipp.code, why).toBe(0);
      expect(cli.code, why).toBe(0);
      const r = cli.json!;
      expect(r, why).toMatchObject({ command: 'call', outcome: 'answered', finalStatus: 200, transport, endedBy: 'local', remote: `127.0.0.1:${port}` });
      expect(r.durationMs!, why).toBeGreaterThanOrEqual(900);
      expect(r.durationMs!, why).toBeLessThan(5000);
      expect(r.timeline?.provisionalMs, why).not.toBeNull();
      expect(r.timeline?.ringingMs, why).not.toBeNull();
      expect(r.timeline!.answerMs!, why).toBeGreaterThanOrEqual(r.timeline!.ringingMs!);
      const events = r.events!.map((e) => e.event);
      expect(events, why).toEqual(expect.arrayContaining(['state:ringing', 'state:connected', 'ended']));
      // INVITE, ACK, BYE at least; 100, 180, 200, 200 (BYE) at least.
      expect(r.messages.sent, why).toBeGreaterThanOrEqual(3);
      expect(r.messages.received, why).toBeGreaterThanOrEqual(4);
    });
  }

  it('uas-302: a redirect is reported with where it points, its Reason and Warning; the 302 is ACKed', async () => {
    const { cli, sipp, why } = await callSippUas('uas-302', 'udp', ['--duration', '1']);
    expect(sipp.code, why).toBe(0);
    expect(cli.code, why).toBe(1);
    expect(cli.json, why).toMatchObject({ command: 'call', outcome: 'rejected', finalStatus: 302 });
    const reason = cli.json!.reason;
    expect(reason, why).toMatch(/^302 Moved Temporarily; redirect to <sip:agent-7@192\.0\.2\.10:5080;transport=udp> \(not followed\)/);
    expect(reason, why).toContain('Reason: SIP;cause=302;text="queue moved"');
    expect(reason, why).toContain('Warning: 399 sipp.test "redirected by the test"');
  });

  it('--follow-redirects: the 302 is ACKed and a new INVITE reaches the callee it names, answered there', async () => {
    // Callee 2 (uas-basic) where the redirect points; callee 1 (uas-302-to) redirects to it.
    const port2 = await freePort();
    const second = await startSipp({ scenario: 'uas-basic', localPort: port2, service: 'echo' });
    await second.ready;
    const to = `sip:echo@127.0.0.1:${port2}`;
    const { cli, sipp, port, why: why1 } = await callSippUas('uas-302-to', 'udp', ['--duration', '1', '--follow-redirects'], { sipp: { keys: { redirect_to: to } } });
    const sipp2 = await finishSipp(second, 5000);
    const why = `${why1}\n--- second callee:\n${explainSipp(sipp2)}`;
    expect(sipp.code, why).toBe(0);
    expect(sipp2.code, why).toBe(0);
    expect(cli.code, why).toBe(0);
    expect(cli.json, why).toMatchObject({ outcome: 'answered', finalStatus: 200, remote: `127.0.0.1:${port2}` });
    expect(cli.json!.events, why).toContainEqual(expect.objectContaining({ event: 'redirect', detail: `302 → ${to}` }));
    // RFC 3261 §8.1.3.4: the new INVITE has the new Request-URI, the same Call-ID and To, the next CSeq.
    const inv = /^INVITE (\S+) SIP\/2\.0[\s\S]*?^To: (.*)$[\s\S]*?^CSeq: (\d+) INVITE/m.exec(sipp2.messages);
    expect(inv, why).not.toBeNull();
    expect(inv![1], why).toBe(to);
    expect(inv![2], why).toContain(`sip:echo@127.0.0.1:${port}`);
    expect(Number(inv![3]), why).toBe(2);
    expect(sipp2.messages, why).toContain(cli.json!.callId!);
  });

  it('uas-486: busy, exit 1, the 486 is ACKed', async () => {
    const { cli, sipp, why } = await callSippUas('uas-486', 'udp', ['--duration', '1']);
    expect(sipp.code, why).toBe(0);
    expect(cli.code, why).toBe(1);
    expect(cli.json, why).toMatchObject({ command: 'call', outcome: 'busy', finalStatus: 486 });
    expect(cli.json!.durationMs, why).toBeNull();
  });

  it('uas-ring-forever: 180 then nothing; --timeout 1 sends CANCEL, 487 is ACKed, outcome no-answer', async () => {
    const { cli, sipp, why } = await callSippUas('uas-ring-forever', 'udp', ['--timeout', '1', '--duration', '1']);
    expect(sipp.code, why).toBe(0);
    expect(cli.code, why).toBe(1);
    expect(cli.json, why).toMatchObject({ command: 'call', outcome: 'no-answer', finalStatus: 487, endedBy: 'local' });
    expect(cli.json!.timeline?.ringingMs, why).not.toBeNull();
    expect(cli.json!.timeline?.answerMs, why).toBeNull();
  });
});
