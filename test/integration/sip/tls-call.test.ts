/**
 * A call between two trunkscope instances over TLS: `listen --transport tls` makes a self-signed
 * certificate; `call --tls-insecure` accepts it, a plain `call` must refuse it (verification is
 * on by default).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { explain, runCli, startListen, type Listener } from '../../support/cli.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';

afterEach(stopAllStarted);

async function tlsListener(): Promise<{ port: number; listener: Listener }> {
  const port = await freePort();
  const listener = startListen(['--bind', '127.0.0.1', '--port', String(port), '--transport', 'tls', '--answer', 'echo', '--duration', '50', '--json', '--trace']);
  const line = await listener.ready;
  expect(line).toMatch(new RegExp(`tls 127\\.0\\.0\\.1:${port}`));
  return { port, listener };
}

describe('call → listen over TLS', () => {
  it('--tls-insecure accepts the self-signed certificate: answered, exit 0', async () => {
    const { port, listener } = await tlsListener();
    const r = await runCli(['call', `sip:echo@127.0.0.1:${port};transport=tls`, '--transport', 'tls', '--tls-insecure', '--duration', '1', '--json', '--trace'], { timeoutMs: 30_000 });
    const listen = await listener.stop();
    const why = `${explain(r)}\n---\n${explain(listen)}`;
    expect(r.code, why).toBe(0);
    expect(r.json, why).toMatchObject({ command: 'call', outcome: 'answered', finalStatus: 200, transport: 'tls', remote: `127.0.0.1:${port}`, endedBy: 'local' });
    expect(listen.code, why).toBe(0);
    expect(listen.json!.calls, why).toHaveLength(1);
    expect(listen.json!.calls![0], why).toMatchObject({ outcome: 'answered', transport: 'tls', endedBy: 'remote' });
  });

  it('without --tls-insecure the self-signed certificate is refused: not answered, exit 1', async () => {
    const { port, listener } = await tlsListener();
    const r = await runCli(['call', `sip:echo@127.0.0.1:${port};transport=tls`, '--transport', 'tls', '--duration', '1', '--timeout', '5', '--json', '--trace'], { timeoutMs: 40_000 });
    const listen = await listener.stop();
    const why = `${explain(r)}\n---\n${explain(listen)}`;
    expect(r.code, why).toBe(1);
    expect(r.json, why).toBeDefined();
    expect(r.json!.outcome, why).not.toBe('answered');
    expect(['unreachable', 'failed'], why).toContain(r.json!.outcome);
    expect(r.json!.reason, why).toMatch(/certificate/i);
    expect(r.json!.durationMs, why).toBeNull();
    // No INVITE got through the failed handshake.
    expect(listen.json!.calls, why).toEqual([]);
  });

  it('listen on udp,tcp,tls puts TLS on port+1; OPTIONS answered 200 on each', async () => {
    const port = await freePort(2);
    const listener = startListen(['--bind', '127.0.0.1', '--port', String(port), '--transport', 'udp,tcp,tls', '--duration', '50', '--json']);
    const line = await listener.ready;
    expect(line).toContain(`udp 127.0.0.1:${port}`);
    expect(line).toContain(`tcp 127.0.0.1:${port}`);
    expect(line).toContain(`tls 127.0.0.1:${port + 1}`);
    const targets: Array<[string, string[]]> = [
      [`sip:127.0.0.1:${port}`, ['--transport', 'udp']],
      [`sip:127.0.0.1:${port};transport=tcp`, ['--transport', 'tcp']],
      [`sip:127.0.0.1:${port + 1};transport=tls`, ['--transport', 'tls', '--tls-insecure']],
    ];
    for (const [uri, args] of targets) {
      const r = await runCli(['options', uri, ...args, '--json'], { timeoutMs: 20_000 });
      expect(r.code, explain(r)).toBe(0);
      expect(r.json, explain(r)).toMatchObject({ command: 'options', outcome: 'ok', finalStatus: 200 });
    }
    const listen = await listener.stop();
    expect(listen.json!.requests!.filter((q) => q.method === 'OPTIONS' && q.status === 200), explain(listen)).toHaveLength(3);
  });
});
