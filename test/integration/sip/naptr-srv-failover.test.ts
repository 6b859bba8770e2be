/**
 * RFC 3263 against a DNS server in the test (dns2 on 127.0.0.1) and real peers:
 * - §4.1: with no --transport and none in the URI, NAPTR decides (a domain offering only
 *   SIP+D2T is called over TCP); an explicit --transport restricts the choice;
 * - §4.3: SRV failover over UDP with the default timers: a silent target is left after the
 *   per-target time, a closed port at once (ICMP), and the call is answered by the third; every
 *   target tried is in the report's `attempts` and its INVITE in the trace.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { explain, runCli, startListen } from '../../support/cli.ts';
import { freePort, portFree } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { startSipp } from '../../support/sipp.ts';
import { finishSipp } from '../../support/sip-flows.ts';
import { explainSipp } from '../../support/sipp.ts';
import { startZoneServer, type RunningZone } from '../dns/zone-server.ts';

afterEach(stopAllStarted);

let zone: RunningZone | undefined;
let sink: Socket | undefined;
const ports = { tcpUas: 0, udpUas: 0, silent: 0, closed: 0, listen: 0 };

beforeAll(async () => {
  for (const k of Object.keys(ports) as Array<keyof typeof ports>) ports[k] = await freePort();
  // A UDP socket that swallows everything: a target that never answers.
  sink = createSocket('udp4');
  await new Promise<void>((resolve) => sink!.bind(ports.silent, '127.0.0.1', resolve));
  const srv = (priority: number, port: number, name: string) => ({ priority, weight: 0, port, name });
  zone = await startZoneServer({
    naptr: { 'tcp-only.test': [{ order: 10, preference: 10, flags: 'S', service: 'SIP+D2T', regexp: '', replacement: '_sip._tcp.tcp-only.test' }] },
    srv: {
      '_sip._tcp.tcp-only.test': [srv(10, ports.tcpUas, 'edge.test')],
      '_sip._udp.failover.test': [srv(10, ports.silent, 'edge.test'), srv(20, ports.closed, 'edge.test'), srv(30, ports.udpUas, 'edge.test')],
      '_sip._udp.ping.test': [srv(10, ports.silent, 'edge.test'), srv(20, ports.listen, 'edge.test')],
    },
    a: { 'edge.test': ['127.0.0.1'] },
  });
});

afterAll(async () => {
  await zone?.close();
  await new Promise<void>((resolve) => (sink ? sink.close(() => resolve()) : resolve()));
});

const dnsArgs = (): string[] => ['--dns', `127.0.0.1:${zone!.port}`, '--bind', '127.0.0.1'];

describe('RFC 3263 §4.1: NAPTR picks the transport', () => {
  it('a domain whose NAPTR offers only SIP+D2T is called over TCP when no --transport is given', async () => {
    const run = await startSipp({ scenario: 'uas-basic', localPort: ports.tcpUas, transport: 't1', service: 'echo', timeoutMs: 20_000 });
    await run.ready;
    const r = await runCli(['call', 'sip:echo@tcp-only.test', ...dnsArgs(), '--duration', '1', '--json', '--trace'], { timeoutMs: 30_000 });
    const sipp = await finishSipp(run, 5000);
    const why = `${explain(r)}\n---\n${explainSipp(sipp)}`;
    expect(r.code, why).toBe(0);
    expect(r.json, why).toMatchObject({ outcome: 'answered', transport: 'tcp', remote: `127.0.0.1:${ports.tcpUas}` });
    expect(r.json!.attempts, why).toEqual([{ target: `127.0.0.1:${ports.tcpUas}`, transport: 'tcp', status: 200, reason: '200 OK', ms: expect.any(Number) }]);
  });

  it('an explicit --transport udp restricts the choice: no UDP target, so none is called', async () => {
    const r = await runCli(['call', 'sip:echo@tcp-only.test', '--transport', 'udp', ...dnsArgs(), '--json'], { timeoutMs: 30_000 });
    expect(r.code, explain(r)).toBe(1);
    expect(r.json, explain(r)).toMatchObject({ outcome: 'unreachable' });
    expect(r.json!.reason, explain(r)).toMatch(/no SIP targets found for tcp-only\.test/);
  });
});

describe('RFC 3263 §4.3: SRV failover over UDP with the default timers', () => {
  it('silent target (left after 5 s), closed port (ICMP, at once), then SIPp answers; all three in attempts', async () => {
    expect(await portFree(ports.closed)).toBe(true);
    const run = await startSipp({ scenario: 'uas-basic', localPort: ports.udpUas, transport: 'u1', service: 'echo', timeoutMs: 30_000 });
    await run.ready;
    const started = Date.now();
    const r = await runCli(['call', 'sip:echo@failover.test', ...dnsArgs(), '--duration', '1', '--json', '--trace'], { timeoutMs: 40_000 });
    const ms = Date.now() - started;
    const sipp = await finishSipp(run, 5000);
    const why = `${explain(r)}\n---\n${explainSipp(sipp)}`;
    expect(r.code, why).toBe(0);
    expect(r.json, why).toMatchObject({ outcome: 'answered', transport: 'udp', remote: `127.0.0.1:${ports.udpUas}` });
    const attempts = r.json!.attempts!;
    expect(attempts.map((a) => [a.target, a.transport, a.status]), why).toEqual([
      [`127.0.0.1:${ports.silent}`, 'udp', null],
      [`127.0.0.1:${ports.closed}`, 'udp', null],
      [`127.0.0.1:${ports.udpUas}`, 'udp', 200],
    ]);
    expect(attempts[0]!.reason, why).toMatch(/no response within the 5 s target timeout/);
    expect(attempts[0]!.ms, why).toBeGreaterThanOrEqual(4900);
    expect(attempts[0]!.ms, why).toBeLessThan(7000);
    expect(attempts[1]!.reason, why).toMatch(/connection-refused/);
    expect(attempts[1]!.ms, why).toBeLessThan(1000);
    // Well before the 30 s answer timeout or timer B (32 s).
    expect(ms, why).toBeLessThan(20_000);
    // The trace shows an INVITE to each target.
    for (const p of [ports.silent, ports.closed, ports.udpUas]) expect(r.stderr, why).toMatch(new RegExp(`INVITE sip:echo@failover\\.test[\\s\\S]*127\\.0\\.0\\.1:${p}|127\\.0\\.0\\.1:${p}[\\s\\S]*INVITE`));
  });

  it('options: --target-timeout 1 leaves the silent target after 1 s; our listener answers', async () => {
    const listener = startListen(['--bind', '127.0.0.1', '--port', String(ports.listen), '--transport', 'udp', '--duration', '20', '--no-media']);
    await listener.ready;
    const r = await runCli(['options', 'sip:ping.test', ...dnsArgs(), '--target-timeout', '1', '--json'], { timeoutMs: 30_000 });
    await listener.stop();
    expect(r.code, explain(r)).toBe(0);
    expect(r.json, explain(r)).toMatchObject({ outcome: 'ok', finalStatus: 200, remote: `127.0.0.1:${ports.listen}` });
    expect(r.json!.attempts!.map((a) => [a.target, a.status]), explain(r)).toEqual([
      [`127.0.0.1:${ports.silent}`, null],
      [`127.0.0.1:${ports.listen}`, 200],
    ]);
    expect(r.json!.attempts![0]!.reason, explain(r)).toMatch(/1 s target timeout/);
    expect(r.json!.attempts![0]!.ms, explain(r)).toBeLessThan(2500);
  });
});
