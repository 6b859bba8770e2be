/**
 * `call NUMBER --route NAME --routes FILE` against SIPp UASes: a dead TCP target and a silent UDP
 * target are moved past, the 503 primary is moved past, the secondary answers; the report lists
 * every attempt and takes its outcome from the one that answered.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { explain, runCli } from '../../support/cli.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { explainSipp, startSipp } from '../../support/sipp.ts';
import { finishSipp } from '../../support/sip-flows.ts';

afterEach(stopAllStarted);

function routesFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'call-route-')), 'routes.yaml');
  writeFileSync(file, text);
  return file;
}

describe('call --route', () => {
  it('a 503 primary (Retry-After) fails over to the secondary, which answers; both attempts reported', async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    const primary = await startSipp({ scenario: 'uas-503-retry-after', localPort: p1, service: '100', timeoutMs: 20_000 });
    const secondary = await startSipp({ scenario: 'uas-basic', localPort: p2, service: '100', timeoutMs: 20_000 });
    await Promise.all([primary.ready, secondary.ready]);
    const file = routesFile(`
outbound:
  - name: us
    numbers: ["+1*"]
    targets:
      - { uri: "sip:{number}@127.0.0.1:${p2}", priority: 20 }
      - { uri: "sip:127.0.0.1:${p1}", priority: 10 }
`);
    const r = await runCli(['call', '+14155550100', '--routes', file, '--route', 'us', '--duration', '1', '--json']);
    const s1 = await finishSipp(primary, 5000);
    const s2 = await finishSipp(secondary, 5000);
    const why = `${explain(r)}\n---\n${explainSipp(s1)}\n---\n${explainSipp(s2)}`;
    expect(r.code, why).toBe(0);
    const j = r.json!;
    expect(j.outcome, why).toBe('answered');
    expect(j.outboundRoute).toBe('us');
    expect(j.attempts!.map((a) => [a.target, a.profile, a.status]), why).toEqual([
      [`sip:+14155550100@127.0.0.1:${p1}`, null, 503],
      [`sip:+14155550100@127.0.0.1:${p2}`, null, 200],
    ]);
    expect(j.attempts![0]!.reason).toMatch(/^503 Service Unavailable.*: moving on \(5xx\)$/);
    expect(j.attempts![0]!.ms).toBeGreaterThanOrEqual(0);
    expect(s1.messages).toMatch(/^INVITE sip:\+14155550100@127\.0\.0\.1:\d+ SIP\/2\.0/m);
    expect(r.stderr).toMatch(/route us: sip:\+14155550100@127\.0\.0\.1:\d+ → 503/);
    // --route omitted: the numbers prefix picks the route.
    const again = await runCli(['call', '+14155550100', '--routes', file, '--duration', '0', '--json', '--timeout', '2', '--t1', '50']);
    expect(again.json?.outboundRoute, explain(again)).toBe('us');
  });

  it('a dead TCP target and a silent UDP target are moved past (connect failure, timeout)', async () => {
    const [dead, silent, live] = [await freePort(), await freePort(), await freePort()];
    const uas = await startSipp({ scenario: 'uas-basic', localPort: live, service: '7', timeoutMs: 25_000 });
    await uas.ready;
    // Silent, not closed: a closed UDP port answers ICMP port unreachable (a connect failure);
    // this socket takes the INVITEs and never answers, so only Timer B moves the call on.
    const sink = createSocket('udp4');
    await new Promise<void>((resolve) => sink.bind(silent, '127.0.0.1', resolve));
    onTestFinished(() => {
      sink.close();
    });
    const file = routesFile(`
outbound:
  - name: r
    targets:
      - { uri: "sip:{number}@127.0.0.1:${dead};transport=tcp", priority: 1 }
      - { uri: "sip:{number}@127.0.0.1:${silent}", priority: 2 }
      - { uri: "sip:{number}@127.0.0.1:${live}", priority: 3 }
`);
    const r = await runCli(['call', '7', '--routes', file, '--route', 'r', '--duration', '0.5', '--t1', '50', '--json'], { timeoutMs: 40_000 });
    const s = await finishSipp(uas, 5000);
    const why = `${explain(r)}\n---\n${explainSipp(s)}`;
    expect(r.code, why).toBe(0);
    const at = r.json!.attempts!;
    expect(at.map((a) => a.status), why).toEqual([null, 408, 200]);
    expect(at[0]!.reason, why).toMatch(/moving on \(connect-failure\)$/);
    expect(at[1]!.reason, why).toMatch(/moving on \(timeout\)$/);
    expect(at[1]!.ms, why).toBeGreaterThanOrEqual(3000); // Timer B = 64 × T1 (RFC 3261 §17.1.1.2)
  });

  it('an unknown route or a missing --routes is a usage error', async () => {
    const file = routesFile('outbound:\n  - { name: a, targets: [{ uri: "sip:127.0.0.1:9" }] }\n');
    const r = await runCli(['call', '100', '--routes', file, '--route', 'b']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no outbound route "b" .*\(routes: a\)/);
    const m = await runCli(['call', '100', '--route', 'a']);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/--route needs --routes FILE/);
  });
});
