/**
 * The built-in agent as a trunk's platform side: `listen --allow-from` (callers on 127.0.0.2 and
 * 127.0.0.3) and `listen --auth-user/--auth-password` (407 inbound digest) answered by SIPp's
 * [authentication] and by our own `call --user --password`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { explain, runCli, startListen } from '../../support/cli.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { explainSipp, startSipp } from '../../support/sipp.ts';
import { finishSipp } from '../../support/sip-flows.ts';

afterEach(stopAllStarted);

async function sippFrom(scenario: string, port: number, localAddress: string, extraArgs: string[] = []) {
  const run = await startSipp({ scenario, remote: `127.0.0.1:${port}`, localPort: await freePort(), localAddress, service: 'echo', timeoutMs: 15_000, extraArgs });
  return finishSipp(run, 20_000);
}

describe('listen --allow-from', () => {
  it('answers 127.0.0.2, refuses 127.0.0.3 with 403 and a Warning naming it; the report counts it', async () => {
    const port = await freePort();
    const listener = startListen(['--bind', '127.0.0.1', '--port', String(port), '--transport', 'udp', '--json', '--duration', '40', '--allow-from', '127.0.0.2,2001:db8::/32']);
    await listener.ready;
    const allowed = await sippFrom('uac-basic', port, '127.0.0.2');
    const refused = await sippFrom('uac-expect-403', port, '127.0.0.3');
    await new Promise((r) => setTimeout(r, 200));
    const listen = await listener.stop();
    const why = `${explainSipp(allowed)}\n---\n${explainSipp(refused)}\n---\n${explain(listen)}`;
    expect(allowed.code, why).toBe(0);
    expect(refused.code, why).toBe(0);
    expect(refused.messages, why).toContain('Warning: 399 trunkscope "source address 127.0.0.3 is not in the allow list"');
    expect(listen.code, why).toBe(0);
    expect(listen.json!.calls, why).toHaveLength(1);
    expect(listen.json!.calls![0]!.remote, why).toMatch(/^127\.0\.0\.2:/);
    expect(listen.json!.refused, why).toEqual({ total: 1, bySource: { '127.0.0.3': { 'address not allowed': 1 } } });
  });

  it('a bad list is a usage error naming the entry (exit 2)', async () => {
    const r = await runCli(['listen', '--allow-from', '127.0.0.1,10.0.0.0/40', '--duration', '1']);
    expect(r.code, explain(r)).toBe(2);
    expect(r.stderr).toMatch(/--allow-from: "10\.0\.0\.0\/40": prefix length must be 0\.\.32/);
  });
});

describe('listen --auth-user --auth-password (inbound digest, 407)', () => {
  it('SIPp [authentication] and our own call get in; a wrong password does not; refusals are counted', async () => {
    const port = await freePort();
    const listener = startListen(['--bind', '127.0.0.1', '--port', String(port), '--transport', 'udp', '--json', '--trace', '--duration', '50',
      '--auth-user', 'alice', '--auth-password', 'In-Secret', '--realm', 'acme.test']);
    await listener.ready;
    const sipp = await sippFrom('uac-auth-407', port, '127.0.0.2', ['-au', 'alice', '-ap', 'In-Secret']);
    const ours = await runCli(['call', `sip:echo@127.0.0.1:${port}`, '--user', 'alice', '--password', 'In-Secret', '--duration', '1', '--json', '--bind', '127.0.0.3']);
    const wrong = await runCli(['call', `sip:echo@127.0.0.1:${port}`, '--user', 'alice', '--password', 'nope', '--duration', '1', '--json']);
    await new Promise((r) => setTimeout(r, 200));
    const listen = await listener.stop();
    const why = `${explainSipp(sipp)}\n---\nours: ${explain(ours)}\n---\nwrong: ${explain(wrong)}\n---\n${explain(listen, 20000)}`;
    expect(sipp.code, why).toBe(0);
    expect(ours.code, why).toBe(0);
    expect(ours.json, why).toMatchObject({ outcome: 'answered' });
    expect(wrong.code, why).toBe(1);
    expect(wrong.json!.outcome, why).toBe('auth-failed');
    // The challenge is a 407 with realm acme.test and MD5, as LiveKit's inbound trunk sends.
    expect(listen.stderr, why).toMatch(/^SIP\/2\.0 407 Proxy Authentication Required/m);
    expect(listen.stderr, why).toMatch(/^Proxy-Authenticate: Digest realm="acme\.test", nonce="[^"]+", algorithm=MD5, qop="auth"/m);
    expect(listen.json!.calls, why).toHaveLength(2);
    const refused = listen.json!.refused!;
    expect(refused.bySource['127.0.0.2'], why).toEqual({ 'challenged (no credentials)': 1 });
    expect(refused.bySource['127.0.0.3'], why).toEqual({ 'challenged (no credentials)': 1 });
    expect(refused.bySource['127.0.0.1']?.['digest: wrong password (digest response does not match)'], why).toBeGreaterThanOrEqual(1);
  });
});
