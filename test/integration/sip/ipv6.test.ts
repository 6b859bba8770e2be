/**
 * Calls over IPv6 loopback (issue 2: transports on IPv4 and IPv6). `call`, `options` and
 * `register` bind the IPv6 wildcard by themselves when the next hop is an IPv6 literal, so a
 * user types `sip:echo@[::1]:PORT` and nothing else. Peers: SIPp's UAS bound on ::1 (UDP and
 * TCP), and our own listener on ::1 with RTP both ways.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { explain, runCli, startListen } from '../../support/cli.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { explainSipp, startSipp } from '../../support/sipp.ts';
import { finishSipp } from '../../support/sip-flows.ts';

afterEach(stopAllStarted);

describe('IPv6 (::1)', () => {
  for (const transport of ['udp', 'tcp'] as const) {
    it(`call → SIPp UAS on [::1] over ${transport}, no --bind: answered, both ends IPv6`, async () => {
      const port = await freePort(1, '::1');
      const run = await startSipp({
        scenario: 'uas-basic',
        localAddress: '::1',
        localPort: port,
        transport: transport === 'udp' ? 'u1' : 't1',
        service: 'echo',
      });
      await run.ready;
      const uri = `sip:echo@[::1]:${port}${transport === 'tcp' ? ';transport=tcp' : ''}`;
      const cli = await runCli(['call', uri, '--duration', '1', '--json', '--trace'], { timeoutMs: 30_000 });
      const sipp = await finishSipp(run, 5000);
      const why = `${explain(cli)}\n---\n${explainSipp(sipp)}`;
      expect(cli.code, why).toBe(0);
      expect(sipp.code, why).toBe(0);
      expect(cli.json, why).toMatchObject({ outcome: 'answered', finalStatus: 200, transport, remote: `[::1]:${port}` });
      expect(cli.json!.local, why).toMatch(/^\[::1\]:\d+$/);
      // What SIPp received names us by our IPv6 address (Via sent-by, RFC 3261 §18.1.1; Contact).
      expect(sipp.messages, why).toMatch(/^Via: SIP\/2\.0\/(UDP|TCP) \[::1\]:\d+;/m);
      expect(sipp.messages, why).toMatch(/^Contact: <sip:([^@>]*@)?\[::1\]:\d+/m);
      expect(sipp.messages, why).toMatch(/^c=IN IP6 ::1$/m);
    });
  }

  it('call → listen --bind ::1: RTP flows both ways over IPv6; options answered', async () => {
    const port = await freePort(1, '::1');
    const listener = startListen(['--bind', '::1', '--port', String(port), '--duration', '40', '--json']);
    expect(await listener.ready).toContain(`udp [::1]:${port}`);
    const ping = await runCli(['options', `sip:[::1]:${port}`, '--json'], { timeoutMs: 20_000 });
    expect(ping.code, explain(ping)).toBe(0);
    expect(ping.json, explain(ping)).toMatchObject({ command: 'options', outcome: 'ok', finalStatus: 200 });
    const r = await runCli(['call', `sip:echo@[::1]:${port}`, '--duration', '2', '--json'], { timeoutMs: 30_000 });
    const listen = await listener.stop();
    const why = `${explain(r)}\n---\n${explain(listen)}`;
    expect(r.code, why).toBe(0);
    expect(r.json, why).toMatchObject({ outcome: 'answered', remote: `[::1]:${port}` });
    const m = r.json!.media!;
    expect(m.local, why).toMatch(/^\[::1\]:\d+$/);
    // 2 s at 20 ms: ~100 packets each way; the echo returns what arrives.
    expect(m.sent.packets, why).toBeGreaterThan(60);
    expect(m.received.packets, why).toBeGreaterThan(60);
    expect(m.received.remoteAddress, why).toMatch(/^\[::1\]:\d+$/);
    expect(listen.json!.calls?.[0], why).toMatchObject({ outcome: 'answered', local: `[::1]:${port}` });
  });
});
