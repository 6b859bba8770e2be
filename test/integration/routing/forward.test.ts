/**
 * The `forward` agent (B2BUA): our caller → listen --routes → SIPp callee with RTP echo. Audio
 * flows end to end (our tone goes through both legs, SIPp echoes it, it comes back through the
 * bridge); both legs are in the listener's report. A busy target fails over to the next agent.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { explain, runCli, startListen } from '../../support/cli.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted } from '../../support/processes.ts';
import { explainSipp, startSipp } from '../../support/sipp.ts';
import { finishSipp } from '../../support/sip-flows.ts';

afterEach(stopAllStarted);

async function listenWith(routes: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'forward-')), 'routes.yaml');
  writeFileSync(file, routes);
  const port = await freePort();
  const l = startListen(['--bind', '127.0.0.1', '--port', String(port), '--transport', 'udp', '--json', '--duration', '50', '--codec', 'PCMU', '--routes', file]);
  await l.ready;
  return { l, port };
}

describe('forward (B2BUA)', () => {
  it('bridges media both ways to a SIPp callee; both legs in the report', async () => {
    const uasPort = await freePort();
    const uas = await startSipp({ scenario: 'uas-rtp-echo', localPort: uasPort, service: '555', extraArgs: ['-rtp_echo', '-mi', '127.0.0.1'], timeoutMs: 25_000 });
    await uas.ready;
    const { l, port } = await listenWith(`rules:\n  - { name: fwd, default: true, agent: "forward sip:{number}@127.0.0.1:${uasPort}" }\n`);
    const r = await runCli(['call', `sip:555@127.0.0.1:${port}`, '--codec', 'PCMU', '--duration', '3', '--json'], { timeoutMs: 30_000 });
    const s = await finishSipp(uas, 5000);
    const out = await l.stop();
    const why = `${explain(r)}\n---\n${explainSipp(s)}\n---\n${explain(out)}`;
    expect(r.code, why).toBe(0);
    expect(r.json!.outcome, why).toBe('answered');
    // Our tone went out on leg A, through the bridge to leg B, echoed by SIPp, and back.
    expect(r.json!.media!.sent.packets, why).toBeGreaterThan(100);
    expect(r.json!.media!.received.packets, why).toBeGreaterThan(80);
    const call = out.json!.calls![0]!;
    expect(call.route, why).toMatchObject({ rule: 'fwd', agent: 'forward' });
    const leg = call.route!.forward!;
    expect(leg, why).toMatchObject({ command: 'call', outcome: 'answered', finalStatus: 200, remote: `127.0.0.1:${uasPort}` });
    expect(leg.media!.received.packets, why).toBeGreaterThan(80);
    expect(leg.media!.sent.packets, why).toBeGreaterThan(80);
    expect(s.messages, why).toMatch(/^INVITE sip:555@127\.0\.0\.1:\d+ SIP\/2\.0/m);
  });

  it('a busy forward target fails over along the chain', async () => {
    const uasPort = await freePort();
    const uas = await startSipp({ scenario: 'uas-486', localPort: uasPort, service: '1', timeoutMs: 20_000 });
    await uas.ready;
    const { l, port } = await listenWith(`
agents:
  partner:
    type: forward
    uri: sip:{number}@127.0.0.1:${uasPort}
    on: [{ when: busy, then: reject 603 }]
rules:
  - { name: fwd, default: true, agent: partner }
`);
    const r = await runCli(['call', `sip:1@127.0.0.1:${port}`, '--duration', '1', '--json'], { timeoutMs: 30_000 });
    await finishSipp(uas, 5000);
    const out = await l.stop();
    const why = `${explain(r)}\n---\n${explain(out)}`;
    expect(r.json?.finalStatus, why).toBe(603);
    const route = out.json!.calls![0]!.route!;
    expect(route.steps.map((x) => [x.agent, x.result]), why).toEqual([
      ['partner', 'forward 486 Busy Here'],
      ['reject 603', 'rejected 603'],
    ]);
    expect(route.forward, why).toMatchObject({ outcome: 'busy', finalStatus: 486 });
  });
});
