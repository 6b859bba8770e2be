/** Routed calls on an in-memory SIP pair with a fake clock: failover timers, max-calls, steps. */
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../../src/main/engine/call/agent.ts';
import type { SipStack } from '../../../../src/main/engine/stack/sip-stack.ts';
import { InboundRouter } from '../../../../src/main/engine/routing/inbound-router.ts';
import { parseRoutingText } from '../../../../src/main/engine/routing/routing-load.ts';
import { InviteClient } from '../../../../src/main/sip/ua/invite-client.ts';
import type { CallReport } from '../../../../src/shared/model/report.ts';
import { pair, type Pair } from '../../sip/ua/helpers.ts';

function routedAgent(p: Pair, yaml: string): { agent: Agent; reports: CallReport[]; router: InboundRouter } {
  const stack = { ua: p.bob, messageCount: () => ({ sent: 0, received: 0 }), traceFor: () => [] } as unknown as SipStack;
  const router = new InboundRouter(parseRoutingText(yaml), { clock: p.clock });
  const agent = new Agent(stack, { answer: { kind: 'echo' }, routes: router, mediaFor: () => p.media(), sessionTimer: { sessionExpires: 0, minSE: 90 } });
  const reports: CallReport[] = [];
  agent.onCall = (r) => reports.push(r);
  return { agent, reports, router };
}

function dial(p: Pair, user: string, headers: Array<[string, string]> = []): InviteClient {
  const call = new InviteClient(p.alice, p.media(), { target: `sip:${user}@10.0.0.2`, headers, sessionTimer: { sessionExpires: 0, minSE: 90 } });
  void call.start();
  return call;
}

describe('routed calls', () => {
  it('no-answer N s moves a ringing call to the next agent; the chain goes on to a reject', async () => {
    const p = pair();
    const { reports } = routedAgent(
      p,
      `
agents:
  desk:
    type: ring
    on: [{ when: no-answer 5 s, then: backup }]
  backup:
    type: answer-after
    seconds: 30
    on: [{ when: no-answer 4 s, then: reject 480 Nobody Home }]
rules:
  - { name: all, default: true, agent: desk }
`,
    );
    const call = dial(p, '100');
    await p.run(4900, 100);
    expect(call.state).toBe('ringing');
    await p.run(4500, 100);
    expect(call.end?.status).toBe(480);
    expect(reports).toHaveLength(1);
    const steps = reports[0]!.route!.steps;
    expect(steps.map((s) => [s.agent, s.result])).toEqual([
      ['desk', 'no-answer 5 s'],
      ['backup', 'no-answer 4 s'],
      ['reject 480 Nobody Home', 'rejected 480'],
    ]);
    expect(steps[0]!.ms).toBeGreaterThanOrEqual(5000);
    expect(steps[0]!.ms).toBeLessThan(5200);
    expect(reports[0]!.route).toMatchObject({ rule: 'all', agent: 'ring', matched: [] });
  });

  it('answer-after answers after N s when no failover comes first; hangup-after ends the call', async () => {
    const p = pair();
    const { reports } = routedAgent(
      p,
      `
rules:
  - { name: slow, header: { name: X-Agent-Id, value: slow }, agent: answer-after 2 }
  - { name: short, default: true, agent: hangup-after 3 }
`,
    );
    const slow = dial(p, '1', [['X-Agent-Id', 'slow']]);
    await p.run(1800, 100);
    expect(slow.state).not.toBe('connected');
    await p.run(600, 100);
    expect(slow.state).toBe('connected');
    await Promise.all([slow.hangup(), p.run(300)]);
    const short = dial(p, '2');
    await p.run(2500, 100);
    expect(short.state).toBe('connected');
    await p.run(1000, 100);
    expect(short.state).toBe('terminated');
    expect(reports.map((r) => r.route!.rule)).toEqual(['slow', 'short']);
    expect(reports[1]!.endedBy).toBe('local');
    expect(reports[1]!.reason).toMatch(/hangup-after 3 s/);
  });

  it('max-calls counts live calls only: a second call is busy (486 without failover) until the first ends', async () => {
    const p = pair();
    const { reports, router } = routedAgent(p, 'agents:\n  one: { type: echo, max-calls: 1 }\nrules:\n  - { name: r, default: true, agent: one }\n');
    const a = dial(p, '1');
    await p.run(300);
    expect(a.state).toBe('connected');
    const b = dial(p, '2');
    await p.run(300);
    expect(b.end?.status).toBe(486);
    await Promise.all([a.hangup(), p.run(300)]);
    const c = dial(p, '3');
    await p.run(300);
    expect(c.state).toBe('connected');
    await Promise.all([c.hangup(), p.run(300)]);
    expect(reports.map((r) => r.finalStatus)).toEqual([486, 200, 200]);
    expect(reports[0]!.route!.steps).toEqual([{ agent: 'one', result: 'busy (max-calls 1)', ms: 0 }]);
    expect(router.totals).toEqual({ r: 3 });
  });

  it('no matching rule and no default: 404', async () => {
    const p = pair();
    const { reports } = routedAgent(p, 'rules:\n  - { name: only, did: "999", agent: echo }\n');
    const call = dial(p, '100');
    await p.run(300);
    expect(call.end?.status).toBe(404);
    expect(reports[0]!.route).toEqual({ rule: null, matched: [], agent: 'none', steps: [{ agent: '(none)', result: 'no rule matched: 404', ms: 0 }] });
  });
});
