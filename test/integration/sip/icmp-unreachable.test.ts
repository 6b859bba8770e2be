/**
 * ICMP port unreachable (RFC 3261 §18.4: a transport error): `call`, `register` and `options` to
 * a UDP port where nothing listens fail at once with connection-refused instead of waiting for
 * timer B or the answer timeout; a refused TCP connection is reported the same way and is not
 * classified as an authentication failure.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { explain, runCli } from '../../support/cli.ts';
import { freePort, portFree } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';

afterEach(stopAllStarted);

async function closedPort(): Promise<number> {
  const port = await freePort();
  expect(await portFree(port)).toBe(true);
  return port;
}

describe('a UDP target with nothing listening', () => {
  const cases: Array<[string, (port: number) => string[]]> = [
    ['options', (port) => ['options', `sip:echo@127.0.0.1:${port}`]],
    ['register', (port) => ['register', `sip:127.0.0.1:${port}`, '--user', 'alice', '--password', 'x', '--duration', '0']],
    ['call', (port) => ['call', `sip:echo@127.0.0.1:${port}`]],
  ];
  for (const [command, args] of cases) {
    it(`${command}: connection-refused at once (not a 30 s timeout), exit 1, no authFailure`, async () => {
      const port = await closedPort();
      const started = Date.now();
      const r = await runCli([...args(port), '--bind', '127.0.0.1', '--json', '--trace'], { timeoutMs: 40_000 });
      const ms = Date.now() - started;
      expect(r.code, explain(r)).toBe(1);
      expect(r.json, explain(r)).toMatchObject({ command, outcome: 'unreachable', finalStatus: null, transport: 'udp' });
      expect(r.json!.reason, explain(r)).toMatch(/connection-refused/);
      expect(r.json!.authFailure, explain(r)).toBeUndefined();
      expect(r.json!.remote, explain(r)).toBe(`127.0.0.1:${port}`);
      // One request went out, no retransmissions once the ICMP error came back.
      expect(ms, explain(r)).toBeLessThan(8000);
      expect(r.stderr, explain(r)).toMatch(/ICMP port unreachable/);
    });
  }
});

describe('a refused TCP connection', () => {
  it('call: outcome unreachable, reason connection-refused, no authFailure', async () => {
    const port = await closedPort();
    const r = await runCli(['call', `sip:echo@127.0.0.1:${port};transport=tcp`, '--transport', 'tcp', '--bind', '127.0.0.1', '--json'], { timeoutMs: 40_000 });
    expect(r.code, explain(r)).toBe(1);
    expect(r.json, explain(r)).toMatchObject({ command: 'call', outcome: 'unreachable', transport: 'tcp' });
    expect(r.json!.reason, explain(r)).toMatch(/connection-refused/);
    expect(r.json!.authFailure, explain(r)).toBeUndefined();
  });

  it('register: outcome unreachable, reason connection-refused, no authFailure', async () => {
    const port = await closedPort();
    const r = await runCli(['register', `sip:127.0.0.1:${port};transport=tcp`, '--transport', 'tcp', '--user', 'a', '--password', 'b', '--duration', '0', '--bind', '127.0.0.1', '--json'], { timeoutMs: 40_000 });
    expect(r.code, explain(r)).toBe(1);
    expect(r.json, explain(r)).toMatchObject({ command: 'register', outcome: 'unreachable', transport: 'tcp' });
    expect(r.json!.reason, explain(r)).toMatch(/^connection-refused/);
    expect(r.json!.authFailure, explain(r)).toBeUndefined();
  });
});
