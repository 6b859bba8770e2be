/**
 * `call --proxy` through Kamailio as a record-routing stateful proxy (test/scenarios/kamailio/
 * proxy.cfg) to our own listener: the outbound proxy is the first hop (a Route header, RFC 3261
 * §8.1.2), the proxy's Record-Route becomes the dialog's route set (§12.1.2) and ACK and BYE
 * follow it by loose routing (§16.12); a 407 from the proxy is answered with credentials.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { explain, runCli, startListen, type Listener } from '../../support/cli.ts';
import { kamailioPassword, kamailioProxyCfg, startKamailio, type Kamailio } from '../../support/kamailio.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';

afterEach(stopAllStarted);

async function proxyAndListener(listenArgs: string[] = []): Promise<{ kam: Kamailio; port: number; listener: Listener }> {
  const kam = await startKamailio({ cfg: kamailioProxyCfg });
  const port = await freePort();
  const listener = startListen(['--bind', '127.0.0.1', '--port', String(port), '--duration', '50', '--json', '--trace', ...listenArgs]);
  await listener.ready;
  return { kam, port, listener };
}

/** The full messages of a --trace output whose first line starts with `start`. */
function messages(trace: string, start: string): string[] {
  return trace.split(/\r?\n(?=\S+ \S+ SIP\/2\.0\r?\n|SIP\/2\.0 )/).filter((m) => m.startsWith(start));
}

describe('call through Kamailio (record-routing proxy) to listen', () => {
  it('--proxy: answered; Route to the proxy on the INVITE, then ACK and BYE loose-routed through it', async () => {
    const { kam, port, listener } = await proxyAndListener();
    try {
      const r = await runCli(['call', `sip:echo@127.0.0.1:${port}`, '--proxy', `sip:127.0.0.1:${kam.port}`, '--duration', '1', '--json', '--trace'], { timeoutMs: 30_000 });
      const listen = await listener.stop();
      const log = kam.log();
      const why = `${explain(r)}\n--- listener:\n${explain(listen)}\n--- kamailio:\n${log.slice(-4000)}`;
      expect(r.code, why).toBe(0);
      // We talked to the proxy only; the listener saw the call come from it.
      expect(r.json, why).toMatchObject({ outcome: 'answered', finalStatus: 200, remote: `127.0.0.1:${kam.port}`, endedBy: 'local' });
      expect(listen.json!.calls?.[0], why).toMatchObject({ outcome: 'answered', remote: `127.0.0.1:${kam.port}`, endedBy: 'remote' });
      expect(r.json!.media!.received.packets, why).toBeGreaterThan(30);
      // Kamailio relayed the INVITE, and ACK and BYE came back to it with its Route (loose routing).
      expect(log, why).toMatch(/initial INVITE relayed to sip:echo@127\.0\.0\.1/);
      expect(log, why).toMatch(/in-dialog ACK loose-routed/);
      expect(log, why).toMatch(/in-dialog BYE loose-routed/);
      expect(log, why).not.toMatch(/without a Route to us/);
      // Our BYE carried the Record-Route the proxy inserted (lr, ftag) as its Route.
      const bye = messages(r.stderr, 'BYE ').join('\n');
      expect(bye, why).toMatch(new RegExp(`^Route: <sip:127\\.0\\.0\\.1:${kam.port};lr[^>]*>`, 'm'));
    } finally {
      await kam.stop();
    }
  });

  it('the callee hangs up (listen --max-call 1): its BYE goes back through the proxy by the route set', async () => {
    const { kam, port, listener } = await proxyAndListener(['--max-call', '1']);
    try {
      const r = await runCli(['call', `sip:echo@127.0.0.1:${port}`, '--proxy', `sip:127.0.0.1:${kam.port}`, '--duration', '5', '--json'], { timeoutMs: 30_000 });
      const listen = await listener.stop();
      const log = kam.log();
      const why = `${explain(r)}\n--- listener:\n${explain(listen)}\n--- kamailio:\n${log.slice(-4000)}`;
      expect(r.code, why).toBe(0);
      expect(r.json, why).toMatchObject({ outcome: 'answered', endedBy: 'remote' });
      expect(r.json!.durationMs!, why).toBeLessThan(3000);
      expect(listen.json!.calls?.[0], why).toMatchObject({ outcome: 'answered', endedBy: 'local' });
      // The listener's BYE reached Kamailio with its Route and was loose-routed to our Contact.
      expect(log, why).toMatch(/in-dialog BYE loose-routed to sip:127\.0\.0\.1:\d+/);
      expect(log, why).not.toMatch(/without a Route to us/);
    } finally {
      await kam.stop();
    }
  });

  it('proxy asks for credentials (407): right password answered, wrong one classified', async () => {
    const { kam, port, listener } = await proxyAndListener();
    try {
      const base = ['call', `sip:echo@127.0.0.1:${port}`, '--proxy', `sip:127.0.0.1:${kam.port}`, '--from', 'sip:auth@127.0.0.1', '--user', 'auth', '--duration', '1', '--json'];
      const ok = await runCli([...base, '--password', kamailioPassword], { timeoutMs: 30_000 });
      const bad = await runCli([...base, '--password', 'wrong', '--timeout', '5'], { timeoutMs: 30_000 });
      const listen = await listener.stop();
      const why = `${explain(ok)}\n--- wrong password:\n${explain(bad)}\n--- listener:\n${explain(listen)}\n--- kamailio:\n${kam.log().slice(-3000)}`;
      expect(ok.code, why).toBe(0);
      // The report names the response that decided the call (the 200), not the 407 before it.
      expect(ok.json, why).toMatchObject({ outcome: 'answered', finalStatus: 200 });
      expect(ok.json!.reason, why).toMatch(/^200 OK; /);
      expect(bad.code, why).toBe(1);
      expect(bad.json, why).toMatchObject({ outcome: 'auth-failed', authFailure: 'wrong-credentials', finalStatus: 407 });
      // Only the authenticated call reached the listener.
      expect(listen.json!.calls, why).toHaveLength(1);
    } finally {
      await kam.stop();
    }
  });
});
