/** The listen agent: bounded per-call reports, every call counted, nothing kept after a call ends. */
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../src/main/engine/call/agent.ts';
import type { SipStack } from '../../../src/main/engine/stack/sip-stack.ts';
import { InviteClient } from '../../../src/main/sip/ua/invite-client.ts';
import { pair, type Pair } from '../sip/ua/helpers.ts';

function agentOn(p: Pair, keepCalls: number): Agent {
  const stack = { ua: p.bob, messageCount: () => ({ sent: 0, received: 0 }), traceFor: () => [] } as unknown as SipStack;
  return new Agent(stack, { answer: { kind: 'echo' }, keepCalls, mediaFor: () => p.media(), sessionTimer: { sessionExpires: 0, minSE: 90 } });
}

async function oneCall(p: Pair, n: number): Promise<void> {
  const call = new InviteClient(p.alice, p.media(), { target: `sip:bob${n}@10.0.0.2`, sessionTimer: { sessionExpires: 0, minSE: 90 } });
  await call.start();
  await p.run(200);
  expect(call.state).toBe('connected');
  await Promise.all([call.hangup(), p.run(200)]);
}

describe('Agent (trunkscope listen)', () => {
  it('keeps the first and last keepCalls reports and counts every call', async () => {
    const p = pair();
    const agent = agentOn(p, 2);
    const ids: string[] = [];
    agent.onCall = (r) => ids.push(r.callId!);
    for (let i = 0; i < 7; i++) await oneCall(p, i);
    expect(ids).toHaveLength(7);
    expect(agent.calls.map((c) => c.callId)).toEqual([ids[0], ids[1], ids[5], ids[6]]);
    expect(agent.callSummary()).toEqual({
      total: 7,
      omitted: 3,
      byOutcome: { answered: 7 },
      byReason: { 'remote hangup (BYE)': 7 },
    });
  });

  it('keeps every report with keepCalls 0, and all of them while under 2 × keepCalls', async () => {
    const p = pair();
    const all = agentOn(p, 0);
    for (let i = 0; i < 3; i++) await oneCall(p, i);
    expect(all.calls).toHaveLength(3);
    expect(all.callSummary().omitted).toBe(0);
    const q = pair();
    const some = agentOn(q, 2);
    for (let i = 0; i < 4; i++) await oneCall(q, i);
    expect(some.calls).toHaveLength(4);
    expect(some.callSummary()).toMatchObject({ total: 4, omitted: 0 });
  });

  it('a finished call leaves its INVITE transaction holding only its key and last response', async () => {
    const p = pair();
    agentOn(p, 10);
    const txs: Array<{ request: unknown; onAck?: unknown; state: string }> = [];
    p.bob.on('invite', (_req, tx) => txs.push(tx));
    await oneCall(p, 1);
    expect(txs).toHaveLength(1);
    expect(txs[0]!.state).toBe('Accepted'); // Timer L still running (RFC 6026 §7.1)
    expect(txs[0]!.request).toBeUndefined();
    expect(p.bob.dialogCount).toBe(0);
    await p.run(40_000, 1000);
    expect(p.bob.tl.size).toBe(0);
  });
});
