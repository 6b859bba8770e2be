/**
 * Exit codes for failures that need no peer: usage errors (2), an unreachable TCP target (1) and a
 * UDP target that swallows the INVITE (1, after --timeout rather than timer B).
 */
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { explain, runCli } from '../../support/cli.ts';
import { freePort, portFree } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';

afterEach(stopAllStarted);

describe('trunkscope exit codes', () => {
  it('unknown option: exit 2, names the option, no report', async () => {
    const r = await runCli(['call', '--no-such-option', 'sip:echo@127.0.0.1:5060', '--json'], { timeoutMs: 15_000 });
    expect(r.code, explain(r)).toBe(2);
    expect(r.stderr, explain(r)).toMatch(/--no-such-option/);
    expect(r.json, explain(r)).toBeUndefined();
  });

  for (const uri of ['sip:alice@', 'sip:al ice@127.0.0.1', 'sip:127.0.0.1:99999']) {
    it(`bad URI "${uri}": exit 2 before sending anything`, async () => {
      const r = await runCli(['call', uri, '--json', '--timeout', '1'], { timeoutMs: 15_000 });
      expect(r.code, explain(r)).toBe(2);
      expect(r.stderr, explain(r)).toMatch(/URI/);
      expect(r.json, explain(r)).toBeUndefined();
    });
  }

  for (const args of [['--keep-calls', '-1'], ['--max-call', 'x'], ['--answer-delay', '-5']]) {
    it(`listen ${args.join(' ')}: exit 2, checked before any socket is opened (nothing left open)`, async () => {
      const r = await runCli(['listen', '--bind', '127.0.0.1', '--port', '0', ...args, '--duration', '1'], { timeoutMs: 15_000 });
      expect(r.code, explain(r)).toBe(2);
      expect(r.stderr, explain(r)).toContain(args[0]!);
      expect(r.stderr, explain(r)).not.toMatch(/still open/);
    });
  }

  it('bad --answer mode for listen: exit 2', async () => {
    const r = await runCli(['listen', '--bind', '127.0.0.1', '--port', '0', '--answer', 'sometimes', '--duration', '1'], { timeoutMs: 15_000 });
    expect(r.code, explain(r)).toBe(2);
    expect(r.stderr, explain(r)).toMatch(/--answer/);
  });

  it('call over TCP to a closed port: unreachable, exit 1, quickly', async () => {
    const port = await freePort();
    expect(await portFree(port)).toBe(true);
    const started = Date.now();
    const r = await runCli(['call', `sip:echo@127.0.0.1:${port};transport=tcp`, '--transport', 'tcp', '--json', '--trace'], { timeoutMs: 40_000 });
    expect(r.code, explain(r)).toBe(1);
    expect(r.json, explain(r)).toMatchObject({ command: 'call', outcome: 'unreachable', finalStatus: null, transport: 'tcp' });
    expect(r.json!.durationMs, explain(r)).toBeNull();
    // A refused connection is known at once; no waiting for timer B.
    expect(Date.now() - started, explain(r)).toBeLessThan(10_000);
  });

  it('UDP target that never answers: --timeout 2 ends the call then (outcome timeout, exit 1), not timer B at 32 s', async () => {
    const port = await freePort();
    const sock = createSocket('udp4');
    const arrived: string[] = [];
    sock.on('message', (msg) => arrived.push(msg.toString('utf8', 0, msg.indexOf(' '))));
    await new Promise<void>((resolve) => sock.bind(port, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      const r = await runCli(['call', `sip:echo@127.0.0.1:${port}`, '--timeout', '2', '--json'], { timeoutMs: 40_000 });
      const why = `${explain(r)}\narrived: ${arrived.join(', ')}`;
      expect(r.code, why).toBe(1);
      expect(r.json, why).toMatchObject({ command: 'call', outcome: 'timeout', finalStatus: 408 });
      expect(r.json!.reason, why).toMatch(/within the 2 s answer timeout/);
      expect(Date.now() - started, why).toBeLessThan(15_000);
      // The INVITE and its timer-A retransmissions arrived; no CANCEL (nothing provisional to cancel).
      expect(arrived.filter((m) => m === 'INVITE').length, why).toBeGreaterThanOrEqual(2);
      expect(arrived, why).not.toContain('CANCEL');
    } finally {
      await new Promise<void>((resolve) => sock.close(() => resolve()));
    }
  });
});
