/**
 * `listen --routes`: SIPp callers with different Request-URIs, X-Agent-Id headers and From
 * numbers, from 127.0.0.2 and 127.0.0.3, land on the agents the rules name (seen by the caller
 * as the final response); a `max-calls: 1` agent held by a first call fails over to the next.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallReport } from '../../../src/shared/model/report.ts';
import { startListen, type Listener } from '../../support/cli.ts';
import { freePort } from '../../support/ports.ts';
import { stopAllStarted, waitForOutput } from '../../support/processes.ts';
import { explainSipp, startSipp } from '../../support/sipp.ts';
import { finishSipp } from '../../support/sip-flows.ts';

afterEach(stopAllStarted);

const ROUTES = `
agents:
  sales:
    type: echo
    max-calls: 1
    on:
      - when: busy
        then: overflow
  overflow: { type: reject, code: 603 }
rules:
  - name: by-header
    header: { name: X-Agent-Id, value: sales }
    agent: sales
  - name: sf-did
    did: { pattern: "+1415*", e164: true }
    agent: busy
  - name: uk-caller
    from: { pattern: "+44*", e164: true }
    agent: unavailable
  - name: from-three
    source: 127.0.0.3
    agent: reject 503 Overloaded
  - name: fallback
    default: true
    agent: echo
`;

async function listen(text: string): Promise<{ l: Listener; port: number; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'listen-routes-'));
  const file = join(dir, 'routes.yaml');
  writeFileSync(file, text);
  const port = await freePort();
  const l = startListen(['--bind', '127.0.0.1', '--port', String(port), '--transport', 'udp', '--json', '--duration', '50', '--routes', file]);
  await l.ready;
  return { l, port, file };
}

async function caller(port: number, o: { service: string; from?: string; agent?: string; address?: string; holdMs?: number }) {
  const run = await startSipp({
    scenario: 'uac-route',
    remote: `127.0.0.1:${port}`,
    localAddress: o.address ?? '127.0.0.2',
    localPort: await freePort(),
    service: o.service,
    keys: { from_user: o.from ?? '100', agent: o.agent ?? 'none' },
    extraArgs: ['-d', String(o.holdMs ?? 200)],
    timeoutMs: 15_000,
  });
  const r = await finishSipp(run, 16_000);
  // The INVITE's final response: the first non-1xx status line SIPp received.
  const final = /^SIP\/2\.0 ([2-6]\d\d) /m.exec(r.messages)?.[1];
  return { final: final ? Number(final) : undefined, why: explainSipp(r) };
}

describe('listen --routes with SIPp callers', () => {
  it('each INVITE lands on the agent its rule names', async () => {
    const { l, port } = await listen(ROUTES);
    const cases: Array<[Parameters<typeof caller>[1], number, string]> = [
      [{ service: '14155550100' }, 486, 'sf-did'],
      [{ service: '200', from: '00447700900123' }, 480, 'uk-caller'],
      [{ service: '200', address: '127.0.0.3' }, 503, 'from-three'],
      [{ service: '14155550100', agent: 'sales' }, 200, 'by-header'],
      [{ service: '200', address: '127.0.0.3', agent: 'sales' }, 200, 'by-header'],
      [{ service: '200' }, 200, 'fallback'],
    ];
    for (const [c, status] of cases) {
      const r = await caller(port, c);
      expect(r.final, `${JSON.stringify(c)}\n${r.why}`).toBe(status);
    }
    const out = await l.stop();
    const calls = out.json!.calls!;
    expect(calls.map((c) => c.route?.rule)).toEqual(cases.map((c) => c[2]));
    expect(out.json!.routeTotals).toEqual({ 'sf-did': 1, 'uk-caller': 1, 'from-three': 1, 'by-header': 2, fallback: 1 });
    expect(calls[0]!.route).toMatchObject({
      rule: 'sf-did',
      agent: 'busy',
      matched: [{ field: 'did', value: '14155550100', pattern: '+1415*' }],
      steps: [{ agent: 'busy', result: 'busy' }],
    });
    expect(calls[1]!.route!.matched).toEqual([{ field: 'from', value: '00447700900123', pattern: '+44*' }]);
    expect(calls[2]!.route!.matched).toEqual([{ field: 'source', value: '127.0.0.3', pattern: '127.0.0.3' }]);
    expect(calls[3]!.route!.steps[0]!.result).toMatch(/^answered; remote hangup/);
  });

  it('a max-calls 1 agent held by a first call sends the second along its busy failover', async () => {
    const { l, port } = await listen(ROUTES);
    const first = caller(port, { service: '1', agent: 'sales', holdMs: 3000 });
    await new Promise((r) => setTimeout(r, 1200));
    const second = await caller(port, { service: '1', agent: 'sales' });
    expect(second.final, second.why).toBe(603);
    expect((await first).final).toBe(200);
    // The agent is free again once the first call has ended.
    const third = await caller(port, { service: '1', agent: 'sales' });
    expect(third.final, third.why).toBe(200);
    const out = await l.stop();
    const calls = out.json!.calls!;
    const byStatus = (s: number): CallReport | undefined => calls.find((c) => c.finalStatus === s);
    expect(byStatus(603)!.route).toMatchObject({
      rule: 'by-header',
      agent: 'echo',
      steps: [
        { agent: 'sales', result: 'busy (max-calls 1)', ms: 0 },
        { agent: 'overflow', result: 'rejected 603' },
      ],
    });
  });

  it('the file is re-read on change without dropping a call; a bad file keeps the old rules and says why', async () => {
    const { l, port, file } = await listen('rules:\n  - { name: first, default: true, agent: echo }\n');
    const held = caller(port, { service: '1', holdMs: 4000 });
    await new Promise((r) => setTimeout(r, 800));
    writeFileSync(file, 'rules:\n  - { name: second, default: true, agent: reject 603 }\n');
    await waitForOutput(l.proc, 'stderr', (t) => t.includes('routes reloaded from'), 10_000);
    expect((await caller(port, { service: '2' })).final).toBe(603);
    writeFileSync(file, 'rules:\n  - { name: third, default: true, agent: nobody }\n');
    const err = await waitForOutput(l.proc, 'stderr', (t) => t.includes('refused, keeping the previous rules'), 10_000);
    expect(err).toContain(`${file}:2:42: rules[0].agent: unknown agent "nobody"`);
    expect((await caller(port, { service: '3' })).final).toBe(603);
    const h = await held;
    expect(h.final, h.why).toBe(200);
    const out = await l.stop();
    const calls = out.json!.calls!;
    const first = calls.find((c) => c.route?.rule === 'first')!;
    expect(first, JSON.stringify(calls)).toMatchObject({ outcome: 'answered', endedBy: 'remote' });
    expect(first.durationMs!).toBeGreaterThan(3500);
    expect(out.json!.routeTotals).toEqual({ first: 1, second: 2 });
  });
});
